"""Cognito PreSignUp trigger: the sign-up policy gate (rules in ``common/signup``, docs/signup-policy.md).

Settings are read and validated once at import (a bad deploy fails at cold start); the DynamoDB and Cognito
clients are created on first use, so importing this module costs no botocore. Each invocation gets its share of
Cognito's 5 s (``invocation_budget``), which decides whether calls beyond the claim write may still start.

email-validator and idna are not in the Lambda runtime: they come from this function's own Lambda layer
(``emailValidation`` in serverless.yml, built by scripts/build-deps-layer), which Lambda puts on ``sys.path``.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import Any

from common.aws import build_during_snapshot
from common.cognito_events import PRE_SIGN_UP_SOURCES
from common.observability import logger, metrics
from common.signup.budget import UNBOUNDED, Budget
from common.signup.directory import CognitoDirectory
from common.signup.domains import disposable_domains
from common.signup.email_claims import DynamoDbEmailClaims
from common.signup.service import SignupDependencies, pre_sign_up
from common.signup.settings import SignupSettings
from common.startup import init_on_request_clock, process_age_seconds
from common.trigger import CognitoEvent, cognito_trigger, event_language, remaining_millis

SETTINGS = SignupSettings.from_env()

# Cognito's clock runs during an on-demand cold start's init (not during a SnapStart or provisioned one, and Lambda
# always names the kind): the first invocation's budget leaves that time out. Taken once, by the first invocation.
_init_on_request_clock = [(process_age_seconds() or 0.0) if init_on_request_clock() else 0.0]


def invocation_budget(context: Any) -> Budget:
    """This invocation's share of Cognito's 5 s (common/signup/budget.py)."""
    spent, _init_on_request_clock[0] = _init_on_request_clock[0], 0.0
    return Budget.for_invocation(remaining_millis(context), spent)


@cache
def dependencies() -> SignupDependencies:
    """The claims store and the user directory, built once per process."""
    return SignupDependencies(
        claims=DynamoDbEmailClaims(SETTINGS.require_claims_table()),
        directory=CognitoDirectory(),
    )


build_during_snapshot(dependencies, lambda: importlib.import_module("email_validator"), disposable_domains)


# The running invocation's budget (Lambda runs one invocation at a time per process).
_current_budget = [UNBOUNDED]


@cognito_trigger("PreSignUp", PRE_SIGN_UP_SOURCES)
def _handle(event: CognitoEvent, context: Any) -> CognitoEvent:
    pre_sign_up(event, event_language(event), SETTINGS, dependencies(), _current_budget[0])
    return event


@logger.inject_lambda_context(correlation_id_path="userName")
@metrics.log_metrics(capture_cold_start_metric=True)
def handler(event: CognitoEvent, context: Any) -> CognitoEvent:
    """Lambda entry point. The budget is taken first, so that the init time is charged to the first invocation even
    when the contract wrapper refuses its event."""
    _current_budget[0] = invocation_budget(context)
    return _handle(event, context)
