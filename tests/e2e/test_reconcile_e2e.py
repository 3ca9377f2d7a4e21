"""A failed post-confirmation write, and ``scripts/reconcile`` repairing it, through a local stack.

The fault is real, not mocked: a copy of the packaged template points the post-confirmation function's
``PROFILE_TABLE_NAME`` at a table that does not exist, so our handler's conditional put fails the way a throttled
or unavailable DynamoDB would. Cognito has already confirmed the user by then: the client gets the user-safe
INTERNAL_ERROR, the user exists without a profile, and reconcile (run as the operator would, the script in a
subprocess against the stack's endpoint) finds them and creates the profile.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from common.errors import parse_trigger_error
from tests.e2e.conftest import ROOT, LocalStackHandle, packaged_template

pytestmark = pytest.mark.e2e

PASSWORD = "Correct-Horse-9-Battery"


@pytest.fixture(scope="module")
def broken_stack(stack_from_template: Any) -> LocalStackHandle:
    document = copy.deepcopy(packaged_template())
    variables = document["Resources"]["PostConfirmationLambdaFunction"]["Properties"]["Environment"]["Variables"]
    variables["PROFILE_TABLE_NAME"] = "no-such-profiles-table"
    stack: LocalStackHandle = stack_from_template(document)
    return stack


def reconcile(stack: LocalStackHandle, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "AWS_ENDPOINT_URL": stack.endpoint_url,
        "AWS_REGION": stack.region,
        "AWS_DEFAULT_REGION": stack.region,
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "USER_POOL_ID": stack.pool_id,
        "PROFILE_TABLE_NAME": stack.profiles_table,
        "EMAIL_CLAIMS_TABLE_NAME": stack.email_claims_table,
    }
    env.pop("AWS_SESSION_TOKEN", None)
    return subprocess.run(
        [str(ROOT / "scripts" / "reconcile"), "--checkpoint", str(tmp_path / "checkpoint.json"), "--json", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_failed_profile_write_is_reported_safely_and_repaired_by_reconcile(
    broken_stack: LocalStackHandle, unique_email: str, tmp_path: Path
) -> None:
    stack, cognito, dynamodb = broken_stack, broken_stack.cognito(), broken_stack.dynamodb()
    sub = cognito.sign_up(
        ClientId=stack.client_id,
        Username=unique_email,
        Password=PASSWORD,
        SecretHash=stack.secret_hash(unique_email),
        UserAttributes=[{"Name": "name", "Value": "Jane Doe"}, {"Name": "locale", "Value": "en"}],
    )["UserSub"]

    with pytest.raises(ClientError) as caught:
        cognito.confirm_sign_up(
            ClientId=stack.client_id,
            Username=unique_email,
            ConfirmationCode=stack.outbox.latest_code(unique_email),
            SecretHash=stack.secret_hash(unique_email),
        )

    error = caught.value.response["Error"]
    assert error["Code"] == "UserLambdaValidationException"
    parsed = parse_trigger_error(error["Message"])
    assert parsed is not None
    assert (parsed.trigger, parsed.code, parsed.message) == (
        "PostConfirmation",
        "INTERNAL_ERROR",
        "Something went wrong on our side. Please try again in a moment.",
    )
    assert "no-such-profiles-table" not in error["Message"]
    # Confirmed anyway, and without a profile: the hole reconcile closes.
    assert cognito.admin_get_user(UserPoolId=stack.pool_id, Username=sub)["UserStatus"] == "CONFIRMED"
    key = {"userId": {"S": sub}}
    assert "Item" not in dynamodb.get_item(TableName=stack.profiles_table, Key=key)

    dry = reconcile(stack, tmp_path)
    assert dry.returncode == 0, dry.stderr
    dry_report = json.loads(dry.stdout)
    assert sub in dry_report["missing_profiles"]
    assert dry_report["created_profiles"] == []
    assert unique_email not in dry.stdout
    assert "Item" not in dynamodb.get_item(TableName=stack.profiles_table, Key=key)  # a dry run writes nothing

    applied = reconcile(stack, tmp_path, "--apply")
    assert applied.returncode == 0, applied.stderr
    report = json.loads(applied.stdout)
    assert sub in report["created_profiles"]
    assert report["failures"] == []
    item = dynamodb.get_item(TableName=stack.profiles_table, Key=key)["Item"]
    created = item["createdAt"]["S"]
    assert item == {
        "userId": {"S": sub},
        "email": {"S": unique_email},
        "emailVerified": {"BOOL": True},
        "name": {"S": "Jane Doe"},
        "locale": {"S": "en"},
        "role": {"S": "user"},
        "createdAt": {"S": created},
        "updatedAt": {"S": created},
    }
    groups = cognito.admin_list_groups_for_user(UserPoolId=stack.pool_id, Username=sub)["Groups"]
    assert [g["GroupName"] for g in groups] == ["user"]
    claim = dynamodb.get_item(TableName=stack.email_claims_table, Key={"email": {"S": unique_email}})["Item"]
    assert (claim["status"], claim["userName"]) == ({"S": "CONFIRMED"}, {"S": sub})

    again = reconcile(stack, tmp_path, "--apply")
    assert again.returncode == 0, again.stderr
    second = json.loads(again.stdout)
    assert (second["missing_profiles"], second["created_profiles"], second["missing_group"]) == ([], [], [])
    assert dynamodb.get_item(TableName=stack.profiles_table, Key=key)["Item"] == item


def test_a_lost_membership_and_profile_are_repaired_after_a_resumed_run(
    broken_stack: LocalStackHandle, tmp_path: Path
) -> None:
    """Pages of one user, one page per run (--page-size 1 --max-pages 1): each run resumes from the checkpoint
    where the previous one stopped, and together they repair every missing profile and membership once."""
    stack, cognito, dynamodb = broken_stack, broken_stack.cognito(), broken_stack.dynamodb()
    subs = []
    for n in range(3):
        email = f"resume-{n}-{tmp_path.name[-8:]}@example.com".lower()
        created = cognito.admin_create_user(
            UserPoolId=stack.pool_id,
            Username=email,
            UserAttributes=[{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}],
            MessageAction="SUPPRESS",
        )["User"]
        cognito.admin_set_user_password(UserPoolId=stack.pool_id, Username=email, Password=PASSWORD, Permanent=True)
        subs.append(next(a["Value"] for a in created["Attributes"] if a["Name"] == "sub"))

    one_page = ("--apply", "--page-size", "1", "--max-pages", "1")
    first = reconcile(stack, tmp_path, *one_page)
    assert first.returncode == 3, first.stderr  # incomplete: more users than one page holds
    assert "continue with --resume" in first.stderr
    pages = 1
    while True:
        step = reconcile(stack, tmp_path, *one_page, "--resume")
        pages += 1
        assert pages <= 20, "reconcile never completed"
        if step.returncode != 3:
            break
    assert step.returncode == 0, step.stderr
    final = json.loads(step.stdout)
    assert final["pages"] == pages
    assert set(subs) <= set(final["created_profiles"])
    assert set(subs) <= set(final["added_group"])
    for sub in subs:
        assert dynamodb.get_item(TableName=stack.profiles_table, Key={"userId": {"S": sub}})["Item"]["role"] == {
            "S": "user"
        }
