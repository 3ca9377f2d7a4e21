"""MessageSettings: defaults, environment variables and start-up validation."""

from __future__ import annotations

import pytest

from common.config import environment
from common.errors import ConfigurationError
from common.messages.settings import MessageSettings


def test_defaults_need_no_environment() -> None:
    assert MessageSettings.from_env(environment({})) == MessageSettings(
        app_name="Cognito Users",
        support_email=None,
        verification_link_url=None,
        password_reset_link_url=None,
        sign_in_url=None,
        verification_code_expiry_hours=24,
        password_reset_code_expiry_hours=1,
        sign_in_code_expiry_minutes=3,
        temporary_password_validity_days=7,
    )


def test_every_variable_is_read() -> None:
    env = environment(
        {
            "APP_NAME": " Acme ",
            "SUPPORT_EMAIL": "help@acme.example",
            "VERIFICATION_LINK_URL": "https://app.acme.example/confirm",
            "PASSWORD_RESET_LINK_URL": "https://app.acme.example/reset?from=email",
            "SIGN_IN_URL": "http://localhost:3000/sign-in",
            "VERIFICATION_CODE_EXPIRY_HOURS": "12",
            "PASSWORD_RESET_CODE_EXPIRY_HOURS": "2",
            "SIGN_IN_CODE_EXPIRY_MINUTES": "5",
            "TEMPORARY_PASSWORD_VALIDITY_DAYS": "3",
        }
    )
    assert MessageSettings.from_env(env) == MessageSettings(
        app_name="Acme",
        support_email="help@acme.example",
        verification_link_url="https://app.acme.example/confirm",
        password_reset_link_url="https://app.acme.example/reset?from=email",
        sign_in_url="http://localhost:3000/sign-in",
        verification_code_expiry_hours=12,
        password_reset_code_expiry_hours=2,
        sign_in_code_expiry_minutes=5,
        temporary_password_validity_days=3,
    )


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("APP_NAME", "A" * 41, "APP_NAME must be 1 to 40 printable characters"),
        ("APP_NAME", "Acme\nBcc: x", "APP_NAME must be 1 to 40 printable characters"),
        ("APP_NAME", "Acme $5", "APP_NAME must be 1 to 40 printable characters"),
        ("SUPPORT_EMAIL", "help", "SUPPORT_EMAIL must be a plain email address"),
        ("SUPPORT_EMAIL", "help@acme", "SUPPORT_EMAIL must be a plain email address"),
        ("SUPPORT_EMAIL", '"x"<help@acme.example>', "SUPPORT_EMAIL must be a plain email address"),
        ("VERIFICATION_LINK_URL", "http://app.acme.example/confirm", "VERIFICATION_LINK_URL must be an https:// URL"),
        ("VERIFICATION_LINK_URL", "javascript:alert(1)", "VERIFICATION_LINK_URL must be an https:// URL"),
        ("PASSWORD_RESET_LINK_URL", "https://a.example/#/reset", "PASSWORD_RESET_LINK_URL must be an https:// URL"),
        ("SIGN_IN_URL", 'https://a.example/"onclick', "SIGN_IN_URL must be an https:// URL"),
        ("SIGN_IN_URL", "https://a.example/" + "x" * 500, "SIGN_IN_URL must be an https:// URL"),
        (
            "VERIFICATION_CODE_EXPIRY_HOURS",
            "0",
            "environment variable VERIFICATION_CODE_EXPIRY_HOURS must be within [1, 720]",
        ),
        ("SIGN_IN_CODE_EXPIRY_MINUTES", "three", "environment variable SIGN_IN_CODE_EXPIRY_MINUTES must be an integer"),
        (
            "TEMPORARY_PASSWORD_VALIDITY_DAYS",
            "366",
            "environment variable TEMPORARY_PASSWORD_VALIDITY_DAYS must be within [1, 365]",
        ),
    ],
)
def test_bad_values_fail_at_start_up_naming_the_variable(variable: str, value: str, message: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        MessageSettings.from_env(environment({variable: value}))
    assert str(caught.value).startswith(message)
