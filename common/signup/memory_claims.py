"""An in-memory :class:`EmailClaims` with the DynamoDB store's observable behaviour, for tests and benchmarks.

A lock makes each operation atomic, like a single conditional request, so racing threads see one winner.
"""

from __future__ import annotations

import threading
from dataclasses import replace

from common.signup.claim_model import ClaimOutcome, ClaimResult, ClaimStatus, ConfirmResult, EmailClaim
from common.signup.clock import Clock, iso, system_clock

__all__ = ["InMemoryEmailClaims"]


class InMemoryEmailClaims:
    def __init__(self, clock: Clock = system_clock) -> None:
        self.items: dict[str, EmailClaim] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def get(self, email: str) -> EmailClaim | None:
        with self._lock:
            return self.items.get(email)

    def claim(
        self, claim: EmailClaim, *, now_epoch: int, take_over_expired: bool = True, take_over_pending: bool = False
    ) -> ClaimOutcome:
        with self._lock:
            held = self.items.get(claim.email)
            free = (
                held is None
                or (take_over_expired and held.expired(now_epoch))
                or (take_over_pending and held.status is ClaimStatus.PENDING)
            )
            if free:
                self.items[claim.email] = claim
                return ClaimOutcome(ClaimResult.CLAIMED)
            assert held is not None
            if held.user_name == claim.user_name:
                return ClaimOutcome(ClaimResult.ALREADY_HELD, held)
            return ClaimOutcome(ClaimResult.TAKEN, held)

    def take_over(self, claim: EmailClaim, *, stale: EmailClaim) -> bool:
        with self._lock:
            held = self.items.get(claim.email)
            if held is None or (held.user_name, held.created_at) != (stale.user_name, stale.created_at):
                return False
            self.items[claim.email] = claim
            return True

    def try_confirm(self, email: str, user_id: str, *, now: str) -> ConfirmResult:
        with self._lock:
            held = self.items.get(email)
            if held is None:
                source = "PostConfirmation_ConfirmSignUp"
                self.items[email] = EmailClaim(email, user_id, ClaimStatus.CONFIRMED, source, now, None, now)
            elif held.user_name == user_id:
                self.items[email] = replace(
                    held, status=ClaimStatus.CONFIRMED, expires_at=None, confirmed_at=held.confirmed_at or now
                )
            elif held.status is ClaimStatus.PENDING:
                source = "PostConfirmation_ConfirmSignUp"
                self.items[email] = EmailClaim(email, user_id, ClaimStatus.CONFIRMED, source, now, None, now)
            else:
                return ConfirmResult.CONFLICT
            return ConfirmResult.CONFIRMED

    def confirm(self, canonical: str, user_id: str) -> None:
        self.try_confirm(canonical, user_id, now=iso(self._clock()))
