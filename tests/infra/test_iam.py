"""Least privilege: each function's role allows exactly the actions its code performs, on its own resources."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest

pytestmark = pytest.mark.infra

# The data actions each function performs, and on which resource (beyond its own logs and X-Ray traces).
# Keep this table in step with the code: a new AWS call without a line here fails the suite, and so does a
# permission nobody uses.
EXPECTED_DATA_ACTIONS: dict[str, set[tuple[str, str]]] = {
    "PreSignUpLambdaFunction": {
        ("dynamodb:GetItem", "EmailClaimsTable"),
        ("dynamodb:PutItem", "EmailClaimsTable"),
        ("cognito-idp:AdminGetUser", "CognitoUserPoolMain"),
        ("cognito-idp:AdminLinkProviderForUser", "CognitoUserPoolMain"),
    },
    "PostConfirmationLambdaFunction": {
        ("dynamodb:PutItem", "ProfilesTable"),
        ("dynamodb:UpdateItem", "ProfilesTable"),
        ("dynamodb:UpdateItem", "EmailClaimsTable"),
        ("cognito-idp:AdminAddUserToGroup", "CognitoUserPoolMain"),
    },
    "PreTokenGenerationLambdaFunction": {
        ("dynamodb:GetItem", "ProfilesTable"),
        ("dynamodb:PutItem", "ProfilesTable"),
    },
    "CustomMessageLambdaFunction": set(),
}
LOG_AND_TRACE_ACTIONS = {
    "logs:CreateLogStream",
    "logs:PutLogEvents",
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _statements_by_role(resources: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    statements: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for name, resource in resources.items():
        if resource["Type"] == "AWS::IAM::Role":
            for policy in resource["Properties"].get("Policies", []):
                statements[name].extend(policy["PolicyDocument"]["Statement"])
        elif resource["Type"] == "AWS::IAM::Policy":
            for role in resource["Properties"]["Roles"]:
                statements[role["Ref"]].extend(resource["Properties"]["PolicyDocument"]["Statement"])
    return statements


def _resource_name(resource: Any) -> str:
    if isinstance(resource, dict) and "Fn::GetAtt" in resource:
        return str(resource["Fn::GetAtt"][0])
    if isinstance(resource, dict) and "Ref" in resource:
        return str(resource["Ref"])
    return str(resource)


@pytest.mark.parametrize("function", sorted(EXPECTED_DATA_ACTIONS))
def test_role_allows_exactly_the_functions_calls(resources: dict[str, Any], function: str) -> None:
    role = resources[function]["Properties"]["Role"]["Fn::GetAtt"][0]
    statements = _statements_by_role(resources)[role]
    assert all(s["Effect"] == "Allow" for s in statements)
    granted: set[tuple[str, str]] = set()
    log_group = function.replace("LambdaFunction", "LogGroup")
    for statement in statements:
        for action in _as_list(statement["Action"]):
            for resource in _as_list(statement["Resource"]):
                if action.startswith("logs:"):
                    assert resource == {"Fn::GetAtt": [log_group, "Arn"]}, f"{function} writes only its own logs"
                elif action.startswith("xray:"):
                    assert resource == "*", "X-Ray trace actions take no resource"
                else:
                    assert resource != "*", f"{function}: {action} on every resource"
                    granted.add((action, _resource_name(resource)))
    actions = {a for s in statements for a in _as_list(s["Action"])}
    assert actions >= LOG_AND_TRACE_ACTIONS
    assert granted == EXPECTED_DATA_ACTIONS[function]


def test_every_function_has_its_own_role(resources: dict[str, Any]) -> None:
    roles = [
        r["Properties"]["Role"]["Fn::GetAtt"][0] for r in resources.values() if r["Type"] == "AWS::Lambda::Function"
    ]
    assert len(roles) == len(set(roles)), "roles are not shared between functions"
    assert "IamRoleLambdaExecution" not in resources, "no framework-wide role shared by every function"
