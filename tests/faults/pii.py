"""Finding personal data in log output: what the PII-in-logs tests (in-process and end to end) look for.

Two nets: the exact secrets a test used (its emails, phone numbers, passwords, codes, tokens), and patterns that
catch ones it did not know about (any unmasked email address, E.164 phone number, or JWT). Masked forms
(``j***@example.com``, ``+82******78``) are what the code is supposed to log and do not match.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_PHONE = re.compile(r"(?<![\w+])\+\d{8,15}\b")
_JWT = re.compile(r"eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*")


def find_pii(lines: Iterable[str], secrets: Iterable[str] = ()) -> list[str]:
    """Every (line, what) where a log line carries personal data; empty when the logs are clean."""
    known = [s for s in secrets if s]
    found: list[str] = []
    for line in lines:
        for secret in known:
            if secret in line:
                found.append(f"{secret!r} in {line[:300]!r}")
        for name, pattern in (("email", _EMAIL), ("phone", _PHONE), ("jwt", _JWT)):
            match = pattern.search(line)
            if match:
                found.append(f"{name} {match.group(0)[:60]!r} in {line[:300]!r}")
    return found


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:  # a record our formatter cannot render still counts, raw
            self.lines.append(f"{record.getMessage()} {record.__dict__!r}")


@contextmanager
def captured_logs() -> Iterator[list[str]]:
    """Every log record emitted inside the block, formatted as the functions format them in Lambda (Powertools
    JSON, extra keys and exception tracebacks included)."""
    from common.observability import logger  # noqa: PLC0415

    capture = _Capture()
    capture.setFormatter(logger.registered_formatter)
    root = logging.getLogger()
    root.addHandler(capture)
    try:
        yield capture.lines
    finally:
        root.removeHandler(capture)
