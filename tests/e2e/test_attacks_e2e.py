"""Hostile users against the running stack (local Cognito with our triggers, the HTTP API, the outbox), each attack
through the same doors a real attacker has: the public Cognito API with the app client, and the HTTP API.

Attacks: privilege escalation through attributes (at sign-up, with UpdateUserAttributes and the user's own access
token, through the API), claim injection through clientMetadata, HTML/script injection into emails, user
enumeration through every public auth response, SecretHash forgery, and token reuse after sign-out.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.error
import urllib.request
from typing import Any

import pytest
from botocore.exceptions import ClientError

from common.errors import parse_trigger_error
from local.tokens import decode
from tests.e2e.conftest import LocalStackHandle

pytestmark = pytest.mark.e2e

PASSWORD = "Correct-Horse-9-Battery"
WRONG_PASSWORD = "Wrong-Horse-1-Battery!"
USER_SCOPES = {"aws.cognito.signin.user.admin", "profile/read", "profile/write"}


# ---------------------------------------------------------------------------------------------------- helpers
def call(
    stack: LocalStackHandle, method: str, path: str, body: Any = None, *, token: str | None = None
) -> tuple[int, Any]:
    """One HTTP API request; (status, parsed JSON body)."""
    request = urllib.request.Request(
        stack.api_url + path,
        data=None if body is None else json.dumps(body).encode(),
        method=method,
        headers={"content-type": "application/json", **({"authorization": f"Bearer {token}"} if token else {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # local endpoint only
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        raw = error.read()
        return error.code, json.loads(raw) if raw else None


def forged_hash(username: str, client_id: str, secret: str = "not-the-client-secret") -> str:
    digest = hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def register(stack: LocalStackHandle, email: str, *, name: str = "Jane Doe") -> str:
    """Sign up and confirm through Cognito with the emailed code; returns the ``sub``."""
    cognito = stack.cognito()
    sub: str = cognito.sign_up(
        ClientId=stack.client_id,
        Username=email,
        Password=PASSWORD,
        SecretHash=stack.secret_hash(email),
        UserAttributes=[{"Name": "name", "Value": name}, {"Name": "locale", "Value": "en"}],
    )["UserSub"]
    cognito.confirm_sign_up(
        ClientId=stack.client_id,
        Username=email,
        ConfirmationCode=stack.outbox.latest_code(email),
        SecretHash=stack.secret_hash(email),
    )
    return sub


def sign_in(stack: LocalStackHandle, email: str, **extra: Any) -> dict[str, Any]:
    result: dict[str, Any] = stack.cognito().initiate_auth(
        ClientId=stack.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": PASSWORD, "SECRET_HASH": stack.secret_hash(email)},
        **extra,
    )["AuthenticationResult"]
    return result


def user_status(stack: LocalStackHandle, email: str) -> tuple[str, dict[str, str]] | None:
    try:
        user = stack.cognito().admin_get_user(UserPoolId=stack.pool_id, Username=email)
    except ClientError as error:
        assert error.response["Error"]["Code"] == "UserNotFoundException"
        return None
    return user["UserStatus"], {a["Name"]: a["Value"] for a in user["UserAttributes"]}


def assert_user_role(stack: LocalStackHandle, email: str, **extra: Any) -> None:
    """Both tokens carry the ordinary user's role, groups and scopes, nothing more."""
    tokens = sign_in(stack, email, **extra)
    id_claims, access_claims = decode(tokens["IdToken"]), decode(tokens["AccessToken"])
    assert (id_claims["role"], access_claims["role"]) == ("user", "user")
    assert id_claims["cognito:groups"] == ["user"]
    assert set(access_claims["scope"].split()) == USER_SCOPES
    assert not any(name.startswith("custom:") for name in (*id_claims, *access_claims))


# ---------------------------------------------------------------------------------------------------- escalation
@pytest.mark.parametrize("attribute", ["custom:role", "custom:groups", "custom:isAdmin"])
def test_privileged_custom_attribute_at_sign_up_is_refused(
    local_stack: LocalStackHandle, unique_email: str, attribute: str
) -> None:
    with pytest.raises(ClientError) as caught:
        local_stack.cognito().sign_up(
            ClientId=local_stack.client_id,
            Username=unique_email,
            Password=PASSWORD,
            SecretHash=local_stack.secret_hash(unique_email),
            UserAttributes=[{"Name": attribute, "Value": "admin"}],
        )
    error = caught.value.response["Error"]
    assert error["Code"] == "UserLambdaValidationException"
    parsed = parse_trigger_error(error["Message"])
    assert parsed is not None and (parsed.trigger, parsed.code) == ("PreSignUp", "ATTRIBUTE_NOT_ALLOWED")
    assert user_status(local_stack, unique_email) is None


def test_self_verified_email_at_sign_up_is_refused(local_stack: LocalStackHandle, unique_email: str) -> None:
    """Claiming someone else's address as verified would let the sign-up skip the code (account pre-hijacking)."""
    with pytest.raises(ClientError) as caught:
        local_stack.cognito().sign_up(
            ClientId=local_stack.client_id,
            Username=unique_email,
            Password=PASSWORD,
            SecretHash=local_stack.secret_hash(unique_email),
            UserAttributes=[{"Name": "email_verified", "Value": "true"}],
        )
    assert caught.value.response["Error"]["Code"] in {"NotAuthorizedException", "UserLambdaValidationException"}
    assert user_status(local_stack, unique_email) is None


@pytest.mark.parametrize(
    "attribute", [("custom:role", "admin"), ("email_verified", "true"), ("cognito:groups", "admin")]
)
def test_update_user_attributes_with_own_token_cannot_escalate(
    local_stack: LocalStackHandle, unique_email: str, attribute: tuple[str, str]
) -> None:
    register(local_stack, unique_email)
    token = sign_in(local_stack, unique_email)["AccessToken"]
    name, value = attribute
    with pytest.raises(ClientError) as caught:
        local_stack.cognito().update_user_attributes(AccessToken=token, UserAttributes=[{"Name": name, "Value": value}])
    assert caught.value.response["Error"]["Code"] in {"NotAuthorizedException", "InvalidParameterException"}
    status = user_status(local_stack, unique_email)
    assert status is not None and name not in {"custom:role", "cognito:groups"} & set(status[1])
    assert_user_role(local_stack, unique_email)


@pytest.mark.parametrize(
    "extra", [{"role": "admin"}, {"custom:role": "admin"}, {"groups": ["admin"]}, {"email_verified": True}]
)
def test_api_sign_up_with_privileged_fields_is_refused(
    local_stack: LocalStackHandle, unique_email: str, extra: dict[str, Any]
) -> None:
    status, body = call(local_stack, "POST", "/auth/sign-up", {"email": unique_email, "password": PASSWORD, **extra})
    assert (status, body["code"]) == (400, "VALIDATION_FAILED")
    assert user_status(local_stack, unique_email) is None


def test_api_profile_update_cannot_set_a_role(local_stack: LocalStackHandle, unique_email: str) -> None:
    sub = register(local_stack, unique_email)
    token = sign_in(local_stack, unique_email)["AccessToken"]
    before = local_stack.dynamodb().get_item(TableName=local_stack.profiles_table, Key={"userId": {"S": sub}})["Item"]
    for body in ({"role": "admin"}, {"name": "Mallory", "role": "admin"}, {"userId": "someone-else"}):
        status, answer = call(local_stack, "PATCH", "/me", body, token=token)
        assert (status, answer["code"]) == (400, "VALIDATION_FAILED"), body
    after = local_stack.dynamodb().get_item(TableName=local_stack.profiles_table, Key={"userId": {"S": sub}})["Item"]
    assert after == before
    assert after["role"] == {"S": "user"}


def _unsigned(claims: dict[str, Any]) -> str:
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


def test_forged_admin_tokens_are_refused_by_the_api(local_stack: LocalStackHandle, unique_email: str) -> None:
    register(local_stack, unique_email)
    real = decode(sign_in(local_stack, unique_email)["AccessToken"])
    forged_claims = {**real, "cognito:groups": ["admin"], "role": "admin", "scope": "admin/users"}
    unsigned = _unsigned(forged_claims)
    header, _, signature = sign_in(local_stack, unique_email)["AccessToken"].split(".")
    resigned = f"{header}.{unsigned.split('.')[1]}.{signature}"  # a real signature over other claims
    for token in (unsigned, resigned):
        status, _ = call(local_stack, "GET", "/admin/users", token=token)
        assert status == 401


# ---------------------------------------------------------------------------------------------------- injection
INJECTED_METADATA = {
    "role": "admin",
    "cognito:groups": "admin",
    "scope": "admin/users",
    "claimsToAddOrOverride": '{"role": "admin"}',
    "locale": "ko",
}


def test_client_metadata_cannot_inject_claims(local_stack: LocalStackHandle, unique_email: str) -> None:
    register(local_stack, unique_email)
    assert_user_role(local_stack, unique_email, ClientMetadata=INJECTED_METADATA)


def test_client_metadata_cannot_confirm_or_escalate_a_sign_up(local_stack: LocalStackHandle, unique_email: str) -> None:
    local_stack.cognito().sign_up(
        ClientId=local_stack.client_id,
        Username=unique_email,
        Password=PASSWORD,
        SecretHash=local_stack.secret_hash(unique_email),
        ClientMetadata={**INJECTED_METADATA, "autoConfirmUser": "true", "autoVerifyEmail": "true"},
        ValidationData=[{"Name": "role", "Value": "admin"}],
    )
    status = user_status(local_stack, unique_email)
    assert status is not None
    assert status[0] == "UNCONFIRMED"
    assert status[1].get("email_verified") != "true"


HOSTILE_NAME = '<script>alert(1)</script><img src=x onerror="alert(2)">'


def test_html_in_the_name_is_escaped_in_emails(local_stack: LocalStackHandle, unique_email: str) -> None:
    register(local_stack, unique_email, name=HOSTILE_NAME)
    local_stack.cognito().forgot_password(
        ClientId=local_stack.client_id, Username=unique_email, SecretHash=local_stack.secret_hash(unique_email)
    )
    messages = local_stack.outbox.messages(unique_email)
    html = [m for m in messages if "<html" in m["body"].lower()]
    assert {m["trigger_source"] for m in html} >= {"CustomMessage_SignUp", "CustomMessage_ForgotPassword"}
    for message in html:  # every HTML email greets the user by name: shown as text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in message["body"]
    for message in messages:
        body = message["body"]
        assert "<script" not in body.lower()
        assert "<img" not in body.lower()
        assert "<" not in message["subject"]
        assert "<" not in (message.get("text") or "").replace(HOSTILE_NAME, "")  # plain text may show it verbatim


# ---------------------------------------------------------------------------------------------------- enumeration
def test_api_responses_do_not_reveal_who_has_an_account(local_stack: LocalStackHandle, unique_email: str) -> None:
    register(local_stack, unique_email)
    nobody = "nobody-" + unique_email
    requests = [
        ("/auth/sign-in", lambda email: {"email": email, "password": WRONG_PASSWORD}),
        ("/auth/forgot-password", lambda email: {"email": email}),
        ("/auth/resend-code", lambda email: {"email": email}),
        ("/auth/confirm", lambda email: {"email": email, "code": "000000"}),
        ("/auth/reset-password", lambda email: {"email": email, "code": "000000", "password": PASSWORD}),
    ]
    for path, body in requests:
        known = call(local_stack, "POST", path, body(unique_email))
        unknown = call(local_stack, "POST", path, body(nobody))
        assert known == unknown, (path, known, unknown)
        assert known[0] != 500, (path, known)
    # Nothing was created or sent for the unknown address on the way.
    assert user_status(local_stack, nobody) is None
    assert local_stack.outbox.messages(nobody) == []
    # Last, sign-up: the known address answers exactly like a new one (and gets no new account).
    known = call(local_stack, "POST", "/auth/sign-up", {"email": unique_email, "password": PASSWORD})
    unknown = call(local_stack, "POST", "/auth/sign-up", {"email": nobody, "password": PASSWORD})
    assert known == unknown == (202, {"status": "CONFIRMATION_REQUIRED"})
    status = user_status(local_stack, unique_email)
    assert status is not None and status[0] == "CONFIRMED"


def test_cognito_sign_in_and_forgot_password_do_not_reveal_accounts(
    local_stack: LocalStackHandle, unique_email: str
) -> None:
    register(local_stack, unique_email)
    cognito = local_stack.cognito()
    nobody = "nobody-" + unique_email
    answers = []
    for email in (unique_email, nobody):
        with pytest.raises(ClientError) as caught:
            cognito.initiate_auth(
                ClientId=local_stack.client_id,
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={
                    "USERNAME": email,
                    "PASSWORD": WRONG_PASSWORD,
                    "SECRET_HASH": local_stack.secret_hash(email),
                },
            )
        answers.append(caught.value.response["Error"])
    assert answers[0] == answers[1]
    delivered = [
        cognito.forgot_password(
            ClientId=local_stack.client_id, Username=email, SecretHash=local_stack.secret_hash(email)
        )["CodeDeliveryDetails"]
        for email in (unique_email, nobody)
    ]
    assert {d["DeliveryMedium"] for d in delivered} == {"EMAIL"}
    assert local_stack.outbox.messages(nobody) == []


# ---------------------------------------------------------------------------------------------------- SecretHash
def test_forged_secret_hashes_are_refused(local_stack: LocalStackHandle, unique_email: str) -> None:
    cognito, stack = local_stack.cognito(), local_stack
    victim = "victim-" + unique_email
    register(stack, victim)
    forged = forged_hash(unique_email, stack.client_id)
    with pytest.raises(ClientError) as sign_up:
        cognito.sign_up(ClientId=stack.client_id, Username=unique_email, Password=PASSWORD, SecretHash=forged)
    assert sign_up.value.response["Error"]["Code"] == "NotAuthorizedException"
    assert user_status(stack, unique_email) is None

    attempts = [
        forged_hash(victim, stack.client_id),  # the wrong key
        stack.secret_hash(unique_email),  # a valid hash, for another username (replay)
        stack.secret_hash(victim)[:-4] + "AAA=",  # tampered
    ]
    for attempt in attempts:
        with pytest.raises(ClientError) as sign_in_error:
            cognito.initiate_auth(
                ClientId=stack.client_id,
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": victim, "PASSWORD": PASSWORD, "SECRET_HASH": attempt},
            )
        assert sign_in_error.value.response["Error"]["Code"] == "NotAuthorizedException"
        sent = len(stack.outbox.messages(victim))
        with pytest.raises(ClientError) as reset_error:
            cognito.forgot_password(ClientId=stack.client_id, Username=victim, SecretHash=attempt)
        assert reset_error.value.response["Error"]["Code"] == "NotAuthorizedException"
        assert len(stack.outbox.messages(victim)) == sent  # no reset code was sent on a forged request
    with pytest.raises(ClientError) as missing:
        cognito.initiate_auth(
            ClientId=stack.client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": victim, "PASSWORD": PASSWORD},
        )
    assert missing.value.response["Error"]["Code"] == "NotAuthorizedException"


# ---------------------------------------------------------------------------------------------------- sign-out
def test_refresh_token_is_dead_after_revoke_token(local_stack: LocalStackHandle, unique_email: str) -> None:
    sub = register(local_stack, unique_email)
    tokens = sign_in(local_stack, unique_email)
    cognito = local_stack.cognito()
    cognito.revoke_token(
        Token=tokens["RefreshToken"], ClientId=local_stack.client_id, ClientSecret=local_stack.client_secret
    )
    for _ in range(2):  # and stays dead
        with pytest.raises(ClientError) as caught:
            cognito.initiate_auth(
                ClientId=local_stack.client_id,
                AuthFlow="REFRESH_TOKEN_AUTH",
                AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"], "SECRET_HASH": local_stack.secret_hash(sub)},
            )
        assert caught.value.response["Error"]["Code"] == "NotAuthorizedException"


def test_refresh_through_the_api_is_refused_after_api_sign_out(
    local_stack: LocalStackHandle, unique_email: str
) -> None:
    register(local_stack, unique_email)
    status, body = call(local_stack, "POST", "/auth/sign-in", {"email": unique_email, "password": PASSWORD})
    assert status == 200, body
    tokens = body["tokens"]
    refresh = {"refresh_token": tokens["refresh_token"], "id_token": tokens["id_token"]}
    assert call(local_stack, "POST", "/auth/refresh", refresh)[0] == 200
    status, _ = call(local_stack, "POST", "/auth/sign-out", {"refresh_token": tokens["refresh_token"]})
    assert status in (200, 204)
    status, body = call(local_stack, "POST", "/auth/refresh", refresh)
    assert status == 401, body
    assert body["code"] != "INTERNAL_ERROR"


def test_the_window_a_revoked_access_token_keeps_is_bounded(local_stack: LocalStackHandle) -> None:
    """API Gateway's JWT authorizer checks signature and expiry only, never revocation: after sign-out an access
    token keeps working on the HTTP API until it expires (Cognito itself refuses it at once). The app client's
    access-token lifetime is that window (docs/threat-model.md, residual risks)."""
    from tests.faults.aws_stack import template  # noqa: PLC0415

    client = template()["Resources"]["CognitoUserPoolClientApi"]["Properties"]
    assert client["TokenValidityUnits"]["AccessToken"] == "minutes"
    assert client["AccessTokenValidity"] <= 60
    assert client["EnableTokenRevocation"] is True
