"""Reading an ID token's cognito:username (for the refresh SecretHash) without trusting it for anything else."""

from __future__ import annotations

import base64
import json

import pytest

from common.auth.errors import AuthError
from common.auth.tokens import unverified_claims, username_from_id_token


def jwt(payload: object) -> str:
    def part(value: object) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return f"{part({'alg': 'RS256', 'kid': 'k1'})}.{part(payload)}.c2lnbmF0dXJl"


def test_username_from_id_token() -> None:
    token = jwt({"sub": "0b2f3c1e", "cognito:username": "0b2f3c1e", "email": "jane@example.com"})
    assert username_from_id_token(token) == "0b2f3c1e"


def test_claims() -> None:
    assert unverified_claims(jwt({"a": 1})) == {"a": 1}


@pytest.mark.parametrize(
    "token",
    ["", "abc", "a.b", "a.!!!.c", jwt([1, 2]), jwt({"sub": "x"}), jwt({"cognito:username": ""}), "a." + "x" * 5 + ".c"],
)
def test_invalid_tokens(token: str) -> None:
    with pytest.raises(AuthError) as raised:
        username_from_id_token(token)
    assert (raised.value.code, raised.value.field) == ("INVALID_TOKEN", "id_token")
