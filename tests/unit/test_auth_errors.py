"""The Cognito error map: complete against botocore's model, per-flow meanings, trigger errors, statuses, text."""

from __future__ import annotations

import json
from pathlib import Path

import botocore.session
import pytest

from common.auth.cognito_errors import COGNITO_ERRORS, FLOW_OVERRIDES, INTERNAL_CODES, Flow, auth_error
from common.auth.errors import HTTP_STATUS, AuthError, message_key, status_for

LOCALES = Path(__file__).resolve().parents[2] / "common" / "locales"

# Every operation common/auth/gateway.py and client_secret.py call.
OPERATIONS = [
    "SignUp",
    "ConfirmSignUp",
    "ResendConfirmationCode",
    "InitiateAuth",
    "RespondToAuthChallenge",
    "ForgotPassword",
    "ConfirmForgotPassword",
    "RevokeToken",
    "AdminUpdateUserAttributes",
    "ListUsers",
    "AdminDisableUser",
    "AdminEnableUser",
    "AdminAddUserToGroup",
    "AdminRemoveUserFromGroup",
    "DescribeUserPoolClient",
]


def modelled_errors() -> set[str]:
    model = botocore.session.get_session().get_service_model("cognito-idp")
    return {shape.name for op in OPERATIONS for shape in model.operation_model(op).error_shapes}


def test_every_modelled_exception_is_mapped_explicitly() -> None:
    assert modelled_errors() - set(COGNITO_ERRORS) == set()


def test_every_code_has_a_status_and_text_in_every_language() -> None:
    codes = (set(COGNITO_ERRORS.values()) | {c for m in FLOW_OVERRIDES.values() for c in m.values()}) - INTERNAL_CODES
    catalogs = {lang: json.loads((LOCALES / lang / "api.json").read_text(encoding="utf-8")) for lang in ("en", "ko")}
    for code in sorted(codes | set(HTTP_STATUS)):
        assert code in HTTP_STATUS, code
        for lang, catalog in catalogs.items():
            assert catalog.get(message_key(code)), (lang, code)


def test_catalogs_have_the_same_keys() -> None:
    en = json.loads((LOCALES / "en" / "api.json").read_text(encoding="utf-8"))
    ko = json.loads((LOCALES / "ko" / "api.json").read_text(encoding="utf-8"))
    assert set(en) == set(ko)
    assert all(key.startswith("api.") for key in en)


@pytest.mark.parametrize(
    ("cognito_code", "flow", "code", "status"),
    [
        # no enumeration at sign-in: unknown user and wrong password are one answer
        ("NotAuthorizedException", Flow.SIGN_IN, "INVALID_CREDENTIALS", 401),
        ("UserNotFoundException", Flow.SIGN_IN, "INVALID_CREDENTIALS", 401),
        ("UserNotConfirmedException", Flow.SIGN_IN, "USER_NOT_CONFIRMED", 403),
        ("PasswordResetRequiredException", Flow.SIGN_IN, "PASSWORD_RESET_REQUIRED", 403),
        ("NotAuthorizedException", Flow.REFRESH, "SESSION_EXPIRED", 401),
        ("NotAuthorizedException", Flow.CHALLENGE, "INVALID_SESSION", 401),
        ("CodeMismatchException", Flow.CHALLENGE, "INVALID_CODE", 400),
        ("NotAuthorizedException", Flow.CONFIRM, "INVALID_CODE", 400),
        ("UserNotFoundException", Flow.CONFIRM, "INVALID_CODE", 400),
        ("ExpiredCodeException", Flow.CONFIRM, "EXPIRED_CODE", 400),
        ("UserNotFoundException", Flow.RESET_PASSWORD, "INVALID_CODE", 400),
        ("UserNotFoundException", Flow.FORGOT_PASSWORD, "ACCOUNT_STATE", 400),
        ("InvalidParameterException", Flow.RESEND_CODE, "ACCOUNT_STATE", 400),
        ("UsernameExistsException", Flow.SIGN_UP, "ACCOUNT_EXISTS", 400),
        ("UserNotFoundException", Flow.ADMIN, "USER_NOT_FOUND", 404),
        ("ResourceNotFoundException", Flow.ADMIN_GROUP, "GROUP_NOT_FOUND", 404),
        ("ResourceNotFoundException", Flow.ADMIN, "INTERNAL_ERROR", 500),
        ("UserNotFoundException", Flow.PROFILE, "UNAUTHENTICATED", 401),
        ("ResourceNotFoundException", Flow.CHALLENGE, "INVALID_SESSION", 401),
        ("InvalidToken", Flow.ADMIN, "INVALID_REQUEST", 400),  # moto's name for a bad pagination token
        ("UnsupportedTokenTypeException", Flow.SIGN_OUT, "INVALID_TOKEN", 400),
        ("TooManyRequestsException", Flow.SIGN_IN, "TOO_MANY_REQUESTS", 429),
        ("LimitExceededException", Flow.FORGOT_PASSWORD, "TOO_MANY_REQUESTS", 429),
        ("TooManyFailedAttemptsException", Flow.RESET_PASSWORD, "TOO_MANY_ATTEMPTS", 429),
        ("CodeDeliveryFailureException", Flow.SIGN_UP, "CODE_DELIVERY_FAILED", 502),
        ("InternalErrorException", Flow.SIGN_IN, "SERVICE_UNAVAILABLE", 503),
        ("InvalidLambdaResponseException", Flow.SIGN_UP, "SERVICE_UNAVAILABLE", 503),
        ("SomethingNewException", Flow.SIGN_IN, "INTERNAL_ERROR", 500),
    ],
)
def test_flow_meanings(cognito_code: str, flow: Flow, code: str, status: int) -> None:
    error = auth_error(cognito_code, "ignored text", flow)
    assert (error.code, error.message, status_for(error.code)) == (code, None, status)


@pytest.mark.parametrize(
    ("flow", "field"), [(Flow.SIGN_UP, "password"), (Flow.RESET_PASSWORD, "password"), (Flow.CHALLENGE, "new_password")]
)
def test_password_errors_name_the_field(flow: Flow, field: str) -> None:
    error = auth_error("InvalidPasswordException", "Password did not conform with policy", flow)
    assert (error.code, error.field) == ("INVALID_PASSWORD", field)


def test_trigger_error_keeps_our_code_and_strips_the_prefix() -> None:
    error = auth_error(
        "UserLambdaValidationException",
        "PreSignUp failed with error 이 도메인의 이메일은 사용할 수 없습니다. [EMAIL_DOMAIN_NOT_ALLOWED].",
        Flow.SIGN_UP,
    )
    assert (error.code, error.message) == ("EMAIL_DOMAIN_NOT_ALLOWED", "이 도메인의 이메일은 사용할 수 없습니다.")
    assert status_for(error.code) == 400


def test_trigger_internal_error_is_a_500() -> None:
    error = auth_error(
        "UserLambdaValidationException",
        "PostConfirmation failed with error Something went wrong on our side. [INTERNAL_ERROR].",
        Flow.CONFIRM,
    )
    assert (error.code, status_for(error.code)) == ("INTERNAL_ERROR", 500)


def test_a_trigger_out_of_time_is_a_retryable_503_with_its_own_words() -> None:
    error = auth_error(
        "UserLambdaValidationException",
        "PreSignUp failed with error We are busy right now and could not finish. Please try again in a moment. "
        "[SERVICE_UNAVAILABLE].",
        Flow.SIGN_UP,
    )
    assert (error.code, status_for(error.code)) == ("SERVICE_UNAVAILABLE", 503)
    assert error.message == "We are busy right now and could not finish. Please try again in a moment."


@pytest.mark.parametrize(
    "text", ["PreSignUp failed with error Traceback (most recent call last) KeyError: 'email'.", "", "boom [lower]"]
)
def test_unparseable_trigger_text_is_never_shown(text: str) -> None:
    error = auth_error("UserLambdaValidationException", text, Flow.SIGN_UP)
    assert (error.code, error.message) == ("REQUEST_REJECTED", None)


def test_auth_error_attributes() -> None:
    error = AuthError("INVALID_CODE", field="code")
    assert (error.code, error.message, error.field, str(error)) == ("INVALID_CODE", None, "code", "INVALID_CODE")


@pytest.mark.parametrize(
    ("generic", "code"),
    [
        ("ThrottlingException", "TOO_MANY_REQUESTS"),
        ("Throttling", "TOO_MANY_REQUESTS"),
        ("ServiceUnavailable", "SERVICE_UNAVAILABLE"),
        ("InternalFailure", "SERVICE_UNAVAILABLE"),
    ],
)
def test_generic_aws_errors_are_retryable_never_internal(generic: str, code: str) -> None:
    """Errors any AWS service may answer after botocore's retries are not in Cognito's model: they still map."""
    assert auth_error(generic, "", Flow.SIGN_IN).code == code
