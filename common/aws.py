"""AWS clients, created once per process with timeouts that fit Cognito's 5-second trigger budget.

Clients come from botocore directly, not through boto3: boto3 adds its resource layer, collections and S3
transfer hooks, none of which a low-level client uses, for ~20 ms of CPU at cold start (``python -m
bench.imports``). The clients are the same ``BaseClient`` objects boto3 would return. botocore is imported lazily:
the custom-message function never needs it, and the others pay its import cost once at cold start. Endpoints
follow the SDK's ``AWS_ENDPOINT_URL`` / ``AWS_ENDPOINT_URL_<SERVICE>`` variables, so the same code talks to AWS in
Lambda and to the embedded local stack in development and tests.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from common.config import environment

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient
    from mypy_boto3_dynamodb import DynamoDBClient

__all__ = [
    "AwsTimeouts",
    "aws_error_code",
    "build_during_snapshot",
    "cognito_client",
    "dynamodb_client",
    "reset_clients",
]


class AwsTimeouts:
    """Timeouts and retries for calls made inside a trigger.

    Two attempts of at most ``connect + read`` seconds each, plus backoff, stay well under the 5 s Cognito
    allows for the whole invocation (cold start included), leaving time to log and answer.
    """

    connect_seconds = 0.5
    read_seconds = 1.5
    max_attempts = 2


# One session for every client: a second client from the same session reuses its loaded endpoint, partition and
# retry data (bench: ~45 ms less CPU for the two clients post-confirmation builds). Sessions are not thread-safe,
# so clients are created under a lock.
_CLIENT_LOCK = threading.Lock()


@cache
def _session() -> Any:
    import botocore.session  # noqa: PLC0415  (lazy: see module docstring)

    return botocore.session.Session()


def _client(service: str) -> Any:
    from botocore.config import Config  # noqa: PLC0415  (lazy: see module docstring)

    config = Config(
        connect_timeout=AwsTimeouts.connect_seconds,
        read_timeout=AwsTimeouts.read_seconds,
        # total_max_attempts counts the first try; botocore's "max_attempts" counts retries only (2 would mean 3).
        retries={"total_max_attempts": AwsTimeouts.max_attempts, "mode": "standard"},
        tcp_keepalive=True,
    )
    with _CLIENT_LOCK:
        return _session().create_client(service, config=config)


def aws_error_code(exc: Exception) -> str | None:
    """The AWS error code a botocore ``ClientError`` carries (``ConditionalCheckFailedException``...), read without
    importing botocore, else ``None`` (a timeout, a connection error, a bug)."""
    response = getattr(exc, "response", None)
    return response.get("Error", {}).get("Code") if isinstance(response, dict) else None


@cache
def cognito_client() -> CognitoIdentityProviderClient:
    """The process-wide Cognito Identity Provider client."""
    client: CognitoIdentityProviderClient = _client("cognito-idp")
    return client


@cache
def dynamodb_client() -> DynamoDBClient:
    """The process-wide DynamoDB client (low-level: no resource layer, which costs cold-start time)."""
    client: DynamoDBClient = _client("dynamodb")
    return client


def reset_clients() -> None:
    """Forget cached clients (tests that change endpoints or credentials call this)."""
    cognito_client.cache_clear()
    dynamodb_client.cache_clear()
    _session.cache_clear()


def build_during_snapshot(*builders: Callable[[], object], values: dict[str, str] | None = None) -> bool:
    """Run ``builders`` now when this is a Lambda SnapStart init, so the snapshot already holds botocore, its clients
    and any lazily imported library; on an on-demand start do nothing and keep them lazy (a path that never calls
    AWS then never pays for botocore). Lambda sets ``AWS_LAMBDA_INITIALIZATION_TYPE=snap-start`` while it builds the
    snapshot. Creating a client opens no connection, so nothing stale is restored. Returns whether it built."""
    if environment(values).text("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand") != "snap-start":
        return False
    for build in builders:
        build()
    return True
