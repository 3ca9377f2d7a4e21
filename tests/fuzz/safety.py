"""What "user-safe" means, as assertions shared by the fuzz, fault and attack suites.

Cognito copies a trigger's exception text to the client ("PreSignUp failed with error <text>.") and, in the
hosted UI, into a URL. So a refusal must be a :class:`UserFacingError` whose message is one of our own catalog
texts: no traceback, no exception class, no file path, no AWS error code, nothing an attacker could steer.
"""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from common.errors import UserFacingError

LOCALES = Path(__file__).resolve().parents[2] / "common" / "locales"

# Text that must never reach a user.
_LEAKS = [
    re.compile(r"Traceback|File \"|line \d+, in "),
    re.compile(r"\b[A-Z][A-Za-z0-9]*(?:Error|Exception|Exceeded|Fault)\b"),  # class names and AWS error codes
    re.compile(r"\b(?:botocore|boto3|dynamodb|DynamoDB|moto|jmespath|pydantic)\b"),
    re.compile(r"\.py\b|(?:/[\w.\-]+){2,}|[A-Za-z]:\\"),  # file paths
    re.compile(r"\b(?:ConditionalCheckFailed|ProvisionedThroughput|Throttl|ResourceNotFound|AccessDenied)"),
    re.compile(r"<[a-zA-Z/!]"),  # markup
    re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\u202a-\u202e\u2066-\u2069]"),  # control and bidi characters
]
# Placeholders the catalogs use: ``{name}`` (str.format).
_PLACEHOLDER = re.compile(r"\\\{[a-z_][a-z0-9_]*\\\}")


@cache
def catalog_patterns() -> tuple[re.Pattern[str], ...]:
    """Every catalog text of every language as a full-match pattern (placeholders match bounded safe text)."""
    patterns: set[str] = set()
    for path in sorted(LOCALES.glob("*/*.json")):
        for text in json.loads(path.read_text(encoding="utf-8")).values():
            patterns.add(_PLACEHOLDER.sub(lambda _: r"[^\n]{0,200}", re.escape(text)))
    return tuple(re.compile(p, re.DOTALL) for p in sorted(patterns))


def user_safe_problems(error: UserFacingError) -> list[str]:
    """Why ``error`` is not safe to show (empty: it is)."""
    problems: list[str] = []
    if not re.fullmatch(r"[A-Z][A-Z0-9_]{1,63}", error.code):
        problems.append(f"code {error.code!r} is not a stable machine code")
    message = error.message
    if str(error) != f"{message} [{error.code}]":
        problems.append("wire form is not '<message> [<code>]'")
    if not 0 < len(message) <= 300:
        problems.append(f"message length {len(message)} is not within (0, 300]")
    for leak in _LEAKS:
        found = leak.search(message)
        if found:
            problems.append(f"message leaks {found.group(0)!r}")
    if not any(p.fullmatch(message) for p in catalog_patterns()):
        problems.append(f"message {message!r} is not a catalog text")
    return problems


def assert_user_safe(error: UserFacingError) -> None:
    problems = user_safe_problems(error)
    assert not problems, f"unsafe user-facing error {str(error)[:300]!r}: {problems}"


def without_response(event: Any) -> Any:
    """A deep copy of everything Cognito will check we did not touch."""
    if not isinstance(event, dict):
        return copy.deepcopy(event)
    return {key: copy.deepcopy(value) for key, value in event.items() if key != "response"}


def assert_honours_contract(before: Any, event: Any, result: Any) -> None:
    """The handler returned the very event it got, changed only under ``response``, and JSON-serializable
    (Cognito parses the answer as JSON)."""
    assert result is event, "handler must return the event object it was given"
    assert without_response(event) == before, "handler changed the event outside 'response'"
    assert isinstance(event.get("response"), dict), "'response' must be an object"
    json.dumps(event["response"], allow_nan=False)
