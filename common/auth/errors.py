"""The auth domain's error and the single map from its codes to HTTP statuses.

Every failure the API can answer with is an :class:`AuthError` carrying a stable, machine-readable ``code``. The
human text is looked up per request language from ``common/locales/<lang>/api.json`` (key ``api.error.<code>``),
except for trigger errors, whose text was already localized by the trigger and is passed through as
``message``. ``HTTP_STATUS`` is the only place that decides a status: routes never pick one.
"""

from __future__ import annotations

from common.errors import AppError

__all__ = ["HTTP_STATUS", "AuthError", "message_key", "status_for"]

HTTP_STATUS: dict[str, int] = {
    # Request shape (raised by the HTTP layer)
    "VALIDATION_FAILED": 400,
    "MALFORMED_JSON": 400,
    "PAYLOAD_TOO_LARGE": 413,
    "UNSUPPORTED_MEDIA_TYPE": 415,
    "ROUTE_NOT_FOUND": 404,
    # Caller identity
    "UNAUTHENTICATED": 401,
    "FORBIDDEN": 403,
    # Credentials, codes, sessions
    "INVALID_CREDENTIALS": 401,
    "SESSION_EXPIRED": 401,
    "INVALID_SESSION": 401,
    "INVALID_CODE": 400,
    "EXPIRED_CODE": 400,
    "INVALID_PASSWORD": 400,
    "PASSWORD_REUSED": 400,
    "INVALID_REQUEST": 400,
    "INVALID_TOKEN": 400,
    "MFA_NOT_AVAILABLE": 400,
    "USER_NOT_CONFIRMED": 403,
    "PASSWORD_RESET_REQUIRED": 403,
    # Resources (admin and profile routes)
    "USER_NOT_FOUND": 404,
    "GROUP_NOT_FOUND": 404,
    "PROFILE_NOT_FOUND": 404,
    "ACCOUNT_CONFLICT": 409,
    "SELF_LOCKOUT": 409,
    # Rate limits
    "TOO_MANY_REQUESTS": 429,
    "TOO_MANY_ATTEMPTS": 429,
    # A trigger refused the request with a message we could not parse
    "REQUEST_REJECTED": 400,
    # Our side or Cognito's
    "CODE_DELIVERY_FAILED": 502,
    "SERVICE_UNAVAILABLE": 503,
    "INTERNAL_ERROR": 500,
}

# Codes a trigger may send that are not in the table: they are policy refusals of the user's input.
_TRIGGER_DEFAULT_STATUS = 400


class AuthError(AppError):
    """An auth operation failed with a stable ``code``.

    ``message`` is set only when the text is already user-safe and localized (a trigger's
    :class:`common.errors.UserFacingError`, recovered with ``parse_trigger_error``); otherwise the HTTP layer
    looks the text up by code. ``field`` names the request field at fault, when there is one.
    """

    def __init__(self, code: str, *, message: str | None = None, field: str | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.message = message
        self.field = field


def status_for(code: str) -> int:
    """The HTTP status for ``code`` (a trigger's own codes are 400: they refuse the user's input)."""
    return HTTP_STATUS.get(code, _TRIGGER_DEFAULT_STATUS)


def message_key(code: str) -> str:
    """The catalog key of the generic text for ``code``."""
    return f"api.error.{code.lower()}"
