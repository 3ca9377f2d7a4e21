"""What every route module shares: error responses for the OpenAPI document and the request language."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler.api_gateway import BaseRouter

from api.http import request_language
from api.models import ErrorBody

__all__ = ["PROTECTED", "errors", "language"]

PROTECTED: list[dict[str, list[str]]] = [{"cognito": []}]

_DESCRIPTIONS = {
    400: "Invalid request (VALIDATION_FAILED with field errors, MALFORMED_JSON, INVALID_CODE, ...)",
    401: "Not authenticated, or wrong credentials",
    403: "Not allowed",
    404: "Not found",
    409: "Conflict",
    413: "Request body too large (PAYLOAD_TOO_LARGE)",
    415: "Request body is not JSON (UNSUPPORTED_MEDIA_TYPE)",
    429: "Rate limited",
    500: "Internal error",
    502: "Cognito could not deliver a code",
    503: "A dependency is unavailable",
}
_ALWAYS = (400, 413, 415, 429, 500, 503)


def errors(*statuses: int) -> dict[int, Any]:
    """OpenAPI ``responses`` entries (body :class:`ErrorBody`) for the statuses a route can answer besides 2xx."""
    return {
        status: {"description": _DESCRIPTIONS[status], "content": {"application/json": {"model": ErrorBody}}}
        for status in sorted({*_ALWAYS, *statuses})
    }


def language(router: BaseRouter) -> str:
    """The response language of the current request (``Accept-Language``)."""
    return request_language(router.current_event.raw_event)
