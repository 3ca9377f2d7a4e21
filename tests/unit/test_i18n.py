from __future__ import annotations

import pytest

from common.i18n import catalog, languages, negotiate_language, translate


def test_english_and_korean_ship() -> None:
    assert {"en", "ko"} <= languages()


@pytest.mark.parametrize("language", sorted(languages()))
def test_every_language_has_exactly_the_english_keys(language: str) -> None:
    assert set(catalog(language)) == set(catalog("en")), f"{language} catalog is out of step with English"


@pytest.mark.parametrize(
    ("candidates", "expected"),
    [
        (("ko-KR",), "ko"),
        (("ko_KR",), "ko"),
        (("KO",), "ko"),
        ((None, "ko"), "ko"),
        (("fr", "ko"), "ko"),
        (("fr",), "en"),
        ((), "en"),
    ],
)
def test_negotiate_language(candidates: tuple[str | None, ...], expected: str) -> None:
    assert negotiate_language(*candidates) == expected


def test_translate_falls_back_to_english_and_fails_on_unknown_key() -> None:
    assert translate("error.internal", "fr") == translate("error.internal", "en")
    assert translate("error.internal", "ko") == "일시적인 오류가 발생했습니다. 잠시 후 다시 시도해 주세요."
    with pytest.raises(KeyError):
        translate("no.such.key")
