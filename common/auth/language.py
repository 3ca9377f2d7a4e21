"""The response language from an ``Accept-Language`` header (RFC 9110 weights), limited to shipped catalogs."""

from __future__ import annotations

from common.i18n import negotiate_language

__all__ = ["language_from_header"]

_MAX_ENTRIES = 16


def language_from_header(header: str | None) -> str:
    """``"ko-KR,ko;q=0.9,en;q=0.8"`` → ``"ko"``; anything unsupported or malformed → English."""
    if not header:
        return negotiate_language()
    weighted: list[tuple[float, int, str]] = []
    for position, entry in enumerate(header.split(",")[:_MAX_ENTRIES]):
        tag, _, params = entry.strip().partition(";")
        tag = tag.strip()
        if not tag or tag == "*":
            continue
        weight = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                weight = float(params[2:])
            except ValueError:
                continue
        if 0 < weight <= 1:
            weighted.append((-weight, position, tag))
    weighted.sort()
    return negotiate_language(*(tag for _, _, tag in weighted))
