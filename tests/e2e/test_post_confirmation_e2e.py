"""Post-confirmation through the local stack: a real sign-up confirmed with the emailed code creates exactly one
profile, the default group membership and a permanent email claim; a password reset stamps the profile only."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

PASSWORD = "Correct-Horse-9-Battery"
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def sign_up_and_confirm(stack: Any, email: str, *, name: str = "Jane Doe", locale: str = "ko") -> str:
    cognito = stack.cognito()
    response = cognito.sign_up(
        ClientId=stack.client_id,
        Username=email,
        Password=PASSWORD,
        SecretHash=stack.secret_hash(email),
        UserAttributes=[{"Name": "name", "Value": name}, {"Name": "locale", "Value": locale}],
    )
    cognito.confirm_sign_up(
        ClientId=stack.client_id,
        Username=email,
        ConfirmationCode=stack.outbox.latest_code(email),
        SecretHash=stack.secret_hash(email),
    )
    sub: str = response["UserSub"]
    return sub


def profile(stack: Any, sub: str) -> dict[str, Any] | None:
    item: dict[str, Any] | None = (
        stack.dynamodb().get_item(TableName=stack.profiles_table, Key={"userId": {"S": sub}}).get("Item")
    )
    return item


def test_sign_up_and_confirm_creates_the_profile_group_and_claim(local_stack: Any, unique_email: str) -> None:
    mixed_case = unique_email.replace("user-", "User-", 1).replace("@example.com", "@Example.COM")
    sub = sign_up_and_confirm(local_stack, mixed_case)

    item = profile(local_stack, sub)
    assert item is not None
    created = item["createdAt"]["S"]
    assert TIMESTAMP.fullmatch(created)
    assert item == {
        "userId": {"S": sub},
        "email": {"S": unique_email},  # canonical: the form the sign-up gate claimed
        "emailVerified": {"BOOL": True},
        "name": {"S": "Jane Doe"},
        "locale": {"S": "ko"},
        "role": {"S": "user"},
        "createdAt": {"S": created},
        "updatedAt": {"S": created},
    }
    groups = local_stack.cognito().admin_list_groups_for_user(UserPoolId=local_stack.pool_id, Username=sub)
    assert [g["GroupName"] for g in groups["Groups"]] == ["user"]
    claim = local_stack.dynamodb().get_item(
        TableName=local_stack.email_claims_table, Key={"email": {"S": unique_email}}
    )
    assert (claim["Item"]["status"], claim["Item"]["userName"]) == ({"S": "CONFIRMED"}, {"S": sub})
    assert "expiresAt" not in claim["Item"]

    [invocation] = local_stack.invocations(trigger="PostConfirmation", user=sub)
    assert invocation["event"]["triggerSource"] == "PostConfirmation_ConfirmSignUp"


def test_a_password_reset_stamps_the_existing_profile_only(local_stack: Any, unique_email: str) -> None:
    sub = sign_up_and_confirm(local_stack, unique_email)
    before = profile(local_stack, sub)
    assert before is not None
    cognito = local_stack.cognito()
    cognito.forgot_password(
        ClientId=local_stack.client_id, Username=unique_email, SecretHash=local_stack.secret_hash(unique_email)
    )
    cognito.confirm_forgot_password(
        ClientId=local_stack.client_id,
        Username=unique_email,
        ConfirmationCode=local_stack.outbox.latest_code(unique_email),
        Password=PASSWORD + "-2",
        SecretHash=local_stack.secret_hash(unique_email),
    )

    after = profile(local_stack, sub)
    assert after is not None
    reset_at = after["passwordResetAt"]["S"]
    assert TIMESTAMP.fullmatch(reset_at)
    assert after == {**before, "passwordResetAt": {"S": reset_at}, "updatedAt": {"S": reset_at}}
    sources = [i["event"]["triggerSource"] for i in local_stack.invocations(trigger="PostConfirmation", user=sub)]
    assert sources == ["PostConfirmation_ConfirmSignUp", "PostConfirmation_ConfirmForgotPassword"]
    groups = cognito.admin_list_groups_for_user(UserPoolId=local_stack.pool_id, Username=sub)
    assert [g["GroupName"] for g in groups["Groups"]] == ["user"]
