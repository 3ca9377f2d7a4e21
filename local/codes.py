"""Confirmation codes: six random digits, one live code per user and purpose, with Cognito's lifetimes.

Sign-up and attribute-verification codes live 24 hours, password-reset codes 1 hour. The clock can be moved
forward (``POST /_local/clock``) so that tests can see an expired code without waiting.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass

from local.errors import AwsError

__all__ = ["LIFETIMES", "CodeStore"]

LIFETIMES = {"signup": 24 * 3600, "attribute": 24 * 3600, "forgot": 3600}
MISMATCH = "Invalid verification code provided, please try again."
EXPIRED = "Invalid code provided, please request a code again."


@dataclass
class _Code:
    code: str
    expires_at: float


class CodeStore:
    """Issues and checks codes."""

    def __init__(self) -> None:
        self._codes: dict[tuple[str, str], _Code] = {}
        self._lock = threading.Lock()
        self.offset = 0.0

    def now(self) -> float:
        return time.time() + self.offset

    def issue(self, user: str, purpose: str) -> str:
        """A new code for (user, purpose), replacing any earlier one."""
        code = f"{secrets.randbelow(1_000_000):06d}"
        with self._lock:
            self._codes[(user, purpose)] = _Code(code, self.now() + LIFETIMES[purpose])
        return code

    def check(self, user: str, purpose: str, code: str) -> None:
        """Accept the live code once; raise CodeMismatchException / ExpiredCodeException like Cognito."""
        with self._lock:
            stored = self._codes.get((user, purpose))
            if stored is None or not secrets.compare_digest(stored.code, str(code)):
                raise AwsError("CodeMismatchException", MISMATCH)
            if stored.expires_at < self.now():
                raise AwsError("ExpiredCodeException", EXPIRED)
            del self._codes[(user, purpose)]
