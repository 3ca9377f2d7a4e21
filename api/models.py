"""Request and response bodies of the HTTP API (pydantic 2; the OpenAPI document is generated from them).

Requests forbid unknown fields, so ``PATCH /me`` with ``role`` or ``email`` is refused field by field instead of
silently ignored. Limits follow Cognito's own (password at most 256 characters, codes up to 2048, attribute values
2048 bytes) so a request Cognito would refuse is refused here first, with a field-level message.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, model_validator

__all__ = [
    "AcceptedResponse",
    "AdminUser",
    "AuthResponse",
    "ChallengeBody",
    "ChallengeInfo",
    "ConfirmRequest",
    "ConfirmedResponse",
    "EmailRequest",
    "ErrorBody",
    "FieldError",
    "GatewayRejection",
    "MfaChallengeRequest",
    "NewPasswordChallengeRequest",
    "PasswordResetResponse",
    "ProfileResponse",
    "RefreshRequest",
    "ResetPasswordRequest",
    "SignInRequest",
    "SignOutRequest",
    "SignUpRequest",
    "SignUpResponse",
    "TokenSet",
    "UpdateProfileRequest",
    "UserList",
]

Email = Annotated[EmailStr, Field(max_length=254, description="The account's email address (its sign-in name).")]
Password = Annotated[str, Field(min_length=1, max_length=256, description="Checked against the pool's policy.")]
Code = Annotated[str, Field(min_length=1, max_length=2048, pattern=r"^\S+$", description="The code sent by email.")]
Name = Annotated[
    str,
    Field(min_length=1, max_length=256, pattern=r"^[^\x00-\x1f\x7f]+$", description="Display name."),
]
Locale = Annotated[
    str,
    Field(
        min_length=2,
        max_length=35,
        pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
        description="BCP 47 language tag, e.g. en or ko-KR.",
    ),
]
Token = Annotated[str, Field(min_length=1, max_length=8192, pattern=r"^\S+$")]
Session = Annotated[str, Field(min_length=20, max_length=2048, pattern=r"^\S+$")]
Username = Annotated[
    str, Field(min_length=1, max_length=128, pattern=r"^\S+$", description="Cognito's internal username.")
]


class _Request(BaseModel):
    # defer_build: a model's validator is built on first use, not at import. One container serves few of the
    # routes, so cold start pays only for the models it needs (all of them cost ~0.2 s to build up front).
    model_config = ConfigDict(extra="forbid", defer_build=True)


class _Response(BaseModel):
    model_config = ConfigDict(defer_build=True)


# ---------------------------------------------------------------------- requests
class SignUpRequest(_Request):
    email: Email
    password: Password
    name: Name | None = None
    locale: Locale | None = None


class ConfirmRequest(_Request):
    email: Email
    code: Code


class EmailRequest(_Request):
    email: Email


class SignInRequest(_Request):
    email: Email
    password: Password


class NewPasswordChallengeRequest(_Request):
    challenge: Literal["NEW_PASSWORD_REQUIRED"]
    session: Session
    username: Username
    new_password: Password


class MfaChallengeRequest(_Request):
    challenge: Literal["SOFTWARE_TOKEN_MFA"]
    session: Session
    username: Username
    code: Annotated[str, Field(pattern=r"^\d{6}$", description="The 6-digit code from the authenticator app.")]


ChallengeBody = NewPasswordChallengeRequest | MfaChallengeRequest


class RefreshRequest(_Request):
    refresh_token: Token
    username: Username | None = Field(
        default=None, description="The internal username returned at sign-in (one of username or id_token)."
    )
    id_token: Token | None = Field(default=None, description="The last ID token (its cognito:username is used).")

    @model_validator(mode="after")
    def _one_identity(self) -> RefreshRequest:
        if self.username is None and self.id_token is None:
            raise ValueError("username or id_token is required")
        return self


class ResetPasswordRequest(_Request):
    email: Email
    code: Code
    password: Password


class SignOutRequest(_Request):
    refresh_token: Token


class UpdateProfileRequest(_Request):
    name: Name | None = None
    locale: Locale | None = None

    @model_validator(mode="after")
    def _something(self) -> UpdateProfileRequest:
        if self.name is None and self.locale is None:
            raise ValueError("name or locale is required")
        return self


# ---------------------------------------------------------------------- responses
class FieldError(_Response):
    field: str
    code: str
    message: str


class ErrorBody(_Response):
    """Every error answer: a stable ``code`` to switch on, a localized ``message`` to show, and per-field problems."""

    code: str
    message: str
    fields: list[FieldError] = Field(default_factory=list)


class GatewayRejection(_Response):
    """What API Gateway's JWT authorizer answers (401) before the function runs: no or invalid token."""

    message: str


class SignUpResponse(_Response):
    status: Literal["CONFIRMATION_REQUIRED", "CONFIRMED"]


class AcceptedResponse(_Response):
    status: Literal["ACCEPTED"] = "ACCEPTED"
    message: str


class ConfirmedResponse(_Response):
    status: Literal["CONFIRMED"] = "CONFIRMED"


class PasswordResetResponse(_Response):
    status: Literal["PASSWORD_RESET"] = "PASSWORD_RESET"


class TokenSet(_Response):
    access_token: str
    id_token: str
    refresh_token: str | None = None
    expires_in: int
    token_type: str


class ChallengeInfo(_Response):
    name: str
    session: str
    username: str = Field(description="Send this back as `username` when answering (USER_ID_FOR_SRP).")


class AuthResponse(_Response):
    status: Literal["SIGNED_IN", "CHALLENGE"]
    username: str | None = Field(default=None, description="Internal username; send it with /auth/refresh.")
    tokens: TokenSet | None = None
    challenge: ChallengeInfo | None = None


class ProfileResponse(_Response):
    user_id: str
    email: str
    email_verified: bool
    name: str | None
    locale: str | None
    role: str
    created_at: str
    updated_at: str


class AdminUser(_Response):
    username: str
    status: str
    enabled: bool
    created_at: str | None
    updated_at: str | None
    email: str | None = None
    email_verified: bool | None = None
    name: str | None = None
    locale: str | None = None
    sub: str | None = None


class UserList(_Response):
    users: list[AdminUser]
    next_token: str | None = None
