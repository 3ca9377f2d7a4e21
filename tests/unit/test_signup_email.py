"""Canonical email addresses (the uniqueness key) and syntax validation."""

from __future__ import annotations

import subprocess
import sys

import pytest

from common.config import Environment
from common.signup.email import canonical_email, check_syntax, email_domain
from common.signup.settings import SignupSettings

DEFAULT = SignupSettings()
CASE_SENSITIVE = SignupSettings.from_env(Environment({"SIGNUP_LOWERCASE_LOCAL_PART": "false"}))
GMAIL_RULES = SignupSettings.from_env(
    Environment(
        {
            "SIGNUP_FOLD_PLUS_DOMAINS": "gmail.com",
            "SIGNUP_FOLD_DOTS_DOMAINS": "gmail.com",
            "SIGNUP_DOMAIN_ALIASES": "googlemail.com=gmail.com",
        }
    )
)
FOLD_ALL_PLUS = SignupSettings.from_env(Environment({"SIGNUP_FOLD_PLUS_DOMAINS": "*"}))


@pytest.mark.parametrize(
    ("settings", "address", "canonical"),
    [
        (DEFAULT, "jane.doe@example.com", "jane.doe@example.com"),
        (DEFAULT, "  Jane.Doe@Example.COM \n", "jane.doe@example.com"),
        (DEFAULT, "TEST@x.com", "test@x.com"),
        (DEFAULT, "jane+news@gmail.com", "jane+news@gmail.com"),
        (DEFAULT, "j.a.n.e@gmail.com", "j.a.n.e@gmail.com"),
        (DEFAULT, "jane@example.com.", "jane@example.com"),
        (DEFAULT, "a@b@example.com", "a@b@example.com"),
        (DEFAULT, "no-at-sign", "no-at-sign"),
        (DEFAULT, "Cafe\u0301@Example.com", "caf\u00e9@example.com"),
        (DEFAULT, "김민수@예시.한국", "김민수@예시.한국"),
        (CASE_SENSITIVE, "Jane.Doe@Example.COM", "Jane.Doe@example.com"),
        (GMAIL_RULES, "J.A.N.E+news@Gmail.com", "jane@gmail.com"),
        (GMAIL_RULES, "jane.doe+x+y@googlemail.com", "janedoe@gmail.com"),
        (GMAIL_RULES, "jane.doe+news@example.com", "jane.doe+news@example.com"),
        (GMAIL_RULES, "+tag@gmail.com", "+tag@gmail.com"),
        (GMAIL_RULES, "...@gmail.com", "...@gmail.com"),
        (FOLD_ALL_PLUS, "jane+news@example.com", "jane@example.com"),
        (FOLD_ALL_PLUS, "jane.doe@example.com", "jane.doe@example.com"),
    ],
)
def test_canonical_form(settings: SignupSettings, address: str, canonical: str) -> None:
    assert canonical_email(address, settings) == canonical


def test_canonical_form_is_idempotent() -> None:
    once = canonical_email(" J.A.N.E+news@GoogleMail.com", GMAIL_RULES)
    assert canonical_email(once, GMAIL_RULES) == once == "jane@gmail.com"


def test_email_domain() -> None:
    assert email_domain("jane@mail.example.com") == "mail.example.com"
    assert email_domain("no-at-sign") == ""


@pytest.mark.parametrize(
    "address",
    [
        "jane.doe@example.com",
        "minsu.kim@example.co.kr",
        "jane+news@gmail.com",
        "김민수@예시.한국",
        " jane@example.com ",
    ],
)
def test_valid_syntax(address: str) -> None:
    assert check_syntax(address) is True


@pytest.mark.parametrize(
    "address",
    [
        "",
        "jane",
        "jane@",
        "@example.com",
        "jane@localhost",
        "jane@example",
        "jane..doe@example.com",
        '"jane doe"@example.com',
        "jane@[192.0.2.1]",
        "Jane <jane@example.com>",
        "jane@exa mple.com",
        "jane@example.test",
        "a" * 65 + "@example.com",
    ],
)
def test_invalid_syntax(address: str) -> None:
    assert check_syntax(address) is False


def test_canonicalization_does_not_import_email_validator() -> None:
    """Other functions canonicalize addresses: they must not pay email-validator's import."""
    code = (
        "import sys; from common.signup import canonical_email, SignupSettings; "
        "canonical_email('A@B.com', SignupSettings()); print('email_validator' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
