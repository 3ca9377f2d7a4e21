"""Sign-up through the local stack: PreSignUp, real codes in the outbox, ConfirmSignUp, PostConfirmation."""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

PASSWORD = "Correct-Horse-9-Battery"


def sign_up(stack: Any, email: str, **extra: Any) -> dict[str, Any]:
    response: dict[str, Any] = stack.cognito().sign_up(
        ClientId=stack.client_id,
        Username=email,
        Password=PASSWORD,
        SecretHash=stack.secret_hash(email),
        UserAttributes=[{"Name": "name", "Value": "Jane Doe"}, {"Name": "locale", "Value": "en"}],
        **extra,
    )
    return response


def test_sign_up_sends_a_real_code_and_records_cognito_shaped_events(local_stack: Any, unique_email: str) -> None:
    response = sign_up(local_stack, unique_email, ClientMetadata={"locale": "en"})

    assert response["UserConfirmed"] is False
    local, _, domain = unique_email.partition("@")
    assert response["CodeDeliveryDetails"] == {
        "Destination": f"{local[0]}***@{domain[0]}***",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    sub = response["UserSub"]

    [pre] = local_stack.invocations(trigger="PreSignUp", user=unique_email)
    assert pre["event"] == {
        "version": "1",
        "triggerSource": "PreSignUp_SignUp",
        "region": "us-east-1",
        "userPoolId": local_stack.pool_id,
        "userName": sub,
        "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": local_stack.client_id},
        "request": {
            "userAttributes": {"name": "Jane Doe", "locale": "en", "email": unique_email},
            "validationData": None,
            "clientMetadata": {"locale": "en"},
        },
        "response": {"autoConfirmUser": False, "autoVerifyEmail": False, "autoVerifyPhone": False},
    }

    [message] = local_stack.outbox.messages(unique_email)
    code = message["code"]
    assert len(code) == 6 and code.isdigit()
    assert message["trigger_source"] == "CustomMessage_SignUp"
    assert code in message["body"]
    assert "{####}" not in message["body"]

    [custom] = local_stack.invocations(trigger="CustomMessage", user=sub)
    assert custom["event"]["triggerSource"] == "CustomMessage_SignUp"
    assert custom["event"]["request"] == {
        "userAttributes": {
            "name": "Jane Doe",
            "locale": "en",
            "email": unique_email,
            "sub": sub,
            "email_verified": "false",
            "cognito:user_status": "UNCONFIRMED",
        },
        "codeParameter": "{####}",
        "linkParameter": "{##Click Here##}",
        "usernameParameter": None,
        "clientMetadata": {"locale": "en"},
    }
    assert message["subject"] == custom["result"]["response"]["emailSubject"]


def test_wrong_code_is_rejected_and_the_right_one_confirms(local_stack: Any, unique_email: str) -> None:
    sub = sign_up(local_stack, unique_email)["UserSub"]
    code = local_stack.outbox.latest_code(unique_email)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    cognito = local_stack.cognito()

    with pytest.raises(cognito.exceptions.CodeMismatchException) as mismatch:
        cognito.confirm_sign_up(
            ClientId=local_stack.client_id,
            Username=unique_email,
            ConfirmationCode=wrong,
            SecretHash=local_stack.secret_hash(unique_email),
        )
    assert mismatch.value.response["Error"]["Message"] == "Invalid verification code provided, please try again."
    assert local_stack.invocations(trigger="PostConfirmation", user=sub) == []

    # The trigger's own outcome is asserted below; the user is confirmed either way (as in AWS).
    with contextlib.suppress(cognito.exceptions.UserLambdaValidationException):
        cognito.confirm_sign_up(
            ClientId=local_stack.client_id,
            Username=unique_email,
            ConfirmationCode=code,
            SecretHash=local_stack.secret_hash(unique_email),
        )

    user = cognito.admin_get_user(UserPoolId=local_stack.pool_id, Username=unique_email)
    assert user["UserStatus"] == "CONFIRMED"
    assert {"Name": "email_verified", "Value": "true"} in user["UserAttributes"]
    [post] = local_stack.invocations(trigger="PostConfirmation", user=sub)
    assert post["event"]["triggerSource"] == "PostConfirmation_ConfirmSignUp"
    assert post["event"]["request"]["userAttributes"] == {
        "name": "Jane Doe",
        "locale": "en",
        "email": unique_email,
        "sub": sub,
        "email_verified": "true",
        "cognito:email_alias": unique_email,
        "cognito:user_status": "CONFIRMED",
    }
    assert post["event"]["response"] == {}


def test_parallel_sign_ups_all_get_their_own_code(local_stack: Any) -> None:
    from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415

    addresses = [f"parallel-{uuid.uuid4().hex[:10]}@example.com" for _ in range(6)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        responses = list(pool.map(lambda address: sign_up(local_stack, address), addresses))
    assert [r["UserConfirmed"] for r in responses] == [False] * 6
    assert len({r["UserSub"] for r in responses}) == 6
    for address in addresses:
        [message] = local_stack.outbox.messages(address)
        assert message["trigger_source"] == "CustomMessage_SignUp"
        # Cold starts in parallel may outlive Cognito's 5 s on a busy machine: then Cognito retries (faithfully).
        attempts = local_stack.invocations(trigger="PreSignUp", user=address)
        assert [a["attempt"] for a in attempts] == list(range(1, len(attempts) + 1))
        assert "error" not in attempts[-1]
        assert all(a["error"]["kind"] == "timeout" for a in attempts[:-1])


def test_a_disposable_address_is_rejected_with_the_triggers_message(local_stack: Any) -> None:
    address = f"someone-{uuid.uuid4().hex[:8]}@mailinator.com"
    cognito = local_stack.cognito()
    with pytest.raises(cognito.exceptions.UserLambdaValidationException) as rejected:
        sign_up(local_stack, address)
    [pre] = local_stack.invocations(trigger="PreSignUp", user=address)
    assert pre["error"]["kind"] == "error"
    assert rejected.value.response["Error"]["Message"] == f"PreSignUp failed with error {pre['error']['message']}."
    with pytest.raises(cognito.exceptions.UserNotFoundException):
        cognito.admin_get_user(UserPoolId=local_stack.pool_id, Username=address)
    assert local_stack.outbox.messages(address) == []
