"""Cognito CustomMessage trigger: renders emails and SMS (issue 7 fills in the templates)."""

from __future__ import annotations

from typing import Any

from common.cognito_events import CUSTOM_MESSAGE_SOURCES
from common.observability import logger, metrics
from common.trigger import CognitoEvent, cognito_trigger


@cognito_trigger("CustomMessage", CUSTOM_MESSAGE_SOURCES)
def _handle(event: CognitoEvent, context: Any) -> CognitoEvent:
    return event


@logger.inject_lambda_context(correlation_id_path="userName")
@metrics.log_metrics(capture_cold_start_metric=True)
def handler(event: CognitoEvent, context: Any) -> CognitoEvent:
    """Lambda entry point."""
    return _handle(event, context)
