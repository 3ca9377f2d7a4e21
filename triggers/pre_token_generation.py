"""Cognito PreTokenGeneration trigger: the ``role`` claim and scopes, from server-owned data only.

The rules live in ``common.claims`` (see docs/authorization.md); this module wires them once per process. The
DynamoDB profile store is built on first need: a sign-in whose groups decide the role never imports boto3.
"""

from __future__ import annotations

from typing import Any

from common.aws import build_during_snapshot, dynamodb_client
from common.claims import ClaimsIssuer, ClaimsSettings, GuardedProfileStore
from common.cognito_events import PRE_TOKEN_GENERATION_SOURCES
from common.observability import logger, metrics
from common.profiles.model import ProfileStore
from common.signup.email import canonical_email
from common.signup.settings import SignupSettings
from common.trigger import CognitoEvent, cognito_trigger

SETTINGS = ClaimsSettings.from_env()
_SIGNUP = SignupSettings.from_env()


def _profile_store() -> ProfileStore:
    """The DynamoDB store, with its client created here, outside the lookup deadline: importing boto3 and building
    a client takes hundreds of milliseconds on a cold start and must not be mistaken for a slow table."""
    from common.profiles.dynamodb import DynamoDbProfileStore  # noqa: PLC0415

    assert SETTINGS.profile_table_name is not None  # the guard below is only built when it is set
    return DynamoDbProfileStore(SETTINGS.profile_table_name, dynamodb_client())


ISSUER = ClaimsIssuer(
    SETTINGS,
    GuardedProfileStore(_profile_store, SETTINGS.profile_timeout_seconds) if SETTINGS.profile_table_name else None,
    canonical_email=lambda address: canonical_email(address, _SIGNUP),
)
if SETTINGS.profile_table_name:
    build_during_snapshot(dynamodb_client)


@cognito_trigger("PreTokenGeneration", PRE_TOKEN_GENERATION_SOURCES)
def _handle(event: CognitoEvent, context: Any) -> CognitoEvent:
    ISSUER.issue(event)
    return event


@logger.inject_lambda_context(correlation_id_path="userName")
@metrics.log_metrics(capture_cold_start_metric=True)
def handler(event: CognitoEvent, context: Any) -> CognitoEvent:
    """Lambda entry point."""
    return _handle(event, context)
