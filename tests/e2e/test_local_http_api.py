"""HTTP API serving: template routes become API Gateway payload-2.0 events, behind the emulated JWT authorizer.

A copy of the packaged template gets a test-only API function (``echo`` below, run in the stack's sandbox)
wired exactly as the Serverless Framework compiles ``httpApi`` events: Integration, Routes, JWT Authorizer.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import urllib.error
import urllib.request
from typing import Any

import pytest

from tests.e2e.conftest import LocalStackHandle, packaged_template

pytestmark = pytest.mark.e2e

PASSWORD = "Correct-Horse-9-Battery"


def echo(event: dict[str, Any], context: Any) -> Any:
    """The test API function: echoes the event (or misbehaves on purpose)."""
    if event["rawPath"] == "/boom":
        raise RuntimeError("boom")
    if event["rawPath"] == "/bare":
        return {"hello": "world"}
    return {
        "statusCode": 201,
        "headers": {"content-type": "application/json", "x-route": event["routeKey"]},
        "cookies": ["a=1; Path=/"],
        "body": json.dumps(event),
    }


def _route(name: str, key: str, *, jwt: bool = False, scopes: list[str] | None = None) -> tuple[str, Any]:
    properties: dict[str, Any] = {
        "ApiId": {"Ref": "HttpApi"},
        "RouteKey": key,
        "Target": {"Fn::Join": ["/", ["integrations", {"Ref": "HttpApiIntegrationEcho"}]]},
    }
    if jwt:
        properties.update(AuthorizationType="JWT", AuthorizerId={"Ref": "HttpApiAuthorizerCognito"})
    if scopes:
        properties["AuthorizationScopes"] = scopes
    return f"HttpApiRoute{name}", {"Type": "AWS::ApiGatewayV2::Route", "Properties": properties}


def api_template() -> dict[str, Any]:
    document = copy.deepcopy(packaged_template())
    resources = document["Resources"]
    [pool] = [k for k, r in resources.items() if r["Type"] == "AWS::Cognito::UserPool"]
    [client] = [k for k, r in resources.items() if r["Type"] == "AWS::Cognito::UserPoolClient"]
    for name in [k for k, r in resources.items() if r["Type"].startswith("AWS::ApiGatewayV2::")]:
        del resources[name]  # the project's own API is tested against the real template elsewhere
    resources["EchoLambdaFunction"] = {
        "Type": "AWS::Lambda::Function",
        "Properties": {
            "FunctionName": "local-test-echo",
            "Handler": "tests/e2e/test_local_http_api.echo",
            "Runtime": "python3.13",
            "Timeout": 6,
            "MemorySize": 256,
            "Environment": {"Variables": {}},
        },
    }
    resources["HttpApi"] = {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"Name": "test", "ProtocolType": "HTTP"}}
    resources["HttpApiIntegrationEcho"] = {
        "Type": "AWS::ApiGatewayV2::Integration",
        "Properties": {
            "ApiId": {"Ref": "HttpApi"},
            "IntegrationType": "AWS_PROXY",
            "IntegrationUri": {"Fn::GetAtt": ["EchoLambdaFunction", "Arn"]},
            "PayloadFormatVersion": "2.0",
        },
    }
    resources["HttpApiAuthorizerCognito"] = {
        "Type": "AWS::ApiGatewayV2::Authorizer",
        "Properties": {
            "ApiId": {"Ref": "HttpApi"},
            "AuthorizerType": "JWT",
            "IdentitySource": ["$request.header.Authorization"],
            "Name": "cognito",
            "JwtConfiguration": {
                "Audience": [{"Ref": client}],
                "Issuer": {
                    "Fn::Join": ["", ["https://cognito-idp.", {"Ref": "AWS::Region"}, ".amazonaws.com/", {"Ref": pool}]]
                },
            },
        },
    }
    for name, route in (
        _route("GetMe", "GET /me", jwt=True),
        _route("GetScoped", "GET /scoped", jwt=True, scopes=["profile/admin"]),
        _route("PostEchoIdVar", "POST /echo/{id}"),
        _route("PostEchoFixed", "POST /echo/fixed"),
        _route("AnyFilesProxyVar", "ANY /files/{proxy+}"),
        _route("GetBoom", "GET /boom"),
        _route("GetBare", "GET /bare"),
    ):
        resources[name] = route
    return document


@pytest.fixture(scope="module")
def stack(stack_from_template: Any) -> LocalStackHandle:
    handle: LocalStackHandle = stack_from_template(api_template())
    return handle


def call(
    stack: LocalStackHandle, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes, list[str]]:
    request = urllib.request.Request(f"{stack.api_url}{path}", data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return (
                response.status,
                dict(response.headers),
                response.read(),
                response.headers.get_all("Set-Cookie") or [],
            )
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read(), []


def tokens_for(stack: LocalStackHandle) -> dict[str, str]:
    address = f"api-{os.urandom(5).hex()}@example.com"
    cognito = stack.cognito()
    cognito.sign_up(
        ClientId=stack.client_id, Username=address, Password=PASSWORD, SecretHash=stack.secret_hash(address)
    )
    with contextlib.suppress(cognito.exceptions.UserLambdaValidationException):
        cognito.confirm_sign_up(
            ClientId=stack.client_id,
            Username=address,
            ConfirmationCode=stack.outbox.latest_code(address),
            SecretHash=stack.secret_hash(address),
        )
    result: dict[str, str] = cognito.initiate_auth(
        ClientId=stack.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": address, "PASSWORD": PASSWORD, "SECRET_HASH": stack.secret_hash(address)},
    )["AuthenticationResult"]
    return result


def test_routes_come_from_the_template(stack: LocalStackHandle) -> None:
    assert sorted(stack.info["routes"]) == [
        "ANY /files/{proxy+}",
        "GET /bare",
        "GET /boom",
        "GET /me",
        "GET /scoped",
        "POST /echo/fixed",
        "POST /echo/{id}",
    ]


def test_a_public_route_gets_a_payload_2_event(stack: LocalStackHandle) -> None:
    status, headers, body, cookies = call(
        stack,
        "POST",
        "/echo/42?b=2&a=1&a=3",
        b'{"x": 1}',
        {"Content-Type": "application/json", "Cookie": "c1=v1; c2=v2"},
    )
    assert status == 201
    assert headers["x-route"] == "POST /echo/{id}"
    assert cookies == ["a=1; Path=/"]
    event = json.loads(body)
    assert event["version"] == "2.0"
    assert event["routeKey"] == "POST /echo/{id}"
    assert event["rawPath"] == "/echo/42"
    assert event["rawQueryString"] == "b=2&a=1&a=3"
    assert event["queryStringParameters"] == {"a": "1,3", "b": "2"}
    assert event["pathParameters"] == {"id": "42"}
    assert event["cookies"] == ["c1=v1", "c2=v2"]
    assert event["body"] == '{"x": 1}'
    assert event["isBase64Encoded"] is False
    assert event["headers"]["content-type"] == "application/json"
    assert "cookie" not in event["headers"]
    context = event["requestContext"]
    assert context["http"]["method"] == "POST"
    assert context["http"]["path"] == "/echo/42"
    assert context["routeKey"] == "POST /echo/{id}"
    assert context["stage"] == "$default"
    assert "authorizer" not in context


def test_a_literal_route_beats_a_parameter_and_greedy_paths_match(stack: LocalStackHandle) -> None:
    assert call(stack, "POST", "/echo/fixed")[1]["x-route"] == "POST /echo/fixed"
    status, _, body, _ = call(stack, "DELETE", "/files/a/b/c.txt")
    assert status == 201
    assert json.loads(body)["pathParameters"] == {"proxy": "a/b/c.txt"}


def test_binary_bodies_are_base64_encoded(stack: LocalStackHandle) -> None:
    _, _, body, _ = call(stack, "PUT", "/files/blob", b"\x00\xff", {"Content-Type": "application/octet-stream"})
    event = json.loads(body)
    assert event["isBase64Encoded"] is True
    assert event["body"] == "AP8="


def test_the_jwt_authorizer_rejects_missing_and_invalid_tokens(stack: LocalStackHandle) -> None:
    assert call(stack, "GET", "/me")[0:3:2] == (401, b'{"message": "Unauthorized"}')
    assert call(stack, "GET", "/me", headers={"Authorization": "Bearer not-a-jwt"})[0] == 401
    tokens = tokens_for(stack)
    header, payload, _ = tokens["AccessToken"].split(".")
    forged = f"{header}.{payload}.AAAA"
    assert call(stack, "GET", "/me", headers={"Authorization": f"Bearer {forged}"})[0] == 401


def test_the_jwt_authorizer_passes_claims_and_scopes(stack: LocalStackHandle) -> None:
    from local.tokens import decode  # noqa: PLC0415

    tokens = tokens_for(stack)
    status, _, body, _ = call(stack, "GET", "/me", headers={"Authorization": f"Bearer {tokens['AccessToken']}"})
    assert status == 201
    jwt = json.loads(body)["requestContext"]["authorizer"]["jwt"]
    claims = decode(tokens["AccessToken"])
    assert jwt["scopes"] == claims["scope"].split()
    assert jwt["claims"]["sub"] == claims["sub"]
    assert jwt["claims"]["exp"] == str(claims["exp"])
    assert jwt["claims"]["client_id"] == stack.client_id

    status, _, body, _ = call(stack, "GET", "/me", headers={"Authorization": tokens["IdToken"]})
    assert status == 201
    jwt = json.loads(body)["requestContext"]["authorizer"]["jwt"]
    assert jwt["scopes"] is None
    assert jwt["claims"]["aud"] == stack.client_id


def test_a_route_with_scopes_refuses_tokens_without_them(stack: LocalStackHandle) -> None:
    tokens = tokens_for(stack)
    status, _, body, _ = call(stack, "GET", "/scoped", headers={"Authorization": f"Bearer {tokens['AccessToken']}"})
    assert (status, body) == (403, b'{"message": "Forbidden"}')


def test_function_errors_and_bare_results_are_mapped_like_api_gateway(stack: LocalStackHandle) -> None:
    assert call(stack, "GET", "/boom")[0:3:2] == (500, b'{"message": "Internal Server Error"}')
    status, headers, body, _ = call(stack, "GET", "/bare")
    assert (status, json.loads(body)) == (200, {"hello": "world"})
    assert headers["Content-Type"] == "application/json"


def test_unknown_paths_are_not_found(stack: LocalStackHandle) -> None:
    assert call(stack, "GET", "/nowhere")[0:3:2] == (404, b'{"message": "Not Found"}')
