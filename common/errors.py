"""One error hierarchy for the whole suite.

Only :class:`UserFacingError` text ever reaches a user. Everything else is logged and replaced by a generic,
localized message, because Cognito copies an exception's text verbatim into the client's error response
("PreSignUp failed with error <text>.") and into the hosted UI's callback URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "AppError",
    "ConfigurationError",
    "DependencyError",
    "ParsedTriggerError",
    "UserFacingError",
    "parse_trigger_error",
]


class AppError(Exception):
    """Base class of every error this project raises on purpose."""


class ConfigurationError(AppError):
    """Settings are missing or invalid. Raised at start-up so a bad deploy fails loudly, never a user request."""


class DependencyError(AppError):
    """An AWS call (or another dependency) failed. The message is for logs; users get a generic message."""


class UserFacingError(AppError):
    """An error whose message is safe to show to the end user.

    ``code`` is stable and machine-readable (clients switch on it); ``message`` is localized human text.
    ``str(error)`` is the wire form that Cognito passes to clients: ``"<message> [<code>]"``, so the API can
    recover the code from Cognito's ``UserLambdaValidationException`` without matching human text.
    """

    def __init__(self, code: str, message: str) -> None:
        if not _CODE.fullmatch(code):
            raise ValueError(f"error code must match {_CODE.pattern}: {code!r}")
        super().__init__(f"{message} [{code}]")
        self.code = code
        self.message = message


_CODE = re.compile(r"[A-Z][A-Z0-9_]{1,63}")
_WIRE = re.compile(
    r"^(?:(?P<trigger>[A-Za-z]+) failed with error )?(?P<message>.*?) \[(?P<code>[A-Z][A-Z0-9_]{1,63})\]\.?$",
    re.DOTALL,
)


@dataclass(frozen=True)
class ParsedTriggerError:
    """A trigger error as a client of Cognito sees it, split back into its parts."""

    trigger: str | None
    code: str
    message: str


def parse_trigger_error(text: str) -> ParsedTriggerError | None:
    """Split Cognito's ``"<Trigger> failed with error <message> [<CODE>]."`` back into its parts.

    Returns ``None`` for text that did not come from a :class:`UserFacingError` (it must then be treated as an
    internal failure and never shown).
    """
    match = _WIRE.match(text.strip())
    if match is None:
        return None
    return ParsedTriggerError(trigger=match["trigger"], code=match["code"], message=match["message"])
