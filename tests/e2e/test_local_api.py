"""The project's own HTTP API (the ``api`` function's routes in the packaged template), served by the local stack:
sign up, confirm with the code from the outbox, sign in and read ``/me`` over plain HTTP, through the emulated JWT
authorizer and the real trigger chain."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest

from local.tokens import decode
from tests.e2e.conftest import LocalStackHandle

pytestmark = pytest.mark.e2e

PASSWORD = "Correct-Horse-9-Battery"


def http(
    stack: LocalStackHandle, method: str, path: str, body: Any = None, token: str | None = None
) -> tuple[int, Any]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{stack.api_url}{path}", data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


@pytest.fixture
def api(local_stack: LocalStackHandle) -> LocalStackHandle:
    required = {"POST /auth/sign-up", "POST /auth/confirm", "POST /auth/sign-in", "GET /me"}
    missing = required - set(local_stack.info["routes"])
    assert not missing, f"the local HTTP API serves no {sorted(missing)}"
    return local_stack


def test_the_whole_flow_over_the_projects_api(api: LocalStackHandle, unique_email: str) -> None:
    assert http(api, "GET", "/me") == (401, {"message": "Unauthorized"})

    status, _ = http(api, "POST", "/auth/sign-up", {"email": unique_email, "password": PASSWORD, "name": "Api User"})
    assert status == 202
    [message] = api.outbox.messages(unique_email)
    assert message["trigger_source"] == "CustomMessage_SignUp"

    status, _ = http(api, "POST", "/auth/confirm", {"email": unique_email, "code": message["code"]})
    assert status == 200

    status, signed_in = http(api, "POST", "/auth/sign-in", {"email": unique_email, "password": PASSWORD})
    assert status == 200
    access_token = signed_in["tokens"]["access_token"]
    sub = decode(access_token)["sub"]

    status, me = http(api, "GET", "/me", token=access_token)
    assert status == 200
    assert me["user_id"] == sub
    assert me["email"] == unique_email
    assert me["name"] == "Api User"

    calls = [
        i
        for i in api.invocations(trigger="HttpApi")
        if i["event"]["rawPath"] == "/me"
        and i["event"]["requestContext"].get("authorizer", {}).get("jwt", {}).get("claims", {}).get("sub") == sub
    ]
    [call] = calls
    jwt = call["event"]["requestContext"]["authorizer"]["jwt"]
    assert jwt["claims"]["sub"] == sub
    assert jwt["scopes"] == decode(access_token)["scope"].split()
