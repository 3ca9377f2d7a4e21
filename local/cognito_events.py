"""Builders for the events Cognito sends its triggers, field for field (compare events/*.json)."""

from __future__ import annotations

from typing import Any

__all__ = ["ADMIN_CLIENT", "SDK_VERSION", "event", "event_attributes"]

ADMIN_CLIENT = "CLIENT_ID_NOT_APPLICABLE"  # callerContext.clientId for admin API calls
SDK_VERSION = "aws-sdk-unknown-unknown"


def event(
    *,
    version: str,
    source: str,
    region: str,
    pool_id: str,
    username: str,
    client_id: str,
    request: dict[str, Any],
    response: dict[str, Any],
) -> dict[str, Any]:
    """The common envelope."""
    return {
        "version": version,
        "triggerSource": source,
        "region": region,
        "userPoolId": pool_id,
        "userName": username,
        "callerContext": {"awsSdkVersion": SDK_VERSION, "clientId": client_id},
        "request": request,
        "response": response,
    }


def event_attributes(user: Any, *, alias_email: bool) -> dict[str, str]:
    """A moto user's attributes as Cognito puts them in ``request.userAttributes`` after sign-up.

    Adds ``cognito:user_status``, ``email_verified`` ("false" until verified) and, when ``alias_email`` (the
    PostConfirmation events, as in events/post-confirmation.*.json) and the email is verified,
    ``cognito:email_alias``.
    """
    attributes = {str(a["Name"]): str(a["Value"]) for a in user.attributes}
    if "email" in attributes:
        attributes.setdefault("email_verified", "false")
        if alias_email and attributes["email_verified"] == "true":
            attributes["cognito:email_alias"] = attributes["email"]
    attributes["cognito:user_status"] = str(getattr(user.status, "value", user.status))
    return attributes
