"""Cognito PostConfirmation trigger: the user's profile, default group and permanent email claim.

Thin on purpose: the use case lives in :mod:`common.profiles.post_confirmation`. Settings and clients are built on
the first event the function handles, once per process (a refused event needs neither, and the contract tests
import every handler without its environment).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from common.aws import build_during_snapshot
from common.cognito_events import POST_CONFIRMATION_SOURCES
from common.observability import logger, metrics, tracer
from common.profiles.post_confirmation import PostConfirmationFunction
from common.startup import process_age_seconds
from common.trigger import CognitoEvent, cognito_trigger, event_language, remaining_millis

#: How long the init phase took: the process's age once this module (and so everything it needs) is imported.
INIT_SECONDS = process_age_seconds()


@cache
def services() -> PostConfirmationFunction:
    """The function's settings and wired use case, built once per process (tests replace or clear this)."""
    return PostConfirmationFunction.from_env(INIT_SECONDS)


build_during_snapshot(services)


@cognito_trigger("PostConfirmation", POST_CONFIRMATION_SOURCES)
def _handle(event: CognitoEvent, context: Any) -> CognitoEvent:
    services().handle(event, remaining_millis(context), event_language(event))
    return event


@logger.inject_lambda_context(correlation_id_path="userName")
@metrics.log_metrics(capture_cold_start_metric=True)
@tracer.capture_lambda_handler(capture_response=False)
def handler(event: CognitoEvent, context: Any) -> CognitoEvent:
    """Lambda entry point."""
    return _handle(event, context)
