"""UpdateUserAttributes through the local stack: the client's WriteAttributes are enforced, and an email change
is verified with a code (CustomMessage_UpdateUserAttribute) before it takes effect."""

from __future__ import annotations

import contextlib
import uuid

import pytest

from tests.e2e.conftest import LocalStackHandle

pytestmark = pytest.mark.e2e

PASSWORD = "Correct-Horse-9-Battery"


def signed_in(stack: LocalStackHandle, address: str) -> str:
    cognito = stack.cognito()
    cognito.sign_up(
        ClientId=stack.client_id, Username=address, Password=PASSWORD, SecretHash=stack.secret_hash(address)
    )
    with contextlib.suppress(cognito.exceptions.UserLambdaValidationException):
        cognito.confirm_sign_up(
            ClientId=stack.client_id,
            Username=address,
            ConfirmationCode=stack.outbox.latest_code(address),
            SecretHash=stack.secret_hash(address),
        )
    token: str = cognito.initiate_auth(
        ClientId=stack.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": address, "PASSWORD": PASSWORD, "SECRET_HASH": stack.secret_hash(address)},
    )["AuthenticationResult"]["AccessToken"]
    return token


def test_attributes_outside_write_attributes_are_refused(local_stack: LocalStackHandle, unique_email: str) -> None:
    token = signed_in(local_stack, unique_email)
    cognito = local_stack.cognito()
    with pytest.raises(cognito.exceptions.NotAuthorizedException) as refused:
        cognito.update_user_attributes(AccessToken=token, UserAttributes=[{"Name": "email_verified", "Value": "true"}])
    assert refused.value.response["Error"]["Message"] == "A client attempted to write unauthorized attribute"
    cognito.update_user_attributes(AccessToken=token, UserAttributes=[{"Name": "name", "Value": "Renamed"}])
    attributes = cognito.get_user(AccessToken=token)["UserAttributes"]
    assert {"Name": "name", "Value": "Renamed"} in attributes


def test_an_email_change_waits_for_its_code(local_stack: LocalStackHandle, unique_email: str) -> None:
    token = signed_in(local_stack, unique_email)
    new_email = f"new-{uuid.uuid4().hex[:10]}@example.com"
    cognito = local_stack.cognito()
    response = cognito.update_user_attributes(AccessToken=token, UserAttributes=[{"Name": "email", "Value": new_email}])
    assert response["CodeDeliveryDetailsList"][0]["AttributeName"] == "email"
    [message] = local_stack.outbox.messages(new_email)
    assert message["trigger_source"] == "CustomMessage_UpdateUserAttribute"
    # The pool requires verification before an email update: the old address stays until the code is given.
    assert {"Name": "email", "Value": unique_email} in cognito.get_user(AccessToken=token)["UserAttributes"]
    with pytest.raises(cognito.exceptions.CodeMismatchException):
        cognito.verify_user_attribute(
            AccessToken=token, AttributeName="email", Code="000000" if message["code"] != "000000" else "111111"
        )
    cognito.verify_user_attribute(AccessToken=token, AttributeName="email", Code=message["code"])
    attributes = cognito.get_user(AccessToken=token)["UserAttributes"]
    assert {"Name": "email", "Value": new_email} in attributes
    assert {"Name": "email_verified", "Value": "true"} in attributes
