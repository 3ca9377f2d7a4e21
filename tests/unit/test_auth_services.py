"""The services' own rules: no user enumeration, usernames per flow, /me edits, admin self-lockout.

The gateway runs on a Stubber-backed client (no network); the profile store is the in-memory fake.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import boto3
import pytest
from botocore.stub import Stubber

from common.auth.account import AccountService, ChallengeAnswer, SignInResult, SignUpStatus
from common.auth.admin import AdminService
from common.auth.claims import Caller
from common.auth.client_secret import ClientSecret
from common.auth.errors import AuthError
from common.auth.gateway import CognitoGateway
from common.auth.model import Challenge, Tokens
from common.auth.profile import ProfileService
from common.auth.settings import ApiSettings, SecretSource
from common.profiles.memory import InMemoryProfileStore
from common.profiles.model import Profile

POOL = "us-east-1_Example1"
CLIENT_ID = "3n4b5urk1ft4fl3mg5e62d9ado"
SECRET = "1k2gl0f8kb2bnuo0r52qnkk1i1c5h1f2l8vkhs0bsj3l1e9o6hc8"
EMAIL = "jane.doe@example.com"
SUB = "0b2f3c1e-7a4d-4e55-9c1b-2f8e6d4a1b90"
HASH_SUB = "XwUvXytqz9cloK5oYS8HZw5t2yYqrWR+F6zCGKqjFHQ="
NOW = "2026-11-26T09:00:00Z"


def id_token(username: str = SUB) -> str:
    def part(value: object) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return f"{part({'alg': 'RS256'})}.{part({'sub': SUB, 'cognito:username': username, 'email': EMAIL})}.c2ln"


@pytest.fixture
def stubbed() -> Iterator[tuple[CognitoGateway, Stubber]]:
    client = boto3.client("cognito-idp", region_name="us-east-1")
    settings = ApiSettings(
        user_pool_id=POOL,
        client_id=CLIENT_ID,
        secret_source=SecretSource.ENV,
        client_secret=SECRET,
        profile_table_name="profiles",
        cors_allowed_origins=(),
        max_body_bytes=16384,
        admin_role="admin",
        admin_group="admin",
    )
    gateway = CognitoGateway(
        client, user_pool_id=POOL, client_id=CLIENT_ID, secret=ClientSecret(settings, lambda: client)
    )
    with Stubber(client) as stubber:
        yield gateway, stubber
        stubber.assert_no_pending_responses()


# ------------------------------------------------------------------ account
@pytest.mark.parametrize(("confirmed", "status"), [(False, "CONFIRMATION_REQUIRED"), (True, "CONFIRMED")])
def test_sign_up(stubbed: tuple[CognitoGateway, Stubber], confirmed: bool, status: str) -> None:
    gateway, stubber = stubbed
    stubber.add_response("sign_up", {"UserConfirmed": confirmed, "UserSub": SUB})
    assert AccountService(gateway).sign_up(EMAIL, "pw", {"locale": "en"}, "en") is SignUpStatus(status)


def test_sign_up_of_a_known_address_looks_like_a_new_one(stubbed: tuple[CognitoGateway, Stubber]) -> None:
    gateway, stubber = stubbed
    stubber.add_client_error("sign_up", "UsernameExistsException", "An account with the given email already exists.")
    assert AccountService(gateway).sign_up(EMAIL, "pw", {}, "en") is SignUpStatus.CONFIRMATION_REQUIRED


@pytest.mark.parametrize(
    "cognito_code", ["UserNotFoundException", "InvalidParameterException", "NotAuthorizedException"]
)
def test_resend_and_forgot_answer_alike_for_any_account_state(
    stubbed: tuple[CognitoGateway, Stubber], cognito_code: str
) -> None:
    gateway, stubber = stubbed
    stubber.add_client_error("resend_confirmation_code", cognito_code, "User is already confirmed.")
    stubber.add_client_error("forgot_password", cognito_code, "Cannot reset password for the user.")
    service = AccountService(gateway)
    assert service.resend_code(EMAIL, "en") is None
    assert service.forgot_password(EMAIL, "en") is None


def test_resend_still_reports_rate_limits(stubbed: tuple[CognitoGateway, Stubber]) -> None:
    gateway, stubber = stubbed
    stubber.add_client_error("resend_confirmation_code", "LimitExceededException", "Attempt limit exceeded")
    with pytest.raises(AuthError) as raised:
        AccountService(gateway).resend_code(EMAIL, "en")
    assert raised.value.code == "TOO_MANY_REQUESTS"


def test_sign_in_returns_the_internal_username(stubbed: tuple[CognitoGateway, Stubber]) -> None:
    gateway, stubber = stubbed
    token = id_token()
    stubber.add_response(
        "initiate_auth",
        {"AuthenticationResult": {"AccessToken": "a", "IdToken": token, "RefreshToken": "r", "ExpiresIn": 3600}},
    )
    assert AccountService(gateway).sign_in(EMAIL, "pw", "en") == SignInResult(
        tokens=Tokens(access_token="a", id_token=token, expires_in=3600, token_type="Bearer", refresh_token="r"),
        username=SUB,
    )


def test_refresh_derives_the_username_from_the_id_token(stubbed: tuple[CognitoGateway, Stubber]) -> None:
    gateway, stubber = stubbed
    stubber.add_response(
        "initiate_auth",
        {"AuthenticationResult": {"AccessToken": "a2", "IdToken": "i2", "ExpiresIn": 3600, "TokenType": "Bearer"}},
        {
            "ClientId": CLIENT_ID,
            "AuthFlow": "REFRESH_TOKEN_AUTH",
            "AuthParameters": {"REFRESH_TOKEN": "r", "SECRET_HASH": HASH_SUB},
            "ClientMetadata": {"locale": "en"},
        },
    )
    result = AccountService(gateway).refresh("r", None, id_token(), "en")
    assert (result.username, result.tokens and result.tokens.access_token) == (SUB, "a2")


def test_refresh_without_a_username_is_refused(stubbed: tuple[CognitoGateway, Stubber]) -> None:
    gateway, _ = stubbed
    with pytest.raises(AuthError) as raised:
        AccountService(gateway).refresh("r", None, None, "en")
    assert (raised.value.code, raised.value.field) == ("INVALID_REQUEST", "username")


def test_challenge_answers(stubbed: tuple[CognitoGateway, Stubber]) -> None:
    gateway, stubber = stubbed
    stubber.add_response(
        "respond_to_auth_challenge",
        {"ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": "n" * 40, "ChallengeParameters": {}},
        {
            "ClientId": CLIENT_ID,
            "ChallengeName": "NEW_PASSWORD_REQUIRED",
            "Session": "s" * 40,
            "ChallengeResponses": {"USERNAME": SUB, "NEW_PASSWORD": "New-Horse-9!", "SECRET_HASH": HASH_SUB},
            "ClientMetadata": {"locale": "en"},
        },
    )
    answer = ChallengeAnswer(name="NEW_PASSWORD_REQUIRED", session="s" * 40, username=SUB, new_password="New-Horse-9!")
    assert AccountService(gateway).answer_challenge(answer, "en") == SignInResult(
        challenge=Challenge(name="SOFTWARE_TOKEN_MFA", session="n" * 40, username=SUB)
    )


def test_a_challenge_answer_needs_its_field() -> None:
    with pytest.raises(AuthError) as raised:
        ChallengeAnswer(name="SOFTWARE_TOKEN_MFA", session="s", username=SUB).responses()
    assert raised.value.code == "INVALID_REQUEST"


# ------------------------------------------------------------------ profile
CALLER = Caller(sub=SUB, username=SUB, email=None, role="user", groups=frozenset({"user"}))
PROFILE = Profile(
    user_id=SUB,
    email=EMAIL,
    email_verified=True,
    name="Jane",
    locale="en",
    role="user",
    created_at="2026-11-26T08:40:17Z",
    updated_at="2026-11-26T08:40:17Z",
)


def test_profile_update_writes_cognito_then_the_table(stubbed: tuple[CognitoGateway, Stubber]) -> None:
    gateway, stubber = stubbed
    store = InMemoryProfileStore()
    store.create(PROFILE)
    stubber.add_response(
        "admin_update_user_attributes",
        {},
        {
            "UserPoolId": POOL,
            "Username": SUB,
            "UserAttributes": [{"Name": "name", "Value": "지민"}, {"Name": "locale", "Value": "ko"}],
        },
    )
    updated = ProfileService(gateway, store, clock=lambda: NOW).update(CALLER, {"locale": "ko", "name": "지민"})
    assert updated == Profile(
        user_id=SUB,
        email=EMAIL,
        email_verified=True,
        name="지민",
        locale="ko",
        role="user",
        created_at="2026-11-26T08:40:17Z",
        updated_at=NOW,
    )
    assert store.items[SUB] == updated


def test_profile_update_refuses_other_fields(stubbed: tuple[CognitoGateway, Stubber]) -> None:
    gateway, _ = stubbed
    service = ProfileService(gateway, InMemoryProfileStore(), clock=lambda: NOW)
    for changes in ({"role": "admin"}, {"name": "x", "email": "x@example.com"}, {}):
        with pytest.raises(AuthError) as raised:
            service.update(CALLER, changes)
        assert raised.value.code == "INVALID_REQUEST"


def test_missing_profile(stubbed: tuple[CognitoGateway, Stubber]) -> None:
    gateway, stubber = stubbed
    stubber.add_response("admin_update_user_attributes", {})
    service = ProfileService(gateway, InMemoryProfileStore(), clock=lambda: NOW)
    for call in (lambda: service.get(CALLER), lambda: service.update(CALLER, {"name": "x"})):
        with pytest.raises(AuthError) as raised:
            call()
        assert raised.value.code == "PROFILE_NOT_FOUND"


# ------------------------------------------------------------------ admin
ADMIN = Caller(sub="admin-sub", username="admin-sub", email="root@example.com", role="admin", groups=frozenset())


@pytest.mark.parametrize("target", ["admin-sub", "ROOT@example.com"])
def test_admins_cannot_lock_themselves_out(stubbed: tuple[CognitoGateway, Stubber], target: str) -> None:
    gateway, _ = stubbed
    service = AdminService(gateway, "admin")
    for call in (
        lambda: service.set_enabled(ADMIN, target, False),
        lambda: service.remove_from_group(ADMIN, target, "admin"),
    ):
        with pytest.raises(AuthError) as raised:
            call()
        assert raised.value.code == "SELF_LOCKOUT"


def test_admins_may_still_enable_themselves_and_leave_other_groups(stubbed: tuple[CognitoGateway, Stubber]) -> None:
    gateway, stubber = stubbed
    stubber.add_response("admin_enable_user", {}, {"UserPoolId": POOL, "Username": "admin-sub"})
    stubber.add_response(
        "admin_remove_user_from_group", {}, {"UserPoolId": POOL, "Username": "admin-sub", "GroupName": "user"}
    )
    service = AdminService(gateway, "admin")
    service.set_enabled(ADMIN, "admin-sub", True)
    service.remove_from_group(ADMIN, "admin-sub", "user")
