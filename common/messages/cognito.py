"""The CustomMessage trigger's work: read the event, render the message, set the three response fields.

Fail-safe by design: if anything goes wrong (a broken template, an event without ``codeParameter``), the response
is left untouched, so Cognito sends its own default message, and the failure is logged and counted
(``CustomMessageFallback`` metric) for someone to fix. A user's sign-up never fails because of a message.

The event is read with plain dictionary access instead of Powertools' event data classes: importing those loads
every event class of Powertools (~20 ms of cold start) for three fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from common.i18n import DEFAULT_LANGUAGE
from common.messages.catalog import message_languages
from common.messages.errors import MessageError
from common.messages.render import MessageContext, RenderedMessage, render_message
from common.messages.settings import MessageSettings
from common.observability import logger, metrics
from common.trigger import event_language

__all__ = ["FALLBACK_METRIC", "context_from_event", "customize_message", "message_language"]

FALLBACK_METRIC = "CustomMessageFallback"
_NAME_ATTRIBUTES = ("name", "given_name", "preferred_username")


def message_language(event: Mapping[str, Any]) -> str:
    """The event's language (``clientMetadata.locale``, then the ``locale`` attribute) when it ships message
    templates, else English."""
    language = event_language(event)
    return language if language in message_languages() else DEFAULT_LANGUAGE


def context_from_event(event: Mapping[str, Any], language: str) -> MessageContext:
    """The parts of a CustomMessage event a message needs (raises :class:`MessageError` on a malformed one)."""
    request = event.get("request")
    if not isinstance(request, Mapping):
        raise MessageError("the event has no request object")
    code_parameter = request.get("codeParameter")
    if not isinstance(code_parameter, str) or not code_parameter:
        raise MessageError("the event has no codeParameter")
    username_parameter = request.get("usernameParameter")
    attributes = request.get("userAttributes")
    attributes = attributes if isinstance(attributes, Mapping) else {}
    display_name = next(
        (value for key in _NAME_ATTRIBUTES if isinstance(value := attributes.get(key), str) and value.strip()),
        None,
    )
    user_name = event.get("userName")
    return MessageContext(
        source=str(event.get("triggerSource")),
        language=language,
        code_parameter=code_parameter,
        username_parameter=username_parameter if isinstance(username_parameter, str) else None,
        user_name=user_name if isinstance(user_name, str) else "",
        display_name=display_name,
    )


def customize_message(event: dict[str, Any], settings: MessageSettings) -> RenderedMessage | None:
    """Set ``response.emailSubject``, ``emailMessage`` and ``smsMessage`` of ``event`` in place.

    Returns the message, or ``None`` when it left the response untouched for Cognito's default.
    """
    source = str(event.get("triggerSource"))[:64]
    language = message_language(event)
    log_fields = {"trigger_source": source, "language": language}
    try:
        message = render_message(context_from_event(event, language), settings)
    except Exception:  # any failure at all: a message must never fail the user's sign-up, sign-in or reset
        logger.exception("custom message not rendered; Cognito sends its default", extra=log_fields)
        metrics.add_metric(name=FALLBACK_METRIC, unit="Count", value=1)
        return None
    response = event["response"]
    response["emailSubject"] = message.email_subject
    response["emailMessage"] = message.email_message
    response["smsMessage"] = message.sms_message
    logger.debug("custom message rendered", extra=log_fields)  # debug: a log line costs ~0.2 ms per message
    return message
