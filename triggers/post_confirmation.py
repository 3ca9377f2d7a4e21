"""Cognito PostConfirmation trigger: creates the user's profile (issue 5 fills in the store)."""

from __future__ import annotations

from typing import Any

from common.cognito_events import POST_CONFIRMATION_SOURCES
from common.observability import logger, metrics
from common.trigger import CognitoEvent, cognito_trigger


@cognito_trigger("PostConfirmation", POST_CONFIRMATION_SOURCES)
def _handle(event: CognitoEvent, context: Any) -> CognitoEvent:
    return event


@logger.inject_lambda_context(correlation_id_path="userName")
@metrics.log_metrics(capture_cold_start_metric=True)
def handler(event: CognitoEvent, context: Any) -> CognitoEvent:
    """Lambda entry point."""
    return _handle(event, context)
