"""Why a sign-up is refused, and the stable code and localized, user-safe text each reason shows.

Codes are part of the API (clients switch on them); texts live in ``common/locales/<lang>/signup.json``. A
duplicate address is reported with a neutral text and code unless ``SIGNUP_REVEAL_EXISTING_ACCOUNTS`` is on, so
the sign-up form cannot be used to test which addresses have accounts.
"""

from __future__ import annotations

from enum import Enum

from common.errors import UserFacingError
from common.i18n import translate

__all__ = ["Refusal", "SignupRefused", "user_error"]


class Refusal(Enum):
    """Each value is ``(code, catalog key)``."""

    EMAIL_REQUIRED = ("EMAIL_REQUIRED", "signup.email_required")
    EMAIL_INVALID = ("EMAIL_INVALID", "signup.email_invalid")
    ATTRIBUTE_NOT_ALLOWED = ("ATTRIBUTE_NOT_ALLOWED", "signup.attribute_not_allowed")
    DOMAIN_BLOCKED = ("DOMAIN_BLOCKED", "signup.domain_blocked")
    DOMAIN_NOT_ALLOWED = ("DOMAIN_NOT_ALLOWED", "signup.domain_not_allowed")
    DISPOSABLE_EMAIL = ("DISPOSABLE_EMAIL", "signup.disposable_email")
    EMAIL_UNAVAILABLE = ("EMAIL_UNAVAILABLE", "signup.email_unavailable")
    EMAIL_TAKEN = ("EMAIL_TAKEN", "signup.email_taken")
    ACCOUNT_LINKED = ("ACCOUNT_LINKED", "signup.account_linked")

    @property
    def code(self) -> str:
        return self.value[0]

    @property
    def key(self) -> str:
        return self.value[1]


class SignupRefused(Exception):  # noqa: N818  (a named outcome of the policy, not a failure)
    """The policy's verdict "no", carrying the reason (never user data, so it is safe to log)."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.code)
        self.refusal = refusal


def user_error(refusal: Refusal, language: str) -> UserFacingError:
    """The error Cognito shows the user: ``"<localized text> [<CODE>]"``."""
    return UserFacingError(refusal.code, translate(refusal.key, language))
