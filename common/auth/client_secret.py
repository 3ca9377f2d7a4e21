"""The app client's secret, resolved once per process (see ``settings`` for why it is not in the environment).

``source=cognito`` reads it with ``DescribeUserPoolClient`` on first use and keeps it for the life of the process:
one Cognito call per cold start, on the first request that needs it (``/me`` and admin routes never do). A failure
is not cached, so the next request tries again. A client without a secret (``ClientSecret`` absent) yields
``None``, and then no ``SecretHash`` is sent.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError

from common.auth.cognito_errors import Flow, auth_error
from common.auth.settings import ApiSettings, SecretSource
from common.errors import DependencyError

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient

__all__ = ["ClientSecret"]

_UNSET = object()


class ClientSecret:
    """Lazily resolved client secret (``None`` for a public client)."""

    def __init__(self, settings: ApiSettings, client: Callable[[], CognitoIdentityProviderClient]) -> None:
        self._settings = settings
        self._client = client
        self._value: object = _UNSET
        self._lock = threading.Lock()

    def get(self) -> str | None:
        """The secret, fetched on first call."""
        if self._value is _UNSET:
            with self._lock:
                if self._value is _UNSET:
                    self._value = self._resolve()
        return self._value  # type: ignore[return-value]

    def _resolve(self) -> str | None:
        settings = self._settings
        if settings.secret_source is SecretSource.NONE:
            return None
        if settings.secret_source is SecretSource.ENV:
            return settings.client_secret
        try:
            described = self._client().describe_user_pool_client(
                UserPoolId=settings.user_pool_id, ClientId=settings.client_id
            )
        except ClientError as exc:
            error = exc.response.get("Error", {})
            raise auth_error(str(error.get("Code", "")), "", Flow.CLIENT_CONFIG) from exc
        except BotoCoreError as exc:
            raise DependencyError(f"DescribeUserPoolClient failed: {type(exc).__name__}") from exc
        secret = described["UserPoolClient"].get("ClientSecret")
        return secret or None
