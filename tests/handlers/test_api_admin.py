"""The /admin routes: refused to users (role and groups claims), allowed to admins, exact Cognito calls and
answers, paging, self-lockout, and the errors of each operation."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import botocore.session
import pytest

from tests.handlers.api_helpers import (
    ADMIN_SUB,
    POOL_ID,
    SECURITY_HEADERS,
    SUB,
    claims,
    english,
    error,
    http_event,
    invoke,
    stubbed_cognito,
)

ADMIN_BY_ROLE = claims(ADMIN_SUB, role="admin", groups=["admin", "user"], email="root@example.com")
ADMIN_BY_GROUP = claims(ADMIN_SUB, role=None, groups=["admin"])
USER = claims(SUB, role="user", groups=["user"])
CREATED = datetime(2026, 11, 26, 8, 40, 17, tzinfo=UTC)


def admin_event(method: str, path: str, route: str, params: dict[str, str], jwt: dict[str, str]) -> dict[str, Any]:
    return http_event(method, path, route=route, path_parameters=params, jwt=jwt)


def disable(username: str, jwt: dict[str, str]) -> dict[str, Any]:
    return admin_event(
        "POST", f"/admin/users/{username}/disable", "/admin/users/{username}/disable", {"username": username}, jwt
    )


def group(method: str, username: str, name: str, jwt: dict[str, str]) -> dict[str, Any]:
    return admin_event(
        method,
        f"/admin/users/{username}/groups/{name}",
        "/admin/users/{username}/groups/{group}",
        {"username": username, "group": name},
        jwt,
    )


FORBIDDEN = (403, error("FORBIDDEN", english("api.error.forbidden")))


@pytest.mark.parametrize(
    "event",
    [
        http_event("GET", "/admin/users", jwt=USER),
        disable(SUB, USER),
        admin_event("POST", f"/admin/users/{SUB}/enable", "/admin/users/{username}/enable", {"username": SUB}, USER),
        group("PUT", SUB, "admin", USER),
        group("DELETE", ADMIN_SUB, "admin", USER),
        # a user-writable attribute would never be a claim here, but even a forged-looking one is not "admin"
        http_event("GET", "/admin/users", jwt=claims(SUB, role="Admin", groups=["administrators"])),
    ],
)
def test_users_are_refused(event: dict[str, Any]) -> None:
    with stubbed_cognito():
        assert invoke(event)[::2] == FORBIDDEN


def test_no_claims_is_unauthenticated() -> None:
    with stubbed_cognito():
        status, _, body = invoke(http_event("GET", "/admin/users"))
    assert (status, body) == (401, error("UNAUTHENTICATED", english("api.error.unauthenticated")))


@pytest.mark.parametrize("jwt", [ADMIN_BY_ROLE, ADMIN_BY_GROUP])
def test_list_users_pages(jwt: dict[str, str]) -> None:
    with stubbed_cognito() as stubber:
        stubber.add_response(
            "list_users",
            {
                "Users": [
                    {
                        "Username": SUB,
                        "Attributes": [
                            {"Name": "sub", "Value": SUB},
                            {"Name": "email", "Value": "jane.doe@example.com"},
                            {"Name": "email_verified", "Value": "true"},
                            {"Name": "locale", "Value": "ko"},
                        ],
                        "UserCreateDate": CREATED,
                        "UserLastModifiedDate": CREATED,
                        "Enabled": True,
                        "UserStatus": "CONFIRMED",
                    }
                ],
                "PaginationToken": "page-2",
            },
            {"UserPoolId": POOL_ID, "Limit": 1, "PaginationToken": "page-1"},
        )
        status, headers, body = invoke(
            http_event("GET", "/admin/users", query={"limit": "1", "next_token": "page-1"}, jwt=jwt)
        )
    assert status == 200
    assert headers == {"Content-Type": "application/json", **SECURITY_HEADERS}
    assert body == {
        "users": [
            {
                "username": SUB,
                "status": "CONFIRMED",
                "enabled": True,
                "created_at": "2026-11-26T08:40:17Z",
                "updated_at": "2026-11-26T08:40:17Z",
                "email": "jane.doe@example.com",
                "email_verified": True,
                "name": None,
                "locale": "ko",
                "sub": SUB,
            }
        ],
        "next_token": "page-2",
    }


def test_list_users_default_page_size() -> None:
    with stubbed_cognito() as stubber:
        stubber.add_response("list_users", {"Users": []}, {"UserPoolId": POOL_ID, "Limit": 20})
        assert invoke(http_event("GET", "/admin/users", jwt=ADMIN_BY_ROLE))[::2] == (
            200,
            {"users": [], "next_token": None},
        )


@pytest.mark.parametrize(
    ("query", "field", "code", "key"),
    [
        ({"limit": "0"}, "limit", "GREATER_THAN_EQUAL", "range"),
        ({"limit": "61"}, "limit", "LESS_THAN_EQUAL", "range"),
        ({"limit": "ten"}, "limit", "INT_PARSING", "type"),
    ],
)
def test_list_users_limit(query: dict[str, str], field: str, code: str, key: str) -> None:
    with stubbed_cognito():
        status, _, body = invoke(http_event("GET", "/admin/users", query=query, jwt=ADMIN_BY_ROLE))
    assert (status, body) == (
        400,
        error(
            "VALIDATION_FAILED",
            english("api.error.validation_failed"),
            [{"field": field, "code": code, "message": english(f"api.validation.{key}")}],
        ),
    )


def test_disable_and_enable() -> None:
    with stubbed_cognito() as stubber:
        stubber.add_response("admin_disable_user", {}, {"UserPoolId": POOL_ID, "Username": SUB})
        stubber.add_response("admin_enable_user", {}, {"UserPoolId": POOL_ID, "Username": SUB})
        assert invoke(disable(SUB, ADMIN_BY_ROLE)) == (204, SECURITY_HEADERS, None)
        enable = admin_event(
            "POST", f"/admin/users/{SUB}/enable", "/admin/users/{username}/enable", {"username": SUB}, ADMIN_BY_ROLE
        )
        assert invoke(enable) == (204, SECURITY_HEADERS, None)


def test_percent_encoded_path_segments_are_decoded() -> None:
    email = "jane.doe+admin@example.com"
    encoded = "jane.doe%2Badmin%40example.com"
    with stubbed_cognito() as stubber:
        stubber.add_response("admin_disable_user", {}, {"UserPoolId": POOL_ID, "Username": email})
        stubber.add_response(
            "admin_add_user_to_group", {}, {"UserPoolId": POOL_ID, "Username": email, "GroupName": "beta testers"}
        )
        event = admin_event(
            "POST",
            f"/admin/users/{encoded}/disable",
            "/admin/users/{username}/disable",
            {"username": email},
            ADMIN_BY_ROLE,
        )
        assert invoke(event) == (204, SECURITY_HEADERS, None)
        event = group("PUT", encoded, "beta%20testers", ADMIN_BY_ROLE)
        assert invoke(event) == (204, SECURITY_HEADERS, None)


def test_add_and_remove_group() -> None:
    with stubbed_cognito() as stubber:
        expected = {"UserPoolId": POOL_ID, "Username": SUB, "GroupName": "admin"}
        stubber.add_response("admin_add_user_to_group", {}, expected)
        stubber.add_response("admin_remove_user_from_group", {}, expected)
        assert invoke(group("PUT", SUB, "admin", ADMIN_BY_ROLE)) == (204, SECURITY_HEADERS, None)
        assert invoke(group("DELETE", SUB, "admin", ADMIN_BY_ROLE)) == (204, SECURITY_HEADERS, None)


@pytest.mark.parametrize(
    "event",
    [disable(ADMIN_SUB, ADMIN_BY_ROLE), group("DELETE", ADMIN_SUB, "admin", ADMIN_BY_ROLE)],
)
def test_admins_cannot_lock_themselves_out(event: dict[str, Any]) -> None:
    with stubbed_cognito():
        assert invoke(event)[::2] == (409, error("SELF_LOCKOUT", english("api.error.self_lockout")))


# Every modelled error of each admin operation (expected answers from the API contract).
ADMIN_EXPECTED = {
    "InternalErrorException": (503, "SERVICE_UNAVAILABLE"),
    "InvalidParameterException": (400, "INVALID_REQUEST"),
    "NotAuthorizedException": (500, "INTERNAL_ERROR"),
    "OperationNotEnabledException": (500, "INTERNAL_ERROR"),
    "ResourceNotFoundException": (500, "INTERNAL_ERROR"),
    "TooManyRequestsException": (429, "TOO_MANY_REQUESTS"),
    "UserNotFoundException": (404, "USER_NOT_FOUND"),
}
GROUP_EXPECTED = {**ADMIN_EXPECTED, "ResourceNotFoundException": (404, "GROUP_NOT_FOUND")}
OPERATIONS = {
    "ListUsers": ("list_users", lambda: http_event("GET", "/admin/users", jwt=ADMIN_BY_ROLE), ADMIN_EXPECTED),
    "AdminDisableUser": ("admin_disable_user", lambda: disable(SUB, ADMIN_BY_ROLE), ADMIN_EXPECTED),
    "AdminAddUserToGroup": ("admin_add_user_to_group", lambda: group("PUT", SUB, "g", ADMIN_BY_ROLE), GROUP_EXPECTED),
    "AdminRemoveUserFromGroup": (
        "admin_remove_user_from_group",
        lambda: group("DELETE", SUB, "g", ADMIN_BY_ROLE),
        GROUP_EXPECTED,
    ),
}


def _cases() -> list[tuple[str, str]]:
    model = botocore.session.get_session().get_service_model("cognito-idp")
    return [(op, s.name) for op in OPERATIONS for s in sorted(model.operation_model(op).error_shapes, key=str)]


@pytest.mark.parametrize(("operation", "cognito_code"), _cases())
def test_every_cognito_error(operation: str, cognito_code: str) -> None:
    method, event, expected = OPERATIONS[operation]
    status, code = expected[cognito_code]
    with stubbed_cognito() as stubber:
        stubber.add_client_error(method, cognito_code, "Cognito's text")
        assert invoke(event())[::2] == (status, error(code, english(f"api.error.{code.lower()}")))
