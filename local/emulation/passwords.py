"""ForgotPassword and ConfirmForgotPassword with real, expiring codes."""

from __future__ import annotations

from typing import Any

from local.emulation.context import Emulation, moto_errors, require, unknown_user_answer
from local.emulation.lifecycle import post_confirmation
from local.emulation.messages import deliver_code
from local.emulation.signup import _metadata
from local.errors import AwsError

__all__ = ["confirm_forgot_password", "forgot_password"]


def forgot_password(em: Emulation, body: dict[str, Any]) -> dict[str, Any]:
    """A reset code through CustomMessage_ForgotPassword, to a verified email only."""
    require(body, "ClientId", "Username")
    client_id, username = str(body["ClientId"]), str(body["Username"])
    pool = em.pool_for_client(client_id)
    em.check_secret_hash(pool, client_id, username, body.get("SecretHash"))
    user = em.find_user(pool, username)
    if user is None:
        return unknown_user_answer(em, pool, client_id, username)
    if user.attribute_lookup.get("email_verified") != "true":
        raise AwsError(
            "InvalidParameterException",
            "Cannot reset password for the user as there is no registered/verified email or phone_number",
        )
    code = em.codes.issue(user.username, "forgot")
    details = deliver_code(
        em,
        pool,
        user,
        source="CustomMessage_ForgotPassword",
        code=code,
        client_id=client_id,
        client_metadata=_metadata(body),
    )
    return {"CodeDeliveryDetails": details}


def confirm_forgot_password(em: Emulation, body: dict[str, Any]) -> dict[str, Any]:
    """Check the code, set the password, then PostConfirmation_ConfirmForgotPassword."""
    require(body, "ClientId", "Username", "ConfirmationCode", "Password")
    client_id, username = str(body["ClientId"]), str(body["Username"])
    pool = em.pool_for_client(client_id)
    em.check_secret_hash(pool, client_id, username, body.get("SecretHash"))
    user = em.find_user(pool, username)
    if user is None:
        if em.prevents_existence_errors(pool, client_id):
            raise AwsError("CodeMismatchException", "Invalid verification code provided, please try again.")
        raise AwsError("UserNotFoundException", "Username/client id combination not found.")
    em.codes.check(user.username, "forgot", str(body["ConfirmationCode"]))
    password = str(body["Password"])
    with moto_errors():
        em.moto.cognito_backend()._validate_password(pool.id, password)
    from moto.cognitoidp.models import UserStatus  # noqa: PLC0415

    user.password = password
    if user.status in (UserStatus.RESET_REQUIRED, UserStatus.FORCE_CHANGE_PASSWORD):
        user.status = UserStatus.CONFIRMED
    post_confirmation(
        em,
        pool,
        user,
        source="PostConfirmation_ConfirmForgotPassword",
        client_id=client_id,
        client_metadata=_metadata(body),
    )
    return {}
