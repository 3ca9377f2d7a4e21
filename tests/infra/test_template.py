"""Properties of the packaged CloudFormation template that the product promises (issue 2).

These run on `.serverless/cloudformation-template-update-stack.json`, the exact template `serverless deploy`
would submit, so they test what would be deployed rather than what serverless.yml seems to say.
"""

from __future__ import annotations

import re
import subprocess
import tomllib
from typing import Any

import pytest

from tests.infra.conftest import ROOT, TEMPLATE

pytestmark = pytest.mark.infra

TRIGGER_FUNCTIONS = {
    "PreSignUp": "PreSignUpLambdaFunction",
    "PostConfirmation": "PostConfirmationLambdaFunction",
    "PreTokenGeneration": "PreTokenGenerationLambdaFunction",
    "CustomMessage": "CustomMessageLambdaFunction",
}
RESERVED_WRITE_ATTRIBUTES = {"email_verified", "phone_number_verified"}


def of_type(resources: dict[str, Any], kind: str) -> dict[str, Any]:
    return {name: r for name, r in resources.items() if r["Type"] == kind}


def pool(resources: dict[str, Any]) -> dict[str, Any]:
    pools = of_type(resources, "AWS::Cognito::UserPool")
    assert list(pools) == ["CognitoUserPoolMain"], "exactly one pool, named CognitoUserPool<Pool> so events merge"
    return pools["CognitoUserPoolMain"]


def test_cfn_lint_finds_nothing() -> None:
    result = subprocess.run(
        ["cfn-lint", str(TEMPLATE)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pool_signs_in_by_email_case_insensitively_with_verification(resources: dict[str, Any]) -> None:
    props = pool(resources)["Properties"]
    assert props["UsernameAttributes"] == ["email"]
    assert props["UsernameConfiguration"] == {"CaseSensitive": False}
    assert props["AutoVerifiedAttributes"] == ["email"]
    assert props["UserAttributeUpdateSettings"] == {"AttributesRequireVerificationBeforeUpdate": ["email"]}


def test_pool_security_settings(resources: dict[str, Any]) -> None:
    resource = pool(resources)
    props = resource["Properties"]
    password = props["Policies"]["PasswordPolicy"]
    assert password["MinimumLength"] >= 12
    assert all(password[k] for k in ("RequireLowercase", "RequireUppercase", "RequireNumbers", "RequireSymbols"))
    assert props["MfaConfiguration"] == "OPTIONAL"
    assert props["EnabledMfas"] == ["SOFTWARE_TOKEN_MFA"]
    assert props["AccountRecoverySetting"] == {"RecoveryMechanisms": [{"Name": "verified_email", "Priority": 1}]}
    assert props["DeletionProtection"] == "ACTIVE"
    assert props["UserPoolTier"] in {"ESSENTIALS", "PLUS"}, "pre-token-generation V2 needs Essentials or Plus"
    assert resource["DeletionPolicy"] == "Retain"
    assert resource["UpdateReplacePolicy"] == "Retain"


def invoke_target(resources: dict[str, Any], function: str) -> dict[str, Any]:
    """What Cognito must call: the SnapStart alias where the function has SnapStart, else the function."""
    arn = {"Fn::GetAtt": [function, "Arn"]}
    if "SnapStart" in resources[function]["Properties"]:
        return {"Fn::Join": [":", [arn, "snapstart"]]}
    return arn


def test_every_trigger_is_wired_to_its_function(resources: dict[str, Any]) -> None:
    config = pool(resources)["Properties"]["LambdaConfig"]
    for trigger, function in TRIGGER_FUNCTIONS.items():
        assert config[trigger] == invoke_target(resources, function), trigger
    assert config["PreTokenGenerationConfig"] == {
        "LambdaArn": config["PreTokenGeneration"],
        "LambdaVersion": "V2_0",
    }, "V2 config and the legacy key must name the same target"


def test_snap_start_triggers_are_invoked_through_their_published_alias(resources: dict[str, Any]) -> None:
    snap = {name for name in TRIGGER_FUNCTIONS.values() if "SnapStart" in resources[name]["Properties"]}
    assert snap == {"PreSignUpLambdaFunction", "PostConfirmationLambdaFunction", "PreTokenGenerationLambdaFunction"}
    aliases = {
        a["Properties"]["FunctionName"]["Ref"]: a["Properties"]
        for a in resources.values()
        if a["Type"] == "AWS::Lambda::Alias"
    }
    for name in snap:
        assert resources[name]["Properties"]["SnapStart"] == {"ApplyOn": "PublishedVersions"}
        assert aliases[name]["Name"] == "snapstart"
        version = resources[aliases[name]["FunctionVersion"]["Fn::GetAtt"][0]]
        assert version["Type"] == "AWS::Lambda::Version"
        assert version["Properties"]["FunctionName"] == {"Ref": name}


def test_invoke_permissions_are_scoped_to_the_pool(resources: dict[str, Any]) -> None:
    permissions = of_type(resources, "AWS::Lambda::Permission")
    cognito = [p["Properties"] for p in permissions.values() if p["Properties"]["Principal"].startswith("cognito")]
    targets = [p["FunctionName"] for p in cognito]
    assert sorted(map(repr, targets)) == sorted(repr(invoke_target(resources, f)) for f in TRIGGER_FUNCTIONS.values())
    for props in cognito:
        assert props["Action"] == "lambda:InvokeFunction"
        assert props["Principal"] == "cognito-idp.amazonaws.com"
        assert props["SourceArn"] == {"Fn::GetAtt": ["CognitoUserPoolMain", "Arn"]}


def test_app_client_is_least_privilege(resources: dict[str, Any]) -> None:
    clients = of_type(resources, "AWS::Cognito::UserPoolClient")
    assert clients, "the stack owns its app client"
    for client in clients.values():
        props = client["Properties"]
        assert props["UserPoolId"] == {"Ref": "CognitoUserPoolMain"}
        assert set(props["ExplicitAuthFlows"]) == {"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
        assert props["PreventUserExistenceErrors"] == "ENABLED"
        assert props["EnableTokenRevocation"] is True
        assert props["ReadAttributes"], "ReadAttributes must be explicit"
        writable = set(props["WriteAttributes"])
        assert writable, "WriteAttributes must be explicit: an empty list means every attribute"
        assert not {a for a in writable if a.startswith("custom:")}, "no custom (privileged) attribute is writable"
        assert not writable & RESERVED_WRITE_ATTRIBUTES
        assert writable <= set(props["ReadAttributes"])
        assert props.get("AllowedOAuthFlowsUserPoolClient", False) is False, "no OAuth scopes that edit attributes"
        assert props["AccessTokenValidity"] <= 60
        assert props["IdTokenValidity"] <= 60
        assert props["TokenValidityUnits"]["AccessToken"] == "minutes"
    server_clients = [c for c in clients.values() if c["Properties"].get("GenerateSecret")]
    assert server_clients, "the server-side client has a secret"


def test_groups_admin_and_user_exist(resources: dict[str, Any]) -> None:
    groups = {
        g["Properties"]["GroupName"]: g["Properties"]
        for g in of_type(resources, "AWS::Cognito::UserPoolGroup").values()
    }
    assert {"admin", "user"} <= set(groups)
    assert groups["admin"]["Precedence"] < groups["user"]["Precedence"]


@pytest.mark.parametrize(("name", "key"), [("ProfilesTable", "userId"), ("EmailClaimsTable", "email")])
def test_tables_keep_user_data(resources: dict[str, Any], name: str, key: str) -> None:
    table = resources[name]
    props = table["Properties"]
    assert props["KeySchema"] == [{"AttributeName": key, "KeyType": "HASH"}]
    assert props["AttributeDefinitions"] == [{"AttributeName": key, "AttributeType": "S"}]
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert props["SSESpecification"]["SSEEnabled"] is True
    assert props["DeletionProtectionEnabled"] is True
    assert table["DeletionPolicy"] == "Retain"
    assert table["UpdateReplacePolicy"] == "Retain"


def test_email_claims_expire(resources: dict[str, Any]) -> None:
    ttl = resources["EmailClaimsTable"]["Properties"]["TimeToLiveSpecification"]
    assert ttl == {"AttributeName": "expiresAt", "Enabled": True}


def _powertools_pin() -> str:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = [d for d in project["dependencies"] if d.startswith("aws-lambda-powertools==")]
    return pins[0].split("==")[1]


def test_functions_runtime_architecture_and_layer(resources: dict[str, Any]) -> None:
    functions = of_type(resources, "AWS::Lambda::Function")
    assert set(TRIGGER_FUNCTIONS.values()) <= set(functions)
    layer = f"{{{{resolve:ssm:/aws/service/powertools/python/arm64/python3.13/{_powertools_pin()}}}}}"
    for name, function in functions.items():
        props = function["Properties"]
        major, minor = (int(x) for x in re.fullmatch(r"python(\d+)\.(\d+)", props["Runtime"]).groups())  # type: ignore[union-attr]
        assert (major, minor) >= (3, 13), f"{name}: python3.11 reached end of support; deploy on 3.13+"
        assert props["Architectures"] == ["arm64"]
        assert props["TracingConfig"] == {"Mode": "Active"}
        assert {"Fn::Join": ["", [layer]]} in props["Layers"], f"{name}: Powertools layer pinned to the package version"
        variables = props["Environment"]["Variables"]
        assert variables["POWERTOOLS_LOGGER_LOG_EVENT"] == "false", "events carry PII: never log them"
        assert variables["POWERTOOLS_SERVICE_NAME"]
        if name in TRIGGER_FUNCTIONS.values():
            assert props["Timeout"] <= 5, "Cognito waits at most 5 s for a trigger"


def test_log_groups_have_retention(resources: dict[str, Any]) -> None:
    groups = of_type(resources, "AWS::Logs::LogGroup")
    assert len(groups) >= len(TRIGGER_FUNCTIONS)
    for group in groups.values():
        assert 1 <= group["Properties"]["RetentionInDays"] <= 365
