"""Every Cognito exception, per flow, mapped to an :class:`AuthError` code.

The map is by Cognito error *code* (``error.response["Error"]["Code"]``), never by message text. A flow can
override the default meaning: ``NotAuthorizedException`` is "wrong email or password" when signing in, "the session
is over" when refreshing, and "wrong code" when confirming. Overrides are also how the API avoids user enumeration:
every answer that would differ between a known and an unknown user is folded into one code (see ``service``).

``UserLambdaValidationException`` carries our trigger's :class:`common.errors.UserFacingError` text; it is parsed
with :func:`common.errors.parse_trigger_error` (prefix stripped, code kept). Text that does not parse is never
shown: the client gets the generic ``REQUEST_REJECTED``.
"""

from __future__ import annotations

from enum import StrEnum

from common.auth.errors import AuthError
from common.errors import parse_trigger_error

__all__ = ["ALIASES", "COGNITO_ERRORS", "FLOW_OVERRIDES", "INTERNAL_CODES", "Flow", "auth_error"]


class Flow(StrEnum):
    """The user-visible operation a Cognito call belongs to."""

    SIGN_UP = "sign_up"
    CONFIRM = "confirm"
    RESEND_CODE = "resend_code"
    SIGN_IN = "sign_in"
    CHALLENGE = "challenge"
    REFRESH = "refresh"
    FORGOT_PASSWORD = "forgot_password"  # noqa: S105 (a flow name, not a password)
    RESET_PASSWORD = "reset_password"  # noqa: S105
    SIGN_OUT = "sign_out"
    PROFILE = "profile"
    ADMIN = "admin"
    ADMIN_GROUP = "admin_group"
    CLIENT_CONFIG = "client_config"


# Default meaning of every error shape of every operation the gateway calls (the test checks the list against
# botocore's service model, so a new Cognito exception cannot slip through unmapped).
COGNITO_ERRORS: dict[str, str] = {
    "AliasExistsException": "ACCOUNT_CONFLICT",
    "CodeDeliveryFailureException": "CODE_DELIVERY_FAILED",
    "CodeMismatchException": "INVALID_CODE",
    "ExpiredCodeException": "EXPIRED_CODE",
    "FeatureUnavailableInTierException": "INTERNAL_ERROR",
    "ForbiddenException": "FORBIDDEN",
    "InternalErrorException": "SERVICE_UNAVAILABLE",
    "InvalidEmailRoleAccessPolicyException": "INTERNAL_ERROR",
    # A trigger that timed out (after Cognito's retries) or answered badly: transient for the client, retryable.
    "InvalidLambdaResponseException": "SERVICE_UNAVAILABLE",
    "InvalidParameterException": "INVALID_REQUEST",
    "InvalidPasswordException": "INVALID_PASSWORD",
    "InvalidSmsRoleAccessPolicyException": "INTERNAL_ERROR",
    "InvalidSmsRoleTrustRelationshipException": "INTERNAL_ERROR",
    "InvalidUserPoolConfigurationException": "INTERNAL_ERROR",
    "LimitExceededException": "TOO_MANY_REQUESTS",
    "MFAMethodNotFoundException": "MFA_NOT_AVAILABLE",
    "NotAuthorizedException": "UNAUTHENTICATED",
    "OperationNotEnabledException": "INTERNAL_ERROR",
    "PasswordHistoryPolicyViolationException": "PASSWORD_REUSED",
    "PasswordResetRequiredException": "PASSWORD_RESET_REQUIRED",
    "ResourceNotFoundException": "INTERNAL_ERROR",
    "SoftwareTokenMFANotFoundException": "MFA_NOT_AVAILABLE",
    "TooManyFailedAttemptsException": "TOO_MANY_ATTEMPTS",
    "TooManyRequestsException": "TOO_MANY_REQUESTS",
    "UnauthorizedException": "INVALID_TOKEN",
    "UnexpectedLambdaException": "SERVICE_UNAVAILABLE",
    "UnsupportedOperationException": "INTERNAL_ERROR",
    "UnsupportedTokenTypeException": "INVALID_TOKEN",
    "UserLambdaValidationException": "REQUEST_REJECTED",
    "UserNotConfirmedException": "USER_NOT_CONFIRMED",
    "UserNotFoundException": "USER_NOT_FOUND",
    "UsernameExistsException": "ACCOUNT_EXISTS",
}

FLOW_OVERRIDES: dict[Flow, dict[str, str]] = {
    # Unknown user and wrong password answer alike (the client also has PreventUserExistenceErrors enabled).
    Flow.SIGN_IN: {
        "NotAuthorizedException": "INVALID_CREDENTIALS",
        "UserNotFoundException": "INVALID_CREDENTIALS",
    },
    # The app client exists (sign-in just used it), so a missing resource here is the session (moto, which runs
    # the local stack, reports an unknown session as ResourceNotFoundException; Cognito as NotAuthorizedException).
    Flow.CHALLENGE: {
        "NotAuthorizedException": "INVALID_SESSION",
        "UserNotFoundException": "INVALID_SESSION",
        "ResourceNotFoundException": "INVALID_SESSION",
    },
    Flow.REFRESH: {
        "NotAuthorizedException": "SESSION_EXPIRED",
        "UserNotFoundException": "SESSION_EXPIRED",
    },
    # "Already confirmed" (NotAuthorized) and "no such user" would tell a stranger the account exists.
    Flow.CONFIRM: {
        "NotAuthorizedException": "INVALID_CODE",
        "UserNotFoundException": "INVALID_CODE",
    },
    Flow.RESET_PASSWORD: {
        "NotAuthorizedException": "INVALID_CODE",
        "UserNotFoundException": "INVALID_CODE",
        "UserNotConfirmedException": "INVALID_CODE",
    },
    # These two flows answer "accepted" for these codes (see service); the codes only name the case.
    Flow.RESEND_CODE: {
        "NotAuthorizedException": "ACCOUNT_STATE",
        "UserNotFoundException": "ACCOUNT_STATE",
        "InvalidParameterException": "ACCOUNT_STATE",
    },
    Flow.FORGOT_PASSWORD: {
        "NotAuthorizedException": "ACCOUNT_STATE",
        "UserNotFoundException": "ACCOUNT_STATE",
        "InvalidParameterException": "ACCOUNT_STATE",
    },
    Flow.SIGN_OUT: {
        "NotAuthorizedException": "INVALID_TOKEN",
    },
    # A valid token for a user who no longer exists or was disabled since it was issued.
    Flow.PROFILE: {
        "NotAuthorizedException": "UNAUTHENTICATED",
        "UserNotFoundException": "UNAUTHENTICATED",
    },
    # The API's own role calling admin operations: "not authorized" is our misconfiguration, not the caller's.
    Flow.ADMIN: {
        "NotAuthorizedException": "INTERNAL_ERROR",
    },
    # On group operations the pool exists (it served the caller's token), so a missing resource is the group.
    Flow.ADMIN_GROUP: {
        "NotAuthorizedException": "INTERNAL_ERROR",
        "ResourceNotFoundException": "GROUP_NOT_FOUND",
    },
    Flow.CLIENT_CONFIG: {
        "NotAuthorizedException": "INTERNAL_ERROR",
        "InvalidParameterException": "INTERNAL_ERROR",
    },
}

# Error codes some Cognito implementations use for a modelled case: moto (the local stack's engine) reports a bad
# ListUsers pagination token as "InvalidToken" where Cognito says InvalidParameterException. The generic errors
# any AWS service may answer (throttling and 5xx left over after botocore's retries) are not in Cognito's service
# model, so they are folded into the Cognito exceptions that mean the same to a client.
ALIASES: dict[str, str] = {
    "InvalidToken": "InvalidParameterException",
    "ThrottlingException": "TooManyRequestsException",
    "Throttling": "TooManyRequestsException",
    "RequestLimitExceeded": "TooManyRequestsException",
    "ServiceUnavailable": "InternalErrorException",
    "ServiceUnavailableException": "InternalErrorException",
    "InternalFailure": "InternalErrorException",
    "InternalServerError": "InternalErrorException",
}

# Codes that only steer the service's decisions and must never reach a client as such.
INTERNAL_CODES = frozenset({"ACCOUNT_EXISTS", "ACCOUNT_STATE"})


def auth_error(cognito_code: str, message: str, flow: Flow) -> AuthError:
    """The :class:`AuthError` for a Cognito error ``cognito_code`` (with its ``message``) raised in ``flow``."""
    if cognito_code == "UserLambdaValidationException":
        parsed = parse_trigger_error(message)
        if parsed is not None:
            return AuthError(parsed.code, message=parsed.message)
    cognito_code = ALIASES.get(cognito_code, cognito_code)
    code = FLOW_OVERRIDES.get(flow, {}).get(cognito_code) or COGNITO_ERRORS.get(cognito_code, "INTERNAL_ERROR")
    field = _PASSWORD_FIELD.get(flow) if code in {"INVALID_PASSWORD", "PASSWORD_REUSED"} else None
    return AuthError(code, field=field)


_PASSWORD_FIELD = {
    Flow.SIGN_UP: "password",
    Flow.RESET_PASSWORD: "password",
    Flow.CHALLENGE: "new_password",
}
