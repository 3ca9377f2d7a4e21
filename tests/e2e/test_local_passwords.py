"""Codes and SecretHash through the local stack: resend, expiry, password reset, and a wrong SecretHash on every
call that takes one."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest

from tests.e2e.conftest import LocalStackHandle

pytestmark = pytest.mark.e2e

PASSWORD = "Correct-Horse-9-Battery"
NEW_PASSWORD = "Another-Horse-7-Staple"
WRONG_HASH = "d3JvbmcgaGFzaA=="


def sign_up(stack: LocalStackHandle, address: str) -> str:
    sub: str = stack.cognito().sign_up(
        ClientId=stack.client_id, Username=address, Password=PASSWORD, SecretHash=stack.secret_hash(address)
    )["UserSub"]
    return sub


def confirm(stack: LocalStackHandle, address: str, code: str) -> None:
    stack.cognito().confirm_sign_up(
        ClientId=stack.client_id, Username=address, ConfirmationCode=code, SecretHash=stack.secret_hash(address)
    )


def error_of(excinfo: pytest.ExceptionInfo[Any]) -> tuple[str, str]:
    error = excinfo.value.response["Error"]
    return error["Code"], error["Message"]


def test_a_resent_code_replaces_the_old_one(local_stack: LocalStackHandle, unique_email: str) -> None:
    sign_up(local_stack, unique_email)
    first = local_stack.outbox.latest_code(unique_email)
    details = local_stack.cognito().resend_confirmation_code(
        ClientId=local_stack.client_id, Username=unique_email, SecretHash=local_stack.secret_hash(unique_email)
    )["CodeDeliveryDetails"]
    assert details["DeliveryMedium"] == "EMAIL"
    messages = local_stack.outbox.messages(unique_email)
    assert [m["trigger_source"] for m in messages] == ["CustomMessage_SignUp", "CustomMessage_ResendCode"]
    second = messages[-1]["code"]
    assert second in messages[-1]["body"]
    if first != second:
        with pytest.raises(local_stack.cognito().exceptions.CodeMismatchException):
            confirm(local_stack, unique_email, first)
    confirm(local_stack, unique_email, second)


def test_an_expired_sign_up_code_is_refused(local_stack: LocalStackHandle, unique_email: str) -> None:
    sign_up(local_stack, unique_email)
    code = local_stack.outbox.latest_code(unique_email)
    local_stack.advance_clock(24 * 3600 + 1)
    with pytest.raises(local_stack.cognito().exceptions.ExpiredCodeException) as expired:
        confirm(local_stack, unique_email, code)
    assert error_of(expired) == ("ExpiredCodeException", "Invalid code provided, please request a code again.")


def test_duplicate_sign_up_is_refused(local_stack: LocalStackHandle, unique_email: str) -> None:
    sign_up(local_stack, unique_email)
    with pytest.raises(local_stack.cognito().exceptions.UsernameExistsException) as exists:
        sign_up(local_stack, unique_email)
    assert error_of(exists) == ("UsernameExistsException", "An account with the given email already exists.")


def test_password_reset_with_real_codes_and_post_confirmation(local_stack: LocalStackHandle, unique_email: str) -> None:
    cognito = local_stack.cognito()
    sub = sign_up(local_stack, unique_email)
    with contextlib.suppress(cognito.exceptions.UserLambdaValidationException):
        confirm(local_stack, unique_email, local_stack.outbox.latest_code(unique_email))

    cognito.forgot_password(
        ClientId=local_stack.client_id, Username=unique_email, SecretHash=local_stack.secret_hash(unique_email)
    )
    message = local_stack.outbox.messages(unique_email)[-1]
    assert message["trigger_source"] == "CustomMessage_ForgotPassword"
    code = message["code"]
    [custom] = local_stack.invocations(source="CustomMessage_ForgotPassword", user=sub)
    assert custom["event"]["request"]["userAttributes"]["cognito:user_status"] == "CONFIRMED"

    def reset(with_code: str) -> None:
        cognito.confirm_forgot_password(
            ClientId=local_stack.client_id,
            Username=unique_email,
            ConfirmationCode=with_code,
            Password=NEW_PASSWORD,
            SecretHash=local_stack.secret_hash(unique_email),
        )

    with pytest.raises(cognito.exceptions.CodeMismatchException) as mismatch:
        reset(f"{(int(code) + 1) % 1_000_000:06d}")
    assert error_of(mismatch) == ("CodeMismatchException", "Invalid verification code provided, please try again.")
    reset(code)
    [post] = local_stack.invocations(source="PostConfirmation_ConfirmForgotPassword", user=sub)
    assert post["event"]["request"]["userAttributes"]["sub"] == sub
    assert "error" not in post
    tokens = cognito.initiate_auth(
        ClientId=local_stack.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={
            "USERNAME": unique_email,
            "PASSWORD": NEW_PASSWORD,
            "SECRET_HASH": local_stack.secret_hash(unique_email),
        },
    )
    assert "AccessToken" in tokens["AuthenticationResult"]
    with pytest.raises(cognito.exceptions.CodeMismatchException):
        reset(code)  # a code works once


def test_an_expired_reset_code_is_refused(local_stack: LocalStackHandle, unique_email: str) -> None:
    cognito = local_stack.cognito()
    sign_up(local_stack, unique_email)
    with contextlib.suppress(cognito.exceptions.UserLambdaValidationException):
        confirm(local_stack, unique_email, local_stack.outbox.latest_code(unique_email))
    cognito.forgot_password(
        ClientId=local_stack.client_id, Username=unique_email, SecretHash=local_stack.secret_hash(unique_email)
    )
    code = local_stack.outbox.latest_code(unique_email)
    local_stack.advance_clock(3601)
    with pytest.raises(cognito.exceptions.ExpiredCodeException):
        cognito.confirm_forgot_password(
            ClientId=local_stack.client_id,
            Username=unique_email,
            ConfirmationCode=code,
            Password=NEW_PASSWORD,
            SecretHash=local_stack.secret_hash(unique_email),
        )


@pytest.mark.parametrize(
    ("operation", "arguments"),
    [
        ("sign_up", {"Password": PASSWORD}),
        ("confirm_sign_up", {"ConfirmationCode": "123456"}),
        ("resend_confirmation_code", {}),
        ("forgot_password", {}),
        ("confirm_forgot_password", {"ConfirmationCode": "123456", "Password": PASSWORD}),
    ],
)
def test_a_wrong_secret_hash_is_refused(
    local_stack: LocalStackHandle, unique_email: str, operation: str, arguments: dict[str, Any]
) -> None:
    cognito = local_stack.cognito()
    with pytest.raises(cognito.exceptions.NotAuthorizedException) as refused:
        getattr(cognito, operation)(
            ClientId=local_stack.client_id, Username=unique_email, SecretHash=WRONG_HASH, **arguments
        )
    assert error_of(refused) == (
        "NotAuthorizedException",
        f"Unable to verify secret hash for client {local_stack.client_id}",
    )


def test_a_wrong_secret_hash_fails_sign_in(local_stack: LocalStackHandle, unique_email: str) -> None:
    cognito = local_stack.cognito()
    with pytest.raises(cognito.exceptions.NotAuthorizedException) as refused:
        cognito.initiate_auth(
            ClientId=local_stack.client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": unique_email, "PASSWORD": PASSWORD, "SECRET_HASH": WRONG_HASH},
        )
    assert error_of(refused)[1] == f"Unable to verify secret hash for client {local_stack.client_id}"


def test_a_missing_secret_hash_is_refused(local_stack: LocalStackHandle, unique_email: str) -> None:
    cognito = local_stack.cognito()
    with pytest.raises(cognito.exceptions.NotAuthorizedException) as refused:
        cognito.sign_up(ClientId=local_stack.client_id, Username=unique_email, Password=PASSWORD)
    assert error_of(refused)[1] == (
        f"Client {local_stack.client_id} is configured with secret but SECRET_HASH was not received"
    )
