"""The post-confirmation Lambda handler end to end in-process: realistic events, moto for DynamoDB and Cognito
(tables and group built from serverless.yml), the real wiring, and what the logs and metrics show."""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import EndpointConnectionError
from moto import mock_aws

import triggers.post_confirmation as trigger
from common.aws import cognito_client, dynamodb_client, reset_clients
from common.errors import UserFacingError
from common.i18n import translate
from common.profiles.post_confirmation import PostConfirmationFunction, PostConfirmationSettings, build_onboarding
from tests.events import load_event
from tests.lambda_context import FakeLambdaContext
from tests.profiles_support import Ticking, create_table

PROFILES = "profiles-handler-test"
CLAIMS = "claims-handler-test"
INTERNAL = "Something went wrong on our side. Please try again in a moment. [INTERNAL_ERROR]"


@dataclasses.dataclass
class Stack:
    pool_id: str
    sub: str
    dynamodb: Any
    cognito: Any


@pytest.fixture
def stack(monkeypatch: pytest.MonkeyPatch) -> Iterator[Stack]:
    monkeypatch.setenv("PROFILE_TABLE_NAME", PROFILES)
    monkeypatch.setenv("EMAIL_CLAIMS_TABLE_NAME", CLAIMS)
    monkeypatch.setenv("DEFAULT_GROUP", "user")
    with mock_aws():
        reset_clients()
        trigger.services.cache_clear()
        dynamodb, cognito = dynamodb_client(), cognito_client()
        create_table(dynamodb, "ProfilesTable", PROFILES)
        create_table(dynamodb, "EmailClaimsTable", CLAIMS)
        pool_id = cognito.create_user_pool(PoolName="test", UsernameAttributes=["email"])["UserPool"]["Id"]
        cognito.create_group(UserPoolId=pool_id, GroupName="user")
        cognito.create_group(UserPoolId=pool_id, GroupName="admin")
        user = cognito.admin_create_user(
            UserPoolId=pool_id,
            Username="jane.doe@example.com",
            UserAttributes=[{"Name": "email", "Value": "jane.doe@example.com"}, {"Name": "name", "Value": "Jane Doe"}],
            MessageAction="SUPPRESS",
        )["User"]
        sub = next(a["Value"] for a in user["Attributes"] if a["Name"] == "sub")
        settings = PostConfirmationSettings.from_env()
        onboarding = dataclasses.replace(build_onboarding(settings), clock=Ticking())
        function = PostConfirmationFunction(settings, onboarding, cold_start_seconds=0.0)
        monkeypatch.setattr(trigger, "services", lambda: function)
        yield Stack(pool_id=pool_id, sub=sub, dynamodb=dynamodb, cognito=cognito)
        reset_clients()


def event_for(stack: Stack, name: str = "post-confirmation.confirm-sign-up", **overrides: Any) -> dict[str, Any]:
    event = load_event(name, **overrides)
    event["userPoolId"] = stack.pool_id
    event["userName"] = stack.sub
    event["request"]["userAttributes"]["sub"] = stack.sub
    return event


def profile_item(stack: Stack) -> dict[str, Any] | None:
    item: dict[str, Any] | None = stack.dynamodb.get_item(TableName=PROFILES, Key={"userId": {"S": stack.sub}}).get(
        "Item"
    )
    return item


def groups_of(stack: Stack) -> list[str]:
    response = stack.cognito.admin_list_groups_for_user(UserPoolId=stack.pool_id, Username=stack.sub)
    return [g["GroupName"] for g in response["Groups"]]


def output_records(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def log_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    """Each log record as the JSON Powertools would print: message, level and the ``extra`` keys."""
    return [{**vars(r), "message": r.getMessage(), "level": r.levelname} for r in caplog.records]


def metric_names(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Metric name -> values from the EMF blobs Powertools printed."""
    found: dict[str, Any] = {}
    for record in records:
        for directive in record.get("_aws", {}).get("CloudWatchMetrics", []):
            for metric in directive["Metrics"]:
                value = record[metric["Name"]]
                found[metric["Name"]] = value if isinstance(value, list) else [value]
    return found


def expected_item(stack: Stack, at: str = "2026-11-26T08:40:17Z") -> dict[str, Any]:
    return {
        "userId": {"S": stack.sub},
        "email": {"S": "jane.doe@example.com"},
        "emailVerified": {"BOOL": True},
        "name": {"S": "Jane Doe"},
        "locale": {"S": "en"},
        "role": {"S": "user"},
        "createdAt": {"S": at},
        "updatedAt": {"S": at},
    }


def test_confirm_sign_up_writes_the_exact_item_adds_the_group_and_confirms_the_claim(
    stack: Stack, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    event = event_for(stack)
    event["request"]["userAttributes"]["email"] = "Jane.Doe@Example.com"  # canonicalized before it is stored

    result = trigger.handler(event, FakeLambdaContext())

    assert result is event
    assert result["response"] == {}
    assert profile_item(stack) == expected_item(stack)
    assert groups_of(stack) == ["user"]
    claim = stack.dynamodb.get_item(TableName=CLAIMS, Key={"email": {"S": "jane.doe@example.com"}})["Item"]
    assert (claim["userName"], claim["status"], "expiresAt" in claim) == ({"S": stack.sub}, {"S": "CONFIRMED"}, False)
    metrics = metric_names(output_records(capfd.readouterr().out))
    assert (metrics["ProfileCreated"], metrics["DefaultGroupAdded"], metrics["EmailClaimConfirmed"]) == (
        [1.0],
        [1.0],
        [1.0],
    )
    summary = next(r for r in log_lines(caplog) if r["message"] == "post-confirmation sign-up")
    assert (summary["user_id"], summary["profile"], summary["group"], summary["claim"]) == (
        stack.sub,
        "done",
        "done",
        "done",
    )


def test_three_retried_invocations_leave_one_item_with_the_first_created_at(
    stack: Stack, capfd: pytest.CaptureFixture[str]
) -> None:
    for _ in range(3):
        event = event_for(stack)
        assert trigger.handler(event, FakeLambdaContext()) is event

    assert stack.dynamodb.scan(TableName=PROFILES)["Items"] == [expected_item(stack)]
    assert groups_of(stack) == ["user"]
    created = [metric_names([r]).get("ProfileCreated") for r in output_records(capfd.readouterr().out)]
    assert [c for c in created if c is not None] == [[1.0]]


def test_concurrent_invocations_all_succeed_and_leave_one_item(stack: Stack) -> None:
    """Cognito may run a retry while the first invocation is still going. (moto does not make a conditional put
    atomic, so which twin wins is not asserted here; tests/unit/test_profiles_onboarding.py proves exactly one
    creation against a store that is atomic like DynamoDB.)"""
    start = threading.Barrier(6)
    results: list[Any] = []

    def invoke() -> None:
        event = event_for(stack)
        start.wait()
        try:
            results.append(trigger._handle(event, FakeLambdaContext()) is event)  # without the metrics flush
        except Exception as exc:  # pragma: no cover - reported by the assertion below
            results.append(exc)

    threads = [threading.Thread(target=invoke) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    trigger.metrics.clear_metrics()

    assert results == [True] * 6
    items = stack.dynamodb.scan(TableName=PROFILES)["Items"]
    assert len(items) == 1
    assert items[0] == expected_item(stack, items[0]["createdAt"]["S"])
    assert groups_of(stack) == ["user"]


def test_retries_report_that_the_profile_already_existed(stack: Stack, capfd: pytest.CaptureFixture[str]) -> None:
    trigger.handler(event_for(stack), FakeLambdaContext())
    capfd.readouterr()
    trigger.handler(event_for(stack), FakeLambdaContext())
    metrics = metric_names(output_records(capfd.readouterr().out))
    assert metrics["ProfileAlreadyExisted"] == [1.0]
    assert "ProfileCreated" not in metrics


def throttle_put_item(stack: Stack, attempts: list[str] | None = None) -> Any:
    """Make every PutItem on the profiles table answer as a throttled DynamoDB would (through botocore's real
    retry handling), recording each attempt in ``attempts``; returns the event handler (to unregister it)."""
    attempts = [] if attempts is None else attempts
    body = json.dumps(
        {
            "__type": "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
            "message": "The level of configured provisioned throughput for the table was exceeded.",
        }
    ).encode()

    class Raw:
        def stream(self, **_: Any) -> Iterator[bytes]:
            yield body

    def throttled(request: Any, **_: Any) -> AWSResponse | None:
        if PROFILES.encode() not in (request.body or b""):
            return None
        attempts.append("PutItem")
        # botocore still calls moto's own before-send handler (it ignores its answer, ours came first): point the
        # request at a table that does not exist so that moto writes nothing.
        request.body = request.body.replace(PROFILES.encode(), b"no-such-table")
        return AWSResponse(request.url, 400, {"x-amzn-RequestId": "throttled"}, Raw())

    stack.dynamodb.meta.events.register_first("before-send.dynamodb.PutItem", throttled)
    return throttled


def test_a_throttled_profile_write_fails_the_request_with_a_user_safe_error(
    stack: Stack, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    attempts: list[str] = []
    throttle_put_item(stack, attempts)

    with pytest.raises(UserFacingError) as caught:
        trigger.handler(event_for(stack), FakeLambdaContext())

    assert (caught.value.code, str(caught.value)) == ("INTERNAL_ERROR", INTERNAL)
    assert attempts == ["PutItem", "PutItem"]  # the client's one retry, then the failure
    assert profile_item(stack) is None
    assert groups_of(stack) == ["user"]  # the independent steps still ran
    output = capfd.readouterr().out
    assert metric_names(output_records(output))["ProfileWriteFailed"] == [1.0]
    lines = log_lines(caplog)
    failure = next(r for r in lines if r["message"] == "post-confirmation profile write failed")
    assert (failure["level"], failure["user_id"], failure["step"], failure["status"], failure["error"]) == (
        "ERROR",
        stack.sub,
        "profile",
        "failed",
        f"DynamoDB PutItem on {PROFILES} failed: ProvisionedThroughputExceededException",
    )
    assert "jane" not in (output + repr(lines)).lower()


def test_the_failure_text_follows_the_users_language(stack: Stack) -> None:
    throttle_put_item(stack)
    with pytest.raises(UserFacingError) as caught:
        trigger.handler(event_for(stack, clientMetadata={"locale": "ko-KR"}), FakeLambdaContext())
    assert (caught.value.code, caught.value.message) == ("INTERNAL_ERROR", translate("error.internal", "ko"))
    assert caught.value.message != translate("error.internal", "en")


def test_the_next_invocation_repairs_a_failed_write(stack: Stack) -> None:
    handler = throttle_put_item(stack)
    with pytest.raises(UserFacingError):
        trigger.handler(event_for(stack), FakeLambdaContext())
    stack.dynamodb.meta.events.unregister("before-send.dynamodb.PutItem", handler)
    trigger.handler(event_for(stack), FakeLambdaContext())
    item = profile_item(stack)
    assert item is not None
    assert item["createdAt"] == {"S": "2026-11-26T08:40:18Z"}  # the second invocation's clock reading


def test_forgot_password_records_only_the_reset_time(stack: Stack, capfd: pytest.CaptureFixture[str]) -> None:
    trigger.handler(event_for(stack), FakeLambdaContext())
    event = event_for(stack, "post-confirmation.confirm-forgot-password")

    assert trigger.handler(event, FakeLambdaContext()) is event

    assert profile_item(stack) == {
        **expected_item(stack),
        "passwordResetAt": {"S": "2026-11-26T08:40:18Z"},
        "updatedAt": {"S": "2026-11-26T08:40:18Z"},
    }
    assert event["response"] == {}
    assert metric_names(output_records(capfd.readouterr().out))["PasswordResetRecorded"] == [1.0]


def test_forgot_password_without_a_profile_creates_nothing_and_succeeds(
    stack: Stack, capfd: pytest.CaptureFixture[str]
) -> None:
    event = event_for(stack, "post-confirmation.confirm-forgot-password")

    assert trigger.handler(event, FakeLambdaContext()) is event

    assert stack.dynamodb.scan(TableName=PROFILES)["Count"] == 0
    assert groups_of(stack) == []  # a password reset never joins a group
    assert metric_names(output_records(capfd.readouterr().out))["PasswordResetProfileMissing"] == [1.0]


def test_forgot_password_write_failure_is_logged_and_counted_but_not_shown(
    stack: Stack, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    trigger.handler(event_for(stack), FakeLambdaContext())
    capfd.readouterr()

    def unreachable(**_: Any) -> None:
        raise EndpointConnectionError(endpoint_url="https://dynamodb.us-east-1.amazonaws.com")

    stack.dynamodb.meta.events.register_first("before-send.dynamodb.UpdateItem", unreachable)
    event = event_for(stack, "post-confirmation.confirm-forgot-password")

    assert trigger.handler(event, FakeLambdaContext()) is event

    assert metric_names(output_records(capfd.readouterr().out))["PasswordResetWriteFailed"] == [1.0]
    failure = next(r for r in log_lines(caplog) if r["message"] == "post-confirmation password-reset write failed")
    assert failure["error"] == f"DynamoDB UpdateItem on {PROFILES} failed: EndpointConnectionError"
    assert profile_item(stack) == expected_item(stack)


@pytest.mark.parametrize(
    ("initialization_type", "first_budget"),
    [
        ("on-demand", 0.0),  # a 10-minute "init" on the request's clock: nothing left (never happens on demand)
        ("provisioned-concurrency", 2.5),  # initialized long before the request: the whole budget
    ],
)
def test_the_init_phase_counts_only_when_it_ran_on_the_requests_clock(
    stack: Stack, monkeypatch: pytest.MonkeyPatch, initialization_type: str, first_budget: float
) -> None:
    monkeypatch.setenv("AWS_LAMBDA_INITIALIZATION_TYPE", initialization_type)
    function = PostConfirmationFunction.from_env(init_seconds=600.0)
    assert function.budget(5000) == pytest.approx(first_budget)
    assert function.budget(5000) == pytest.approx(2.5)  # later invocations: the whole budget


def test_a_normal_on_demand_cold_start_keeps_the_whole_budget(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand")
    assert PostConfirmationFunction.from_env(init_seconds=0.5).budget(5000) == pytest.approx(2.5)


def test_missing_configuration_fails_loudly_on_the_first_event(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROFILE_TABLE_NAME", raising=False)
    trigger.services.cache_clear()
    event = load_event("post-confirmation.confirm-sign-up")
    with pytest.raises(UserFacingError) as caught:  # the wrapper masks it for the user...
        trigger.handler(event, FakeLambdaContext())
    assert caught.value.code == "INTERNAL_ERROR"
    trigger.services.cache_clear()
