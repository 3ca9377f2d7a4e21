"""The public /auth routes through the real handler: exact Cognito parameters (SecretHash per flow), exact
responses, every modelled Cognito error of each route's operation mapped to its status and code, and no user
enumeration."""

from __future__ import annotations

import base64
import json
from typing import Any

import botocore.session
import pytest

from tests.handlers.api_helpers import (
    CLIENT_ID,
    CLIENT_SECRET,
    SECURITY_HEADERS,
    SUB,
    english,
    error,
    http_event,
    invoke,
    korean,
    stubbed_cognito,
)

EMAIL = "jane.doe@example.com"
PASSWORD = "Correct-Horse-9!"
# Known answers computed with openssl (tests/unit/test_auth_secret_hash.py)
HASH_EMAIL = "NiLbAPi97EnIsp69nj7LXgL7GVAJjhp4xdnRlh9rm9M="
HASH_SUB = "XwUvXytqz9cloK5oYS8HZw5t2yYqrWR+F6zCGKqjFHQ="
SESSION = "AYABeC0ffee" + "x" * 40
EN = {"locale": "en"}


def id_token(username: str = SUB) -> str:
    def part(value: object) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return f"{part({'alg': 'RS256', 'kid': 'k'})}.{part({'sub': SUB, 'cognito:username': username})}.c2ln"


ID_TOKEN = id_token()


def post(path: str, body: Any, **kwargs: Any) -> dict[str, Any]:
    return http_event("POST", path, body=body, **kwargs)


def authentication_result(refresh: bool = True) -> dict[str, Any]:
    result: dict[str, Any] = {"AccessToken": "access-token", "IdToken": ID_TOKEN, "ExpiresIn": 3600}
    result["TokenType"] = "Bearer"
    if refresh:
        result["RefreshToken"] = "refresh-token"
    return {"AuthenticationResult": result, "ChallengeParameters": {}}


def tokens(refresh: bool = True) -> dict[str, Any]:
    return {
        "access_token": "access-token",
        "id_token": ID_TOKEN,
        "refresh_token": "refresh-token" if refresh else None,
        "expires_in": 3600,
        "token_type": "Bearer",
    }


# ---------------------------------------------------------------------------------------------- successes
def test_sign_up() -> None:
    with stubbed_cognito() as stubber:
        stubber.add_response(
            "sign_up",
            {"UserConfirmed": False, "UserSub": SUB},
            {
                "ClientId": CLIENT_ID,
                "Username": EMAIL,
                "Password": PASSWORD,
                "UserAttributes": [
                    {"Name": "email", "Value": EMAIL},
                    {"Name": "locale", "Value": "ko"},
                    {"Name": "name", "Value": "지민"},
                ],
                "ClientMetadata": {"locale": "ko"},
                "SecretHash": HASH_EMAIL,
            },
        )
        status, headers, body = invoke(
            post(
                "/auth/sign-up",
                {"email": EMAIL, "password": PASSWORD, "name": "지민"},
                headers={"accept-language": "ko-KR,ko;q=0.9"},
            )
        )
    assert (status, body) == (202, {"status": "CONFIRMATION_REQUIRED"})
    assert headers == {"Content-Type": "application/json", **SECURITY_HEADERS}


def test_sign_up_auto_confirmed_keeps_the_given_locale() -> None:
    with stubbed_cognito() as stubber:
        stubber.add_response(
            "sign_up",
            {"UserConfirmed": True, "UserSub": SUB},
            {
                "ClientId": CLIENT_ID,
                "Username": EMAIL,
                "Password": PASSWORD,
                "UserAttributes": [{"Name": "email", "Value": EMAIL}, {"Name": "locale", "Value": "en-GB"}],
                "ClientMetadata": EN,
                "SecretHash": HASH_EMAIL,
            },
        )
        status, _, body = invoke(post("/auth/sign-up", {"email": EMAIL, "password": PASSWORD, "locale": "en-GB"}))
    assert (status, body) == (202, {"status": "CONFIRMED"})


def test_confirm() -> None:
    with stubbed_cognito() as stubber:
        stubber.add_response(
            "confirm_sign_up",
            {},
            {
                "ClientId": CLIENT_ID,
                "Username": EMAIL,
                "ConfirmationCode": "123456",
                "ClientMetadata": EN,
                "SecretHash": HASH_EMAIL,
            },
        )
        assert invoke(post("/auth/confirm", {"email": EMAIL, "code": "123456"}))[::2] == (200, {"status": "CONFIRMED"})


@pytest.mark.parametrize(
    ("path", "operation", "key"),
    [
        ("/auth/resend-code", "resend_confirmation_code", "api.accepted.resend_code"),
        ("/auth/forgot-password", "forgot_password", "api.accepted.forgot_password"),
    ],
)
def test_code_requests(path: str, operation: str, key: str) -> None:
    with stubbed_cognito() as stubber:
        stubber.add_response(
            operation,
            {"CodeDeliveryDetails": {"Destination": "j***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}},
            {"ClientId": CLIENT_ID, "Username": EMAIL, "ClientMetadata": EN, "SecretHash": HASH_EMAIL},
        )
        assert invoke(post(path, {"email": EMAIL}))[::2] == (202, {"status": "ACCEPTED", "message": english(key)})


def test_sign_in() -> None:
    with stubbed_cognito() as stubber:
        stubber.add_response(
            "initiate_auth",
            authentication_result(),
            {
                "ClientId": CLIENT_ID,
                "AuthFlow": "USER_PASSWORD_AUTH",
                "AuthParameters": {"USERNAME": EMAIL, "PASSWORD": PASSWORD, "SECRET_HASH": HASH_EMAIL},
                "ClientMetadata": EN,
            },
        )
        status, _, body = invoke(post("/auth/sign-in", {"email": EMAIL, "password": PASSWORD}))
    assert (status, body) == (200, {"status": "SIGNED_IN", "username": SUB, "tokens": tokens(), "challenge": None})


@pytest.mark.parametrize("name", ["NEW_PASSWORD_REQUIRED", "SOFTWARE_TOKEN_MFA"])
def test_sign_in_challenge(name: str) -> None:
    with stubbed_cognito() as stubber:
        stubber.add_response(
            "initiate_auth",
            {"ChallengeName": name, "Session": SESSION, "ChallengeParameters": {"USER_ID_FOR_SRP": SUB}},
        )
        status, _, body = invoke(post("/auth/sign-in", {"email": EMAIL, "password": PASSWORD}))
    assert (status, body) == (
        200,
        {
            "status": "CHALLENGE",
            "username": None,
            "tokens": None,
            "challenge": {"name": name, "session": SESSION, "username": SUB},
        },
    )


@pytest.mark.parametrize(
    ("request_body", "responses"),
    [
        (
            {"challenge": "NEW_PASSWORD_REQUIRED", "session": SESSION, "username": SUB, "new_password": "New-Horse-9!"},
            {"USERNAME": SUB, "NEW_PASSWORD": "New-Horse-9!", "SECRET_HASH": HASH_SUB},
        ),
        (
            {"challenge": "SOFTWARE_TOKEN_MFA", "session": SESSION, "username": SUB, "code": "123456"},
            {"USERNAME": SUB, "SOFTWARE_TOKEN_MFA_CODE": "123456", "SECRET_HASH": HASH_SUB},
        ),
    ],
)
def test_challenge(request_body: dict[str, str], responses: dict[str, str]) -> None:
    with stubbed_cognito() as stubber:
        stubber.add_response(
            "respond_to_auth_challenge",
            authentication_result(),
            {
                "ClientId": CLIENT_ID,
                "ChallengeName": request_body["challenge"],
                "Session": SESSION,
                "ChallengeResponses": responses,
                "ClientMetadata": EN,
            },
        )
        status, _, body = invoke(post("/auth/challenge", request_body))
    assert (status, body) == (200, {"status": "SIGNED_IN", "username": SUB, "tokens": tokens(), "challenge": None})


def test_challenge_fields_are_checked_per_challenge() -> None:
    with stubbed_cognito():
        status, _, body = invoke(
            post("/auth/challenge", {"challenge": "SOFTWARE_TOKEN_MFA", "session": SESSION, "username": SUB})
        )
    assert (status, body) == (
        400,
        error(
            "VALIDATION_FAILED",
            english("api.error.validation_failed"),
            [{"field": "code", "code": "MISSING", "message": english("api.validation.missing")}],
        ),
    )


@pytest.mark.parametrize(
    "identity", [{"username": SUB}, {"id_token": ID_TOKEN}, {"username": SUB, "id_token": id_token("other")}]
)
def test_refresh_hashes_the_internal_username(identity: dict[str, str]) -> None:
    with stubbed_cognito() as stubber:
        stubber.add_response(
            "initiate_auth",
            authentication_result(refresh=False),
            {
                "ClientId": CLIENT_ID,
                "AuthFlow": "REFRESH_TOKEN_AUTH",
                "AuthParameters": {"REFRESH_TOKEN": "refresh-token", "SECRET_HASH": HASH_SUB},
                "ClientMetadata": EN,
            },
        )
        status, _, body = invoke(post("/auth/refresh", {"refresh_token": "refresh-token", **identity}))
    assert (status, body) == (
        200,
        {"status": "SIGNED_IN", "username": SUB, "tokens": tokens(refresh=False), "challenge": None},
    )


def test_refresh_needs_a_username_or_id_token() -> None:
    with stubbed_cognito():
        status, _, body = invoke(post("/auth/refresh", {"refresh_token": "refresh-token"}))
    assert (status, body) == (
        400,
        error(
            "VALIDATION_FAILED",
            english("api.error.validation_failed"),
            [{"field": "body", "code": "VALUE_ERROR", "message": english("api.validation.invalid")}],
        ),
    )


def test_refresh_with_a_malformed_id_token() -> None:
    with stubbed_cognito():
        status, _, body = invoke(post("/auth/refresh", {"refresh_token": "r", "id_token": "not-a-jwt"}))
    message = english("api.error.invalid_token")
    assert (status, body) == (
        400,
        error("INVALID_TOKEN", message, [{"field": "id_token", "code": "INVALID_TOKEN", "message": message}]),
    )


def test_reset_password() -> None:
    with stubbed_cognito() as stubber:
        stubber.add_response(
            "confirm_forgot_password",
            {},
            {
                "ClientId": CLIENT_ID,
                "Username": EMAIL,
                "ConfirmationCode": "654321",
                "Password": "New-Horse-9!",
                "ClientMetadata": EN,
                "SecretHash": HASH_EMAIL,
            },
        )
        status, _, body = invoke(
            post("/auth/reset-password", {"email": EMAIL, "code": "654321", "password": "New-Horse-9!"})
        )
    assert (status, body) == (200, {"status": "PASSWORD_RESET"})


def test_sign_out_revokes_with_the_client_secret() -> None:
    with stubbed_cognito() as stubber:
        stubber.add_response(
            "revoke_token", {}, {"Token": "refresh-token", "ClientId": CLIENT_ID, "ClientSecret": CLIENT_SECRET}
        )
        status, headers, body = invoke(post("/auth/sign-out", {"refresh_token": "refresh-token"}))
    assert (status, body) == (204, None)
    assert headers == SECURITY_HEADERS


# ---------------------------------------------------------------------------------------------- errors
# The expected public answer for each Cognito exception, written from the API's contract (docs/api.md), not
# copied from the implementation's table.
EXPECTED: dict[str, tuple[int, str]] = {
    "AliasExistsException": (409, "ACCOUNT_CONFLICT"),
    "CodeDeliveryFailureException": (502, "CODE_DELIVERY_FAILED"),
    "CodeMismatchException": (400, "INVALID_CODE"),
    "ExpiredCodeException": (400, "EXPIRED_CODE"),
    "FeatureUnavailableInTierException": (500, "INTERNAL_ERROR"),
    "ForbiddenException": (403, "FORBIDDEN"),
    "InternalErrorException": (503, "SERVICE_UNAVAILABLE"),
    "InvalidEmailRoleAccessPolicyException": (500, "INTERNAL_ERROR"),
    "InvalidLambdaResponseException": (503, "SERVICE_UNAVAILABLE"),
    "InvalidParameterException": (400, "INVALID_REQUEST"),
    "InvalidPasswordException": (400, "INVALID_PASSWORD"),
    "InvalidSmsRoleAccessPolicyException": (500, "INTERNAL_ERROR"),
    "InvalidSmsRoleTrustRelationshipException": (500, "INTERNAL_ERROR"),
    "InvalidUserPoolConfigurationException": (500, "INTERNAL_ERROR"),
    "LimitExceededException": (429, "TOO_MANY_REQUESTS"),
    "MFAMethodNotFoundException": (400, "MFA_NOT_AVAILABLE"),
    "NotAuthorizedException": (401, "UNAUTHENTICATED"),
    "OperationNotEnabledException": (500, "INTERNAL_ERROR"),
    "PasswordHistoryPolicyViolationException": (400, "PASSWORD_REUSED"),
    "PasswordResetRequiredException": (403, "PASSWORD_RESET_REQUIRED"),
    "ResourceNotFoundException": (500, "INTERNAL_ERROR"),
    "SoftwareTokenMFANotFoundException": (400, "MFA_NOT_AVAILABLE"),
    "TooManyFailedAttemptsException": (429, "TOO_MANY_ATTEMPTS"),
    "TooManyRequestsException": (429, "TOO_MANY_REQUESTS"),
    "UnauthorizedException": (400, "INVALID_TOKEN"),
    "UnexpectedLambdaException": (503, "SERVICE_UNAVAILABLE"),
    "UnsupportedOperationException": (500, "INTERNAL_ERROR"),
    "UnsupportedTokenTypeException": (400, "INVALID_TOKEN"),
    "UserLambdaValidationException": (400, "REQUEST_REJECTED"),  # text that is not ours is never shown
    "UserNotConfirmedException": (403, "USER_NOT_CONFIRMED"),
    "UserNotFoundException": (404, "USER_NOT_FOUND"),
}
ACCEPTED = (202, "ACCEPTED")
ROUTES: dict[str, tuple[str, str, dict[str, Any], dict[str, tuple[int, str]]]] = {
    # route: (operation, Cognito operation name, body, overrides)
    "/auth/sign-up": (
        "sign_up",
        "SignUp",
        {"email": EMAIL, "password": PASSWORD},
        {"UsernameExistsException": (202, "CONFIRMATION_REQUIRED")},
    ),
    "/auth/confirm": (
        "confirm_sign_up",
        "ConfirmSignUp",
        {"email": EMAIL, "code": "123456"},
        {"NotAuthorizedException": (400, "INVALID_CODE"), "UserNotFoundException": (400, "INVALID_CODE")},
    ),
    "/auth/resend-code": (
        "resend_confirmation_code",
        "ResendConfirmationCode",
        {"email": EMAIL},
        {"NotAuthorizedException": ACCEPTED, "UserNotFoundException": ACCEPTED, "InvalidParameterException": ACCEPTED},
    ),
    "/auth/sign-in": (
        "initiate_auth",
        "InitiateAuth",
        {"email": EMAIL, "password": PASSWORD},
        {"NotAuthorizedException": (401, "INVALID_CREDENTIALS"), "UserNotFoundException": (401, "INVALID_CREDENTIALS")},
    ),
    "/auth/challenge": (
        "respond_to_auth_challenge",
        "RespondToAuthChallenge",
        {"challenge": "NEW_PASSWORD_REQUIRED", "session": SESSION, "username": SUB, "new_password": PASSWORD},
        {
            "NotAuthorizedException": (401, "INVALID_SESSION"),
            "UserNotFoundException": (401, "INVALID_SESSION"),
            "ResourceNotFoundException": (401, "INVALID_SESSION"),
        },
    ),
    "/auth/refresh": (
        "initiate_auth",
        "InitiateAuth",
        {"refresh_token": "refresh-token", "username": SUB},
        {"NotAuthorizedException": (401, "SESSION_EXPIRED"), "UserNotFoundException": (401, "SESSION_EXPIRED")},
    ),
    "/auth/forgot-password": (
        "forgot_password",
        "ForgotPassword",
        {"email": EMAIL},
        {"NotAuthorizedException": ACCEPTED, "UserNotFoundException": ACCEPTED, "InvalidParameterException": ACCEPTED},
    ),
    "/auth/reset-password": (
        "confirm_forgot_password",
        "ConfirmForgotPassword",
        {"email": EMAIL, "code": "123456", "password": PASSWORD},
        {
            "NotAuthorizedException": (400, "INVALID_CODE"),
            "UserNotFoundException": (400, "INVALID_CODE"),
            "UserNotConfirmedException": (400, "INVALID_CODE"),
        },
    ),
    "/auth/sign-out": (
        "revoke_token",
        "RevokeToken",
        {"refresh_token": "refresh-token"},
        {"NotAuthorizedException": (400, "INVALID_TOKEN")},
    ),
}
PASSWORD_FIELD = {"/auth/sign-up": "password", "/auth/reset-password": "password", "/auth/challenge": "new_password"}


def _cases() -> list[tuple[str, str]]:
    model = botocore.session.get_session().get_service_model("cognito-idp")
    return [
        (route, shape.name)
        for route, (_, operation, _, _) in ROUTES.items()
        for shape in sorted(model.operation_model(operation).error_shapes, key=lambda s: s.name)
    ]


@pytest.mark.parametrize(("route", "cognito_code"), _cases())
def test_every_cognito_error(route: str, cognito_code: str) -> None:
    operation, _, request_body, overrides = ROUTES[route]
    expected_status, expected_code = overrides.get(cognito_code) or EXPECTED[cognito_code]
    with stubbed_cognito() as stubber:
        stubber.add_client_error(operation, cognito_code, "Cognito's own text, never shown to users")
        status, headers, body = invoke(post(route, request_body))
    assert status == expected_status
    assert headers == {"Content-Type": "application/json", **SECURITY_HEADERS}
    if expected_code == "ACCEPTED":  # the same words whatever Cognito said: nothing tells who has an account
        accepted = {
            "/auth/resend-code": "api.accepted.resend_code",
            "/auth/forgot-password": "api.accepted.forgot_password",
        }
        assert body == {"status": "ACCEPTED", "message": english(accepted[route])}
        return
    if expected_code == "CONFIRMATION_REQUIRED":
        assert body == {"status": "CONFIRMATION_REQUIRED"}
        return
    message = english(f"api.error.{expected_code.lower()}")
    fields = []
    if expected_code in {"INVALID_PASSWORD", "PASSWORD_REUSED"} and route in PASSWORD_FIELD:
        fields = [{"field": PASSWORD_FIELD[route], "code": expected_code, "message": message}]
    assert body == error(expected_code, message, fields)


def test_trigger_errors_keep_their_code_and_localized_text() -> None:
    with stubbed_cognito() as stubber:
        stubber.add_client_error(
            "sign_up",
            "UserLambdaValidationException",
            "PreSignUp failed with error 이 도메인의 이메일 주소로는 가입할 수 없습니다. [EMAIL_DOMAIN_NOT_ALLOWED].",
        )
        status, _, body = invoke(
            post("/auth/sign-up", {"email": EMAIL, "password": PASSWORD}, headers={"accept-language": "ko"})
        )
    assert (status, body) == (
        400,
        error("EMAIL_DOMAIN_NOT_ALLOWED", "이 도메인의 이메일 주소로는 가입할 수 없습니다."),
    )


def test_errors_are_localized() -> None:
    with stubbed_cognito() as stubber:
        stubber.add_client_error("confirm_sign_up", "ExpiredCodeException", "Invalid code provided")
        status, _, body = invoke(
            post("/auth/confirm", {"email": EMAIL, "code": "1"}, headers={"accept-language": "ko-KR,en;q=0.5"})
        )
    assert (status, body) == (400, error("EXPIRED_CODE", korean("api.error.expired_code")))


# ---------------------------------------------------------------------------------------------- enumeration
def test_sign_in_answers_alike_for_unknown_user_and_wrong_password() -> None:
    answers = []
    for code, text in [("NotAuthorizedException", "Incorrect username or password."), ("UserNotFoundException", "")]:
        with stubbed_cognito() as stubber:
            stubber.add_client_error("initiate_auth", code, text)
            answers.append(invoke(post("/auth/sign-in", {"email": EMAIL, "password": PASSWORD})))
    assert answers[0] == answers[1]
    assert answers[0][0] == 401


def test_forgot_password_answers_alike_for_known_and_unknown_addresses() -> None:
    answers = []
    with stubbed_cognito() as stubber:
        stubber.add_response("forgot_password", {"CodeDeliveryDetails": {"Destination": "j***@e***"}})
        answers.append(invoke(post("/auth/forgot-password", {"email": EMAIL})))
    with stubbed_cognito() as stubber:
        stubber.add_client_error(
            "forgot_password", "UserNotFoundException", "Username/client id combination not found."
        )
        answers.append(invoke(post("/auth/forgot-password", {"email": "nobody@example.com"})))
    assert answers[0] == answers[1]


def test_sign_up_answers_alike_for_new_and_registered_addresses() -> None:
    answers = []
    with stubbed_cognito() as stubber:
        stubber.add_response("sign_up", {"UserConfirmed": False, "UserSub": SUB})
        answers.append(invoke(post("/auth/sign-up", {"email": EMAIL, "password": PASSWORD})))
    with stubbed_cognito() as stubber:
        stubber.add_client_error(
            "sign_up", "UsernameExistsException", "An account with the given email already exists."
        )
        answers.append(invoke(post("/auth/sign-up", {"email": EMAIL, "password": PASSWORD})))
    assert answers[0] == answers[1]
