"""Time, injectable: the sign-up code takes a ``Clock`` (seconds since the epoch) so tests can move it."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

__all__ = ["Clock", "iso", "system_clock"]

Clock = Callable[[], float]
system_clock: Clock = time.time


def iso(epoch: float) -> str:
    """``1795682417`` → ``2026-11-26T08:40:17Z`` (the project's timestamp format)."""
    return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
