"""The post-confirmation use case behind ``triggers/post_confirmation.py``: settings, wiring, and what the user and
the operators see.

* ``PostConfirmation_ConfirmSignUp``: profile + default group + permanent email claim (see
  :mod:`common.profiles.onboarding`). If any step fails or times out, one log line per failed step (user id, step,
  AWS error code; never the email) and a ``...Failed`` metric, then a user-safe ``INTERNAL_ERROR``. The user *is*
  confirmed by then (Cognito confirms before it calls the trigger), so nothing is lost for good: the next token
  issuance creates a missing profile (pre-token-generation self-repair) and ``scripts/reconcile`` repairs profiles
  and group memberships pool-wide.
* ``PostConfirmation_ConfirmForgotPassword``: ``passwordResetAt``/``updatedAt`` on the existing profile only. A
  missing profile is tolerated, and a failed write is logged and counted but does not fail the request: Cognito has
  already changed the password, and an error would only send the user back to retry a code that is now used up.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from common.config import Environment, environment
from common.errors import ConfigurationError, UserFacingError
from common.i18n import translate
from common.observability import logger, metrics, tracer
from common.profiles.dynamodb import DynamoDbProfileStore
from common.profiles.onboarding import NewUser, Onboarding, SignUpOutcome, Status, StepOutcome
from common.signup.settings import SignupSettings
from common.startup import COGNITO_TIMEOUT_SECONDS, SAFETY_MARGIN_SECONDS, cognito_seconds_left, init_on_request_clock

__all__ = [
    "COGNITO_TIMEOUT_SECONDS",
    "SAFETY_MARGIN_SECONDS",
    "PostConfirmationFunction",
    "PostConfirmationSettings",
    "budget_for",
    "build_onboarding",
    "handle",
]


_GROUP = re.compile(r"[^\s]{1,128}")

# step -> (metric on success, metric when it already existed, metric on failure)
_METRICS = {
    "profile": ("ProfileCreated", "ProfileAlreadyExisted", "ProfileWriteFailed"),
    "group": ("DefaultGroupAdded", "DefaultGroupAdded", "DefaultGroupFailed"),
    "claim": ("EmailClaimConfirmed", "EmailClaimConfirmed", "EmailClaimConfirmFailed"),
}


@dataclass(frozen=True)
class PostConfirmationSettings:
    """Everything the post-confirmation function reads from its environment, once per process."""

    #: ``PROFILE_TABLE_NAME``: the profiles table (required).
    profile_table_name: str
    #: ``EMAIL_CLAIMS_TABLE_NAME``: the email-claims table whose pending claim becomes permanent (required).
    email_claims_table_name: str
    #: ``DEFAULT_GROUP``: the group every confirmed user joins, and the role written on the new profile.
    default_group: str = "user"
    #: ``POST_CONFIRMATION_BUDGET_SECONDS``: how long the writes may take together before the user gets an error
    #: (Cognito allows 5 s for the whole invocation, cold start included).
    budget_seconds: float = 2.5
    #: The ``SIGNUP_*`` canonicalization settings, so the profile holds the address the sign-up gate claimed.
    signup: SignupSettings = field(default_factory=SignupSettings)
    #: Whether this environment's init phase ran while Cognito was waiting: Lambda's
    #: ``AWS_LAMBDA_INITIALIZATION_TYPE`` is ``on-demand``. Provisioned concurrency and SnapStart initialize ahead
    #: of any request, and outside Lambda (tests, tools) there is no such wait either.
    init_on_request_clock: bool = False

    @classmethod
    def from_env(cls, env: Environment | None = None) -> PostConfirmationSettings:
        env = env or environment()
        group = env.text("DEFAULT_GROUP", "user")
        if not _GROUP.fullmatch(group):
            raise ConfigurationError("environment variable DEFAULT_GROUP must be a Cognito group name (no spaces)")
        budget = env.number("POST_CONFIRMATION_BUDGET_SECONDS", 2.5, minimum=0.2)
        if budget > 4.0:
            raise ConfigurationError("environment variable POST_CONFIRMATION_BUDGET_SECONDS must be at most 4.0")
        return cls(
            profile_table_name=env.text("PROFILE_TABLE_NAME"),
            email_claims_table_name=env.text("EMAIL_CLAIMS_TABLE_NAME"),
            default_group=group,
            budget_seconds=budget,
            signup=SignupSettings.from_env(env),
            init_on_request_clock=init_on_request_clock(env),
        )


def build_onboarding(settings: PostConfirmationSettings) -> Onboarding:
    """The production wiring: DynamoDB profiles and claims, Cognito groups.

    The clients are created here, once, on the calling thread: the steps run on worker threads, where a lazy
    first use would create them concurrently (twice, for DynamoDB) and inside the time budget.
    """
    from common.aws import cognito_client, dynamodb_client  # noqa: PLC0415  (boto3 only once a call is coming)
    from common.profiles.cognito import CognitoGroups  # noqa: PLC0415
    from common.signup.email import canonical_email  # noqa: PLC0415
    from common.signup.email_claims import DynamoDbEmailClaims  # noqa: PLC0415

    dynamodb = dynamodb_client()
    return Onboarding(
        profiles=DynamoDbProfileStore(settings.profile_table_name, dynamodb),
        groups=CognitoGroups(cognito_client()),
        claims=DynamoDbEmailClaims(settings.email_claims_table_name, dynamodb),
        canonicalize=partial(canonical_email, settings=settings.signup),
        default_group=settings.default_group,
        role=settings.default_group,
    )


def budget_for(
    settings: PostConfirmationSettings, remaining_millis: int | None, cold_start_seconds: float = 0.0
) -> float:
    """The configured budget, shortened so that the answer reaches Cognito within its 5 s (minus a margin) even
    after a slow cold start, and never later than the Lambda's own remaining time (minus the margin)."""
    return min(settings.budget_seconds, cognito_seconds_left(remaining_millis, cold_start_seconds))


class PostConfirmationFunction:
    """The function's per-process state: settings, the wired use case, and the cold start's cost, which only the
    first invocation has to leave out of its budget."""

    def __init__(self, settings: PostConfirmationSettings, onboarding: Onboarding, cold_start_seconds: float) -> None:
        self.settings = settings
        self.onboarding = onboarding
        self._cold_start_seconds = cold_start_seconds

    @classmethod
    def from_env(cls, init_seconds: float | None) -> PostConfirmationFunction:
        """Read the settings and create the clients (on the first invocation). ``init_seconds`` is how long the
        init phase took (the handler module measures it when its import ends); it counts against the first
        invocation only when that init ran on the request's clock (see the settings). Building the settings and
        clients here always does."""
        started = time.monotonic()
        settings = PostConfirmationSettings.from_env()
        onboarding = build_onboarding(settings)
        setup = time.monotonic() - started
        init = (init_seconds or 0.0) if settings.init_on_request_clock else 0.0
        return cls(settings, onboarding, init + setup)

    def budget(self, remaining_millis: int | None) -> float:
        spent, self._cold_start_seconds = self._cold_start_seconds, 0.0
        return budget_for(self.settings, remaining_millis, spent)

    def handle(self, event: Mapping[str, Any], remaining_millis: int | None, language: str) -> None:
        handle(event, self.onboarding, self.budget(remaining_millis), language)


def _user(event: Mapping[str, Any]) -> NewUser:
    attributes = event["request"].get("userAttributes") or {}
    return NewUser(
        pool_id=str(event.get("userPoolId", "")),
        username=str(event.get("userName", "")),
        attributes={str(k): str(v) for k, v in attributes.items()},
    )


def _report_sign_up(outcome: SignUpOutcome, user_id: str) -> None:
    for step, result in outcome.steps().items():
        done, already, failed = _METRICS[step]
        if result.status is Status.DONE:
            metrics.add_metric(name=done, unit="Count", value=1)
        elif result.status is Status.ALREADY:
            metrics.add_metric(name=already, unit="Count", value=1)
        elif not result.status.ok:
            metrics.add_metric(name=failed, unit="Count", value=1)
            logger.error(
                f"post-confirmation {step} write failed",
                extra={"user_id": user_id, "step": step, "status": result.status.value, "error": result.detail},
            )
    logger.info(
        "post-confirmation sign-up",
        extra={"user_id": user_id, **{step: result.status.value for step, result in outcome.steps().items()}},
    )


def _report_password_reset(outcome: StepOutcome, user_id: str) -> None:
    if outcome.status is Status.DONE:
        metrics.add_metric(name="PasswordResetRecorded", unit="Count", value=1)
        logger.info("password reset recorded", extra={"user_id": user_id})
    elif outcome.status is Status.SKIPPED:
        metrics.add_metric(name="PasswordResetProfileMissing", unit="Count", value=1)
        logger.warning("password reset for a user without a profile", extra={"user_id": user_id})
    else:
        metrics.add_metric(name="PasswordResetWriteFailed", unit="Count", value=1)
        logger.error(
            "post-confirmation password-reset write failed",
            extra={"user_id": user_id, "status": outcome.status.value, "error": outcome.detail},
        )


def handle(event: Mapping[str, Any], onboarding: Onboarding, budget_seconds: float, language: str) -> None:
    """Run the use case for ``event`` (already checked to be a post-confirmation event). Raises only
    :class:`UserFacingError` with user-safe, localized text."""
    user = _user(event)
    source = str(event.get("triggerSource"))
    tracer.put_annotation(key="trigger_source", value=source)
    if source == "PostConfirmation_ConfirmForgotPassword":
        reset = onboarding.record_password_reset(user.user_id, budget_seconds)
        tracer.put_annotation(key="password_reset", value=reset.status.value)
        _report_password_reset(reset, user.user_id)
        return
    outcome = onboarding.confirm_sign_up(user, budget_seconds)
    for step, result in outcome.steps().items():
        tracer.put_annotation(key=step, value=result.status.value)
    _report_sign_up(outcome, user.user_id)
    if not outcome.ok:
        raise UserFacingError("INTERNAL_ERROR", translate("error.internal", language))
