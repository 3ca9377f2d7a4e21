"""Authorization claims through the local stack: real sign-ins, tokens verified against the pool's JWKS.

An ``admin`` group member gets ``role=admin`` and the admin scopes; a user who tries to make themselves admin with
``custom:role`` (at sign-up, or with UpdateUserAttributes and their own access token) is refused and gets neither;
a user whose profile was lost gets it back at the next sign-in.
"""

from __future__ import annotations

from typing import Any

import jwt
import pytest
from botocore.exceptions import ClientError

from common.errors import parse_trigger_error

pytestmark = pytest.mark.e2e

PASSWORD = "Correct-Horse-9-Battery"
ADMIN_SCOPES = {"admin/users", "profile/read", "profile/write"}


def register(stack: Any, email: str) -> str:
    """Sign up and confirm with the code from the outbox; returns the user's ``sub``."""
    cognito = stack.cognito()
    response = cognito.sign_up(
        ClientId=stack.client_id,
        Username=email,
        Password=PASSWORD,
        SecretHash=stack.secret_hash(email),
        UserAttributes=[{"Name": "name", "Value": "Jane Doe"}, {"Name": "locale", "Value": "en"}],
    )
    cognito.confirm_sign_up(
        ClientId=stack.client_id,
        Username=email,
        ConfirmationCode=stack.outbox.latest_code(email),
        SecretHash=stack.secret_hash(email),
    )
    sub: str = response["UserSub"]
    return sub


def sign_in(stack: Any, email: str) -> dict[str, Any]:
    result: dict[str, Any] = stack.cognito().initiate_auth(
        ClientId=stack.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": PASSWORD, "SECRET_HASH": stack.secret_hash(email)},
    )["AuthenticationResult"]
    return result


def verified(stack: Any, token: str, *, id_token: bool) -> dict[str, Any]:
    """The token's claims after checking its RS256 signature against the pool's JWKS, its issuer and expiry."""
    key = jwt.PyJWKClient(stack.info["jwks_url"]).get_signing_key_from_jwt(token)
    claims: dict[str, Any] = jwt.decode(
        token,
        key.key,
        algorithms=["RS256"],
        issuer=stack.info["issuer"],
        audience=stack.client_id if id_token else None,
        options={"verify_aud": id_token, "require": ["exp", "iat", "iss", "sub", "token_use"]},
    )
    assert claims["token_use"] == ("id" if id_token else "access")
    return claims


def tokens(stack: Any, email: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    result = sign_in(stack, email)
    id_claims = verified(stack, result["IdToken"], id_token=True)
    return result, id_claims, verified(stack, result["AccessToken"], id_token=False)


def test_an_admin_group_member_gets_the_admin_role_and_scopes(local_stack: Any, unique_email: str) -> None:
    sub = register(local_stack, unique_email)
    cognito = local_stack.cognito()
    cognito.admin_add_user_to_group(UserPoolId=local_stack.pool_id, Username=unique_email, GroupName="admin")

    _, id_claims, access_claims = tokens(local_stack, unique_email)

    assert id_claims["sub"] == access_claims["sub"] == sub
    assert id_claims["role"] == "admin"
    assert access_claims["role"] == "admin"
    assert set(access_claims["scope"].split()) == ADMIN_SCOPES | {"aws.cognito.signin.user.admin"}
    assert sorted(id_claims["cognito:groups"]) == ["admin", "user"]

    [invocation] = local_stack.invocations(trigger="PreTokenGeneration", user=sub)
    assert invocation["event"]["version"] == "2"
    assert invocation["event"]["triggerSource"] == "TokenGeneration_Authentication"


def test_custom_role_at_sign_up_is_refused(local_stack: Any, unique_email: str) -> None:
    with pytest.raises(ClientError) as caught:
        local_stack.cognito().sign_up(
            ClientId=local_stack.client_id,
            Username=unique_email,
            Password=PASSWORD,
            SecretHash=local_stack.secret_hash(unique_email),
            UserAttributes=[{"Name": "name", "Value": "Mallory"}, {"Name": "custom:role", "Value": "admin"}],
        )
    # Refused by our pre-sign-up gate (a pool without that attribute in its schema refuses it too).
    error = caught.value.response["Error"]
    assert error["Code"] == "UserLambdaValidationException"
    parsed = parse_trigger_error(error["Message"])
    assert parsed is not None
    assert (parsed.trigger, parsed.code) == ("PreSignUp", "ATTRIBUTE_NOT_ALLOWED")
    with pytest.raises(ClientError) as missing:
        local_stack.cognito().admin_get_user(UserPoolId=local_stack.pool_id, Username=unique_email)
    assert missing.value.response["Error"]["Code"] == "UserNotFoundException"


def test_custom_role_through_update_user_attributes_is_refused_and_never_honoured(
    local_stack: Any, unique_email: str
) -> None:
    register(local_stack, unique_email)
    first, _, _ = tokens(local_stack, unique_email)

    with pytest.raises(ClientError) as caught:
        local_stack.cognito().update_user_attributes(
            AccessToken=first["AccessToken"],
            UserAttributes=[{"Name": "custom:role", "Value": "admin"}],
        )
    assert caught.value.response["Error"]["Code"] == "NotAuthorizedException"

    user = local_stack.cognito().admin_get_user(UserPoolId=local_stack.pool_id, Username=unique_email)
    assert "custom:role" not in {attribute["Name"] for attribute in user["UserAttributes"]}
    _, id_claims, access_claims = tokens(local_stack, unique_email)
    assert (id_claims["role"], access_claims["role"]) == ("user", "user")
    assert "custom:role" not in id_claims
    assert "custom:role" not in access_claims
    assert set(access_claims["scope"].split()) == {"aws.cognito.signin.user.admin", "profile/read", "profile/write"}


def test_a_lost_profile_is_repaired_at_the_next_sign_in(local_stack: Any, unique_email: str) -> None:
    sub = register(local_stack, unique_email)
    dynamodb, cognito = local_stack.dynamodb(), local_stack.cognito()
    key = {"userId": {"S": sub}}
    original = dynamodb.get_item(TableName=local_stack.profiles_table, Key=key)["Item"]
    # What a failed post-confirmation leaves behind: a confirmed user with no profile and no group.
    dynamodb.delete_item(TableName=local_stack.profiles_table, Key=key)
    cognito.admin_remove_user_from_group(UserPoolId=local_stack.pool_id, Username=unique_email, GroupName="user")

    _, id_claims, access_claims = tokens(local_stack, unique_email)
    assert (id_claims["role"], access_claims["role"]) == ("user", "user")
    assert "cognito:groups" not in id_claims

    repaired = dynamodb.get_item(TableName=local_stack.profiles_table, Key=key)["Item"]
    assert repaired == {**original, "createdAt": repaired["createdAt"], "updatedAt": repaired["createdAt"]}

    tokens(local_stack, unique_email)  # a second sign-in reads it and writes nothing
    assert dynamodb.get_item(TableName=local_stack.profiles_table, Key=key)["Item"] == repaired
