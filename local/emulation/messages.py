"""Code delivery: the CustomMessage trigger, Cognito's fallbacks and limits, and the local outbox."""

from __future__ import annotations

from typing import Any

from local.cognito_events import event, event_attributes
from local.emulation.context import Emulation, mask_destination

__all__ = ["deliver_code"]

CODE = "{####}"
USERNAME = "{username}"
LINK = "{##Click Here##}"
MAX_EMAIL = 20_000
MAX_SUBJECT = 140
DEFAULT_INVITE_MESSAGE = "Your username is {username} and temporary password is {####}. "
DEFAULT_INVITE_SUBJECT = "Your temporary password"


def _defaults(pool: Any, source: str) -> tuple[str, str]:
    config = pool.extended_config
    if source == "CustomMessage_AdminCreateUser":
        template = (config.get("AdminCreateUserConfig") or {}).get("InviteMessageTemplate") or {}
        return (
            str(template.get("EmailMessage") or DEFAULT_INVITE_MESSAGE),
            str(template.get("EmailSubject") or DEFAULT_INVITE_SUBJECT),
        )
    template = config.get("VerificationMessageTemplate") or {}
    message = (
        template.get("EmailMessage") or config.get("EmailVerificationMessage") or "Your verification code is {####}. "
    )
    subject = template.get("EmailSubject") or config.get("EmailVerificationSubject") or "Your verification code"
    return str(message), str(subject)


def _acceptable(source: str, message: Any, subject: Any) -> bool:
    if not isinstance(message, str) or not isinstance(subject, str) or not message or not subject:
        return False
    if CODE not in message or len(message) > MAX_EMAIL or len(subject) > MAX_SUBJECT:
        return False
    return source != "CustomMessage_AdminCreateUser" or USERNAME in message


def deliver_code(
    em: Emulation,
    pool: Any,
    user: Any,
    *,
    source: str,
    code: str,
    client_id: str,
    client_metadata: dict[str, Any] | None,
    to: str | None = None,
    display_username: str | None = None,
) -> dict[str, str]:
    """Render the message for ``source`` (through the CustomMessage trigger when configured), deliver it to
    the outbox, and return the CodeDeliveryDetails.

    A trigger response without the code placeholder (or the username placeholder for an invitation), or over
    Cognito's length limits, falls back to the pool's default message, as Cognito does.
    """
    message, subject = _defaults(pool, source)
    attributes = event_attributes(user, alias_email=False)
    destination = to or attributes.get("email", "")
    if em.triggers.configured("CustomMessage"):
        request: dict[str, Any] = {
            "userAttributes": attributes,
            "codeParameter": CODE,
            "linkParameter": LINK,
            "usernameParameter": USERNAME if source == "CustomMessage_AdminCreateUser" else None,
        }
        if client_metadata is not None:
            request["clientMetadata"] = client_metadata
        result = em.triggers.invoke(
            "CustomMessage",
            event(
                version="1",
                source=source,
                region=em.stack.region,
                pool_id=pool.id,
                username=user.username,
                client_id=client_id,
                request=request,
                response={"smsMessage": None, "emailMessage": None, "emailSubject": None},
            ),
        )
        response = result["response"]
        custom_message = response.get("emailMessage")
        custom_subject = response.get("emailSubject") or subject
        if custom_message is not None and _acceptable(source, custom_message, custom_subject):
            message, subject = custom_message, custom_subject
    shown_name = display_username or user.username
    body = message.replace(CODE, code).replace(USERNAME, shown_name)
    em.outbox.deliver(
        to=destination,
        subject=subject.replace(USERNAME, shown_name),
        body=body,
        code=code,
        trigger_source=source,
        username=user.username,
    )
    return {"Destination": mask_destination(destination), "DeliveryMedium": "EMAIL", "AttributeName": "email"}
