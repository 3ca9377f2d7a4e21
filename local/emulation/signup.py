"""SignUp, AdminCreateUser, ConfirmSignUp, AdminConfirmSignUp and ResendConfirmationCode."""

from __future__ import annotations

import json
import secrets
from typing import Any

from local.cognito_events import ADMIN_CLIENT
from local.emulation.context import Emulation, moto_errors, require, unknown_user_answer
from local.emulation.lifecycle import mark_confirmed, post_confirmation, pre_sign_up
from local.emulation.messages import deliver_code
from local.errors import AwsError

__all__ = [
    "admin_confirm_sign_up",
    "admin_create_user",
    "confirm_sign_up",
    "resend_confirmation_code",
    "sign_up",
]


def _metadata(body: dict[str, Any]) -> dict[str, Any] | None:
    value = body.get("ClientMetadata")
    return value if isinstance(value, dict) else None


def _attributes(body: dict[str, Any], key: str = "UserAttributes") -> dict[str, str]:
    items = body.get(key) or []
    if not isinstance(items, list) or not all(isinstance(i, dict) and "Name" in i for i in items):
        raise AwsError("InvalidParameterException", f"{key} must be a list of Name/Value pairs")
    return {str(i["Name"]): str(i.get("Value", "")) for i in items}


def _exists_error(em: Emulation, pool: Any) -> AwsError:
    if em.email_is_username(pool):
        return AwsError("UsernameExistsException", "An account with the given email already exists.")
    return AwsError("UsernameExistsException", "User already exists")


def _status(user: Any) -> str:
    return str(getattr(user.status, "value", user.status))


def sign_up(em: Emulation, body: dict[str, Any]) -> dict[str, Any]:
    """PreSignUp → create the user → CustomMessage_SignUp with a real code, or PostConfirmation if auto-confirmed."""
    require(body, "ClientId", "Username", "Password")
    client_id, username, password = str(body["ClientId"]), str(body["Username"]), str(body["Password"])
    attributes = _attributes(body)
    pool = em.pool_for_client(client_id)
    em.check_secret_hash(pool, client_id, username, body.get("SecretHash"))
    if em.find_user(pool, username) is not None:
        raise _exists_error(em, pool)
    with moto_errors():
        em.moto.cognito_backend()._validate_password(pool.id, password)
    if em.email_is_username(pool) and "@" in username:
        attributes["email"] = username
    sub = em.new_sub()
    metadata = _metadata(body)
    decision = pre_sign_up(
        em,
        pool,
        source="PreSignUp_SignUp",
        username=sub if em.email_is_username(pool) else username,
        client_id=client_id,
        attributes=attributes,
        validation_data=body.get("ValidationData"),
        client_metadata=metadata,
    )
    created = em.moto.cognito(
        "SignUp",
        {
            "ClientId": client_id,
            "Username": username,
            "Password": password,
            "UserAttributes": [{"Name": k, "Value": v} for k, v in attributes.items()],
        },
    )
    user = em.find_user(pool, created["UserSub"])
    em.rekey_user(pool, user, sub)
    if decision.get("autoVerifyEmail") is True and "email" in attributes:
        user.update_attributes([{"Name": "email_verified", "Value": "true"}])
    if decision.get("autoConfirmUser") is True:
        mark_confirmed(em, pool, user, verify_email=False)
        post_confirmation(
            em, pool, user, source="PostConfirmation_ConfirmSignUp", client_id=client_id, client_metadata=metadata
        )
        return {"UserConfirmed": True, "UserSub": sub}
    code = em.codes.issue(user.username, "signup")
    details = deliver_code(
        em, pool, user, source="CustomMessage_SignUp", code=code, client_id=client_id, client_metadata=metadata
    )
    return {"UserConfirmed": False, "UserSub": sub, "CodeDeliveryDetails": details}


def _temporary_password() -> str:
    return "Tmp-" + secrets.token_urlsafe(9) + "a1A!"


def admin_create_user(em: Emulation, body: dict[str, Any]) -> dict[str, Any]:
    """PreSignUp_AdminCreateUser → create → CustomMessage_AdminCreateUser (unless MessageAction=SUPPRESS)."""
    require(body, "UserPoolId", "Username")
    pool = em.pool(str(body["UserPoolId"]))
    username = str(body["Username"])
    attributes = _attributes(body)
    action = body.get("MessageAction")
    if action != "RESEND" and em.find_user(pool, username) is not None:
        raise _exists_error(em, pool)
    if em.email_is_username(pool) and "@" in username:
        attributes["email"] = username
    sub = em.new_sub()
    metadata = _metadata(body)
    decision = pre_sign_up(
        em,
        pool,
        source="PreSignUp_AdminCreateUser",
        username=sub if em.email_is_username(pool) else username,
        client_id=ADMIN_CLIENT,
        attributes=attributes,
        validation_data=body.get("ValidationData"),
        client_metadata=metadata,
    )
    password = str(body.get("TemporaryPassword") or _temporary_password())
    request = {key: value for key, value in body.items() if key not in ("ClientMetadata", "ValidationData")}
    request["TemporaryPassword"] = password
    request["UserAttributes"] = [{"Name": k, "Value": v} for k, v in attributes.items()]
    created = em.moto.cognito("AdminCreateUser", request)
    old = created["User"]["Username"]
    user = em.find_user(pool, old)
    if action != "RESEND":
        em.rekey_user(pool, user, sub)
        created = json.loads(json.dumps(created).replace(old, sub))
    if decision.get("autoVerifyEmail") is True and "email" in attributes:
        user.update_attributes([{"Name": "email_verified", "Value": "true"}])
    if action != "SUPPRESS" and "email" in user.attribute_lookup:
        deliver_code(
            em,
            pool,
            user,
            source="CustomMessage_AdminCreateUser",
            code=password,
            client_id=ADMIN_CLIENT,
            client_metadata=metadata,
            display_username=username,
        )
    return created


def confirm_sign_up(em: Emulation, body: dict[str, Any]) -> dict[str, Any]:
    """Check the real code, confirm, then PostConfirmation_ConfirmSignUp."""
    require(body, "ClientId", "Username", "ConfirmationCode")
    client_id, username = str(body["ClientId"]), str(body["Username"])
    pool = em.pool_for_client(client_id)
    em.check_secret_hash(pool, client_id, username, body.get("SecretHash"))
    user = em.find_user(pool, username)
    if user is None:
        if em.prevents_existence_errors(pool, client_id):
            raise AwsError("CodeMismatchException", "Invalid verification code provided, please try again.")
        raise AwsError("UserNotFoundException", "Username/client id combination not found.")
    _require_unconfirmed(user)
    em.codes.check(user.username, "signup", str(body["ConfirmationCode"]))
    return _confirm(em, pool, user, verify_email=True, client_id=client_id, body=body)


def admin_confirm_sign_up(em: Emulation, body: dict[str, Any]) -> dict[str, Any]:
    """Confirm without a code, then PostConfirmation_ConfirmSignUp (as Cognito does)."""
    require(body, "UserPoolId", "Username")
    pool = em.pool(str(body["UserPoolId"]))
    user = em.find_user(pool, str(body["Username"]))
    if user is None:
        raise AwsError("UserNotFoundException", "User does not exist.")
    _require_unconfirmed(user)
    return _confirm(em, pool, user, verify_email=False, client_id=ADMIN_CLIENT, body=body)


def _require_unconfirmed(user: Any) -> None:
    if _status(user) != "UNCONFIRMED":
        raise AwsError("NotAuthorizedException", f"User cannot be confirmed. Current status is {_status(user)}")


def _confirm(
    em: Emulation, pool: Any, user: Any, *, verify_email: bool, client_id: str, body: dict[str, Any]
) -> dict[str, Any]:
    """Confirm the user, then PostConfirmation_ConfirmSignUp: it runs after the user is confirmed, as in Cognito."""
    mark_confirmed(em, pool, user, verify_email=verify_email)
    post_confirmation(
        em, pool, user, source="PostConfirmation_ConfirmSignUp", client_id=client_id, client_metadata=_metadata(body)
    )
    return {}


def resend_confirmation_code(em: Emulation, body: dict[str, Any]) -> dict[str, Any]:
    """A fresh code (the old one stops working) through CustomMessage_ResendCode."""
    require(body, "ClientId", "Username")
    client_id, username = str(body["ClientId"]), str(body["Username"])
    pool = em.pool_for_client(client_id)
    em.check_secret_hash(pool, client_id, username, body.get("SecretHash"))
    user = em.find_user(pool, username)
    if user is None:
        return unknown_user_answer(em, pool, client_id, username)
    if _status(user) != "UNCONFIRMED":
        raise AwsError("InvalidParameterException", "User is already confirmed.")
    code = em.codes.issue(user.username, "signup")
    details = deliver_code(
        em,
        pool,
        user,
        source="CustomMessage_ResendCode",
        code=code,
        client_id=client_id,
        client_metadata=_metadata(body),
    )
    return {"CodeDeliveryDetails": details}
