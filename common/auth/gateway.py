"""Every Cognito call the API makes, in one place.

Each method is one Cognito operation with the parameters built right (``SecretHash`` with the flow's username,
``ClientMetadata`` carrying the user's language to the triggers) and its result reduced to a plain value from
``common.auth.model``. Every ``ClientError`` becomes an :class:`AuthError` through ``cognito_errors`` (by error
code, per flow); network and SDK failures become :class:`DependencyError`. Nothing here decides policy: the
services do (for example, whether "user already exists" is shown to anyone).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError, ParamValidationError

from common.auth.client_secret import ClientSecret
from common.auth.cognito_errors import Flow, auth_error
from common.auth.errors import AuthError
from common.auth.model import Challenge, SignUpOutcome, Tokens, UserPage, UserSummary
from common.auth.secret_hash import secret_hash
from common.errors import DependencyError

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient
    from mypy_boto3_cognito_idp.type_defs import UserTypeTypeDef

__all__ = ["CognitoGateway"]


@contextlib.contextmanager
def _cognito(flow: Flow, operation: str) -> Iterator[None]:
    try:
        yield
    except ClientError as exc:
        error = exc.response.get("Error", {})
        raise auth_error(str(error.get("Code", "")), str(error.get("Message", "")), flow) from exc
    except ParamValidationError as exc:
        # Input our request models let through but Cognito's model refuses: the client's, not a dependency's.
        raise AuthError("INVALID_REQUEST") from exc
    except BotoCoreError as exc:
        raise DependencyError(f"{operation} failed: {type(exc).__name__}") from exc


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


class CognitoGateway:
    """Cognito user-pool operations for one pool and one app client."""

    def __init__(
        self,
        client: CognitoIdentityProviderClient,
        *,
        user_pool_id: str,
        client_id: str,
        secret: ClientSecret,
    ) -> None:
        self._client = client
        self._pool = user_pool_id
        self._client_id = client_id
        self._secret = secret

    def _secret_hash(self, username: str) -> dict[str, Any]:
        """``{"SecretHash": ...}`` for a confidential client, ``{}`` for a public one (typed loosely so it can be
        spread into any operation's keyword arguments)."""
        secret = self._secret.get()
        return {} if secret is None else {"SecretHash": secret_hash(username, self._client_id, secret)}

    def _auth_hash(self, username: str) -> dict[str, str]:
        secret = self._secret.get()
        return {} if secret is None else {"SECRET_HASH": secret_hash(username, self._client_id, secret)}

    # ------------------------------------------------------------------ public (app client) operations
    def sign_up(
        self, username: str, password: str, attributes: Mapping[str, str], metadata: Mapping[str, str]
    ) -> SignUpOutcome:
        with _cognito(Flow.SIGN_UP, "SignUp"):
            response = self._client.sign_up(
                ClientId=self._client_id,
                Username=username,
                Password=password,
                UserAttributes=[{"Name": name, "Value": value} for name, value in attributes.items()],
                ClientMetadata=dict(metadata),
                **self._secret_hash(username),
            )
        return SignUpOutcome(user_sub=response["UserSub"], confirmed=bool(response["UserConfirmed"]))

    def confirm_sign_up(self, username: str, code: str, metadata: Mapping[str, str]) -> None:
        with _cognito(Flow.CONFIRM, "ConfirmSignUp"):
            self._client.confirm_sign_up(
                ClientId=self._client_id,
                Username=username,
                ConfirmationCode=code,
                ClientMetadata=dict(metadata),
                **self._secret_hash(username),
            )

    def resend_confirmation_code(self, username: str, metadata: Mapping[str, str]) -> None:
        with _cognito(Flow.RESEND_CODE, "ResendConfirmationCode"):
            self._client.resend_confirmation_code(
                ClientId=self._client_id,
                Username=username,
                ClientMetadata=dict(metadata),
                **self._secret_hash(username),
            )

    def sign_in(self, username: str, password: str, metadata: Mapping[str, str]) -> Tokens | Challenge:
        with _cognito(Flow.SIGN_IN, "InitiateAuth"):
            response = self._client.initiate_auth(
                ClientId=self._client_id,
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": username, "PASSWORD": password, **self._auth_hash(username)},
                ClientMetadata=dict(metadata),
            )
        return _auth_result(response, username)

    def respond_to_challenge(
        self,
        name: str,
        session: str,
        username: str,
        answers: Mapping[str, str],
        metadata: Mapping[str, str],
    ) -> Tokens | Challenge:
        """``username`` is the challenge's ``USER_ID_FOR_SRP``; SecretHash is computed with it."""
        with _cognito(Flow.CHALLENGE, "RespondToAuthChallenge"):
            response = self._client.respond_to_auth_challenge(
                ClientId=self._client_id,
                ChallengeName=name,  # type: ignore[arg-type]
                Session=session,
                ChallengeResponses={"USERNAME": username, **answers, **self._auth_hash(username)},
                ClientMetadata=dict(metadata),
            )
        return _auth_result(response, username)

    def refresh(self, refresh_token: str, username: str, metadata: Mapping[str, str]) -> Tokens:
        """``username`` must be the internal username (``cognito:username``), not the email: SecretHash for
        REFRESH_TOKEN_AUTH is checked against the token's own user."""
        with _cognito(Flow.REFRESH, "InitiateAuth"):
            response = self._client.initiate_auth(
                ClientId=self._client_id,
                AuthFlow="REFRESH_TOKEN_AUTH",
                AuthParameters={"REFRESH_TOKEN": refresh_token, **self._auth_hash(username)},
                ClientMetadata=dict(metadata),
            )
        result = _auth_result(response, username)
        if not isinstance(result, Tokens):
            raise auth_error("NotAuthorizedException", "", Flow.REFRESH)
        return result

    def forgot_password(self, username: str, metadata: Mapping[str, str]) -> None:
        with _cognito(Flow.FORGOT_PASSWORD, "ForgotPassword"):
            self._client.forgot_password(
                ClientId=self._client_id,
                Username=username,
                ClientMetadata=dict(metadata),
                **self._secret_hash(username),
            )

    def confirm_forgot_password(self, username: str, code: str, password: str, metadata: Mapping[str, str]) -> None:
        with _cognito(Flow.RESET_PASSWORD, "ConfirmForgotPassword"):
            self._client.confirm_forgot_password(
                ClientId=self._client_id,
                Username=username,
                ConfirmationCode=code,
                Password=password,
                ClientMetadata=dict(metadata),
                **self._secret_hash(username),
            )

    def revoke_refresh_token(self, refresh_token: str) -> None:
        """RevokeToken takes the client secret itself (not a SecretHash) for a confidential client."""
        secret = self._secret.get()
        with _cognito(Flow.SIGN_OUT, "RevokeToken"):
            if secret is None:
                self._client.revoke_token(Token=refresh_token, ClientId=self._client_id)
            else:
                self._client.revoke_token(Token=refresh_token, ClientId=self._client_id, ClientSecret=secret)

    # ------------------------------------------------------------------ admin (IAM) operations
    def update_attributes(self, username: str, attributes: Mapping[str, str]) -> None:
        with _cognito(Flow.PROFILE, "AdminUpdateUserAttributes"):
            self._client.admin_update_user_attributes(
                UserPoolId=self._pool,
                Username=username,
                UserAttributes=[{"Name": name, "Value": value} for name, value in attributes.items()],
            )

    def list_users(self, limit: int, pagination_token: str | None) -> UserPage:
        with _cognito(Flow.ADMIN, "ListUsers"):
            if pagination_token:
                response = self._client.list_users(UserPoolId=self._pool, Limit=limit, PaginationToken=pagination_token)
            else:
                response = self._client.list_users(UserPoolId=self._pool, Limit=limit)
        users = tuple(_summary(user) for user in response.get("Users", []))
        return UserPage(users=users, next_token=response.get("PaginationToken") or None)

    def set_enabled(self, username: str, enabled: bool) -> None:
        with _cognito(Flow.ADMIN, "AdminEnableUser" if enabled else "AdminDisableUser"):
            if enabled:
                self._client.admin_enable_user(UserPoolId=self._pool, Username=username)
            else:
                self._client.admin_disable_user(UserPoolId=self._pool, Username=username)

    def add_to_group(self, username: str, group: str) -> None:
        with _cognito(Flow.ADMIN_GROUP, "AdminAddUserToGroup"):
            self._client.admin_add_user_to_group(UserPoolId=self._pool, Username=username, GroupName=group)

    def remove_from_group(self, username: str, group: str) -> None:
        with _cognito(Flow.ADMIN_GROUP, "AdminRemoveUserFromGroup"):
            self._client.admin_remove_user_from_group(UserPoolId=self._pool, Username=username, GroupName=group)


def _auth_result(response: Mapping[str, Any], username: str) -> Tokens | Challenge:
    result = response.get("AuthenticationResult")
    if result:
        return Tokens(
            access_token=result["AccessToken"],
            id_token=result["IdToken"],
            expires_in=int(result.get("ExpiresIn", 0)),
            token_type=result.get("TokenType", "Bearer"),
            refresh_token=result.get("RefreshToken") or None,
        )
    parameters = response.get("ChallengeParameters") or {}
    return Challenge(
        name=str(response.get("ChallengeName", "")),
        session=str(response.get("Session", "")),
        username=str(parameters.get("USER_ID_FOR_SRP") or username),
    )


_SHOWN_ATTRIBUTES = ("sub", "email", "email_verified", "name", "locale")


def _summary(user: UserTypeTypeDef) -> UserSummary:
    attributes = {a["Name"]: a.get("Value", "") for a in user.get("Attributes", [])}
    return UserSummary(
        username=user.get("Username", ""),
        status=str(user.get("UserStatus", "UNKNOWN")),
        enabled=bool(user.get("Enabled", False)),
        created_at=_iso(user.get("UserCreateDate")),
        updated_at=_iso(user.get("UserLastModifiedDate")),
        attributes={name: attributes[name] for name in _SHOWN_ATTRIBUTES if name in attributes},
    )
