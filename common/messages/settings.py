"""Settings of the custom-message function: brand, support address, optional links and code lifetimes.

Read once at cold start (``MessageSettings.from_env()`` in the handler module) and validated there, so a bad
deploy fails loudly at start-up instead of sending broken emails. Every variable is optional with a safe default,
which lets tests and other tools build the settings with no environment at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from common.config import Environment, environment
from common.errors import ConfigurationError
from common.messages.text import has_control_characters

__all__ = ["MAX_APP_NAME_LENGTH", "MAX_URL_LENGTH", "MessageSettings"]

MAX_APP_NAME_LENGTH = 40
MAX_URL_LENGTH = 512
_LOCAL_HOSTS = ("http://localhost", "http://127.0.0.1")


@dataclass(frozen=True)
class MessageSettings:
    """What the templates may say. Lifetimes are numbers, not text, so that every language words them itself.

    The lifetimes describe what Cognito enforces; they do not change it: sign-up and attribute verification
    codes last 24 hours, password-reset codes 1 hour, sign-in (email MFA) codes 3 minutes, and a temporary
    password the pool's ``TemporaryPasswordValidityDays``.
    """

    app_name: str = "Cognito Users"
    support_email: str | None = None
    verification_link_url: str | None = None
    password_reset_link_url: str | None = None
    sign_in_url: str | None = None
    verification_code_expiry_hours: int = 24
    password_reset_code_expiry_hours: int = 1
    sign_in_code_expiry_minutes: int = 3
    temporary_password_validity_days: int = 7

    def __post_init__(self) -> None:
        _check_app_name(self.app_name)
        if self.support_email is not None:
            _check_support_email(self.support_email)
        for name, url in (
            ("VERIFICATION_LINK_URL", self.verification_link_url),
            ("PASSWORD_RESET_LINK_URL", self.password_reset_link_url),
            ("SIGN_IN_URL", self.sign_in_url),
        ):
            if url is not None:
                _check_url(name, url)

    @classmethod
    def from_env(cls, env: Environment | None = None) -> MessageSettings:
        """Build from ``APP_NAME``, ``SUPPORT_EMAIL``, the three link URLs and the four lifetimes."""
        env = env or environment()
        defaults = cls()
        return cls(
            app_name=env.text("APP_NAME", defaults.app_name),
            support_email=env.optional("SUPPORT_EMAIL"),
            verification_link_url=env.optional("VERIFICATION_LINK_URL"),
            password_reset_link_url=env.optional("PASSWORD_RESET_LINK_URL"),
            sign_in_url=env.optional("SIGN_IN_URL"),
            verification_code_expiry_hours=env.integer(
                "VERIFICATION_CODE_EXPIRY_HOURS", defaults.verification_code_expiry_hours, minimum=1, maximum=720
            ),
            password_reset_code_expiry_hours=env.integer(
                "PASSWORD_RESET_CODE_EXPIRY_HOURS", defaults.password_reset_code_expiry_hours, minimum=1, maximum=720
            ),
            sign_in_code_expiry_minutes=env.integer(
                "SIGN_IN_CODE_EXPIRY_MINUTES", defaults.sign_in_code_expiry_minutes, minimum=1, maximum=60
            ),
            temporary_password_validity_days=env.integer(
                "TEMPORARY_PASSWORD_VALIDITY_DAYS", defaults.temporary_password_validity_days, minimum=1, maximum=365
            ),
        )


def _check_app_name(value: str) -> None:
    if not value.strip() or len(value) > MAX_APP_NAME_LENGTH or has_control_characters(value) or "$" in value:
        raise ConfigurationError(
            f"APP_NAME must be 1 to {MAX_APP_NAME_LENGTH} printable characters without '$' (it appears in every "
            "subject and SMS, which Cognito caps at 140 characters)"
        )


def _check_support_email(value: str) -> None:
    local, at, domain = value.rpartition("@")
    if (
        not at
        or not local
        or "." not in domain
        or len(value) > 254
        or has_control_characters(value)
        or any(c.isspace() or c in "<>\"'" for c in value)
    ):
        raise ConfigurationError(f"SUPPORT_EMAIL must be a plain email address like help@example.com, not {value!r}")


def _check_url(name: str, value: str) -> None:
    secure = value.startswith("https://") or value.startswith(_LOCAL_HOSTS)
    if (
        not secure
        or len(value) > MAX_URL_LENGTH
        or "#" in value
        or has_control_characters(value)
        or any(c.isspace() or c in "<>\"'{}$" for c in value)
    ):
        raise ConfigurationError(
            f"{name} must be an https:// URL (http://localhost for local runs) of at most {MAX_URL_LENGTH} "
            f"characters, without a #fragment, spaces, quotes, braces or '$', not {value!r}"
        )
