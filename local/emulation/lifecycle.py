"""PreSignUp and PostConfirmation around moto's user records."""

from __future__ import annotations

from typing import Any

from local.cognito_events import event, event_attributes
from local.emulation.context import Emulation

__all__ = ["mark_confirmed", "post_confirmation", "pre_sign_up"]


def _as_map(items: Any) -> dict[str, str] | None:
    if not isinstance(items, list):
        return None
    return {str(i.get("Name")): str(i.get("Value")) for i in items if isinstance(i, dict)}


def pre_sign_up(
    em: Emulation,
    pool: Any,
    *,
    source: str,
    username: str,
    client_id: str,
    attributes: dict[str, str],
    validation_data: Any,
    client_metadata: dict[str, Any] | None,
) -> dict[str, Any]:
    """Run PreSignUp (when configured) and return its response (all False when there is no trigger)."""
    response: dict[str, Any] = {"autoConfirmUser": False, "autoVerifyEmail": False, "autoVerifyPhone": False}
    if not em.triggers.configured("PreSignUp"):
        return response
    request: dict[str, Any] = {"userAttributes": dict(attributes), "validationData": _as_map(validation_data)}
    if client_metadata is not None:
        request["clientMetadata"] = client_metadata
    result = em.triggers.invoke(
        "PreSignUp",
        event(
            version="1",
            source=source,
            region=em.stack.region,
            pool_id=pool.id,
            username=username,
            client_id=client_id,
            request=request,
            response=response,
        ),
    )
    returned: dict[str, Any] = result["response"]
    return returned


def mark_confirmed(em: Emulation, pool: Any, user: Any, *, verify_email: bool) -> None:
    """Set the user CONFIRMED (and the email verified, when the code went to it)."""
    from moto.cognitoidp.models import UserStatus  # noqa: PLC0415

    user.status = UserStatus.CONFIRMED
    if verify_email and "email" in user.attribute_lookup:
        user.update_attributes([{"Name": "email_verified", "Value": "true"}])


def post_confirmation(
    em: Emulation, pool: Any, user: Any, *, source: str, client_id: str, client_metadata: dict[str, Any] | None
) -> None:
    """Run PostConfirmation. The user is already confirmed: a failure reaches the client but undoes nothing."""
    if not em.triggers.configured("PostConfirmation"):
        return
    request: dict[str, Any] = {"userAttributes": event_attributes(user, alias_email=em.email_is_alias(pool))}
    if client_metadata is not None:
        request["clientMetadata"] = client_metadata
    em.triggers.invoke(
        "PostConfirmation",
        event(
            version="1",
            source=source,
            region=em.stack.region,
            pool_id=pool.id,
            username=user.username,
            client_id=client_id,
            request=request,
            response={},
        ),
    )
