"""What every route module shares: error responses for the OpenAPI document and the request language."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler.api_gateway import BaseRouter

from api.http import request_language
from api.models import ErrorBody, GatewayRejection

__all__ = ["PROTECTED", "language", "responses"]

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


def responses(success: int, description: str, *statuses: int, protected: bool = False) -> dict[int, Any]:
    """OpenAPI ``responses``: the success answer (its body is the route's return type; none for 204) and the
    error answers (body :class:`ErrorBody`) for ``statuses`` plus those every route can give. On a ``protected``
    route a 401 may also come from API Gateway's JWT authorizer, with its own body (:class:`GatewayRejection`)."""
    documented: dict[int, Any] = {success: {"description": description}}
    if success == 204:
        documented[success]["content"] = {}
    for status in sorted({*_ALWAYS, *statuses}):
        model: Any = ErrorBody | GatewayRejection if protected and status == 401 else ErrorBody
        documented[status] = {"description": _DESCRIPTIONS[status], "content": {"application/json": {"model": model}}}
    return documented


def language(router: BaseRouter) -> str:
    """The response language of the current request (``Accept-Language``)."""
    return request_language(router.current_event.raw_event)
