"""The caller from verified JWT claims, and the admin rule (server-owned claims only)."""

from __future__ import annotations

import pytest

from common.auth.claims import Caller, caller_from_claims, parse_groups
from common.auth.errors import AuthError

SUB = "0b2f3c1e-7a4d-4e55-9c1b-2f8e6d4a1b90"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("[admin user]", {"admin", "user"}),  # how HTTP API JWT authorizers flatten arrays
        ('["admin","user"]', {"admin", "user"}),
        (["admin", "user"], {"admin", "user"}),
        ("admin,user", {"admin", "user"}),
        ("[]", set()),
        ("", set()),
        (None, set()),
        (42, set()),
    ],
)
def test_parse_groups(value: object, expected: set[str]) -> None:
    assert parse_groups(value) == frozenset(expected)


def test_access_token_claims() -> None:
    caller = caller_from_claims(
        {"sub": SUB, "username": SUB, "cognito:groups": "[user]", "role": "user", "token_use": "access"}
    )
    assert caller == Caller(sub=SUB, username=SUB, email=None, role="user", groups=frozenset({"user"}))


def test_id_token_claims() -> None:
    caller = caller_from_claims({"sub": SUB, "cognito:username": SUB, "email": "jane@example.com", "token_use": "id"})
    assert caller == Caller(sub=SUB, username=SUB, email="jane@example.com", role=None, groups=frozenset())


@pytest.mark.parametrize("claims", [None, {}, {"username": "x"}, {"sub": ""}, {"sub": 7}])
def test_no_identity_is_unauthenticated(claims: dict[str, object] | None) -> None:
    with pytest.raises(AuthError) as raised:
        caller_from_claims(claims)
    assert raised.value.code == "UNAUTHENTICATED"


@pytest.mark.parametrize(
    ("role", "groups", "admin"),
    [
        ("admin", frozenset(), True),
        (None, frozenset({"admin"}), True),
        ("user", frozenset({"user"}), False),
        (None, frozenset(), False),
        ("Admin", frozenset({"administrators"}), False),  # exact names only
    ],
)
def test_is_admin(role: str | None, groups: frozenset[str], admin: bool) -> None:
    caller = Caller(sub=SUB, username=SUB, email=None, role=role, groups=groups)
    assert caller.is_admin("admin", "admin") is admin


def test_is_same_user() -> None:
    caller = Caller(sub=SUB, username=SUB, email="jane@example.com", role="admin", groups=frozenset())
    assert caller.is_same_user(SUB)
    assert caller.is_same_user("Jane@Example.com")
    assert not caller.is_same_user("someone-else")
