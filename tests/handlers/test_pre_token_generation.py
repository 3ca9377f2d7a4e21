"""The pre-token-generation handler on real-shaped V1, V2 and V3 events: exact response objects for every source,
planted claims, machine tokens, and the profile path on DynamoDB (moto in-process, and a server that never answers).
"""

from __future__ import annotations

import copy
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from moto import mock_aws

import triggers.pre_token_generation as trigger
from common.claims import ClaimsIssuer, ClaimsSettings, GuardedProfileStore
from common.errors import UserFacingError
from common.profiles.dynamodb import DynamoDbProfileStore
from tests.events import load_event
from tests.lambda_context import FakeLambdaContext
from tests.profiles_support import create_table, stack_resources

SUB = "6f5e4d3c-2b1a-4098-8765-43210fedcba9"
TABLE = "profiles-claims-test"
SOURCES = {
    "TokenGeneration_HostedAuth": "hosted-auth",
    "TokenGeneration_Authentication": "authentication",
    "TokenGeneration_NewPasswordChallenge": "new-password-challenge",
    "TokenGeneration_AuthenticateDevice": "authenticate-device",
    "TokenGeneration_RefreshTokens": "refresh-tokens",
}
SELF_SERVICE = "aws.cognito.signin.user.admin"


def v1_event(name: str) -> dict[str, Any]:
    """The V1 form of a sample sign-in: what a pool on ``LambdaVersion: V1_0`` sends (no scopes)."""
    event = load_event(f"pre-token-generation.{name}")
    event["version"] = "1"
    del event["request"]["scopes"]
    event["response"] = {"claimsOverrideDetails": None}
    return event


def event_for(source: str, version: str) -> dict[str, Any]:
    name = SOURCES[source]
    if version == "1":
        return v1_event(name)
    return load_event(f"pre-token-generation.{name}" + (".v3" if version == "3" else ""))


def groups_of(event: dict[str, Any]) -> dict[str, Any]:
    return {
        "groupsToOverride": list(event["request"]["groupConfiguration"]["groupsToOverride"]),
        "iamRolesToOverride": [],
        "preferredRole": None,
    }


def expected_response(event: dict[str, Any], role: str | None, suppress: list[str]) -> dict[str, Any]:
    """The exact response for the documented mapping (user: profile scopes; admin: plus admin/users)."""
    claims = {"role": role} if role else {}
    suppressed = suppress if role else [*suppress, "role"]
    if event["version"] == "1":
        return {
            "claimsOverrideDetails": {
                "claimsToAddOrOverride": claims,
                "claimsToSuppress": suppressed,
                "groupOverrideDetails": groups_of(event),
            },
        }
    scopes = {
        "admin": ["admin/users", "profile/read", "profile/write"],
        "user": ["profile/read", "profile/write"],
        None: [],
    }[role]
    return {
        "claimsAndScopeOverrideDetails": {
            "idTokenGeneration": {"claimsToAddOrOverride": claims, "claimsToSuppress": suppressed},
            "accessTokenGeneration": {
                "claimsToAddOrOverride": dict(claims),
                "claimsToSuppress": list(suppressed),
                "scopesToAdd": scopes,
                "scopesToSuppress": [],
            },
            "groupOverrideDetails": groups_of(event),
        },
    }


def invoke(event: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = trigger.handler(event, FakeLambdaContext())
    assert result is event
    return result


@pytest.mark.parametrize("version", ["1", "2", "3"])
@pytest.mark.parametrize("source", sorted(SOURCES))
def test_every_source_and_version_gets_the_exact_response(source: str, version: str) -> None:
    event = event_for(source, version)
    before = copy.deepcopy(event)
    role = "admin" if "admin" in event["request"]["groupConfiguration"]["groupsToOverride"] else "user"
    result = invoke(event)
    assert result == {**before, "response": expected_response(before, role, [])}


def test_the_admin_sample_exactly() -> None:
    result = invoke(load_event("pre-token-generation.authentication.v3"))
    assert result["response"] == {
        "claimsAndScopeOverrideDetails": {
            "idTokenGeneration": {"claimsToAddOrOverride": {"role": "admin"}, "claimsToSuppress": []},
            "accessTokenGeneration": {
                "claimsToAddOrOverride": {"role": "admin"},
                "claimsToSuppress": [],
                "scopesToAdd": ["admin/users", "profile/read", "profile/write"],
                "scopesToSuppress": [],
            },
            "groupOverrideDetails": {
                "groupsToOverride": ["admin", "user"],
                "iamRolesToOverride": [],
                "preferredRole": None,
            },
        },
    }


def test_the_v1_sample_exactly() -> None:
    result = invoke(load_event("pre-token-generation.authentication.v1"))
    assert result["response"] == {
        "claimsOverrideDetails": {
            "claimsToAddOrOverride": {"role": "user"},
            "claimsToSuppress": [],
            "groupOverrideDetails": {"groupsToOverride": ["user"], "iamRolesToOverride": [], "preferredRole": None},
        },
    }


@pytest.mark.parametrize("version", ["1", "2", "3"])
def test_a_planted_admin_attribute_is_ignored_and_suppressed(version: str) -> None:
    event = event_for("TokenGeneration_Authentication", version)
    event["request"]["groupConfiguration"]["groupsToOverride"] = ["user"]
    event["request"]["userAttributes"]["custom:role"] = "admin"
    before = copy.deepcopy(event)
    result = invoke(event)
    assert result == {**before, "response": expected_response(before, "user", ["custom:role"])}


def test_a_user_asking_for_admin_scopes_loses_them() -> None:
    event = load_event("pre-token-generation.hosted-auth", scopes=["openid", "admin/users", SELF_SERVICE])
    access = invoke(event)["response"]["claimsAndScopeOverrideDetails"]["accessTokenGeneration"]
    assert access["scopesToAdd"] == ["profile/read", "profile/write"]
    assert access["scopesToSuppress"] == ["admin/users"]


def test_a_machine_token_passes_through_unchanged() -> None:
    event = load_event("pre-token-generation.client-credentials.v3")
    before = copy.deepcopy(event)
    assert invoke(event) == before


def test_an_event_of_unknown_version_fails_closed_with_a_safe_message() -> None:
    event = load_event("pre-token-generation.hosted-auth")
    event["version"] = "7"
    event["response"] = {}
    with pytest.raises(UserFacingError) as caught:
        invoke(event)
    assert caught.value.code == "INTERNAL_ERROR"


def test_the_handler_builds_the_dynamodb_store_from_its_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(trigger, "SETTINGS", ClaimsSettings(profile_table_name="cognito-users-dev-profiles"))
    store = trigger._profile_store()
    assert isinstance(store, DynamoDbProfileStore)
    assert store.table_name == "cognito-users-dev-profiles"


# ------------------------------------------------------------------ the profile path on DynamoDB


@pytest.fixture
def dynamodb() -> Iterator[Any]:
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        create_table(client, "ProfilesTable", TABLE)
        yield client


def use_store(monkeypatch: pytest.MonkeyPatch, client: Any, timeout: float = 2.0) -> None:
    guarded = GuardedProfileStore(lambda: DynamoDbProfileStore(TABLE, client), timeout)
    issuer = ClaimsIssuer(
        ClaimsSettings(profile_table_name=TABLE, profile_timeout_seconds=timeout),
        guarded,
        canonical_email=str.lower,
        clock=lambda: "2026-11-26T09:30:00Z",
    )
    monkeypatch.setattr(trigger, "ISSUER", issuer)


def groupless_event() -> dict[str, Any]:
    event = load_event("pre-token-generation.authentication")
    event["request"]["groupConfiguration"]["groupsToOverride"] = []
    return event


def test_self_repair_writes_the_exact_item_once_across_retries(monkeypatch: pytest.MonkeyPatch, dynamodb: Any) -> None:
    use_store(monkeypatch, dynamodb)
    for _ in range(3):
        event = groupless_event()
        before = copy.deepcopy(event)
        assert invoke(event) == {**before, "response": expected_response(before, "user", [])}
    items = dynamodb.scan(TableName=TABLE)["Items"]
    assert items == [
        {
            "userId": {"S": SUB},
            "email": {"S": "jane.doe@example.com"},
            "emailVerified": {"BOOL": True},
            "name": {"S": "Jane Doe"},
            "locale": {"S": "en"},
            "role": {"S": "user"},
            "createdAt": {"S": "2026-11-26T09:30:00Z"},
            "updatedAt": {"S": "2026-11-26T09:30:00Z"},
        },
    ]


def test_an_existing_profile_is_read_not_rewritten(monkeypatch: pytest.MonkeyPatch, dynamodb: Any) -> None:
    item = {
        "userId": {"S": SUB},
        "email": {"S": "jane.doe@example.com"},
        "emailVerified": {"BOOL": True},
        "role": {"S": "admin"},
        "createdAt": {"S": "2026-11-01T00:00:00Z"},
        "updatedAt": {"S": "2026-11-01T00:00:00Z"},
    }
    dynamodb.put_item(TableName=TABLE, Item=item)
    use_store(monkeypatch, dynamodb)
    event = groupless_event()
    before = copy.deepcopy(event)
    # The profile says admin, but without the admin group it only ever affirms the base role.
    assert invoke(event) == {**before, "response": expected_response(before, "user", [])}
    assert dynamodb.scan(TableName=TABLE)["Items"] == [item]


def test_a_missing_table_degrades_to_group_claims(monkeypatch: pytest.MonkeyPatch, dynamodb: Any) -> None:
    dynamodb.delete_table(TableName=TABLE)
    use_store(monkeypatch, dynamodb)
    event = groupless_event()
    before = copy.deepcopy(event)
    assert invoke(event) == {**before, "response": expected_response(before, None, [])}


@pytest.fixture
def silent_endpoint() -> Iterator[str]:
    """A TCP server on 127.0.0.1 that accepts connections and never answers: a DynamoDB that hangs."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}"
    finally:
        server.close()


def test_a_hanging_dynamodb_degrades_within_the_deadline(monkeypatch: pytest.MonkeyPatch, silent_endpoint: str) -> None:
    client = boto3.client(
        "dynamodb",
        region_name="us-east-1",
        endpoint_url=silent_endpoint,
        config=Config(connect_timeout=0.5, read_timeout=0.5, retries={"max_attempts": 1}),
    )
    use_store(monkeypatch, client, timeout=0.1)
    event = groupless_event()
    before = copy.deepcopy(event)
    assert invoke(event) == {**before, "response": expected_response(before, None, [])}


def test_the_iam_role_allows_exactly_the_calls_the_code_makes(monkeypatch: pytest.MonkeyPatch, dynamodb: Any) -> None:
    calls: set[str] = set()
    dynamodb.meta.events.register("before-call.dynamodb.*", lambda model, **_: calls.add(f"dynamodb:{model.name}"))
    use_store(monkeypatch, dynamodb)
    invoke(groupless_event())  # read, repair
    invoke(groupless_event())  # read
    invoke(load_event("pre-token-generation.authentication"))  # groups decide: nothing
    statements = stack_resources()["PreTokenGenerationRole"]["Properties"]["Policies"]
    granted = {
        action
        for policy in statements
        if policy["PolicyName"] == "profiles"
        for statement in policy["PolicyDocument"]["Statement"]
        for action in statement["Action"]
    }
    assert calls == granted == {"dynamodb:GetItem", "dynamodb:PutItem"}


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("ROLE_CLAIM_NAME", "sub", "ROLE_CLAIM_NAME names the claim 'sub', which Cognito reserves"),
        ("CLAIMS_TO_SUPPRESS", "aud", "CLAIMS_TO_SUPPRESS names the claim 'aud', which Cognito reserves"),
        ("CLAIMS_MAX_BYTES", "64", "CLAIMS_MAX_BYTES=64 is below the 70 bytes"),
    ],
)
def test_a_bad_configuration_stops_the_function_at_cold_start(variable: str, value: str, message: str) -> None:
    """The handler module reads its settings at import: Lambda reports an init error, no sign-in is attempted."""
    env = {**os.environ, variable: value}
    result = subprocess.run(
        [sys.executable, "-c", "import triggers.pre_token_generation"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert f"common.errors.ConfigurationError: {message}" in result.stderr
