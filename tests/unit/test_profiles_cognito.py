"""The Cognito data access of the profile package, and the reconcile command with its real wiring, on moto
in-process (no network, no account)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from common.aws import cognito_client, dynamodb_client, reset_clients
from common.errors import DependencyError
from common.profiles.cognito import CognitoGroups, CognitoUserDirectory
from common.profiles.reconcile_cli import EXIT_OK, main
from tests.profiles_support import create_table

PROFILES = "profiles-reconcile-test"
CLAIMS = "claims-reconcile-test"


@pytest.fixture
def pool(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, str, list[str]]]:
    for name in ("USER_POOL_ID", "PROFILE_TABLE_NAME", "EMAIL_CLAIMS_TABLE_NAME"):
        monkeypatch.delenv(name, raising=False)
    with mock_aws():
        reset_clients()
        cognito = cognito_client()
        pool_id = cognito.create_user_pool(PoolName="p", UsernameAttributes=["email"])["UserPool"]["Id"]
        cognito.create_group(UserPoolId=pool_id, GroupName="user")
        subs = []
        for n in range(5):
            created = cognito.admin_create_user(
                UserPoolId=pool_id,
                Username=f"user{n}@example.com",
                UserAttributes=[{"Name": "email", "Value": f"User{n}@Example.com"}],
                MessageAction="SUPPRESS",
            )["User"]
            subs.append(next(a["Value"] for a in created["Attributes"] if a["Name"] == "sub"))
            # Confirm them (a permanent password moves FORCE_CHANGE_PASSWORD to CONFIRMED).
            cognito.admin_set_user_password(
                UserPoolId=pool_id, Username=created["Username"], Password="Correct-Horse-9!", Permanent=True
            )
        yield cognito, pool_id, subs
        reset_clients()


def test_list_users_pages_with_the_pagination_token(pool: tuple[Any, str, list[str]]) -> None:
    cognito, pool_id, subs = pool
    directory = CognitoUserDirectory(pool_id, cognito)
    seen, token, pages = [], None, 0
    while True:
        page = directory.list_users(token, limit=2)
        pages += 1
        seen.extend(page.users)
        token = page.next_token
        if token is None:
            break
    assert pages == 3
    assert sorted(u.attributes["sub"] for u in seen) == sorted(subs)
    assert {u.status for u in seen} == {"CONFIRMED"}
    assert all(u.enabled for u in seen)


def test_group_membership_is_added_idempotently_and_listed(pool: tuple[Any, str, list[str]]) -> None:
    cognito, pool_id, _ = pool
    directory = CognitoUserDirectory(pool_id, cognito)
    username = directory.list_users(None).users[0].username
    CognitoGroups(cognito).add_to_group(pool_id, username, "user")
    CognitoGroups(cognito).add_to_group(pool_id, username, "user")  # again: no error, no change
    members = directory.list_group_members("user", None)
    assert [u.username for u in members.users] == [username]
    assert members.next_token is None


def test_cognito_failures_become_dependency_errors_with_the_code() -> None:
    client = boto3.client("cognito-idp", region_name="us-east-1")
    stub = Stubber(client)
    stub.add_client_error("admin_add_user_to_group", service_error_code="TooManyRequestsException")
    stub.add_client_error("list_users", service_error_code="TooManyRequestsException")
    with stub:
        with pytest.raises(DependencyError, match=r"^Cognito AdminAddUserToGroup failed: TooManyRequestsException$"):
            CognitoGroups(client).add_to_group("us-east-1_X", "u", "user")
        with pytest.raises(DependencyError, match=r"^Cognito ListUsers failed: TooManyRequestsException$"):
            CognitoUserDirectory("us-east-1_X", client).list_users(None)


def test_the_command_repairs_a_pool_through_its_real_wiring(
    pool: tuple[Any, str, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cognito, pool_id, subs = pool
    dynamodb = dynamodb_client()
    create_table(dynamodb, "ProfilesTable", PROFILES)
    create_table(dynamodb, "EmailClaimsTable", CLAIMS)
    args = ["--pool-id", pool_id, "--profiles-table", PROFILES, "--claims-table", CLAIMS, "--rate", "25"]
    checkpoint = ["--checkpoint", str(tmp_path / "c.json")]

    assert main([*args, *checkpoint]) == EXIT_OK  # dry run
    assert dynamodb.scan(TableName=PROFILES)["Count"] == 0
    assert "profiles: 0 present, 5 missing, 0 created" in capsys.readouterr().out

    assert main([*args, *checkpoint, "--apply"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "profiles: 0 present, 5 missing, 5 created" in out
    assert "group 'user': 0 members, 5 missing, 5 added" in out
    assert "@" not in out
    items = dynamodb.scan(TableName=PROFILES)["Items"]
    assert sorted(i["userId"]["S"] for i in items) == sorted(subs)
    assert {i["email"]["S"] for i in items} == {f"user{n}@example.com" for n in range(5)}
    assert {i["role"]["S"] for i in items} == {"user"}
    claims = dynamodb.scan(TableName=CLAIMS)["Items"]
    assert sorted((c["email"]["S"], c["status"]["S"]) for c in claims) == [
        (f"user{n}@example.com", "CONFIRMED") for n in range(5)
    ]
    members = cognito.list_users_in_group(UserPoolId=pool_id, GroupName="user")["Users"]
    assert len(members) == 5

    assert main([*args, *checkpoint, "--apply"]) == EXIT_OK  # repeatable: nothing left to do
    assert "profiles: 5 present, 0 missing, 0 created" in capsys.readouterr().out


def test_the_command_needs_a_pool_and_a_table(pool: tuple[Any, str, list[str]]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([])
    assert exited.value.code == 2
