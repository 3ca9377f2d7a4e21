"""Public account routes under ``/auth``: each parses its body, makes one call into ``AccountService``, answers."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body

from api import dependencies
from api.models import (
    AcceptedResponse,
    AuthResponse,
    ChallengeBody,
    ChallengeInfo,
    ConfirmedResponse,
    ConfirmRequest,
    EmailRequest,
    NewPasswordChallengeRequest,
    PasswordResetResponse,
    RefreshRequest,
    ResetPasswordRequest,
    SignInRequest,
    SignOutRequest,
    SignUpRequest,
    SignUpResponse,
    TokenSet,
)
from api.routes.common import language, responses
from common.auth.account import ChallengeAnswer, SignInResult
from common.auth.model import Tokens
from common.i18n import translate

__all__ = ["router"]

router = Router()  # type: ignore[no-untyped-call]  # Powertools' Router.__init__ is unannotated
TAGS = ["auth"]


def _tokens(tokens: Tokens) -> TokenSet:
    return TokenSet(
        access_token=tokens.access_token,
        id_token=tokens.id_token,
        refresh_token=tokens.refresh_token,
        expires_in=tokens.expires_in,
        token_type=tokens.token_type,
    )


def _auth_response(result: SignInResult) -> AuthResponse:
    if result.challenge is not None:
        challenge = result.challenge
        return AuthResponse(
            status="CHALLENGE",
            challenge=ChallengeInfo(name=challenge.name, session=challenge.session, username=challenge.username),
        )
    assert result.tokens is not None
    return AuthResponse(status="SIGNED_IN", username=result.username, tokens=_tokens(result.tokens))


@router.post(
    "/auth/sign-up",
    status_code=202,
    tags=TAGS,
    summary="Register with email and password",
    description="Answers CONFIRMATION_REQUIRED for an address that is already registered too (no enumeration).",
    responses=responses(202, "Registered, or already registered", 502),
)
def sign_up(body: SignUpRequest) -> SignUpResponse:
    lang = language(router)
    attributes = {"locale": body.locale or lang}
    if body.name:
        attributes["name"] = body.name
    status = dependencies.account_service().sign_up(str(body.email), body.password, attributes, lang)
    return SignUpResponse(status=status.value)


@router.post(
    "/auth/confirm",
    tags=TAGS,
    summary="Confirm the email address with the code",
    responses=responses(200, "Confirmed", 409),
)
def confirm(body: ConfirmRequest) -> ConfirmedResponse:
    dependencies.account_service().confirm(str(body.email), body.code, language(router))
    return ConfirmedResponse()


@router.post(
    "/auth/resend-code",
    status_code=202,
    tags=TAGS,
    summary="Send a new confirmation code",
    description="Answers ACCEPTED whether or not the address is registered (no enumeration).",
    responses=responses(202, "Accepted", 502),
)
def resend_code(body: EmailRequest) -> AcceptedResponse:
    lang = language(router)
    dependencies.account_service().resend_code(str(body.email), lang)
    return AcceptedResponse(message=translate("api.accepted.resend_code", lang))


@router.post(
    "/auth/sign-in",
    tags=TAGS,
    summary="Sign in with email and password",
    description="Unknown email and wrong password both answer 401 INVALID_CREDENTIALS.",
    responses=responses(200, "Signed in, or a challenge to answer", 401, 403),
)
def sign_in(body: SignInRequest) -> AuthResponse:
    result = dependencies.account_service().sign_in(str(body.email), body.password, language(router))
    return _auth_response(result)


@router.post(
    "/auth/challenge",
    tags=TAGS,
    summary="Answer a sign-in challenge (NEW_PASSWORD_REQUIRED or SOFTWARE_TOKEN_MFA)",
    responses=responses(200, "Signed in, or the next challenge", 401, 403),
)
def challenge(body: Annotated[ChallengeBody, Body(discriminator="challenge")]) -> AuthResponse:
    answer = ChallengeAnswer(
        name=body.challenge,
        session=body.session,
        username=body.username,
        new_password=body.new_password if isinstance(body, NewPasswordChallengeRequest) else None,
        code=None if isinstance(body, NewPasswordChallengeRequest) else body.code,
    )
    return _auth_response(dependencies.account_service().answer_challenge(answer, language(router)))


@router.post(
    "/auth/refresh",
    tags=TAGS,
    summary="New access and ID tokens from a refresh token",
    description="Send the internal `username` returned at sign-in (or the last `id_token`): Cognito checks the "
    "SecretHash against the token's own user, not the email.",
    responses=responses(200, "New tokens", 401),
)
def refresh(body: RefreshRequest) -> AuthResponse:
    service = dependencies.account_service()
    return _auth_response(service.refresh(body.refresh_token, body.username, body.id_token, language(router)))


@router.post(
    "/auth/forgot-password",
    status_code=202,
    tags=TAGS,
    summary="Send a password-reset code",
    description="Answers ACCEPTED whether or not the address is registered (no enumeration).",
    responses=responses(202, "Accepted", 502),
)
def forgot_password(body: EmailRequest) -> AcceptedResponse:
    lang = language(router)
    dependencies.account_service().forgot_password(str(body.email), lang)
    return AcceptedResponse(message=translate("api.accepted.forgot_password", lang))


@router.post(
    "/auth/reset-password",
    tags=TAGS,
    summary="Set a new password with the emailed code",
    responses=responses(200, "Password changed"),
)
def reset_password(body: ResetPasswordRequest) -> PasswordResetResponse:
    dependencies.account_service().reset_password(str(body.email), body.code, body.password, language(router))
    return PasswordResetResponse()


@router.post(
    "/auth/sign-out",
    status_code=204,
    tags=TAGS,
    summary="Revoke the refresh token (and the tokens issued from it)",
    responses=responses(204, "Signed out"),
)
def sign_out(body: SignOutRequest) -> Response[None]:
    dependencies.account_service().sign_out(body.refresh_token)
    return Response(status_code=204)
