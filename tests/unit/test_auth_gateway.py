"""CognitoGateway: the exact parameters of every Cognito call (SecretHash with the right username per flow), result
shaping, and error translation. botocore's Stubber checks parameters against the service model; nothing leaves
the process."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore.exceptions import EndpointConnectionError
from botocore.stub import Stubber

from common.auth.client_secret import ClientSecret
from common.auth.errors import AuthError
from common.auth.gateway import CognitoGateway
from common.auth.model import Challenge, SignUpOutcome, Tokens, UserPage, UserSummary
from common.auth.settings import ApiSettings, SecretSource
from common.errors import DependencyError

POOL = "us-east-1_Example1"
CLIENT_ID = "3n4b5urk1ft4fl3mg5e62d9ado"
SECRET = "1k2gl0f8kb2bnuo0r52qnkk1i1c5h1f2l8vkhs0bsj3l1e9o6hc8"
EMAIL = "jane.doe@example.com"
SUB = "0b2f3c1e-7a4d-4e55-9c1b-2f8e6d4a1b90"
# Known answers (tests/unit/test_auth_secret_hash.py, computed with openssl)
HASH_EMAIL = "NiLbAPi97EnIsp69nj7LXgL7GVAJjhp4xdnRlh9rm9M="
HASH_SUB = "XwUvXytqz9cloK5oYS8HZw5t2yYqrWR+F6zCGKqjFHQ="
META = {"locale": "ko"}


def settings(source: SecretSource) -> ApiSettings:
    return ApiSettings(
        user_pool_id=POOL,
        client_id=CLIENT_ID,
        secret_source=source,
        client_secret=SECRET if source is SecretSource.ENV else None,
        profile_table_name="profiles",
        cors_allowed_origins=(),
        max_body_bytes=16384,
        admin_role="admin",
        admin_group="admin",
    )


@pytest.fixture
def stub() -> Iterator[tuple[CognitoGateway, Stubber]]:
    client = boto3.client("cognito-idp", region_name="us-east-1")
    secret = ClientSecret(settings(SecretSource.ENV), lambda: client)
    with Stubber(client) as stubber:
        yield CognitoGateway(client, user_pool_id=POOL, client_id=CLIENT_ID, secret=secret), stubber
        stubber.assert_no_pending_responses()


@pytest.fixture
def public() -> Iterator[tuple[CognitoGateway, Stubber]]:
    client = boto3.client("cognito-idp", region_name="us-east-1")
    secret = ClientSecret(settings(SecretSource.NONE), lambda: client)
    with Stubber(client) as stubber:
        yield CognitoGateway(client, user_pool_id=POOL, client_id=CLIENT_ID, secret=secret), stubber
        stubber.assert_no_pending_responses()


def auth_result(refresh: bool = True) -> dict[str, Any]:
    result = {"AccessToken": "access", "IdToken": "id", "ExpiresIn": 3600, "TokenType": "Bearer"}
    if refresh:
        result["RefreshToken"] = "refresh"
    return {"AuthenticationResult": result, "ChallengeParameters": {}}


def test_sign_up(stub: tuple[CognitoGateway, Stubber]) -> None:
    gateway, stubber = stub
    stubber.add_response(
        "sign_up",
        {"UserConfirmed": False, "UserSub": SUB},
        {
            "ClientId": CLIENT_ID,
            "Username": EMAIL,
            "Password": "Correct-Horse-9!",
            "UserAttributes": [{"Name": "email", "Value": EMAIL}, {"Name": "locale", "Value": "ko"}],
            "ClientMetadata": META,
            "SecretHash": HASH_EMAIL,
        },
    )
    outcome = gateway.sign_up(EMAIL, "Correct-Horse-9!", {"email": EMAIL, "locale": "ko"}, META)
    assert outcome == SignUpOutcome(user_sub=SUB, confirmed=False)


def test_public_client_sends_no_secret_hash(public: tuple[CognitoGateway, Stubber]) -> None:
    gateway, stubber = public
    stubber.add_response(
        "sign_up",
        {"UserConfirmed": True, "UserSub": SUB},
        {"ClientId": CLIENT_ID, "Username": EMAIL, "Password": "pw", "UserAttributes": [], "ClientMetadata": META},
    )
    stubber.add_response(
        "initiate_auth",
        auth_result(),
        {
            "ClientId": CLIENT_ID,
            "AuthFlow": "REFRESH_TOKEN_AUTH",
            "AuthParameters": {"REFRESH_TOKEN": "refresh"},
            "ClientMetadata": META,
        },
    )
    stubber.add_response("revoke_token", {}, {"Token": "refresh", "ClientId": CLIENT_ID})
    assert gateway.sign_up(EMAIL, "pw", {}, META) == SignUpOutcome(user_sub=SUB, confirmed=True)
    assert gateway.refresh("refresh", SUB, META).access_token == "access"
    gateway.revoke_refresh_token("refresh")


def test_confirm_resend_forgot_reset_use_the_email(stub: tuple[CognitoGateway, Stubber]) -> None:
    gateway, stubber = stub
    common = {"ClientId": CLIENT_ID, "Username": EMAIL, "ClientMetadata": META, "SecretHash": HASH_EMAIL}
    stubber.add_response("confirm_sign_up", {}, {**common, "ConfirmationCode": "123456"})
    stubber.add_response("resend_confirmation_code", {}, common)
    stubber.add_response("forgot_password", {}, common)
    stubber.add_response(
        "confirm_forgot_password", {}, {**common, "ConfirmationCode": "654321", "Password": "New-Horse-9!"}
    )
    gateway.confirm_sign_up(EMAIL, "123456", META)
    gateway.resend_confirmation_code(EMAIL, META)
    gateway.forgot_password(EMAIL, META)
    gateway.confirm_forgot_password(EMAIL, "654321", "New-Horse-9!", META)


def test_sign_in(stub: tuple[CognitoGateway, Stubber]) -> None:
    gateway, stubber = stub
    stubber.add_response(
        "initiate_auth",
        auth_result(),
        {
            "ClientId": CLIENT_ID,
            "AuthFlow": "USER_PASSWORD_AUTH",
            "AuthParameters": {"USERNAME": EMAIL, "PASSWORD": "pw", "SECRET_HASH": HASH_EMAIL},
            "ClientMetadata": META,
        },
    )
    assert gateway.sign_in(EMAIL, "pw", META) == Tokens(
        access_token="access", id_token="id", expires_in=3600, token_type="Bearer", refresh_token="refresh"
    )


def test_sign_in_challenge(stub: tuple[CognitoGateway, Stubber]) -> None:
    gateway, stubber = stub
    stubber.add_response(
        "initiate_auth",
        {
            "ChallengeName": "NEW_PASSWORD_REQUIRED",
            "Session": "s" * 40,
            "ChallengeParameters": {"USER_ID_FOR_SRP": SUB, "requiredAttributes": "[]"},
        },
    )
    assert gateway.sign_in(EMAIL, "pw", META) == Challenge(name="NEW_PASSWORD_REQUIRED", session="s" * 40, username=SUB)


def test_challenge_answer_hashes_user_id_for_srp(stub: tuple[CognitoGateway, Stubber]) -> None:
    gateway, stubber = stub
    stubber.add_response(
        "respond_to_auth_challenge",
        auth_result(),
        {
            "ClientId": CLIENT_ID,
            "ChallengeName": "SOFTWARE_TOKEN_MFA",
            "Session": "s" * 40,
            "ChallengeResponses": {"USERNAME": SUB, "SOFTWARE_TOKEN_MFA_CODE": "123456", "SECRET_HASH": HASH_SUB},
            "ClientMetadata": META,
        },
    )
    result = gateway.respond_to_challenge(
        "SOFTWARE_TOKEN_MFA", "s" * 40, SUB, {"SOFTWARE_TOKEN_MFA_CODE": "123456"}, META
    )
    assert isinstance(result, Tokens)


def test_refresh_hashes_the_internal_username(stub: tuple[CognitoGateway, Stubber]) -> None:
    gateway, stubber = stub
    stubber.add_response(
        "initiate_auth",
        auth_result(refresh=False),
        {
            "ClientId": CLIENT_ID,
            "AuthFlow": "REFRESH_TOKEN_AUTH",
            "AuthParameters": {"REFRESH_TOKEN": "refresh", "SECRET_HASH": HASH_SUB},
            "ClientMetadata": META,
        },
    )
    assert gateway.refresh("refresh", SUB, META) == Tokens(
        access_token="access", id_token="id", expires_in=3600, token_type="Bearer", refresh_token=None
    )


def test_refresh_that_returns_a_challenge_is_refused(stub: tuple[CognitoGateway, Stubber]) -> None:
    gateway, stubber = stub
    stubber.add_response("initiate_auth", {"ChallengeName": "SMS_MFA", "Session": "s" * 40})
    with pytest.raises(AuthError) as raised:
        gateway.refresh("refresh", SUB, META)
    assert raised.value.code == "SESSION_EXPIRED"


def test_revoke_sends_the_client_secret(stub: tuple[CognitoGateway, Stubber]) -> None:
    gateway, stubber = stub
    stubber.add_response("revoke_token", {}, {"Token": "refresh", "ClientId": CLIENT_ID, "ClientSecret": SECRET})
    gateway.revoke_refresh_token("refresh")


def test_admin_calls(stub: tuple[CognitoGateway, Stubber]) -> None:
    gateway, stubber = stub
    user = {"UserPoolId": POOL, "Username": SUB}
    stubber.add_response(
        "admin_update_user_attributes", {}, {**user, "UserAttributes": [{"Name": "name", "Value": "Jane"}]}
    )
    stubber.add_response("admin_disable_user", {}, user)
    stubber.add_response("admin_enable_user", {}, user)
    stubber.add_response("admin_add_user_to_group", {}, {**user, "GroupName": "admin"})
    stubber.add_response("admin_remove_user_from_group", {}, {**user, "GroupName": "admin"})
    gateway.update_attributes(SUB, {"name": "Jane"})
    gateway.set_enabled(SUB, False)
    gateway.set_enabled(SUB, True)
    gateway.add_to_group(SUB, "admin")
    gateway.remove_from_group(SUB, "admin")


def test_list_users(stub: tuple[CognitoGateway, Stubber]) -> None:
    gateway, stubber = stub
    created = datetime(2026, 11, 26, 8, 40, 17, tzinfo=UTC)
    stubber.add_response(
        "list_users",
        {
            "Users": [
                {
                    "Username": SUB,
                    "Attributes": [
                        {"Name": "sub", "Value": SUB},
                        {"Name": "email", "Value": EMAIL},
                        {"Name": "email_verified", "Value": "true"},
                        {"Name": "custom:ignored", "Value": "x"},
                    ],
                    "UserCreateDate": created,
                    "UserLastModifiedDate": created,
                    "Enabled": True,
                    "UserStatus": "CONFIRMED",
                }
            ],
            "PaginationToken": "next-page",
        },
        {"UserPoolId": POOL, "Limit": 10, "PaginationToken": "this-page"},
    )
    stubber.add_response("list_users", {"Users": []}, {"UserPoolId": POOL, "Limit": 60})
    assert gateway.list_users(10, "this-page") == UserPage(
        users=(
            UserSummary(
                username=SUB,
                status="CONFIRMED",
                enabled=True,
                created_at="2026-11-26T08:40:17Z",
                updated_at="2026-11-26T08:40:17Z",
                attributes={"sub": SUB, "email": EMAIL, "email_verified": "true"},
            ),
        ),
        next_token="next-page",
    )
    assert gateway.list_users(60, None) == UserPage(users=(), next_token=None)


def test_client_errors_are_translated_per_flow(stub: tuple[CognitoGateway, Stubber]) -> None:
    gateway, stubber = stub
    stubber.add_client_error("initiate_auth", "UserNotFoundException", "User does not exist.")
    stubber.add_client_error("admin_add_user_to_group", "ResourceNotFoundException", "Group not found.")
    with pytest.raises(AuthError) as sign_in:
        gateway.sign_in(EMAIL, "pw", META)
    with pytest.raises(AuthError) as group:
        gateway.add_to_group(SUB, "nope")
    assert (sign_in.value.code, group.value.code) == ("INVALID_CREDENTIALS", "GROUP_NOT_FOUND")


def test_network_failure_is_a_dependency_error() -> None:
    client = boto3.client("cognito-idp", region_name="us-east-1")
    gateway = CognitoGateway(
        client, user_pool_id=POOL, client_id=CLIENT_ID, secret=ClientSecret(settings(SecretSource.NONE), lambda: client)
    )

    def unreachable(**_: Any) -> Any:
        raise EndpointConnectionError(endpoint_url="https://cognito-idp.us-east-1.amazonaws.com/")

    client.admin_enable_user = unreachable  # type: ignore[method-assign]
    with pytest.raises(DependencyError) as raised:
        gateway.set_enabled(SUB, True)
    assert str(raised.value) == "AdminEnableUser failed: EndpointConnectionError"


def test_parameters_cognito_refuses_are_the_clients_error() -> None:
    """botocore validates parameters against Cognito's model before sending anything."""
    client = boto3.client("cognito-idp", region_name="us-east-1")
    secret = ClientSecret(settings(SecretSource.NONE), lambda: client)
    gateway = CognitoGateway(client, user_pool_id=POOL, client_id=CLIENT_ID, secret=secret)
    with pytest.raises(AuthError) as raised:
        gateway.respond_to_challenge("SOFTWARE_TOKEN_MFA", "too-short", SUB, {}, META)  # Session: 20 characters min
    assert raised.value.code == "INVALID_REQUEST"
