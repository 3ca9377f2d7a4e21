"""The API function's settings, read once at cold start and validated with messages that name the variable.

Client secret delivery (see docs/api.md "Client secret"): by default the secret is not in the environment at all.
With ``USER_POOL_CLIENT_SECRET_SOURCE=cognito`` the function reads it on first use with
``DescribeUserPoolClient`` (one call per cold start, cached for the life of the process), so the only copy stays
in Cognito and a rotated secret is picked up by the next cold start. ``env`` (the secret in
``USER_POOL_CLIENT_SECRET``) exists for local development only; ``none`` is for a public client without a secret.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from common.config import Environment, environment
from common.errors import ConfigurationError

__all__ = ["ApiSettings", "SecretSource"]

_POOL_ID = re.compile(r"[\w-]+_[0-9a-zA-Z]+")
_CLIENT_ID = re.compile(r"[\w+]+")
_ORIGIN = re.compile(r"\*|https?://[A-Za-z0-9.\-]+(:\d{1,5})?")


class SecretSource(StrEnum):
    """Where the app client's secret comes from."""

    COGNITO = "cognito"
    ENV = "env"
    NONE = "none"


@dataclass(frozen=True)
class ApiSettings:
    """Everything the HTTP API needs to know about its environment."""

    user_pool_id: str
    client_id: str
    secret_source: SecretSource
    client_secret: str | None
    profile_table_name: str
    cors_allowed_origins: tuple[str, ...]
    max_body_bytes: int
    admin_role: str
    admin_group: str

    @classmethod
    def from_env(cls, env: Environment | None = None) -> ApiSettings:
        env = env or environment()
        pool_id = env.text("USER_POOL_ID")
        if not _POOL_ID.fullmatch(pool_id):
            raise ConfigurationError(f"environment variable USER_POOL_ID is not a user pool id: {pool_id!r}")
        client_id = env.text("USER_POOL_CLIENT_ID")
        if not _CLIENT_ID.fullmatch(client_id):
            raise ConfigurationError("environment variable USER_POOL_CLIENT_ID is not an app client id")
        raw_source = env.text("USER_POOL_CLIENT_SECRET_SOURCE", SecretSource.COGNITO.value).lower()
        try:
            source = SecretSource(raw_source)
        except ValueError:
            raise ConfigurationError(
                f"environment variable USER_POOL_CLIENT_SECRET_SOURCE must be cognito, env or none, not {raw_source!r}"
            ) from None
        secret = env.optional("USER_POOL_CLIENT_SECRET")
        if source is SecretSource.ENV and secret is None:
            raise ConfigurationError(
                "environment variable USER_POOL_CLIENT_SECRET is required when USER_POOL_CLIENT_SECRET_SOURCE=env"
            )
        if source is not SecretSource.ENV and secret is not None:
            raise ConfigurationError(
                "environment variable USER_POOL_CLIENT_SECRET is set but USER_POOL_CLIENT_SECRET_SOURCE is "
                f"{source.value}: remove the plaintext secret or set the source to env"
            )
        origins = env.items("CORS_ALLOWED_ORIGINS")
        for origin in origins:
            if not _ORIGIN.fullmatch(origin):
                raise ConfigurationError(
                    f"environment variable CORS_ALLOWED_ORIGINS has an invalid origin {origin!r} "
                    "(expected scheme://host[:port] without a path, or *)"
                )
        return cls(
            user_pool_id=pool_id,
            client_id=client_id,
            secret_source=source,
            client_secret=secret if source is SecretSource.ENV else None,
            profile_table_name=env.text("PROFILE_TABLE_NAME"),
            cors_allowed_origins=origins,
            max_body_bytes=env.integer("API_MAX_BODY_BYTES", 16 * 1024, minimum=1024, maximum=1024 * 1024),
            admin_role=env.text("ADMIN_ROLE", "admin"),
            admin_group=env.text("ADMIN_GROUP", "admin"),
        )
