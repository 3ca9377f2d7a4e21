"""Property: whatever HTTP API (payload 2.0) event reaches the API function, it answers with a status that is not
500, a JSON body, and for every error a stable code and a user-safe message; never an exception or a hang.

Requests go to the routes of the packaged template (and to paths nobody routes), with bodies that are valid,
almost valid (hostile strings in the right fields) or garbage, hostile headers, and JWT claims as the authorizer
would pass them. Cognito and DynamoDB are moto, so requests that pass validation go through the real services.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import json
import re
from collections.abc import Iterator
from typing import Any

import boto3
import hypothesis
import hypothesis.errors
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from moto import mock_aws

from common import aws
from tests.faults.aws_stack import build_stack, resources, share_botocore_session
from tests.fuzz.bounded import bounded
from tests.fuzz.safety import _LEAKS
from tests.fuzz.strategies import NASTY_STRINGS, json_values, nasty_text
from tests.handlers.api_helpers import API_ENV, api_app, claims, http_event
from tests.lambda_context import FakeLambdaContext

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning")

ROUTES = sorted(
    (route["Properties"]["RouteKey"], route["Properties"].get("AuthorizationType") == "JWT")
    for route in resources("AWS::ApiGatewayV2::Route").values()
)
FIELDS = ["email", "password", "name", "locale", "code", "session", "username", "challenge", "new_password",
          "refresh_token", "id_token"]  # fmt: skip
GOOD = {
    "email": "jane.doe@example.com",
    "password": "Correct-Horse-9-Battery!",
    "name": "Jane Doe",
    "locale": "ko",
    "code": "123456",
    "challenge": "NEW_PASSWORD_REQUIRED",
    "new_password": "Another-Horse-8-Battery!",
}

FAST = settings(
    max_examples=150,
    deadline=3000,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)


# The body each route validates (valid values; one of them is then made hostile).
ROUTE_FIELDS = {
    "/auth/sign-up": ("email", "password", "name", "locale"),
    "/auth/confirm": ("email", "code"),
    "/auth/resend-code": ("email",),
    "/auth/forgot-password": ("email",),
    "/auth/sign-in": ("email", "password"),
    "/auth/challenge": ("challenge", "session", "username", "new_password"),
    "/auth/refresh": ("refresh_token",),
    "/auth/reset-password": ("email", "code", "password"),
    "/auth/sign-out": ("refresh_token",),
    "/me": ("name", "locale"),
}
GOOD_TOKEN = "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIn0.x" + "A" * 40


@st.composite
def bodies(draw: st.DrawFn, path: str) -> tuple[str | None, bool]:
    """(body text, isBase64Encoded)."""
    kind = draw(st.sampled_from(["route", "route", "route", "fields", "json", "text", "none", "base64", "huge"]))
    if kind == "route" and path in ROUTE_FIELDS:
        body = {
            name: GOOD.get(
                name, GOOD_TOKEN if name.endswith("token") else "AYABeF0aSession" if name == "session" else "x"
            )
            for name in ROUTE_FIELDS[path]
        }
        if draw(st.booleans()):
            body[draw(st.sampled_from(ROUTE_FIELDS[path]))] = draw(nasty_text | st.sampled_from([None, 7, [], {}]))
        return json.dumps(body), False
    if kind in ("fields", "route"):
        body = {}
        for name in draw(st.lists(st.sampled_from(FIELDS), unique=True, max_size=5)):
            body[name] = draw(st.sampled_from([GOOD.get(name, "x"), None, 7, [], {}]) | nasty_text)
        return json.dumps(body), False
    if kind == "json":
        return json.dumps(draw(json_values)), False
    if kind == "text":
        return draw(st.sampled_from(['{"email": ', "null", "[]", "{}}", "\x00", "", "{" * 5000]) | nasty_text), False
    if kind == "base64":
        return base64.b64encode(draw(st.binary(max_size=64))).decode() + draw(st.sampled_from(["", "!", "="])), True
    if kind == "huge":
        return json.dumps({"email": "a" * 20_000 + "@example.com", "password": "x"}), False
    return None, False


@st.composite
def api_events(draw: st.DrawFn) -> dict[str, Any]:
    route, protected = draw(st.sampled_from([*ROUTES, ("GET /nowhere", False), ("POST /auth/../me", False)]))
    method, path = route.split(" ", 1)
    parameters = {}
    for name in re.findall(r"\{(\w+)\}", path):
        parameters[name] = draw(st.sampled_from(["admin", "user", "6f5e4d3c", "..", "%00", "a" * 300]) | nasty_text)
        path = path.replace("{" + name + "}", parameters[name])
    if draw(st.integers(0, 9)) == 0:
        method = draw(st.sampled_from(["GET", "PUT", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"]))
    body, encoded = draw(bodies(path))
    headers = {}
    names = ["content-type", "origin", "origin", "accept-language", "accept-language", "authorization"]
    for name in draw(st.lists(st.sampled_from(names), unique=True, max_size=2)):
        headers[name] = draw(
            st.sampled_from(
                ["text/plain", "application/json; charset=latin-1", "https://evil.example", "ko-KR,ko;q=0.9"]
            )
            | nasty_text
        )
    jwt = None
    if protected or draw(st.booleans()):
        groups = draw(st.sampled_from([None, [], ["user"], ["admin"], ["admin", "user"]]))
        jwt = claims(groups=groups, role=draw(st.sampled_from([None, "user", "admin", "root"])))
        if draw(st.integers(0, 4)) == 0:
            jwt[draw(st.sampled_from(sorted(jwt)))] = draw(nasty_text)
    event = http_event(
        method,
        path,
        route=None if not parameters else route.split(" ", 1)[1],
        path_parameters=parameters or None,
        headers={k: v for k, v in headers.items() if isinstance(v, str)},
        jwt=jwt,
        raw_body=body,
    )
    event["isBase64Encoded"] = encoded
    if body is None:
        event.pop("body", None)
    return event


@dataclasses.dataclass
class ApiUnderTest:
    handler: Any


@pytest.fixture(scope="module")
def api() -> Iterator[ApiUnderTest]:
    """The real ``api.app`` handler over a moto Cognito pool and profile table built from the template."""
    app = api_app()
    from api import dependencies  # noqa: PLC0415  (after api_app() imported it with its settings)

    with mock_aws(), pytest.MonkeyPatch.context() as monkeypatch:
        share_botocore_session(monkeypatch)
        stack = build_stack()
        stack.dynamodb.create_table(
            TableName=API_ENV["PROFILE_TABLE_NAME"],
            AttributeDefinitions=[{"AttributeName": "userId", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "userId", "KeyType": "HASH"}],
            BillingMode="PAY_PER_REQUEST",
        )
        stack.create_user("jane.doe@example.com", groups=("user",))
        cognito = boto3.client("cognito-idp", region_name="us-east-1")
        dynamodb = boto3.client("dynamodb", region_name="us-east-1")
        # moto does not implement RevokeToken or ResendConfirmationCode (it raises NotImplementedError, which the
        # API rightly turns into a 500): answer them as Cognito answers a request it accepts.
        ok = {"ResponseMetadata": {"HTTPStatusCode": 200}}
        delivery = {
            "CodeDeliveryDetails": {"Destination": "j***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}
        }
        monkeypatch.setattr(cognito, "revoke_token", lambda **_: ok)
        monkeypatch.setattr(cognito, "resend_confirmation_code", lambda **_: {**ok, **delivery})
        monkeypatch.setattr(aws, "cognito_client", lambda: cognito)
        monkeypatch.setattr(aws, "dynamodb_client", lambda: dynamodb)
        monkeypatch.setattr(
            dependencies,
            "settings",
            dataclasses.replace(dependencies.settings, user_pool_id=stack.pool_id, client_id=stack.client_id),
        )
        dependencies.reset()
        try:
            yield ApiUnderTest(app.handler)
        finally:
            dependencies.reset()


def _event(label: str) -> None:
    with contextlib.suppress(hypothesis.errors.InvalidArgument):  # outside a property (the parametrized tests)
        hypothesis.event(label)


def check_response(result: Any) -> None:
    assert isinstance(result, dict)
    status = result["statusCode"]
    assert isinstance(status, int) and 200 <= status < 600 and status != 500, status
    body = json.loads(result["body"]) if result.get("body") else None
    if status >= 400:
        assert isinstance(body, dict), result
        assert re.fullmatch(r"[A-Z][A-Z0-9_]{1,63}", body["code"]), body
        message = body["message"]
        assert isinstance(message, str) and 0 < len(message) <= 300, body
        for leak in _LEAKS:
            assert not leak.search(message), (leak.pattern, body)
        _event(f"{status} {body['code']}")
    else:
        _event(str(status))


@FAST
@given(event=api_events())
def test_any_request_gets_a_json_answer_that_is_not_a_500(api: ApiUnderTest, event: dict[str, Any]) -> None:
    check_response(bounded(lambda: api.handler(event, FakeLambdaContext(function_name="api")), seconds=5.0))


@pytest.mark.slow
@settings(FAST, max_examples=2000, derandomize=False)
@given(event=api_events())
def test_any_request_deep_search(api: ApiUnderTest, event: dict[str, Any]) -> None:
    check_response(bounded(lambda: api.handler(event, FakeLambdaContext(function_name="api")), seconds=5.0))


@pytest.mark.parametrize("text", NASTY_STRINGS[:26], ids=range(26))
def test_hostile_sign_up_fields_get_a_json_answer(api: ApiUnderTest, text: str) -> None:
    for field in ("email", "password", "name", "locale"):
        body = {**{k: GOOD[k] for k in ("email", "password")}, field: text}
        check_response(api.handler(http_event("POST", "/auth/sign-up", body=body), FakeLambdaContext()))
