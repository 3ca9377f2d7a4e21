"""The safety wrapper every Cognito trigger handler runs inside.

It enforces the invocation contract from ``shared/docs/cognito-facts.md``:

* only the trigger's own sources are accepted (fail closed on anything else);
* the handler must hand back the very event it was given (Cognito rejects anything else as
  "Unrecognizable lambda output");
* only :class:`UserFacingError` text may leave the function: any other exception is logged with its
  traceback and replaced by a generic, localized message, because Cognito shows the text to the user.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

from common.errors import UserFacingError
from common.i18n import negotiate_language, translate
from common.observability import logger, metrics
from common.startup_gc import resume_after_first_invocation

__all__ = ["CognitoEvent", "TriggerHandler", "cognito_trigger", "event_language", "remaining_millis"]

CognitoEvent = dict[str, Any]
TriggerHandler = Callable[[CognitoEvent, Any], CognitoEvent]


def event_language(event: Mapping[str, Any]) -> str:
    """The user's language: ``clientMetadata.locale`` first (the front end knows best), then the ``locale``
    attribute, then English."""
    request = event.get("request")
    if not isinstance(request, Mapping):
        return negotiate_language()
    metadata = request.get("clientMetadata")
    attributes = request.get("userAttributes")
    return negotiate_language(
        metadata.get("locale") if isinstance(metadata, Mapping) else None,
        attributes.get("locale") if isinstance(attributes, Mapping) else None,
    )


def remaining_millis(context: Any) -> int | None:
    """What Lambda says is left of the function's timeout, or ``None`` for a context that cannot tell."""
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    return remaining() if callable(remaining) else None


def cognito_trigger(trigger: str, sources: frozenset[str]) -> Callable[[TriggerHandler], TriggerHandler]:
    """Wrap a trigger handler so that it honours Cognito's contract (see the module docstring)."""

    def decorate(handle: TriggerHandler) -> TriggerHandler:
        @functools.wraps(handle)
        def wrapper(event: CognitoEvent, context: Any) -> CognitoEvent:
            try:
                return honour_contract(event, context)
            finally:
                resume_after_first_invocation()  # a cold start's paused collector, see common/startup_gc.py

        def language_of(event: Any) -> str:  # only an error needs it: not worked out on the way in
            return event_language(event) if isinstance(event, Mapping) else "en"

        def honour_contract(event: CognitoEvent, context: Any) -> CognitoEvent:
            source = event.get("triggerSource") if isinstance(event, Mapping) else None
            if not isinstance(source, str) or source not in sources or not isinstance(event.get("request"), Mapping):
                logger.warning("refused event", extra={"trigger": trigger, "trigger_source": str(source)[:64]})
                metrics.add_metric(name="RefusedEvent", unit="Count", value=1)
                raise UserFacingError("UNSUPPORTED_REQUEST", translate("error.unsupported_request", language_of(event)))
            if not isinstance(event.get("response"), dict):
                event["response"] = {}
            try:
                result = handle(event, context)
                if result is not event:
                    raise TypeError(f"{trigger} handler must return the event it was given")
            except UserFacingError:
                raise
            except Exception:
                logger.exception("trigger failed", extra={"trigger": trigger, "trigger_source": source})
                metrics.add_metric(name="TriggerFailure", unit="Count", value=1)
                raise UserFacingError("INTERNAL_ERROR", translate("error.internal", language_of(event))) from None
            return result

        return wrapper

    return decorate
