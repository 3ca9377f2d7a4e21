"""Every event the local stack sends has the shape of the repository's sample events (events/*.json), which were
collected from Cognito: same top-level fields, callerContext, request members (``clientMetadata`` only when the
call passed it) and initial response."""

from __future__ import annotations

import contextlib
import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import LocalStackHandle

pytestmark = pytest.mark.e2e

EVENTS = Path(__file__).resolve().parents[2] / "events"
PASSWORD = "Correct-Horse-9-Battery"
NEW_PASSWORD = "Another-Horse-7-Staple"


def samples() -> dict[tuple[str, str], dict[str, Any]]:
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for path in sorted(EVENTS.glob("*.json")):
        event = json.loads(path.read_text())
        found[(event["triggerSource"], event["version"])] = event
    return found


def system_attributes(attributes: dict[str, Any]) -> set[str]:
    """The attributes Cognito adds itself (the others depend on what the user gave)."""
    return {name for name in attributes if name.startswith("cognito:") or name in ("sub", "email_verified")}


def run_every_flow(stack: LocalStackHandle, address: str) -> None:
    cognito = stack.cognito()

    def hashed(**kwargs: Any) -> dict[str, Any]:
        return {"ClientId": stack.client_id, "SecretHash": stack.secret_hash(kwargs["Username"]), **kwargs}

    metadata = {"ClientMetadata": {"locale": "en"}}
    cognito.sign_up(**hashed(Username=address, Password=PASSWORD), **metadata)
    cognito.resend_confirmation_code(**hashed(Username=address), **metadata)
    with contextlib.suppress(cognito.exceptions.UserLambdaValidationException):
        cognito.confirm_sign_up(**hashed(Username=address, ConfirmationCode=stack.outbox.latest_code(address)))
    auth = cognito.initiate_auth(
        ClientId=stack.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": address, "PASSWORD": PASSWORD, "SECRET_HASH": stack.secret_hash(address)},
    )["AuthenticationResult"]
    sub = cognito.get_user(AccessToken=auth["AccessToken"])["Username"]
    cognito.initiate_auth(
        ClientId=stack.client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": auth["RefreshToken"], "SECRET_HASH": stack.secret_hash(sub)},
    )
    cognito.get_user_attribute_verification_code(AccessToken=auth["AccessToken"], AttributeName="email", **metadata)
    cognito.update_user_attributes(
        AccessToken=auth["AccessToken"],
        UserAttributes=[{"Name": "email", "Value": f"changed-{address}"}],
        **metadata,
    )
    cognito.forgot_password(**hashed(Username=address), **metadata)
    cognito.confirm_forgot_password(
        **hashed(Username=address, ConfirmationCode=stack.outbox.latest_code(address), Password=NEW_PASSWORD)
    )

    invited = f"invited-{address}"
    cognito.admin_create_user(UserPoolId=stack.pool_id, Username=invited, TemporaryPassword="Temporary-Pass-1!")
    challenge = cognito.initiate_auth(
        ClientId=stack.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={
            "USERNAME": invited,
            "PASSWORD": "Temporary-Pass-1!",
            "SECRET_HASH": stack.secret_hash(invited),
        },
    )
    cognito.respond_to_auth_challenge(
        ClientId=stack.client_id,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": invited, "NEW_PASSWORD": PASSWORD, "SECRET_HASH": stack.secret_hash(invited)},
    )


def test_events_match_the_samples(local_stack: LocalStackHandle) -> None:
    address = f"shape-{uuid.uuid4().hex[:10]}@example.com"
    before = len(local_stack.invocations())
    run_every_flow(local_stack, address)
    recorded = [r for r in local_stack.invocations()[before:] if r["trigger"] != "HttpApi"]
    known = samples()
    seen = set()
    for record in recorded:
        event = record["event"]
        sample = known[(event["triggerSource"], event["version"])]
        seen.add(event["triggerSource"])
        assert set(event) == set(sample), event["triggerSource"]
        assert set(event["callerContext"]) == set(sample["callerContext"])
        optional = {"clientMetadata"}
        assert set(event["request"]) - optional == set(sample["request"]) - optional, event["triggerSource"]
        assert event["response"] == sample["response"], event["triggerSource"]
        attributes = event["request"]["userAttributes"]
        assert all(isinstance(value, str) for value in attributes.values())
        assert system_attributes(attributes) == system_attributes(sample["request"]["userAttributes"]), event[
            "triggerSource"
        ]
        if "groupConfiguration" in sample["request"]:
            assert set(event["request"]["groupConfiguration"]) == set(sample["request"]["groupConfiguration"])
    assert seen == {
        "PreSignUp_SignUp",
        "CustomMessage_SignUp",
        "CustomMessage_ResendCode",
        "PostConfirmation_ConfirmSignUp",
        "TokenGeneration_Authentication",
        "TokenGeneration_RefreshTokens",
        "CustomMessage_VerifyUserAttribute",
        "CustomMessage_UpdateUserAttribute",
        "CustomMessage_ForgotPassword",
        "PostConfirmation_ConfirmForgotPassword",
        "PreSignUp_AdminCreateUser",
        "CustomMessage_AdminCreateUser",
        "TokenGeneration_NewPasswordChallenge",
    }
