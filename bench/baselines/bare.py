"""The floor for a function that makes no AWS call (custom message): bare Python, no boto3, no Powertools."""

from __future__ import annotations

from typing import Any


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Return the event unchanged, as a trigger that has nothing to do would."""
    return event
