"""The API's piece of the packaged template: its role grants exactly the IAM actions the code calls, the JWT
authorizer is bound to our pool and client, CORS and throttling are set, and no secret sits in the environment."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from common.auth.claims import Caller
from common.auth.client_secret import ClientSecret
from common.auth.gateway import CognitoGateway
from common.auth.settings import ApiSettings, SecretSource
from common.profiles.dynamodb import DynamoDbProfileStore

TEMPLATE = Path(__file__).resolve().parents[2] / ".serverless" / "cloudformation-template-update-stack.json"
pytestmark = pytest.mark.skipif(not TEMPLATE.exists(), reason="run `npx serverless package` first")

# Operations Cognito authorizes with the app client, not IAM (no statement needed).
PUBLIC = {
    "SignUp",
    "ConfirmSignUp",
    "ResendConfirmationCode",
    "InitiateAuth",
    "RespondToAuthChallenge",
    "ForgotPassword",
    "ConfirmForgotPassword",
    "RevokeToken",
}
POOL = "us-east-1_Example1"


@pytest.fixture(scope="module")
def resources() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    return dict(document["Resources"])


def called_operations() -> tuple[set[str], set[str]]:
    """Every Cognito and DynamoDB operation the API's code calls, recorded from real calls on stubbed clients."""
    cognito = boto3.client("cognito-idp", region_name="us-east-1")
    dynamodb = boto3.client("dynamodb", region_name="us-east-1")
    seen: dict[str, set[str]] = {"cognito": set(), "dynamodb": set()}
    cognito.meta.events.register("before-parameter-build.*", lambda model, **_: seen["cognito"].add(model.name))
    dynamodb.meta.events.register("before-parameter-build.*", lambda model, **_: seen["dynamodb"].add(model.name))
    settings = ApiSettings(
        user_pool_id=POOL,
        client_id="client",
        secret_source=SecretSource.COGNITO,
        client_secret=None,
        profile_table_name="profiles",
        cors_allowed_origins=(),
        max_body_bytes=16384,
        admin_role="admin",
        admin_group="admin",
    )
    gateway = CognitoGateway(
        cognito, user_pool_id=POOL, client_id="client", secret=ClientSecret(settings, lambda: cognito)
    )
    item = {"userId": {"S": "u"}, "email": {"S": "e"}, "emailVerified": {"BOOL": True}, "role": {"S": "user"}}
    item |= {"createdAt": {"S": "t"}, "updatedAt": {"S": "t"}}
    with Stubber(cognito) as cognito_stub, Stubber(dynamodb) as dynamo_stub:
        cognito_stub.add_response("describe_user_pool_client", {"UserPoolClient": {}})
        for operation in [
            "sign_up",
            "confirm_sign_up",
            "resend_confirmation_code",
            "initiate_auth",
            "respond_to_auth_challenge",
            "initiate_auth",
            "forgot_password",
            "confirm_forgot_password",
            "revoke_token",
            "admin_update_user_attributes",
            "list_users",
            "admin_disable_user",
            "admin_enable_user",
            "admin_add_user_to_group",
            "admin_remove_user_from_group",
        ]:
            response: dict[str, Any] = {"UserSub": "u", "UserConfirmed": False} if operation == "sign_up" else {}
            if operation in {"initiate_auth", "respond_to_auth_challenge"}:
                response = {"AuthenticationResult": {"AccessToken": "a", "IdToken": "i"}}
            cognito_stub.add_response(operation, response)
        gateway.sign_up("e", "p", {}, {})
        gateway.confirm_sign_up("e", "c", {})
        gateway.resend_confirmation_code("e", {})
        gateway.sign_in("e", "p", {})
        gateway.respond_to_challenge("NEW_PASSWORD_REQUIRED", "s" * 20, "u", {"NEW_PASSWORD": "p"}, {})
        gateway.refresh("r", "u", {})
        gateway.forgot_password("e", {})
        gateway.confirm_forgot_password("e", "c", "p", {})
        gateway.revoke_refresh_token("r")
        gateway.update_attributes("u", {"name": "n"})
        gateway.list_users(10, None)
        gateway.set_enabled("u", False)
        gateway.set_enabled("u", True)
        gateway.add_to_group("u", "g")
        gateway.remove_from_group("u", "g")
        dynamo_stub.add_response("get_item", {"Item": item})
        dynamo_stub.add_response("update_item", {"Attributes": item})
        store = DynamoDbProfileStore("profiles", dynamodb)
        caller = Caller(sub="u", username="u", email=None, role="user", groups=frozenset())
        store.get(caller.sub)
        store.update(caller.sub, {"name": "n"}, "t")
    return seen["cognito"], seen["dynamodb"]


def statements(resources: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for p in resources["ApiRole"]["Properties"]["Policies"] for s in p["PolicyDocument"]["Statement"]]


def test_role_grants_exactly_the_actions_the_code_calls(resources: dict[str, Any]) -> None:
    cognito, dynamodb = called_operations()
    granted = {
        json.dumps(s["Resource"], sort_keys=True): sorted(s["Action"])
        for s in statements(resources)
        if s["Effect"] == "Allow"
    }
    pool = json.dumps({"Fn::GetAtt": ["CognitoUserPoolMain", "Arn"]}, sort_keys=True)
    table = json.dumps({"Fn::GetAtt": ["ProfilesTable", "Arn"]}, sort_keys=True)
    assert granted[pool] == sorted(f"cognito-idp:{op}" for op in cognito - PUBLIC)
    assert granted[table] == sorted(f"dynamodb:{op}" for op in dynamodb)
    assert cognito & PUBLIC == PUBLIC  # the public flows really are called, and need no statement


def test_role_is_the_functions_own(resources: dict[str, Any]) -> None:
    function = resources["ApiLambdaFunction"]["Properties"]
    assert function["Role"] == {"Fn::GetAtt": ["ApiRole", "Arn"]}
    assert (function["Handler"], function["Timeout"]) == ("api/app.handler", 10)
    logs = [s for s in statements(resources) if "logs:PutLogEvents" in s["Action"]]
    assert [s["Resource"] for s in logs] == [{"Fn::GetAtt": ["ApiLogGroup", "Arn"]}]


def test_environment_has_no_secret(resources: dict[str, Any]) -> None:
    variables = resources["ApiLambdaFunction"]["Properties"]["Environment"]["Variables"]
    assert "USER_POOL_CLIENT_SECRET" not in variables
    assert variables["USER_POOL_CLIENT_SECRET_SOURCE"] == "cognito"
    assert variables["USER_POOL_ID"] == {"Ref": "CognitoUserPoolMain"}
    assert variables["USER_POOL_CLIENT_ID"] == {"Ref": "CognitoUserPoolClientApi"}
    assert variables["PROFILE_TABLE_NAME"] == {"Ref": "ProfilesTable"}


def test_jwt_authorizer_is_bound_to_our_pool_and_client(resources: dict[str, Any]) -> None:
    authorizer = resources["HttpApiAuthorizerCognito"]["Properties"]
    assert authorizer["AuthorizerType"] == "JWT"
    assert authorizer["IdentitySource"] == ["$request.header.Authorization"]
    assert authorizer["JwtConfiguration"] == {
        "Audience": [{"Ref": "CognitoUserPoolClientApi"}],
        "Issuer": {
            "Fn::Join": [
                "",
                ["https://cognito-idp.", {"Ref": "AWS::Region"}, ".amazonaws.com/", {"Ref": "CognitoUserPoolMain"}],
            ]
        },
    }


def test_cors_allow_list_is_the_same_for_gateway_and_function(resources: dict[str, Any]) -> None:
    cors = resources["HttpApi"]["Properties"]["CorsConfiguration"]
    variables = resources["ApiLambdaFunction"]["Properties"]["Environment"]["Variables"]
    assert variables["CORS_ALLOWED_ORIGINS"] == {"Fn::Join": [",", cors["AllowOrigins"]]}
    assert "*" not in cors["AllowOrigins"]
    assert sorted(cors["AllowHeaders"]) == ["Accept-Language", "Authorization", "Content-Type"]


def test_stage_is_throttled(resources: dict[str, Any]) -> None:
    stage = resources["HttpApiStage"]
    settings = stage["Properties"]
    assert settings["DefaultRouteSettings"] == {"ThrottlingRateLimit": 50, "ThrottlingBurstLimit": 100}
    email_routes = ["POST /auth/sign-up", "POST /auth/resend-code", "POST /auth/forgot-password"]
    assert settings["RouteSettings"] == {
        route: {"ThrottlingRateLimit": 5, "ThrottlingBurstLimit": 10} for route in email_routes
    }
    route_ids = {
        r["Properties"]["RouteKey"]: k for k, r in resources.items() if r["Type"] == "AWS::ApiGatewayV2::Route"
    }
    assert set(stage["DependsOn"]) >= {route_ids[route] for route in email_routes}


def test_packaged_code_includes_the_api(resources: dict[str, Any]) -> None:
    integration = resources["HttpApiIntegrationApi"]["Properties"]
    assert integration["PayloadFormatVersion"] == "2.0"
    assert integration["IntegrationUri"] == {"Fn::GetAtt": ["ApiLambdaFunction", "Arn"]}
