"""Accept-Language negotiation against the shipped catalogs (en, ko)."""

from __future__ import annotations

import pytest

from common.auth.language import language_from_header


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "en"),
        ("", "en"),
        ("ko", "ko"),
        ("ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7", "ko"),
        ("en-US,en;q=0.9,ko;q=0.8", "en"),
        ("fr-CH, fr;q=0.9, ko;q=0.8, *;q=0.5", "ko"),
        ("en;q=0.1, ko;q=0.9", "ko"),
        ("ko;q=0, en;q=0.5", "en"),
        ("ko;q=abc, en", "en"),
        ("de, fr", "en"),
        ("*", "en"),
        (",,,;;;", "en"),
    ],
)
def test_language_from_header(header: str | None, language: str) -> None:
    assert language_from_header(header) == language
