"""The one clock profile code reads, so tests can move time and every timestamp has the same shape."""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["utc_now"]


def utc_now() -> str:
    """Now as ISO-8601 UTC to the second (``2026-11-26T08:40:17Z``): sorts as text and reads well in the console."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
