"""HTTP concerns shared by every route: security headers, CORS from the allow-list, the request-body guard, and
the one way an error becomes a response.

The body guard runs before Powertools sees the event because its validation middleware parses the body first:
without the guard a 6 MB body would be parsed before any size check, a deeply nested one would raise
``RecursionError`` (a 500), and a base64 body that is not UTF-8 would raise ``UnicodeDecodeError`` (another 500).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Mapping
from typing import Any

from aws_lambda_powertools.event_handler import CORSConfig, Response, content_types

from api.models import ErrorBody, FieldError
from common.auth.errors import message_key, status_for
from common.auth.language import language_from_header
from common.auth.settings import ApiSettings
from common.i18n import translate

__all__ = [
    "SECURITY_HEADERS",
    "cors_config",
    "error_response",
    "guard_body",
    "header",
    "localized",
    "request_language",
    "with_security_headers",
]

# JSON only, never cached, never framed, never sniffed into HTML; HTTPS pinned for two years.
SECURITY_HEADERS: dict[str, str] = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    "Referrer-Policy": "no-referrer",
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}

_ALLOWED_HEADERS = ["Accept-Language"]


def cors_config(settings: ApiSettings) -> CORSConfig | None:
    """CORS for exactly the configured origins; none configured means no CORS headers at all."""
    if not settings.cors_allowed_origins:
        return None
    first, *rest = settings.cors_allowed_origins
    return CORSConfig(allow_origin=first, extra_origins=rest, allow_headers=_ALLOWED_HEADERS, max_age=600)


def header(event: Mapping[str, Any], name: str) -> str | None:
    """A request header, case-insensitively (HTTP API lower-cases them; other callers may not)."""
    headers = event.get("headers")
    if not isinstance(headers, Mapping):
        return None
    wanted = name.lower()
    for key, value in headers.items():
        if isinstance(key, str) and key.lower() == wanted and isinstance(value, str):
            return value
    return None


def localized(code: str, language: str) -> str:
    """The generic text for an error code (a trigger's unknown code falls back to "request refused")."""
    try:
        return translate(message_key(code), language)
    except KeyError:
        return translate(message_key("REQUEST_REJECTED"), language)


def error_response(
    code: str, language: str, *, message: str | None = None, fields: Iterable[FieldError] = ()
) -> Response[str]:
    """The response for ``code``: status from ``common.auth.errors``, body :class:`ErrorBody`."""
    body = ErrorBody(code=code, message=message or localized(code, language), fields=list(fields))
    return Response(
        status_code=status_for(code),
        content_type=content_types.APPLICATION_JSON,
        body=body.model_dump_json(),
    )


class _RefusedError(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _body_text(event: Mapping[str, Any], body: object, max_bytes: int) -> str:
    """The body as checked JSON text, or :class:`_RefusedError` with the error code."""
    if not isinstance(body, str):
        raise _RefusedError("MALFORMED_JSON")
    encoded = bool(event.get("isBase64Encoded"))
    if not encoded and len(body) > max_bytes:  # characters >= bytes / 4: cheap early exit for huge bodies
        raise _RefusedError("PAYLOAD_TOO_LARGE")
    try:
        if encoded:
            raw = base64.b64decode(body.encode("ascii"), validate=True)
        else:
            raw = body.encode("utf-8", "surrogatepass")
    except (binascii.Error, UnicodeError, ValueError):
        raise _RefusedError("MALFORMED_JSON") from None
    if len(raw) > max_bytes:
        raise _RefusedError("PAYLOAD_TOO_LARGE")
    media_type = (header(event, "content-type") or "application/json").split(";", 1)[0].strip().lower()
    if media_type != "application/json":
        raise _RefusedError("UNSUPPORTED_MEDIA_TYPE")
    try:
        text = raw.decode("utf-8")
        json.loads(text)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _RefusedError("MALFORMED_JSON") from None
    return text


def guard_body(event: dict[str, Any], max_bytes: int) -> tuple[dict[str, Any], str | None]:
    """Check the raw body before routing: ``(event, None)`` when fine (a base64 body comes back decoded), or
    ``(event, error code)`` for a body that is too large, not JSON, or of another media type."""
    body = event.get("body")
    if body is None or body == "":
        return event, None
    try:
        text = _body_text(event, body, max_bytes)
    except _RefusedError as refused:
        return event, refused.code
    if event.get("isBase64Encoded"):
        event = {**event, "body": text, "isBase64Encoded": False}
    return event, None


def with_security_headers(result: dict[str, Any]) -> dict[str, Any]:
    """Add the security headers to a Lambda proxy result (every response, errors and preflights included)."""
    headers = result.setdefault("headers", {})
    headers.update(SECURITY_HEADERS)
    return result


def request_language(event: Mapping[str, Any]) -> str:
    """The response language for a raw event."""
    return language_from_header(header(event, "accept-language"))
