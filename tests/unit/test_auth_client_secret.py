"""Client secret delivery: read once from Cognito (DescribeUserPoolClient), from the environment, or none."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from common.auth.client_secret import ClientSecret
from common.auth.errors import AuthError
from common.auth.settings import ApiSettings, SecretSource

POOL = "us-east-1_Example1"
CLIENT_ID = "3n4b5urk1ft4fl3mg5e62d9ado"
SECRET = "1k2gl0f8kb2bnuo0r52qnkk1i1c5h1f2l8vkhs0bsj3l1e9o6hc8"


def settings(source: SecretSource, secret: str | None = None) -> ApiSettings:
    return ApiSettings(
        user_pool_id=POOL,
        client_id=CLIENT_ID,
        secret_source=source,
        client_secret=secret,
        profile_table_name="profiles",
        cors_allowed_origins=(),
        max_body_bytes=16384,
        admin_role="admin",
        admin_group="admin",
    )


def described(secret: str | None) -> dict[str, object]:
    client: dict[str, object] = {"UserPoolId": POOL, "ClientId": CLIENT_ID, "ClientName": "api"}
    if secret is not None:
        client["ClientSecret"] = secret
    return {"UserPoolClient": client}


def test_read_once_from_cognito() -> None:
    client = boto3.client("cognito-idp", region_name="us-east-1")
    calls = []
    secret = ClientSecret(settings(SecretSource.COGNITO), lambda: calls.append(1) or client)
    with Stubber(client) as stubber:
        stubber.add_response(
            "describe_user_pool_client",
            described(SECRET),
            {"UserPoolId": POOL, "ClientId": CLIENT_ID},
        )
        assert secret.get() == SECRET
        assert secret.get() == SECRET  # cached: the stub would fail on a second call
        stubber.assert_no_pending_responses()
    assert calls == [1]


def test_a_client_without_secret_means_no_secret_hash() -> None:
    client = boto3.client("cognito-idp", region_name="us-east-1")
    with Stubber(client) as stubber:
        stubber.add_response("describe_user_pool_client", described(None))
        assert ClientSecret(settings(SecretSource.COGNITO), lambda: client).get() is None


def test_a_failure_is_not_cached() -> None:
    client = boto3.client("cognito-idp", region_name="us-east-1")
    secret = ClientSecret(settings(SecretSource.COGNITO), lambda: client)
    with Stubber(client) as stubber:
        stubber.add_client_error("describe_user_pool_client", "TooManyRequestsException", "Rate exceeded")
        stubber.add_client_error("describe_user_pool_client", "ResourceNotFoundException", "No such client")
        stubber.add_response("describe_user_pool_client", described(SECRET))
        with pytest.raises(AuthError) as throttled:
            secret.get()
        with pytest.raises(AuthError) as missing:
            secret.get()
        assert (throttled.value.code, missing.value.code) == ("TOO_MANY_REQUESTS", "INTERNAL_ERROR")
        assert secret.get() == SECRET


def test_env_and_none_make_no_call() -> None:
    def no_client() -> None:
        raise AssertionError("no Cognito call expected")

    assert ClientSecret(settings(SecretSource.ENV, "local"), no_client).get() == "local"  # type: ignore[arg-type]
    assert ClientSecret(settings(SecretSource.NONE), no_client).get() is None  # type: ignore[arg-type]
