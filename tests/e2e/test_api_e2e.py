"""The auth HTTP API end to end: the real handler behind the local stack's HTTP API (JWT authorizer emulated),
Cognito with our triggers, the outbox for codes. Every request is a real HTTP call to 127.0.0.1.

The journey: sign-up, confirm with the emailed code, sign-in, /me, refresh (SecretHash with the internal
username), sign-out, refresh refused afterwards, forgot/reset password, and the admin routes refused to a user and
allowed to an admin.
"""

from __future__ import annotations

import copy
import json
import urllib.error
import urllib.request
from typing import Any

import pytest

from tests.e2e.conftest import LocalStackHandle, packaged_template

pytestmark = pytest.mark.e2e

PASSWORD = "Correct-Horse-9-Battery"
NEW_PASSWORD = "Staple-Battery-7-Horse!"


def call(
    stack: LocalStackHandle,
    method: str,
    path: str,
    body: Any = None,
    *,
    token: str | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], Any]:
    request = urllib.request.Request(
        stack.api_url + path,
        data=None if body is None else json.dumps(body).encode(),
        method=method,
        headers={
            "content-type": "application/json",
            **({"authorization": f"Bearer {token}"} if token else {}),
            **(headers or {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # local endpoint only
            raw = response.read()
            return response.status, dict(response.headers), json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        raw = error.read()
        return error.code, dict(error.headers), json.loads(raw) if raw else None


def register(stack: LocalStackHandle, email: str, password: str = PASSWORD) -> None:
    assert call(stack, "POST", "/auth/sign-up", {"email": email, "password": password})[::2] == (
        202,
        {"status": "CONFIRMATION_REQUIRED"},
    )
    code = stack.outbox.latest_code(email)
    assert call(stack, "POST", "/auth/confirm", {"email": email, "code": code})[::2] == (200, {"status": "CONFIRMED"})


def sign_in(stack: LocalStackHandle, email: str, password: str = PASSWORD) -> dict[str, Any]:
    status, _, body = call(stack, "POST", "/auth/sign-in", {"email": email, "password": password})
    assert status == 200, body
    assert body["status"] == "SIGNED_IN"
    return dict(body)


def test_journey(local_stack: LocalStackHandle, unique_email: str) -> None:
    stack = local_stack
    register(stack, unique_email)

    signed_in = sign_in(stack, unique_email)
    tokens = signed_in["tokens"]
    username = signed_in["username"]
    assert set(tokens) == {"access_token", "id_token", "refresh_token", "expires_in", "token_type"}
    assert tokens["refresh_token"] and tokens["token_type"] == "Bearer"

    # /me: the profile post-confirmation created, keyed by the sub (the internal username here)
    status, headers, me = call(stack, "GET", "/me", token=tokens["access_token"])
    assert status == 200
    assert headers["Cache-Control"] == "no-store" and headers["X-Content-Type-Options"] == "nosniff"
    assert (me["user_id"], me["email"], me["email_verified"], me["role"]) == (username, unique_email, True, "user")

    status, _, updated = call(stack, "PATCH", "/me", {"name": "지민", "locale": "ko"}, token=tokens["access_token"])
    assert (status, updated["name"], updated["locale"]) == (200, "지민", "ko")
    attributes = {
        a["Name"]: a["Value"]
        for a in stack.cognito().admin_get_user(UserPoolId=stack.pool_id, Username=username)["UserAttributes"]
    }
    assert (attributes["name"], attributes["locale"]) == ("지민", "ko")
    status, _, refused = call(stack, "PATCH", "/me", {"role": "admin"}, token=tokens["access_token"])
    assert (status, refused["code"], refused["fields"][0]["field"]) == (400, "VALIDATION_FAILED", "role")

    # refresh: SecretHash over the internal username (the local Cognito checks it), by username or by ID token
    for identity in ({"username": username}, {"id_token": tokens["id_token"]}):
        status, _, refreshed = call(
            stack, "POST", "/auth/refresh", {"refresh_token": tokens["refresh_token"], **identity}
        )
        assert (status, refreshed["status"], refreshed["username"]) == (200, "SIGNED_IN", username)
        assert refreshed["tokens"]["access_token"]
    # the email is the wrong name for REFRESH_TOKEN_AUTH's SecretHash
    status, _, wrong = call(
        stack, "POST", "/auth/refresh", {"refresh_token": tokens["refresh_token"], "username": unique_email}
    )
    assert (status, wrong["code"]) == (401, "SESSION_EXPIRED")

    # sign-out revokes the refresh token; refreshing afterwards is refused
    assert call(stack, "POST", "/auth/sign-out", {"refresh_token": tokens["refresh_token"]})[::2] == (204, None)
    status, _, after = call(
        stack, "POST", "/auth/refresh", {"refresh_token": tokens["refresh_token"], "username": username}
    )
    assert (status, after["code"]) == (401, "SESSION_EXPIRED")

    # forgot / reset password with the emailed code
    status, _, accepted = call(stack, "POST", "/auth/forgot-password", {"email": unique_email})
    assert (status, accepted["status"]) == (202, "ACCEPTED")
    code = stack.outbox.latest_code(unique_email)
    status, _, reset = call(
        stack, "POST", "/auth/reset-password", {"email": unique_email, "code": code, "password": NEW_PASSWORD}
    )
    assert (status, reset) == (200, {"status": "PASSWORD_RESET"})
    sign_in(stack, unique_email, NEW_PASSWORD)
    status, _, old = call(stack, "POST", "/auth/sign-in", {"email": unique_email, "password": PASSWORD})
    assert (status, old["code"]) == (401, "INVALID_CREDENTIALS")


def test_no_enumeration(local_stack: LocalStackHandle, unique_email: str) -> None:
    stack = local_stack
    register(stack, unique_email)
    nobody = "nobody-" + unique_email

    known = call(stack, "POST", "/auth/forgot-password", {"email": unique_email})
    unknown = call(stack, "POST", "/auth/forgot-password", {"email": nobody})
    assert (known[0], known[2]) == (unknown[0], unknown[2]) == (202, known[2])

    wrong = call(stack, "POST", "/auth/sign-in", {"email": unique_email, "password": "Wrong-Horse-9-Battery"})
    missing = call(stack, "POST", "/auth/sign-in", {"email": nobody, "password": "Wrong-Horse-9-Battery"})
    assert (wrong[0], wrong[2]) == (missing[0], missing[2])
    assert wrong[0] == 401 and wrong[2]["code"] == "INVALID_CREDENTIALS"

    again = call(stack, "POST", "/auth/sign-up", {"email": unique_email, "password": PASSWORD})
    assert (again[0], again[2]) == (202, {"status": "CONFIRMATION_REQUIRED"})


def test_protected_routes_need_a_token(local_stack: LocalStackHandle) -> None:
    status, _, _ = call(local_stack, "GET", "/me")
    assert status == 401
    status, _, _ = call(local_stack, "GET", "/admin/users", token="not-a-token")
    assert status == 401


def test_admin_routes(local_stack: LocalStackHandle, unique_email: str) -> None:
    stack = local_stack
    admin_email = "admin-" + unique_email
    register(stack, unique_email)
    register(stack, admin_email)
    user = sign_in(stack, unique_email)
    user_name = user["username"]

    # a user is refused, by the handler's role check (the token itself is valid)
    status, _, refused = call(stack, "GET", "/admin/users", token=user["tokens"]["access_token"])
    assert (status, refused["code"]) == (403, "FORBIDDEN")

    # an admin (group membership -> role claim from the pre-token trigger) is allowed
    admin_name = sign_in(stack, admin_email)["username"]
    stack.cognito().admin_add_user_to_group(UserPoolId=stack.pool_id, Username=admin_name, GroupName="admin")
    admin = sign_in(stack, admin_email)["tokens"]["access_token"]

    listed: dict[str, Any] = {}
    next_token: str | None = None
    for _ in range(50):  # page through everything the session created
        query = "?limit=60" + (f"&next_token={urllib.request.quote(next_token, safe='')}" if next_token else "")
        status, _, page = call(stack, "GET", "/admin/users" + query, token=admin)
        assert status == 200, page
        listed.update({u["username"]: u for u in page["users"]})
        next_token = page["next_token"]
        if not next_token:
            break
    assert listed[user_name]["email"] == unique_email
    assert listed[user_name]["enabled"] is True and listed[user_name]["status"] == "CONFIRMED"

    # disable: the user can no longer sign in; enable: they can again
    assert call(stack, "POST", f"/admin/users/{user_name}/disable", token=admin)[::2] == (204, None)
    status, _, disabled = call(stack, "POST", "/auth/sign-in", {"email": unique_email, "password": PASSWORD})
    assert (status, disabled["code"]) == (401, "INVALID_CREDENTIALS")
    assert call(stack, "POST", f"/admin/users/{user_name}/enable", token=admin)[::2] == (204, None)
    sign_in(stack, unique_email)
    # the email works as the username too (percent-encoded in the path)
    by_email = urllib.request.quote(unique_email, safe="")
    assert call(stack, "POST", f"/admin/users/{by_email}/disable", token=admin)[::2] == (204, None)
    user_record = stack.cognito().admin_get_user(UserPoolId=stack.pool_id, Username=user_name)
    assert user_record["Enabled"] is False
    assert call(stack, "POST", f"/admin/users/{by_email}/enable", token=admin)[::2] == (204, None)

    # groups: add and remove, unknown group, unknown user
    assert call(stack, "PUT", f"/admin/users/{user_name}/groups/admin", token=admin)[::2] == (204, None)
    groups = stack.cognito().admin_list_groups_for_user(UserPoolId=stack.pool_id, Username=user_name)["Groups"]
    assert "admin" in {g["GroupName"] for g in groups}
    assert call(stack, "DELETE", f"/admin/users/{user_name}/groups/admin", token=admin)[::2] == (204, None)
    status, _, missing_group = call(stack, "PUT", f"/admin/users/{user_name}/groups/no-such-group", token=admin)
    assert (status, missing_group["code"]) == (404, "GROUP_NOT_FOUND")
    status, _, missing_user = call(stack, "POST", "/admin/users/no-such-user/disable", token=admin)
    assert (status, missing_user["code"]) == (404, "USER_NOT_FOUND")

    # an admin cannot lock themselves out
    status, _, lockout = call(stack, "DELETE", f"/admin/users/{admin_name}/groups/admin", token=admin)
    assert (status, lockout["code"]) == (409, "SELF_LOCKOUT")


def test_errors_are_localized_and_bodies_checked(local_stack: LocalStackHandle, unique_email: str) -> None:
    status, _, body = call(
        local_stack,
        "POST",
        "/auth/sign-in",
        {"email": unique_email, "password": "x"},
        headers={"accept-language": "ko"},
    )
    assert (status, body["code"], body["message"]) == (
        401,
        "INVALID_CREDENTIALS",
        "이메일 주소 또는 비밀번호가 올바르지 않습니다.",
    )
    request = urllib.request.Request(
        local_stack.api_url + "/auth/sign-in",
        data=b"{not json",
        method="POST",
        headers={"content-type": "application/json"},
    )
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request, timeout=60)
    assert (raised.value.code, json.loads(raised.value.read())["code"]) == (400, "MALFORMED_JSON")


def test_a_client_without_secret(stack_from_template: Any, unique_email: str) -> None:
    """The same API on a public app client (GenerateSecret false): the function learns from
    DescribeUserPoolClient that there is no secret, and every flow works without a SecretHash. (That none is sent
    is asserted on the exact parameters in tests/unit/test_auth_gateway.py.)"""
    document = copy.deepcopy(packaged_template())
    document["Resources"]["CognitoUserPoolClientApi"]["Properties"]["GenerateSecret"] = False
    stack: LocalStackHandle = stack_from_template(document)
    assert stack.client_secret == ""
    register(stack, unique_email)
    signed_in = sign_in(stack, unique_email)
    refresh = {"refresh_token": signed_in["tokens"]["refresh_token"], "username": signed_in["username"]}
    status, _, refreshed = call(stack, "POST", "/auth/refresh", refresh)
    assert (status, refreshed["status"]) == (200, "SIGNED_IN")
    assert call(stack, "POST", "/auth/sign-out", {"refresh_token": refresh["refresh_token"]})[::2] == (204, None)


def test_new_password_challenge(local_stack: LocalStackHandle, unique_email: str) -> None:
    """An invited user (AdminCreateUser) signs in with the temporary password and must choose a new one: the
    challenge answer's SecretHash uses the challenge's USER_ID_FOR_SRP, which the local Cognito checks."""
    stack = local_stack
    stack.cognito().admin_create_user(
        UserPoolId=stack.pool_id,
        Username=unique_email,
        TemporaryPassword="Temporary-Horse-9!",
        UserAttributes=[{"Name": "email", "Value": unique_email}, {"Name": "email_verified", "Value": "true"}],
        MessageAction="SUPPRESS",
    )
    status, _, first = call(stack, "POST", "/auth/sign-in", {"email": unique_email, "password": "Temporary-Horse-9!"})
    assert (status, first["status"], first["challenge"]["name"]) == (200, "CHALLENGE", "NEW_PASSWORD_REQUIRED")
    challenge = first["challenge"]
    answer = {
        "challenge": "NEW_PASSWORD_REQUIRED",
        "session": challenge["session"],
        "username": challenge["username"],
        "new_password": NEW_PASSWORD,
    }
    status, _, done = call(stack, "POST", "/auth/challenge", answer)
    assert (status, done["status"]) == (200, "SIGNED_IN"), done
    internal = stack.cognito().admin_get_user(UserPoolId=stack.pool_id, Username=unique_email)["Username"]
    assert done["tokens"]["access_token"] and done["username"] == internal
    sign_in(stack, unique_email, NEW_PASSWORD)
