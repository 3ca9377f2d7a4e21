"""Sign-in through the local stack with the project's real triggers: PreTokenGeneration V2 events, its response
applied to both tokens, tokens that verify against the local JWKS, refresh with the right SecretHash, revocation."""

from __future__ import annotations

import contextlib
import json
import time
import urllib.request
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet

from local.tokens import decode
from tests.e2e.conftest import LocalStackHandle

pytestmark = pytest.mark.e2e

PASSWORD = "Correct-Horse-9-Battery"


def confirmed(stack: LocalStackHandle, address: str) -> None:
    cognito = stack.cognito()
    cognito.sign_up(
        ClientId=stack.client_id,
        Username=address,
        Password=PASSWORD,
        SecretHash=stack.secret_hash(address),
        UserAttributes=[{"Name": "name", "Value": "Token User"}],
    )
    cognito.confirm_sign_up(
        ClientId=stack.client_id,
        Username=address,
        ConfirmationCode=stack.outbox.latest_code(address),
        SecretHash=stack.secret_hash(address),
    )


def sign_in(stack: LocalStackHandle, address: str) -> dict[str, Any]:
    result: dict[str, Any] = stack.cognito().initiate_auth(
        ClientId=stack.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": address, "PASSWORD": PASSWORD, "SECRET_HASH": stack.secret_hash(address)},
    )["AuthenticationResult"]
    return result


def verify(stack: LocalStackHandle, token: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{stack.endpoint_url}/{stack.pool_id}/.well-known/jwks.json", timeout=10) as r:
        keys = KeySet.import_key_set(json.loads(r.read()))
    claims: dict[str, Any] = dict(jwt.decode(token, keys, algorithms=["RS256"]).claims)
    return claims


def overrides(invocation: dict[str, Any], token: str) -> dict[str, Any]:
    details = (invocation["result"]["response"].get("claimsAndScopeOverrideDetails") or {}).get(token) or {}
    return details


def test_tokens_carry_the_triggers_response_and_verify_against_the_local_jwks(
    local_stack: LocalStackHandle, unique_email: str
) -> None:
    confirmed(local_stack, unique_email)
    tokens = sign_in(local_stack, unique_email)
    id_claims, access_claims = verify(local_stack, tokens["IdToken"]), verify(local_stack, tokens["AccessToken"])
    sub = access_claims["sub"]
    assert (
        id_claims["iss"] == access_claims["iss"] == f"https://cognito-idp.us-east-1.amazonaws.com/{local_stack.pool_id}"
    )
    assert id_claims["aud"] == access_claims["client_id"] == local_stack.client_id
    assert (id_claims["token_use"], access_claims["token_use"]) == ("id", "access")
    assert id_claims["email"] == unique_email
    assert id_claims["cognito:username"] == access_claims["username"] == sub
    assert id_claims["exp"] > time.time()

    [invocation] = local_stack.invocations(trigger="PreTokenGeneration", user=sub)
    event = invocation["event"]
    assert event["version"] == "2"
    assert event["triggerSource"] == "TokenGeneration_Authentication"
    assert event["userName"] == sub
    assert event["callerContext"] == {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": local_stack.client_id}
    assert event["request"]["userAttributes"] == {
        "sub": sub,
        "email": unique_email,
        "email_verified": "true",
        "name": "Token User",
        "cognito:user_status": "CONFIRMED",
    }
    assert event["request"]["scopes"] == ["aws.cognito.signin.user.admin"]
    assert event["request"]["groupConfiguration"]["iamRolesToOverride"] == []
    assert event["response"] == {"claimsAndScopeOverrideDetails": None}

    id_details, access_details = (
        overrides(invocation, "idTokenGeneration"),
        overrides(invocation, "accessTokenGeneration"),
    )
    # The trigger's settled V2 answer for a default-group user (tests/unit/test_claims_issuer.py), so that the
    # checks below run over something: every added claim and scope must then show up in the issued tokens.
    assert id_details == {"claimsToAddOrOverride": {"role": "user"}, "claimsToSuppress": []}
    assert access_details == {
        "claimsToAddOrOverride": {"role": "user"},
        "claimsToSuppress": [],
        "scopesToAdd": ["profile/read", "profile/write"],
        "scopesToSuppress": [],
    }
    for name, value in (id_details.get("claimsToAddOrOverride") or {}).items():
        assert id_claims[name] == value
    for name in id_details.get("claimsToSuppress") or []:
        assert name not in id_claims
    for name, value in (access_details.get("claimsToAddOrOverride") or {}).items():
        assert access_claims[name] == value
    expected_scopes = [s for s in event["request"]["scopes"] if s not in (access_details.get("scopesToSuppress") or [])]
    expected_scopes += [s for s in access_details.get("scopesToAdd") or [] if s not in expected_scopes]
    assert access_claims.get("scope", "").split() == expected_scopes
    # Settled behaviour of the project's trigger: a confirmed user has the role of the default group.
    assert id_claims["role"] == "user"


def test_refresh_uses_the_internal_username_in_the_secret_hash(
    local_stack: LocalStackHandle, unique_email: str
) -> None:
    confirmed(local_stack, unique_email)
    tokens = sign_in(local_stack, unique_email)
    sub = decode(tokens["AccessToken"])["sub"]
    cognito = local_stack.cognito()

    with pytest.raises(cognito.exceptions.NotAuthorizedException) as wrong:
        cognito.initiate_auth(
            ClientId=local_stack.client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={
                "REFRESH_TOKEN": tokens["RefreshToken"],
                "SECRET_HASH": local_stack.secret_hash(unique_email),
            },
        )
    assert (
        wrong.value.response["Error"]["Message"] == f"Unable to verify secret hash for client {local_stack.client_id}"
    )

    refreshed = cognito.initiate_auth(
        ClientId=local_stack.client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"], "SECRET_HASH": local_stack.secret_hash(sub)},
    )["AuthenticationResult"]
    assert "RefreshToken" not in refreshed
    assert verify(local_stack, refreshed["AccessToken"])["sub"] == sub
    sources = [i["event"]["triggerSource"] for i in local_stack.invocations(trigger="PreTokenGeneration", user=sub)]
    assert sources == ["TokenGeneration_Authentication", "TokenGeneration_RefreshTokens"]


def test_a_revoked_refresh_token_is_unusable(local_stack: LocalStackHandle, unique_email: str) -> None:
    confirmed(local_stack, unique_email)
    tokens = sign_in(local_stack, unique_email)
    sub = decode(tokens["AccessToken"])["sub"]
    cognito = local_stack.cognito()
    cognito.revoke_token(
        Token=tokens["RefreshToken"], ClientId=local_stack.client_id, ClientSecret=local_stack.client_secret
    )
    with pytest.raises(cognito.exceptions.NotAuthorizedException) as revoked:
        cognito.initiate_auth(
            ClientId=local_stack.client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"], "SECRET_HASH": local_stack.secret_hash(sub)},
        )
    assert revoked.value.response["Error"]["Message"] == "Refresh Token has been revoked"
    with pytest.raises(cognito.exceptions.NotAuthorizedException):
        cognito.get_user(AccessToken=tokens["AccessToken"])


def test_flows_the_client_does_not_allow_are_refused(local_stack: LocalStackHandle, unique_email: str) -> None:
    confirmed(local_stack, unique_email)
    cognito = local_stack.cognito()
    with pytest.raises(cognito.exceptions.InvalidParameterException) as refused:
        cognito.admin_initiate_auth(
            UserPoolId=local_stack.pool_id,
            ClientId=local_stack.client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={
                "USERNAME": unique_email,
                "PASSWORD": PASSWORD,
                "SECRET_HASH": local_stack.secret_hash(unique_email),
            },
        )
    assert refused.value.response["Error"]["Message"] == "Auth flow not enabled for this client"


@pytest.mark.parametrize("known", [True, False])
def test_a_wrong_password_and_an_unknown_user_look_the_same(
    local_stack: LocalStackHandle, unique_email: str, known: bool
) -> None:
    if known:
        confirmed(local_stack, unique_email)
    cognito = local_stack.cognito()
    with pytest.raises(cognito.exceptions.NotAuthorizedException) as refused:
        cognito.initiate_auth(
            ClientId=local_stack.client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={
                "USERNAME": unique_email,
                "PASSWORD": "Wrong-Horse-1-Battery",
                "SECRET_HASH": local_stack.secret_hash(unique_email),
            },
        )
    assert refused.value.response["Error"]["Message"] == "Incorrect username or password."


def test_the_post_confirmation_profile_is_in_dynamodb(local_stack: LocalStackHandle, unique_email: str) -> None:
    with contextlib.suppress(Exception):
        confirmed(local_stack, unique_email)
    user = local_stack.cognito().admin_get_user(UserPoolId=local_stack.pool_id, Username=unique_email)
    sub = user["Username"]
    [post] = local_stack.invocations(trigger="PostConfirmation", user=sub)
    assert "error" not in post, post.get("error")
    item = local_stack.dynamodb().get_item(TableName=local_stack.profiles_table, Key={"userId": {"S": sub}})["Item"]
    assert item == {
        "userId": {"S": sub},
        "email": {"S": unique_email},
        "emailVerified": {"BOOL": True},
        "name": {"S": "Token User"},
        "role": {"S": "user"},
        "createdAt": item["createdAt"],
        "updatedAt": item["createdAt"],
    }
    assert len(item["createdAt"]["S"]) == len("2026-01-01T00:00:00Z")
    groups = local_stack.cognito().admin_list_groups_for_user(UserPoolId=local_stack.pool_id, Username=sub)["Groups"]
    assert [g["GroupName"] for g in groups] == ["user"]


def test_admin_global_sign_out_by_email_ends_every_session(local_stack: LocalStackHandle, unique_email: str) -> None:
    confirmed(local_stack, unique_email)
    tokens = sign_in(local_stack, unique_email)
    sub = decode(tokens["AccessToken"])["sub"]
    cognito = local_stack.cognito()
    cognito.admin_user_global_sign_out(UserPoolId=local_stack.pool_id, Username=unique_email)
    with pytest.raises(cognito.exceptions.NotAuthorizedException):
        cognito.get_user(AccessToken=tokens["AccessToken"])
    with pytest.raises(cognito.exceptions.NotAuthorizedException) as revoked:
        cognito.initiate_auth(
            ClientId=local_stack.client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"], "SECRET_HASH": local_stack.secret_hash(sub)},
        )
    assert revoked.value.response["Error"]["Message"] == "Refresh Token has been revoked"
