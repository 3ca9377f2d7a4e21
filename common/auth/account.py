"""The public account flows: sign-up, confirmation, sign-in, challenges, refresh, password reset, sign-out.

The rules that are not Cognito's own live here:

* **No user enumeration.** Sign-up answers "confirmation required" whether or not the address is already
  registered; resend-code and forgot-password answer "accepted" for unknown, already-confirmed and unverifiable
  accounts alike; sign-in folds unknown user and wrong password into ``INVALID_CREDENTIALS`` (``cognito_errors``).
* **The right username per flow** for ``SecretHash``: the email for everything a user starts with it, the
  internal username for refresh (from the request, or the ID token's ``cognito:username``), ``USER_ID_FOR_SRP``
  for challenge answers.
* **The user's language travels to the triggers** as ``ClientMetadata.locale``, so their messages and errors come
  back localized.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from common.auth.errors import AuthError
from common.auth.gateway import CognitoGateway
from common.auth.model import Challenge, Tokens
from common.auth.tokens import username_from_id_token

__all__ = [
    "ALREADY_REGISTERED",
    "SUPPORTED_CHALLENGES",
    "AccountService",
    "ChallengeAnswer",
    "SignInResult",
    "SignUpStatus",
]


class SignUpStatus(StrEnum):
    """What the client should do next. A known address answers CONFIRMATION_REQUIRED, like a new one."""

    CONFIRMATION_REQUIRED = "CONFIRMATION_REQUIRED"
    CONFIRMED = "CONFIRMED"


@dataclass(frozen=True)
class SignInResult:
    """Tokens plus the internal username (needed for refresh), or the next challenge."""

    tokens: Tokens | None = None
    username: str | None = None
    challenge: Challenge | None = None


@dataclass(frozen=True)
class ChallengeAnswer:
    """An answer to a supported challenge."""

    name: str
    session: str
    username: str
    new_password: str | None = None
    code: str | None = None

    def responses(self) -> dict[str, str]:
        """The ``ChallengeResponses`` entries besides USERNAME and SECRET_HASH."""
        if self.name == "NEW_PASSWORD_REQUIRED" and self.new_password is not None:
            return {"NEW_PASSWORD": self.new_password}
        if self.name == "SOFTWARE_TOKEN_MFA" and self.code is not None:
            return {"SOFTWARE_TOKEN_MFA_CODE": self.code}
        raise AuthError("INVALID_REQUEST")


SUPPORTED_CHALLENGES = frozenset({"NEW_PASSWORD_REQUIRED", "SOFTWARE_TOKEN_MFA"})

# "This address already has an account": Cognito's own UsernameExistsException, and the pre-sign-up trigger's
# neutral duplicate refusal (common/signup: EMAIL_UNAVAILABLE). Both answer like a fresh registration. The
# trigger's EMAIL_TAKEN is only sent when the operator chose to reveal existing accounts, so it passes through.
ALREADY_REGISTERED = frozenset({"ACCOUNT_EXISTS", "EMAIL_UNAVAILABLE"})


class AccountService:
    """Public account operations on top of :class:`CognitoGateway`."""

    def __init__(self, gateway: CognitoGateway) -> None:
        self._gateway = gateway

    def sign_up(self, email: str, password: str, attributes: dict[str, str], language: str) -> SignUpStatus:
        try:
            outcome = self._gateway.sign_up(email, password, {"email": email, **attributes}, _meta(language))
        except AuthError as error:
            if error.code in ALREADY_REGISTERED:
                return SignUpStatus.CONFIRMATION_REQUIRED
            raise
        return SignUpStatus.CONFIRMED if outcome.confirmed else SignUpStatus.CONFIRMATION_REQUIRED

    def confirm(self, email: str, code: str, language: str) -> None:
        self._gateway.confirm_sign_up(email, code, _meta(language))

    def resend_code(self, email: str, language: str) -> None:
        _accepted(lambda: self._gateway.resend_confirmation_code(email, _meta(language)))

    def sign_in(self, email: str, password: str, language: str) -> SignInResult:
        return _sign_in_result(self._gateway.sign_in(email, password, _meta(language)))

    def answer_challenge(self, answer: ChallengeAnswer, language: str) -> SignInResult:
        result = self._gateway.respond_to_challenge(
            answer.name, answer.session, answer.username, answer.responses(), _meta(language)
        )
        return _sign_in_result(result)

    def refresh(self, refresh_token: str, username: str | None, id_token: str | None, language: str) -> SignInResult:
        """New tokens; the username for SecretHash is the internal one, given or read from the ID token."""
        name = username or (username_from_id_token(id_token) if id_token else None)
        if not name:
            raise AuthError("INVALID_REQUEST", field="username")
        return SignInResult(tokens=self._gateway.refresh(refresh_token, name, _meta(language)), username=name)

    def forgot_password(self, email: str, language: str) -> None:
        _accepted(lambda: self._gateway.forgot_password(email, _meta(language)))

    def reset_password(self, email: str, code: str, password: str, language: str) -> None:
        self._gateway.confirm_forgot_password(email, code, password, _meta(language))

    def sign_out(self, refresh_token: str) -> None:
        self._gateway.revoke_refresh_token(refresh_token)


def _meta(language: str) -> dict[str, str]:
    return {"locale": language}


def _accepted(call: Callable[[], None]) -> None:
    """Run ``call``; the account-state answers (unknown, already confirmed, no verified email) look like success."""
    try:
        call()
    except AuthError as error:
        if error.code != "ACCOUNT_STATE":
            raise


def _sign_in_result(result: Tokens | Challenge) -> SignInResult:
    if isinstance(result, Challenge):
        return SignInResult(challenge=result)
    return SignInResult(tokens=result, username=username_from_id_token(result.id_token))
