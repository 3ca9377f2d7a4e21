"""Every refusal has a stable code and an exact, user-safe text in English and Korean."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from common.errors import parse_trigger_error
from common.i18n import catalog
from common.signup.refusals import Refusal, SignupRefused, user_error

LOCALES = Path(__file__).resolve().parents[2] / "common" / "locales"

EXPECTED = {
    Refusal.EMAIL_REQUIRED: (
        "An email address is required to create an account.",
        "계정을 만들려면 이메일 주소가 필요합니다.",
    ),
    Refusal.EMAIL_INVALID: ("Enter a valid email address.", "올바른 이메일 주소를 입력하세요."),
    Refusal.ATTRIBUTE_NOT_ALLOWED: (
        "This sign-up contains information that can't be set. Remove it and try again.",
        "가입 정보에 설정할 수 없는 항목이 포함되어 있습니다. 해당 항목을 빼고 다시 시도하세요.",
    ),
    Refusal.DOMAIN_BLOCKED: (
        "Email addresses from this domain can't be used to sign up.",
        "이 도메인의 이메일 주소로는 가입할 수 없습니다.",
    ),
    Refusal.DOMAIN_NOT_ALLOWED: (
        "Sign-up is limited to approved email domains. Use your work or school address.",
        "승인된 이메일 도메인으로만 가입할 수 있습니다. 회사 또는 학교 이메일 주소를 사용하세요.",
    ),
    Refusal.DISPOSABLE_EMAIL: (
        "Temporary or disposable email addresses can't be used. Use a permanent address.",
        "임시 또는 일회용 이메일 주소는 사용할 수 없습니다. 계속 사용하는 주소를 입력하세요.",
    ),
    Refusal.EMAIL_UNAVAILABLE: (
        "This email address can't be used to create an account. Try signing in, or use a different address.",
        "이 이메일 주소로는 계정을 만들 수 없습니다. 로그인하거나 다른 주소를 사용하세요.",
    ),
    Refusal.EMAIL_TAKEN: (
        "An account with this email address already exists. Sign in instead.",
        "이 이메일 주소로 가입된 계정이 이미 있습니다. 로그인하세요.",
    ),
    Refusal.ACCOUNT_LINKED: (
        "Your sign-in has been connected to your existing account. Please sign in again.",
        "로그인 수단이 기존 계정에 연결되었습니다. 다시 로그인하세요.",
    ),
}


def test_every_refusal_is_covered() -> None:
    assert set(EXPECTED) == set(Refusal)
    assert len({r.code for r in Refusal}) == len(Refusal)


@pytest.mark.parametrize("refusal", list(Refusal), ids=lambda r: r.code)
def test_exact_text_in_both_languages(refusal: Refusal) -> None:
    english, korean = EXPECTED[refusal]
    en, ko = user_error(refusal, "en"), user_error(refusal, "ko")
    assert (en.code, en.message, str(en)) == (refusal.code, english, f"{english} [{refusal.code}]")
    assert (ko.code, ko.message, str(ko)) == (refusal.code, korean, f"{korean} [{refusal.code}]")


@pytest.mark.parametrize("refusal", list(Refusal), ids=lambda r: r.code)
def test_the_code_survives_cognitos_wrapping(refusal: Refusal) -> None:
    parsed = parse_trigger_error(f"PreSignUp failed with error {user_error(refusal, 'ko')}.")
    assert parsed is not None
    assert (parsed.trigger, parsed.code, parsed.message) == ("PreSignUp", refusal.code, EXPECTED[refusal][1])


def test_unknown_language_falls_back_to_english() -> None:
    assert user_error(Refusal.EMAIL_INVALID, "fr").message == "Enter a valid email address."


def test_catalog_files_have_the_same_keys_and_only_ours() -> None:
    en = json.loads((LOCALES / "en" / "signup.json").read_text(encoding="utf-8"))
    ko = json.loads((LOCALES / "ko" / "signup.json").read_text(encoding="utf-8"))
    assert set(en) == set(ko) == {r.key for r in Refusal}
    assert all(catalog("ko")[key] == text for key, text in ko.items())


def test_neutral_duplicate_text_does_not_say_an_account_exists() -> None:
    english, korean = EXPECTED[Refusal.EMAIL_UNAVAILABLE]
    assert "exist" not in english.lower() and "already" not in english.lower()
    assert "이미" not in korean and "가입된" not in korean


def test_refusal_carries_no_user_data() -> None:
    refused = SignupRefused(Refusal.DISPOSABLE_EMAIL)
    assert (str(refused), refused.refusal) == ("DISPOSABLE_EMAIL", Refusal.DISPOSABLE_EMAIL)
