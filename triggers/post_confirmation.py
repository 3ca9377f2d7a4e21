"""Cognito PostConfirmation trigger: the user's profile, default group and permanent email claim.

Thin on purpose: the use case lives in :mod:`common.profiles.post_confirmation`. Settings and stores are built on
the first event the function handles, once per process (a refused event needs neither, and the contract tests
import every handler without its environment).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from common.cognito_events import POST_CONFIRMATION_SOURCES
from common.observability import logger, metrics, tracer
from common.profiles.onboarding import Onboarding
from common.profiles.post_confirmation import PostConfirmationSettings, budget_for, build_onboarding, handle
from common.trigger import CognitoEvent, cognito_trigger, event_language


@cache
def services() -> tuple[PostConfirmationSettings, Onboarding]:
    """The settings and the wired use case, built once per process (tests clear this cache)."""
    settings = PostConfirmationSettings.from_env()
    return settings, build_onboarding(settings)


@cognito_trigger("PostConfirmation", POST_CONFIRMATION_SOURCES)
def _handle(event: CognitoEvent, context: Any) -> CognitoEvent:
    settings, onboarding = services()
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    budget = budget_for(settings, remaining() if callable(remaining) else None)
    handle(event, onboarding, budget, event_language(event))
    return event


@logger.inject_lambda_context(correlation_id_path="userName")
@metrics.log_metrics(capture_cold_start_metric=True)
@tracer.capture_lambda_handler(capture_response=False)
def handler(event: CognitoEvent, context: Any) -> CognitoEvent:
    """Lambda entry point."""
    return _handle(event, context)
