"""Bad input to the local endpoint gets AWS-shaped errors (``{"__type", "message"}``, 4xx), never a trace or hang."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from tests.e2e.conftest import LocalStackHandle

pytestmark = pytest.mark.e2e


def post(stack: LocalStackHandle, target: str | None, body: bytes) -> tuple[int, dict[str, str]]:
    headers = {"Content-Type": "application/x-amz-json-1.1"}
    if target:
        headers["X-Amz-Target"] = target
    request = urllib.request.Request(stack.endpoint_url + "/", data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


COGNITO = "AWSCognitoIdentityProviderService."


@pytest.mark.parametrize("target", [COGNITO + "SignUp", COGNITO + "ListUsers", "DynamoDB_20120810.GetItem"])
def test_malformed_json(local_stack: LocalStackHandle, target: str) -> None:
    assert post(local_stack, target, b"{not json") == (
        400,
        {"__type": "SerializationException", "message": "Start of structure or map found where not expected."},
    )
    assert post(local_stack, target, b"[1, 2]")[1]["__type"] == "SerializationException"


def test_unknown_target(local_stack: LocalStackHandle) -> None:
    assert post(local_stack, COGNITO + "MakeCoffee", b"{}") == (
        400,
        {"__type": "UnknownOperationException", "message": "Unknown operation MakeCoffee"},
    )


def test_missing_fields(local_stack: LocalStackHandle) -> None:
    status, body = post(local_stack, COGNITO + "SignUp", b'{"ClientId": "x"}')
    assert status == 400
    assert body == {
        "__type": "InvalidParameterException",
        "message": "2 validation errors detected: "
        "Value null at 'username' failed to satisfy constraint: Member must not be null; "
        "Value null at 'password' failed to satisfy constraint: Member must not be null",
    }


def test_wrong_types(local_stack: LocalStackHandle) -> None:
    body = {"ClientId": local_stack.client_id, "Username": "a@example.com", "Password": "x", "UserAttributes": 5}
    assert post(local_stack, COGNITO + "SignUp", json.dumps(body).encode()) == (
        400,
        {"__type": "InvalidParameterException", "message": "UserAttributes must be a list of Name/Value pairs"},
    )


def test_unknown_client(local_stack: LocalStackHandle) -> None:
    status, body = post(local_stack, COGNITO + "SignUp", b'{"ClientId": "nope", "Username": "a@b.co", "Password": "x"}')
    assert (status, body) == (
        400,
        {"__type": "ResourceNotFoundException", "message": "User pool client nope does not exist."},
    )


def test_pass_through_errors_keep_their_aws_shape(local_stack: LocalStackHandle) -> None:
    status, body = post(local_stack, "DynamoDB_20120810.GetItem", b'{"TableName": "missing", "Key": {"k": {"S": "v"}}}')
    assert status == 400
    assert body["__type"].endswith("ResourceNotFoundException")


def test_list_stack_resources_gives_local_physical_ids(local_stack: LocalStackHandle) -> None:
    """What `npx serverless invoke local` uses to resolve `!Ref` environment variables."""
    cloudformation = local_stack.client("cloudformation")
    summaries = cloudformation.list_stack_resources(StackName="cognito-users-dev")["StackResourceSummaries"]
    physical = {s["LogicalResourceId"]: s["PhysicalResourceId"] for s in summaries}
    assert physical["ProfilesTable"] == local_stack.profiles_table
    assert physical["EmailClaimsTable"] == local_stack.email_claims_table
    assert physical["CognitoUserPoolMain"] == local_stack.pool_id
    assert physical["CognitoUserPoolClientApi"] == local_stack.client_id


def test_a_browser_preflight_is_answered_for_a_local_front_end(local_stack: LocalStackHandle) -> None:
    request = urllib.request.Request(
        local_stack.endpoint_url + "/",
        method="OPTIONS",
        headers={
            "Origin": "http://localhost:5173",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-amz-target,authorization",
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 204
        assert response.headers["Access-Control-Allow-Origin"] == "http://localhost:5173"
        assert response.headers["Access-Control-Allow-Headers"] == "content-type,x-amz-target,authorization"


def test_the_pools_jwks_is_served(local_stack: LocalStackHandle) -> None:
    with urllib.request.urlopen(f"{local_stack.endpoint_url}/{local_stack.pool_id}/.well-known/jwks.json") as response:
        keys = json.loads(response.read())["keys"]
    assert [(k["kid"], k["alg"], k["kty"]) for k in keys] == [("dummy", "RS256", "RSA")]


def test_other_signed_services_pass_through_to_moto(local_stack: LocalStackHandle) -> None:
    """A query-protocol service (form-encoded body) reaches moto with its body intact."""
    sts = local_stack.client("sts")
    assert sts.get_caller_identity()["Account"] == "123456789012"
    sqs = local_stack.client("sqs")
    url = sqs.create_queue(QueueName="local-protocol-test")["QueueUrl"]
    assert sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"].endswith(
        ":local-protocol-test"
    )
