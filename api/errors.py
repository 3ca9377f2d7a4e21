"""The exception handlers: the one place where failures become HTTP answers (no try/except in routes).

* :class:`AuthError` → its code's status and localized text (a trigger's own text passes through).
* Request validation → 400 ``VALIDATION_FAILED`` with one entry per field, or ``MALFORMED_JSON``.
* Unknown route → 404; unsupported media type → 415.
* :class:`DependencyError` (AWS unreachable) → 503; anything else → 500 ``INTERNAL_ERROR``, logged with its
  traceback, never its text.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)

from api.http import error_response, localized, request_language
from api.models import FieldError
from common.auth.errors import AuthError
from common.errors import DependencyError
from common.i18n import translate
from common.observability import logger

__all__ = ["field_errors", "register"]

# pydantic error type -> catalog key suffix (api.validation.<suffix>)
_VALIDATION_KEYS = {
    "missing": "missing",
    "extra_forbidden": "extra_forbidden",
    "string_too_short": "too_short",
    "too_short": "too_short",
    "string_too_long": "too_long",
    "too_long": "too_long",
    "string_pattern_mismatch": "pattern",
    "value_error": "invalid",
    "string_type": "type",
    "int_type": "type",
    "int_parsing": "type",
    "bool_type": "type",
    "model_attributes_type": "type",
    "model_type": "type",
    "dict_type": "type",
    "literal_error": "invalid",
    "union_tag_invalid": "invalid",
    "union_tag_not_found": "missing",
    "greater_than_equal": "range",
    "less_than_equal": "range",
    "greater_than": "range",
    "less_than": "range",
}
_SECTIONS = {"body", "query", "path", "header", "cookie"}
_DISCRIMINATORS = {"NEW_PASSWORD_REQUIRED", "SOFTWARE_TOKEN_MFA"}


def _field_name(loc: tuple[Any, ...]) -> str:
    """``("body", "SOFTWARE_TOKEN_MFA", "code")`` → ``"code"``; ``("body",)`` → ``"body"``."""
    parts = [str(p) for p in loc if str(p) not in _SECTIONS and str(p) not in _DISCRIMINATORS]
    return ".".join(parts) or (str(loc[0]) if loc else "body")


def field_errors(errors: list[dict[str, Any]], language: str) -> list[FieldError]:
    """One :class:`FieldError` per pydantic error, in a stable order, with localized text."""
    result: list[FieldError] = []
    for error in errors:
        kind = str(error.get("type", ""))
        field = _field_name(tuple(error.get("loc", ())))
        key = _VALIDATION_KEYS.get(kind, "invalid")
        if kind == "value_error" and field.endswith("email"):
            key = "email"
        result.append(FieldError(field=field, code=kind.upper(), message=translate(f"api.validation.{key}", language)))
    return sorted(result, key=lambda item: (item.field, item.code))


def register(app: APIGatewayHttpResolver) -> None:
    """Attach every handler to ``app``."""

    def language() -> str:
        return request_language(app.current_event.raw_event)

    def auth_error(error: AuthError) -> Response[str]:
        logger.info("request refused", extra={"code": error.code, "field": error.field})
        lang = language()
        message = error.message or localized(error.code, lang)
        fields = [FieldError(field=error.field, code=error.code, message=message)] if error.field else []
        return error_response(error.code, lang, message=message, fields=fields)

    def validation_error(error: RequestValidationError) -> Response[str]:
        errors = list(error.errors())
        if any(e.get("type") == "json_invalid" for e in errors):
            return error_response("MALFORMED_JSON", language())
        fields = field_errors(errors, language())
        logger.info("invalid request", extra={"fields": [f"{f.field}:{f.code}" for f in fields]})
        return error_response("VALIDATION_FAILED", language(), fields=fields)

    def unsupported_media_type(_: RequestUnsupportedContentType) -> Response[str]:
        return error_response("UNSUPPORTED_MEDIA_TYPE", language())

    def not_found(_: NotFoundError) -> Response[str]:
        return error_response("ROUTE_NOT_FOUND", language())

    def dependency_error(error: DependencyError) -> Response[str]:
        logger.warning("dependency failed", extra={"error": str(error)})
        return error_response("SERVICE_UNAVAILABLE", language())

    def unexpected(error: Exception) -> Response[str]:
        logger.exception("unhandled error", extra={"error_type": type(error).__name__})
        return error_response("INTERNAL_ERROR", language())

    app.exception_handler(AuthError)(auth_error)
    app.exception_handler(RequestValidationError)(validation_error)
    app.exception_handler(RequestUnsupportedContentType)(unsupported_media_type)
    app.not_found(not_found)
    app.exception_handler(DependencyError)(dependency_error)
    app.exception_handler(Exception)(unexpected)
