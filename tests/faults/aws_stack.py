"""An in-process AWS (moto) built from the packaged CloudFormation template, and handlers loaded against it.

Why from the template: key schemas, group names, pool settings and each function's environment then live in one
place (serverless.yml), so these suites break when the stack changes instead of testing a stale copy.

Why private module copies: every trigger reads its settings once, at import. Loading ``triggers/<name>.py`` under
a private module name, after the environment is set and the AWS clients are reset, gives each test a handler
wired to *this* fake stack without disturbing ``sys.modules["triggers.<name>"]`` that other suites import.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import subprocess
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import boto3
import pytest

from common.aws import reset_clients

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / ".serverless" / "cloudformation-template-update-stack.json"
REGION = "us-east-1"

# Handler module per function resource of the template.
FUNCTIONS = {
    "pre_signup": "PreSignUpLambdaFunction",
    "post_confirmation": "PostConfirmationLambdaFunction",
    "pre_token_generation": "PreTokenGenerationLambdaFunction",
    "custom_message": "CustomMessageLambdaFunction",
}

_counter = itertools.count()


@cache
def template() -> dict[str, Any]:
    """The packaged template (packaged once if missing: scripts/test packages before pytest anyway)."""
    if not TEMPLATE.exists():
        subprocess.run([str(ROOT / "scripts" / "package")], cwd=ROOT, check=True, capture_output=True, timeout=300)
    for _ in range(10):  # another process may be re-packaging the stack right now: wait for a whole file
        try:
            data: dict[str, Any] = json.loads(TEMPLATE.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, FileNotFoundError):
            time.sleep(0.5)
            continue
        return data
    raise RuntimeError(f"{TEMPLATE} stayed unreadable: is `serverless package` failing?")


def resources(kind: str) -> dict[str, dict[str, Any]]:
    """Every resource of one CloudFormation type, by logical id."""
    return {name: res for name, res in template()["Resources"].items() if res["Type"] == kind}


def _resolve(value: Any) -> str:
    """Resolve the intrinsics the function environments use (``Ref`` to a table) to local values."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and "Ref" in value:
        target = template()["Resources"][value["Ref"]]
        if target["Type"] == "AWS::DynamoDB::Table":
            return str(target["Properties"]["TableName"])
        if target["Type"] == "AWS::Cognito::UserPool":
            return str(target["Properties"]["UserPoolName"])
    raise ValueError(f"unsupported intrinsic in a function environment: {value!r}")


def function_environment(module: str) -> dict[str, str]:
    """The environment the template gives one function (table names resolved)."""
    variables = template()["Resources"][FUNCTIONS[module]]["Properties"].get("Environment", {}).get("Variables", {})
    return {name: _resolve(value) for name, value in variables.items()}


def table_names() -> dict[str, str]:
    """Logical id → physical table name."""
    return {name: str(res["Properties"]["TableName"]) for name, res in resources("AWS::DynamoDB::Table").items()}


def iam_actions(module: str) -> frozenset[str]:
    """Every IAM action the function's role (and policies attached to it) allows, e.g. ``dynamodb:PutItem``."""
    role = template()["Resources"][FUNCTIONS[module]]["Properties"]["Role"]
    role_id = role["Fn::GetAtt"][0] if isinstance(role, Mapping) else role
    documents = [p["PolicyDocument"] for p in template()["Resources"][role_id]["Properties"].get("Policies", [])]
    for policy in resources("AWS::IAM::Policy").values():
        if {"Ref": role_id} in policy["Properties"].get("Roles", []):
            documents.append(policy["Properties"]["PolicyDocument"])
    actions: set[str] = set()
    for document in documents:
        for statement in document["Statement"]:
            if statement.get("Effect") == "Allow":
                listed = statement["Action"]
                actions.update([listed] if isinstance(listed, str) else listed)
    return frozenset(actions)


@dataclass
class FakeStack:
    """Handles on the moto resources built from the template."""

    pool_id: str
    client_id: str
    tables: dict[str, str]
    cognito: Any
    dynamodb: Any
    users: dict[str, str] = field(default_factory=dict)

    @property
    def profiles_table(self) -> str:
        return self.tables["ProfilesTable"]

    @property
    def email_claims_table(self) -> str:
        return self.tables["EmailClaimsTable"]

    def create_user(self, email: str, *, groups: tuple[str, ...] = (), name: str = "Jane Doe") -> str:
        """A confirmed user (moto runs no triggers); returns its username (the ``sub``)."""
        created = self.cognito.admin_create_user(
            UserPoolId=self.pool_id,
            Username=email,
            UserAttributes=[
                {"Name": "email", "Value": email},
                {"Name": "email_verified", "Value": "true"},
                {"Name": "name", "Value": name},
                {"Name": "locale", "Value": "en"},
            ],
            MessageAction="SUPPRESS",
        )
        username = str(created["User"]["Username"])
        # CONFIRMED, as after ConfirmSignUp (admin-created users start in FORCE_CHANGE_PASSWORD).
        self.cognito.admin_set_user_password(
            UserPoolId=self.pool_id, Username=username, Password="Correct-Horse-9!", Permanent=True
        )
        for group in groups:
            self.cognito.admin_add_user_to_group(UserPoolId=self.pool_id, Username=username, GroupName=group)
        self.users[email] = username
        return username

    def groups_of(self, username: str) -> list[str]:
        listed = self.cognito.admin_list_groups_for_user(UserPoolId=self.pool_id, Username=username)
        return sorted(g["GroupName"] for g in listed["Groups"])

    def scan(self, logical_table: str) -> list[dict[str, Any]]:
        """Every item of a table, sorted by key, in DynamoDB's wire form."""
        name = self.tables[logical_table]
        items = self.dynamodb.scan(TableName=name, ConsistentRead=True)["Items"]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))


def _create_tables(dynamodb: Any) -> None:
    for table in resources("AWS::DynamoDB::Table").values():
        props = table["Properties"]
        dynamodb.create_table(
            TableName=props["TableName"],
            AttributeDefinitions=props["AttributeDefinitions"],
            KeySchema=props["KeySchema"],
            BillingMode=props.get("BillingMode", "PAY_PER_REQUEST"),
        )
        ttl = props.get("TimeToLiveSpecification")
        if ttl:
            dynamodb.update_time_to_live(TableName=props["TableName"], TimeToLiveSpecification=ttl)


def build_stack() -> FakeStack:
    """Create the pool, client, groups and tables of the template in the active moto mock."""
    cognito = boto3.client("cognito-idp", region_name=REGION)
    dynamodb = boto3.client("dynamodb", region_name=REGION)
    pool_props = template()["Resources"]["CognitoUserPoolMain"]["Properties"]
    pool_id = cognito.create_user_pool(
        PoolName=pool_props["UserPoolName"],
        UsernameAttributes=pool_props.get("UsernameAttributes", []),
        UsernameConfiguration=pool_props.get("UsernameConfiguration", {"CaseSensitive": False}),
        AutoVerifiedAttributes=pool_props.get("AutoVerifiedAttributes", []),
        Schema=pool_props.get("Schema", []),
        Policies=pool_props.get("Policies", {}),
    )["UserPool"]["Id"]
    client_props = template()["Resources"]["CognitoUserPoolClientApi"]["Properties"]
    client_id = cognito.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName=client_props["ClientName"],
        GenerateSecret=bool(client_props.get("GenerateSecret")),
        ExplicitAuthFlows=client_props.get("ExplicitAuthFlows", []),
        ReadAttributes=client_props.get("ReadAttributes", []),
        WriteAttributes=client_props.get("WriteAttributes", []),
    )["UserPoolClient"]["ClientId"]
    for group in resources("AWS::Cognito::UserPoolGroup").values():
        props = group["Properties"]
        cognito.create_group(UserPoolId=pool_id, GroupName=props["GroupName"], Precedence=props.get("Precedence", 0))
    _create_tables(dynamodb)
    return FakeStack(pool_id=pool_id, client_id=client_id, tables=table_names(), cognito=cognito, dynamodb=dynamodb)


def reset_stack(stack: FakeStack) -> FakeStack:
    """Empty an existing fake stack: no users, empty tables (moto takes ~0.5 s to create a pool, so the fault
    suite reuses one per module and resets it per test)."""
    listed = stack.cognito.list_users(UserPoolId=stack.pool_id)["Users"]
    for user in listed:
        stack.cognito.admin_delete_user(UserPoolId=stack.pool_id, Username=user["Username"])
    for name in stack.tables.values():
        stack.dynamodb.delete_table(TableName=name)
    _create_tables(stack.dynamodb)
    stack.users.clear()
    return stack


@cache
def _shared_botocore_session() -> Any:
    import botocore.session  # noqa: PLC0415

    return botocore.session.get_session()


def share_botocore_session(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every new ``boto3.session.Session()`` reuse one botocore session (its loaded service models).

    ``common.aws`` builds each client from a fresh boto3 session, which re-reads the service model JSON: 0.1-0.5 s
    per client. These suites build fresh clients for every test (so each test gets the clients' real, fresh retry
    quota); sharing the model cache makes that cost ~10 ms without changing any client setting.
    """
    real = boto3.session.Session

    class SharedModelsSession(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("botocore_session", _shared_botocore_session())
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(boto3.session, "Session", SharedModelsSession)


def load_handler(module: str, monkeypatch: pytest.MonkeyPatch, **extra_env: str) -> ModuleType:
    """A private copy of ``triggers/<module>.py`` imported under the function's template environment.

    AWS clients are reset first so the handler's clients are created inside the caller's moto mock (or against
    the caller's endpoint).
    """
    for name, value in {**function_environment(module), **extra_env}.items():
        monkeypatch.setenv(name, value)
    share_botocore_session(monkeypatch)
    reset_clients()
    path = ROOT / "triggers" / f"{module}.py"
    spec = importlib.util.spec_from_file_location(f"_isolated_{module}_{next(_counter)}", path)
    assert spec is not None and spec.loader is not None
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded


def rebased_event(event: dict[str, Any], stack: FakeStack, username: str | None = None) -> dict[str, Any]:
    """A sample event pointed at the fake pool (and at one of its users)."""
    event["userPoolId"] = stack.pool_id
    event["callerContext"]["clientId"] = stack.client_id
    if username is not None:
        event["userName"] = username
        attributes = event["request"].get("userAttributes")
        if isinstance(attributes, dict) and "sub" in attributes:
            attributes["sub"] = username
    return event


def iter_modules() -> Iterator[str]:
    yield from FUNCTIONS
