"""Cognito CustomMessage trigger: branded, localized emails and SMS for every message Cognito sends.

Thin on purpose: settings are read once at cold start, and ``common.messages`` does the work. It makes no AWS
call and imports no boto3, so its cold start stays close to bare Python (Cognito's 5-second budget includes it).
"""

from __future__ import annotations

from typing import Any

from common.cognito_events import CUSTOM_MESSAGE_SOURCES
from common.messages.cognito import customize_message
from common.messages.settings import MessageSettings
from common.observability import logger, metrics
from common.trigger import CognitoEvent, cognito_trigger

SETTINGS = MessageSettings.from_env()


@cognito_trigger("CustomMessage", CUSTOM_MESSAGE_SOURCES)
def _handle(event: CognitoEvent, context: Any) -> CognitoEvent:
    customize_message(event, SETTINGS)
    return event


@logger.inject_lambda_context(correlation_id_path="userName")
@metrics.log_metrics(capture_cold_start_metric=True)
def handler(event: CognitoEvent, context: Any) -> CognitoEvent:
    """Lambda entry point."""
    return _handle(event, context)
