"""UpdateUserAttributes (with the client's WriteAttributes enforced), GetUserAttributeVerificationCode and
VerifyUserAttribute, with CustomMessage_UpdateUserAttribute / CustomMessage_VerifyUserAttribute codes."""

from __future__ import annotations

from typing import Any

from local.emulation.context import Emulation, require
from local.emulation.messages import deliver_code
from local.emulation.signup import _attributes, _metadata
from local.errors import AwsError

__all__ = ["get_user_attribute_verification_code", "update_user_attributes", "verify_user_attribute"]


def _caller(em: Emulation, access_token: str) -> tuple[Any, Any, str]:
    for pool in em.moto.cognito_backend().user_pools.values():
        if access_token in pool.access_tokens:
            client_id, username = pool.access_tokens[access_token]
            user = em.find_user(pool, username)
            if user is not None:
                return pool, user, client_id
    raise AwsError("NotAuthorizedException", "Invalid Access Token")


def update_user_attributes(em: Emulation, body: dict[str, Any]) -> dict[str, Any]:
    require(body, "AccessToken", "UserAttributes")
    pool, user, client_id = _caller(em, str(body["AccessToken"]))
    updates = _attributes(body)
    writable = em.client_config(pool, client_id).get("WriteAttributes")
    if writable is not None and any(name not in writable for name in updates):
        raise AwsError("NotAuthorizedException", "A client attempted to write unauthorized attribute")
    new_email = updates.get("email")
    changes_email = new_email is not None and new_email != user.attribute_lookup.get("email")
    keep_old = "email" in (
        (pool.extended_config.get("UserAttributeUpdateSettings") or {}).get("AttributesRequireVerificationBeforeUpdate")
        or []
    )
    if changes_email and keep_old:
        updates.pop("email")
    em.moto.cognito(
        "UpdateUserAttributes",
        {"AccessToken": body["AccessToken"], "UserAttributes": [{"Name": k, "Value": v} for k, v in updates.items()]},
    )
    if not changes_email or new_email is None:
        return {"CodeDeliveryDetailsList": []}
    if keep_old:
        em.pending_email[user.username] = new_email
    else:
        user.update_attributes([{"Name": "email_verified", "Value": "false"}])
    code = em.codes.issue(user.username, "attribute")
    details = deliver_code(
        em,
        pool,
        user,
        source="CustomMessage_UpdateUserAttribute",
        code=code,
        client_id=client_id,
        client_metadata=_metadata(body),
        to=new_email,
    )
    return {"CodeDeliveryDetailsList": [details]}


def get_user_attribute_verification_code(em: Emulation, body: dict[str, Any]) -> dict[str, Any]:
    require(body, "AccessToken", "AttributeName")
    pool, user, client_id = _caller(em, str(body["AccessToken"]))
    if body["AttributeName"] != "email":
        raise AwsError("InvalidParameterException", "Only the email attribute can be verified locally")
    code = em.codes.issue(user.username, "attribute")
    details = deliver_code(
        em,
        pool,
        user,
        source="CustomMessage_VerifyUserAttribute",
        code=code,
        client_id=client_id,
        client_metadata=_metadata(body),
        to=em.pending_email.get(user.username),
    )
    return {"CodeDeliveryDetails": details}


def verify_user_attribute(em: Emulation, body: dict[str, Any]) -> dict[str, Any]:
    require(body, "AccessToken", "AttributeName", "Code")
    _, user, _ = _caller(em, str(body["AccessToken"]))
    if body["AttributeName"] != "email":
        raise AwsError("InvalidParameterException", "Only the email attribute can be verified locally")
    em.codes.check(user.username, "attribute", str(body["Code"]))
    pending = em.pending_email.pop(user.username, None)
    changes = [{"Name": "email_verified", "Value": "true"}]
    if pending is not None:
        changes.insert(0, {"Name": "email", "Value": pending})
    user.update_attributes(changes)
    return {}
