"""ApiSettings: defaults, every variable, and a clear error naming the variable for each bad value."""

from __future__ import annotations

import pytest

from common.auth.settings import ApiSettings, SecretSource
from common.config import Environment
from common.errors import ConfigurationError

BASE = {
    "USER_POOL_ID": "us-east-1_Example1",
    "USER_POOL_CLIENT_ID": "3n4b5urk1ft4fl3mg5e62d9ado",
    "PROFILE_TABLE_NAME": "cognito-users-dev-profiles",
}


def settings(**overrides: str) -> ApiSettings:
    return ApiSettings.from_env(Environment({**BASE, **overrides}))


def test_defaults() -> None:
    assert settings() == ApiSettings(
        user_pool_id="us-east-1_Example1",
        client_id="3n4b5urk1ft4fl3mg5e62d9ado",
        secret_source=SecretSource.COGNITO,
        client_secret=None,
        profile_table_name="cognito-users-dev-profiles",
        cors_allowed_origins=(),
        max_body_bytes=16384,
        admin_role="admin",
        admin_group="admin",
    )


def test_every_variable() -> None:
    assert settings(
        USER_POOL_CLIENT_SECRET_SOURCE="env",
        USER_POOL_CLIENT_SECRET="s3cret",
        CORS_ALLOWED_ORIGINS="https://app.example.com, http://localhost:5173",
        API_MAX_BODY_BYTES="4096",
        ADMIN_ROLE="superuser",
        ADMIN_GROUP="admins",
    ) == ApiSettings(
        user_pool_id="us-east-1_Example1",
        client_id="3n4b5urk1ft4fl3mg5e62d9ado",
        secret_source=SecretSource.ENV,
        client_secret="s3cret",
        profile_table_name="cognito-users-dev-profiles",
        cors_allowed_origins=("https://app.example.com", "http://localhost:5173"),
        max_body_bytes=4096,
        admin_role="superuser",
        admin_group="admins",
    )


def test_public_client() -> None:
    assert settings(USER_POOL_CLIENT_SECRET_SOURCE="NONE").secret_source is SecretSource.NONE


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"USER_POOL_ID": ""}, "environment variable USER_POOL_ID is required"),
        ({"USER_POOL_ID": "not-a-pool"}, "environment variable USER_POOL_ID is not a user pool id: 'not-a-pool'"),
        ({"USER_POOL_CLIENT_ID": "bad id!"}, "environment variable USER_POOL_CLIENT_ID is not an app client id"),
        ({"PROFILE_TABLE_NAME": ""}, "environment variable PROFILE_TABLE_NAME is required"),
        (
            {"USER_POOL_CLIENT_SECRET_SOURCE": "ssm"},
            "environment variable USER_POOL_CLIENT_SECRET_SOURCE must be cognito, env or none, not 'ssm'",
        ),
        (
            {"USER_POOL_CLIENT_SECRET_SOURCE": "env"},
            "environment variable USER_POOL_CLIENT_SECRET is required when USER_POOL_CLIENT_SECRET_SOURCE=env",
        ),
        (
            {"USER_POOL_CLIENT_SECRET": "leaked"},
            "environment variable USER_POOL_CLIENT_SECRET is set but USER_POOL_CLIENT_SECRET_SOURCE is cognito: "
            "remove the plaintext secret or set the source to env",
        ),
        (
            {"CORS_ALLOWED_ORIGINS": "https://app.example.com/path"},
            "environment variable CORS_ALLOWED_ORIGINS has an invalid origin 'https://app.example.com/path' "
            "(expected scheme://host[:port] without a path, or *)",
        ),
        ({"API_MAX_BODY_BYTES": "100"}, "environment variable API_MAX_BODY_BYTES must be within [1024, 1048576]"),
    ],
)
def test_invalid(overrides: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigurationError) as raised:
        settings(**overrides)
    assert str(raised.value) == message
