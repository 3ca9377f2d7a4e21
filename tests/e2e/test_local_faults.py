"""Cognito's behaviour around trigger outcomes, with test-only handlers (defined in this module) wired into a
copy of the packaged template: errors, timeouts and retries, bad output, auto-confirmation, message fallbacks,
token overrides, per-function environments.

The handlers below run inside the local stack's Lambda sandboxes (module ``tests.e2e.test_local_faults``);
their behaviour is chosen by the email's local part, so each test controls its own outcome.
"""

from __future__ import annotations

import contextlib
import copy
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import LocalStackHandle, packaged_template

pytestmark = pytest.mark.e2e

PASSWORD = "Correct-Horse-9-Battery"
MODULE = "tests/e2e/test_local_faults"


# ---------------------------------------------------------------------------------------------- test handlers
def _prefix(event: dict[str, Any]) -> str:
    return str(event["request"]["userAttributes"].get("email", "")).partition("-")[0]


def fault_pre_sign_up(event: dict[str, Any], context: Any) -> Any:
    prefix = _prefix(event)
    if prefix == "reject":
        raise ValueError("nope, not you")
    if prefix == "slow":
        time.sleep(3)
    if prefix == "flaky":
        marker = Path(tempfile.gettempdir()) / f"flaky-{event['userName']}"
        if not marker.exists():
            marker.touch()
            time.sleep(3)
    if prefix == "bad":
        return "not an event"
    if prefix == "auto":
        event["response"]["autoConfirmUser"] = True
        event["response"]["autoVerifyEmail"] = True
    if prefix == "crash":
        os._exit(3)
    if prefix == "env":
        raise RuntimeError(f"env {os.environ.get('FAULT_MARKER')} {os.environ.get('EMAIL_CLAIMS_TABLE_NAME')}")
    return event


def fault_custom_message(event: dict[str, Any], context: Any) -> Any:
    request = event["request"]
    if _prefix(event) == "msgfail":
        raise RuntimeError("template missing")
    if _prefix(event) == "nocode":
        event["response"]["emailMessage"] = "This message forgot the code."
        event["response"]["emailSubject"] = "No code"
        return event
    event["response"]["emailSubject"] = f"Test {event['triggerSource']}"
    event["response"]["emailMessage"] = (
        f"<p>Code: {request['codeParameter']}</p><p>User: {request['usernameParameter']}</p>"
        if event["triggerSource"] == "CustomMessage_AdminCreateUser"
        else f"<p>Code: {request['codeParameter']}</p>"
    )
    return event


def fault_post_confirmation(event: dict[str, Any], context: Any) -> Any:
    if _prefix(event) == "postfail":
        raise RuntimeError("profile store down")
    return event


def fault_pre_token_generation(event: dict[str, Any], context: Any) -> Any:
    prefix = _prefix(event)
    if prefix == "tokfail":
        raise RuntimeError("claims unavailable")
    event["response"]["claimsAndScopeOverrideDetails"] = {
        "idTokenGeneration": {
            "claimsToAddOrOverride": {"tier": "gold", "name": "Overridden", "sub": "planted"},
            "claimsToSuppress": ["email_verified", "iss"],
        },
        "accessTokenGeneration": {
            "claimsToAddOrOverride": {"tier": "gold", "entitlements": ["a", "b"]},
            "claimsToSuppress": [],
            "scopesToAdd": ["profile/read"],
            "scopesToSuppress": ["aws.cognito.signin.user.admin"],
        },
        "groupOverrideDetails": {
            "groupsToOverride": [] if prefix == "nogroups" else ["admin"],
            "iamRolesToOverride": [],
            "preferredRole": None,
        },
    }
    return event


# ---------------------------------------------------------------------------------------------- the stack
HANDLERS = {
    "PreSignUp": "fault_pre_sign_up",
    "CustomMessage": "fault_custom_message",
    "PostConfirmation": "fault_post_confirmation",
    "PreTokenGeneration": "fault_pre_token_generation",
}


def function_of(target: dict[str, Any]) -> str:
    """The logical id of the function a LambdaConfig entry invokes: ``Fn::GetAtt [F, Arn]`` or, for a SnapStart
    function, its alias ``Fn::Join [":", [Fn::GetAtt [F, Arn], snapstart]]``."""
    if "Fn::Join" in target:
        target = target["Fn::Join"][1][0]
    return str(target["Fn::GetAtt"][0])


def fault_template() -> dict[str, Any]:
    """The packaged template with this module's handlers behind every trigger (and a 1 s PreSignUp timeout)."""
    document = copy.deepcopy(packaged_template())
    resources = document["Resources"]
    [pool] = [r for r in resources.values() if r["Type"] == "AWS::Cognito::UserPool"]
    config = pool["Properties"]["LambdaConfig"]
    for trigger, handler in HANDLERS.items():
        arn = config[trigger] if trigger in config else config["PreTokenGenerationConfig"]["LambdaArn"]
        function = resources[function_of(arn)]["Properties"]
        function["Handler"] = f"{MODULE}.{handler}"
        function["Environment"]["Variables"]["FAULT_MARKER"] = trigger
        if trigger == "PreSignUp":
            function["Timeout"] = 1
    for resource in resources.values():
        if resource["Type"] == "AWS::Cognito::UserPoolClient":
            resource["Properties"]["ExplicitAuthFlows"].append("ALLOW_ADMIN_USER_PASSWORD_AUTH")
    return document


@pytest.fixture(scope="module")
def stack(stack_from_template: Any) -> LocalStackHandle:
    handle: LocalStackHandle = stack_from_template(fault_template())
    return handle


def email(prefix: str) -> str:
    return f"{prefix}-{os.urandom(5).hex()}@example.com"


def sign_up(stack: LocalStackHandle, address: str) -> dict[str, Any]:
    response: dict[str, Any] = stack.cognito().sign_up(
        ClientId=stack.client_id,
        Username=address,
        Password=PASSWORD,
        SecretHash=stack.secret_hash(address),
        UserAttributes=[{"Name": "name", "Value": "Test User"}],
    )
    return response


def error_of(excinfo: pytest.ExceptionInfo[Any]) -> tuple[str, str]:
    error = excinfo.value.response["Error"]
    return error["Code"], error["Message"]


def sign_in(stack: LocalStackHandle, address: str) -> dict[str, Any]:
    result: dict[str, Any] = stack.cognito().initiate_auth(
        ClientId=stack.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": address, "PASSWORD": PASSWORD, "SECRET_HASH": stack.secret_hash(address)},
    )
    return result["AuthenticationResult"]


def confirmed_user(stack: LocalStackHandle, prefix: str) -> str:
    address = email(prefix)
    sign_up(stack, address)
    with contextlib.suppress(Exception):
        stack.cognito().confirm_sign_up(
            ClientId=stack.client_id,
            Username=address,
            ConfirmationCode=stack.outbox.latest_code(address),
            SecretHash=stack.secret_hash(address),
        )
    return address


# ---------------------------------------------------------------------------------------------- tests
def test_a_raised_error_rejects_the_sign_up_with_cognitos_message(stack: LocalStackHandle) -> None:
    address = email("reject")
    cognito = stack.cognito()
    with pytest.raises(cognito.exceptions.UserLambdaValidationException) as rejected:
        sign_up(stack, address)
    assert error_of(rejected) == ("UserLambdaValidationException", "PreSignUp failed with error nope, not you.")
    assert len(stack.invocations(trigger="PreSignUp", user=address)) == 1  # a function error is not retried
    with pytest.raises(cognito.exceptions.UserNotFoundException):
        cognito.admin_get_user(UserPoolId=stack.pool_id, Username=address)
    assert stack.outbox.messages(address) == []


def test_a_timeout_is_retried_three_times_then_fails(stack: LocalStackHandle) -> None:
    address = email("slow")
    cognito = stack.cognito()
    with pytest.raises(cognito.exceptions.UnexpectedLambdaException) as failed:
        sign_up(stack, address)
    assert error_of(failed) == (
        "UnexpectedLambdaException",
        "PreSignUp invocation failed due to error Socket timeout while invoking Lambda function.",
    )
    attempts = stack.invocations(trigger="PreSignUp", user=address)
    assert [(a["attempt"], a["error"]["kind"]) for a in attempts] == [(1, "timeout"), (2, "timeout"), (3, "timeout")]
    with pytest.raises(cognito.exceptions.UserNotFoundException):
        cognito.admin_get_user(UserPoolId=stack.pool_id, Username=address)


def test_a_retry_after_a_timeout_succeeds(stack: LocalStackHandle) -> None:
    address = email("flaky")
    assert sign_up(stack, address)["UserConfirmed"] is False
    attempts = stack.invocations(trigger="PreSignUp", user=address)
    assert [a["attempt"] for a in attempts] == [1, 2]
    assert attempts[0]["error"]["kind"] == "timeout"
    assert "error" not in attempts[1]
    assert attempts[1]["event"] == attempts[0]["event"]


def test_a_crashed_runtime_is_a_function_error(stack: LocalStackHandle) -> None:
    address = email("crash")
    cognito = stack.cognito()
    with pytest.raises(cognito.exceptions.UserLambdaValidationException) as crashed:
        sign_up(stack, address)
    assert error_of(crashed)[1] == "PreSignUp failed with error Runtime exited with error: exit status 3."
    [attempt] = stack.invocations(trigger="PreSignUp", user=address)
    assert attempt["error"]["type"] == "Runtime.ExitError"
    assert sign_up(stack, email("after"))["UserConfirmed"] is False  # a fresh sandbox serves the next call


def test_a_failed_custom_message_fails_the_call_after_the_user_exists(stack: LocalStackHandle) -> None:
    address = email("msgfail")
    cognito = stack.cognito()
    with pytest.raises(cognito.exceptions.UserLambdaValidationException) as failed:
        sign_up(stack, address)
    assert error_of(failed)[1] == "CustomMessage failed with error template missing."
    assert cognito.admin_get_user(UserPoolId=stack.pool_id, Username=address)["UserStatus"] == "UNCONFIRMED"
    assert stack.outbox.messages(address) == []


def test_output_that_is_not_the_event_is_unrecognizable(stack: LocalStackHandle) -> None:
    cognito = stack.cognito()
    with pytest.raises(cognito.exceptions.InvalidLambdaResponseException) as invalid:
        sign_up(stack, email("bad"))
    assert error_of(invalid) == ("InvalidLambdaResponseException", "Unrecognizable lambda output")


def test_each_function_has_its_own_environment_with_resolved_references(stack: LocalStackHandle) -> None:
    cognito = stack.cognito()
    with pytest.raises(cognito.exceptions.UserLambdaValidationException) as env:
        sign_up(stack, email("env"))
    assert error_of(env)[1] == f"PreSignUp failed with error env PreSignUp {stack.email_claims_table}."


def test_auto_confirm_skips_the_code_and_runs_post_confirmation(stack: LocalStackHandle) -> None:
    address = email("auto")
    response = sign_up(stack, address)
    assert response["UserConfirmed"] is True
    assert "CodeDeliveryDetails" not in response
    assert stack.outbox.messages(address) == []
    user = stack.cognito().admin_get_user(UserPoolId=stack.pool_id, Username=address)
    assert user["UserStatus"] == "CONFIRMED"
    assert {"Name": "email_verified", "Value": "true"} in user["UserAttributes"]
    [post] = stack.invocations(trigger="PostConfirmation", user=address)
    assert post["event"]["triggerSource"] == "PostConfirmation_ConfirmSignUp"
    assert post["event"]["request"]["userAttributes"]["cognito:user_status"] == "CONFIRMED"
    assert post["event"]["request"]["userAttributes"]["cognito:email_alias"] == address


def test_a_failed_post_confirmation_reaches_the_client_but_the_user_stays_confirmed(stack: LocalStackHandle) -> None:
    address = email("postfail")
    sign_up(stack, address)
    cognito = stack.cognito()
    code = stack.outbox.latest_code(address)
    with pytest.raises(cognito.exceptions.UserLambdaValidationException) as failed:
        cognito.confirm_sign_up(
            ClientId=stack.client_id, Username=address, ConfirmationCode=code, SecretHash=stack.secret_hash(address)
        )
    assert error_of(failed) == (
        "UserLambdaValidationException",
        "PostConfirmation failed with error profile store down.",
    )
    assert cognito.admin_get_user(UserPoolId=stack.pool_id, Username=address)["UserStatus"] == "CONFIRMED"
    with pytest.raises(cognito.exceptions.NotAuthorizedException) as again:
        cognito.confirm_sign_up(
            ClientId=stack.client_id, Username=address, ConfirmationCode=code, SecretHash=stack.secret_hash(address)
        )
    assert error_of(again) == ("NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED")


def test_the_custom_message_replaces_the_code_placeholder(stack: LocalStackHandle) -> None:
    address = email("plain")
    sign_up(stack, address)
    [message] = stack.outbox.messages(address)
    assert message["subject"] == "Test CustomMessage_SignUp"
    assert message["body"] == f"<p>Code: {message['code']}</p>"
    assert message["text"] == f"Code: {message['code']}"


def test_a_message_without_the_code_falls_back_to_the_pools_default(stack: LocalStackHandle) -> None:
    address = email("nocode")
    sign_up(stack, address)
    [message] = stack.outbox.messages(address)
    assert message["subject"] == "Your verification code"
    assert message["body"] == f"Your verification code is {message['code']}. "


def test_admin_create_user_sends_the_invitation_with_username_and_temporary_password(stack: LocalStackHandle) -> None:
    address = email("invite")
    cognito = stack.cognito()
    created = cognito.admin_create_user(
        UserPoolId=stack.pool_id,
        Username=address,
        TemporaryPassword="Temporary-Pass-1!",
        UserAttributes=[{"Name": "name", "Value": "Invited"}],
    )
    sub = created["User"]["Username"]
    assert created["User"]["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert {"Name": "sub", "Value": sub} in created["User"]["Attributes"]
    [pre] = stack.invocations(trigger="PreSignUp", user=sub)
    assert pre["event"]["triggerSource"] == "PreSignUp_AdminCreateUser"
    assert pre["event"]["callerContext"]["clientId"] == "CLIENT_ID_NOT_APPLICABLE"
    [message] = stack.outbox.messages(address)
    assert message["trigger_source"] == "CustomMessage_AdminCreateUser"
    assert message["body"] == f"<p>Code: Temporary-Pass-1!</p><p>User: {address}</p>"
    [custom] = stack.invocations(trigger="CustomMessage", user=sub)
    assert custom["event"]["request"]["usernameParameter"] == "{username}"

    challenge = cognito.initiate_auth(
        ClientId=stack.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={
            "USERNAME": address,
            "PASSWORD": "Temporary-Pass-1!",
            "SECRET_HASH": stack.secret_hash(address),
        },
    )
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    done = cognito.respond_to_auth_challenge(
        ClientId=stack.client_id,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": address, "NEW_PASSWORD": PASSWORD, "SECRET_HASH": stack.secret_hash(address)},
    )
    assert "IdToken" in done["AuthenticationResult"]
    [token] = stack.invocations(trigger="PreTokenGeneration", user=sub)
    assert token["event"]["triggerSource"] == "TokenGeneration_NewPasswordChallenge"
    assert stack.invocations(trigger="PostConfirmation", user=sub) == []  # not for admin-created users


def test_pre_token_generation_overrides_reach_both_tokens(stack: LocalStackHandle) -> None:
    from local.tokens import decode  # noqa: PLC0415

    address = confirmed_user(stack, "tokens")
    stack.cognito().admin_add_user_to_group(UserPoolId=stack.pool_id, Username=address, GroupName="user")
    tokens = sign_in(stack, address)
    id_claims, access_claims = decode(tokens["IdToken"]), decode(tokens["AccessToken"])
    sub = access_claims["sub"]

    [invocation] = stack.invocations(trigger="PreTokenGeneration", user=sub)
    assert invocation["event"]["version"] == "2"
    assert invocation["event"]["triggerSource"] == "TokenGeneration_Authentication"
    assert invocation["event"]["request"]["groupConfiguration"] == {
        "groupsToOverride": ["user"],
        "iamRolesToOverride": [],
        "preferredRole": None,
    }
    assert invocation["event"]["request"]["scopes"] == ["aws.cognito.signin.user.admin"]
    assert invocation["event"]["response"] == {"claimsAndScopeOverrideDetails": None}

    assert id_claims["tier"] == "gold"
    assert id_claims["name"] == "Overridden"
    assert id_claims["sub"] == sub  # protected: not overridable
    assert "email_verified" not in id_claims
    assert id_claims["iss"] == f"https://cognito-idp.us-east-1.amazonaws.com/{stack.pool_id}"
    assert id_claims["cognito:groups"] == ["admin"]
    assert access_claims["cognito:groups"] == ["admin"]
    assert access_claims["tier"] == "gold"
    assert access_claims["entitlements"] == ["a", "b"]
    assert access_claims["scope"] == "profile/read"
    # The rewritten access token is still the user's: Cognito accepts it.
    assert stack.cognito().get_user(AccessToken=tokens["AccessToken"])["Username"] == sub


def test_an_empty_group_override_removes_the_groups_claim(stack: LocalStackHandle) -> None:
    from local.tokens import decode  # noqa: PLC0415

    address = confirmed_user(stack, "nogroups")
    stack.cognito().admin_add_user_to_group(UserPoolId=stack.pool_id, Username=address, GroupName="user")
    tokens = sign_in(stack, address)
    assert "cognito:groups" not in decode(tokens["IdToken"])
    assert "cognito:groups" not in decode(tokens["AccessToken"])


def test_a_failing_pre_token_generation_fails_the_sign_in(stack: LocalStackHandle) -> None:
    address = confirmed_user(stack, "tokfail")
    cognito = stack.cognito()
    with pytest.raises(cognito.exceptions.UserLambdaValidationException) as failed:
        sign_in(stack, address)
    assert error_of(failed) == (
        "UserLambdaValidationException",
        "PreTokenGeneration failed with error claims unavailable.",
    )


def test_admin_initiate_auth_checks_the_secret_hash_and_runs_the_trigger(stack: LocalStackHandle) -> None:
    from local.tokens import decode  # noqa: PLC0415

    address = confirmed_user(stack, "admin")
    cognito = stack.cognito()

    def admin_sign_in(secret_hash: str) -> dict[str, Any]:
        result: dict[str, Any] = cognito.admin_initiate_auth(
            UserPoolId=stack.pool_id,
            ClientId=stack.client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": address, "PASSWORD": PASSWORD, "SECRET_HASH": secret_hash},
        )
        return result

    with pytest.raises(cognito.exceptions.NotAuthorizedException) as refused:
        admin_sign_in("d3Jvbmc=")
    assert error_of(refused)[1] == f"Unable to verify secret hash for client {stack.client_id}"
    tokens = admin_sign_in(stack.secret_hash(address))["AuthenticationResult"]
    sub = decode(tokens["AccessToken"])["sub"]
    [invocation] = stack.invocations(trigger="PreTokenGeneration", user=sub)
    assert invocation["event"]["triggerSource"] == "TokenGeneration_Authentication"
    assert decode(tokens["IdToken"])["tier"] == "gold"


# ---------------------------------------------------------------------------------------------- V1 events
def fault_pre_token_v1(event: dict[str, Any], context: Any) -> Any:
    event["response"]["claimsOverrideDetails"] = {
        "claimsToAddOrOverride": {"tier": "silver", "aud": "planted"},
        "claimsToSuppress": ["name"],
        "groupOverrideDetails": {
            "groupsToOverride": ["admin", "user"],
            "iamRolesToOverride": [],
            "preferredRole": None,
        },
    }
    return event


@pytest.fixture(scope="module")
def v1_stack(stack_from_template: Any) -> LocalStackHandle:
    document = fault_template()
    resources = document["Resources"]
    [pool] = [r for r in resources.values() if r["Type"] == "AWS::Cognito::UserPool"]
    config = pool["Properties"]["LambdaConfig"]
    function = resources[function_of(config["PreTokenGenerationConfig"]["LambdaArn"])]["Properties"]
    function["Handler"] = f"{MODULE}.fault_pre_token_v1"
    config["PreTokenGenerationConfig"]["LambdaVersion"] = "V1_0"
    handle: LocalStackHandle = stack_from_template(document)
    return handle


def test_a_v1_response_changes_the_id_token_and_the_groups_of_both(v1_stack: LocalStackHandle) -> None:
    from local.tokens import decode  # noqa: PLC0415

    address = confirmed_user(v1_stack, "v1")
    tokens = sign_in(v1_stack, address)
    id_claims, access_claims = decode(tokens["IdToken"]), decode(tokens["AccessToken"])
    [invocation] = v1_stack.invocations(trigger="PreTokenGeneration", user=access_claims["sub"])
    assert invocation["event"]["version"] == "1"
    assert "scopes" not in invocation["event"]["request"]
    assert invocation["event"]["response"] == {"claimsOverrideDetails": None}
    assert id_claims["tier"] == "silver"
    assert id_claims["aud"] == v1_stack.client_id  # protected
    assert "name" not in id_claims
    assert id_claims["cognito:groups"] == access_claims["cognito:groups"] == ["admin", "user"]
    assert "tier" not in access_claims  # V1 never touches the access token's claims
    assert access_claims["scope"] == "aws.cognito.signin.user.admin"
