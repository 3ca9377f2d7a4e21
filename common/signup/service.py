"""The pre-sign-up use case: decide, claim the canonical address, link or refuse, answer Cognito.

The DynamoDB claim is the hot path's only network call. Cognito is called only when the address is already
held: to link a federated identity onto the native account, or to check that an old claim's holder still exists
before taking the address over. Each of those extra calls starts only when the invocation's budget still fits it
(common/signup/budget.py); otherwise the user is asked to try again at once, rather than after Cognito's timeout
and retries.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from common.errors import UserFacingError
from common.i18n import translate
from common.observability import logger, mask_email, metrics
from common.signup.budget import UNBOUNDED, Budget
from common.signup.claim_model import ClaimResult, ClaimStatus, EmailClaim, EmailClaims
from common.signup.clock import Clock, iso, system_clock
from common.signup.directory import UserDirectory
from common.signup.policy import EXTERNAL_PROVIDER, Decision, SignupRequest, decide
from common.signup.refusals import Refusal, SignupRefused, user_error
from common.signup.settings import SignupSettings

__all__ = ["STALE_CLAIM_GRACE_SECONDS", "OutOfTime", "SignupDependencies", "pre_sign_up"]

#: A live claim younger than this is never looked up: its holder may still be inside its own PreSignUp
#: (Cognito creates the user only after the trigger answers, and may retry a slow trigger within ~15 s).
STALE_CLAIM_GRACE_SECONDS = 30


class OutOfTime(Exception):  # noqa: N818  (a named outcome: the budget cannot fit the next call)
    """The invocation's budget cannot fit the next optional call; ``step`` names it (safe to log)."""

    def __init__(self, step: str) -> None:
        super().__init__(step)
        self.step = step


@dataclass(frozen=True)
class SignupDependencies:
    claims: EmailClaims
    directory: UserDirectory
    clock: Clock = system_clock


def pre_sign_up(
    event: dict[str, Any],
    language: str,
    settings: SignupSettings,
    deps: SignupDependencies,
    budget: Budget = UNBOUNDED,
) -> None:
    """Apply the policy to one PreSignUp event, mutating only ``event["response"]``.

    Raises :class:`common.errors.UserFacingError` (localized to ``language``) when the sign-up is refused, or with
    ``SERVICE_UNAVAILABLE`` when ``budget`` cannot fit a call the decision needs (the user tries again).
    """
    request = SignupRequest.from_event(event)
    try:
        decision = decide(request, settings)
        _claim_address(request, decision, settings, deps, budget)
    except OutOfTime as out_of_time:
        logger.warning(
            "sign-up stopped: not enough time left for the next call",
            extra={"step": out_of_time.step, "trigger_source": request.source, "email": mask_email(request.email)},
        )
        metrics.add_metric(name="SignupOutOfTime", unit="Count", value=1)
        raise UserFacingError("SERVICE_UNAVAILABLE", translate("error.out_of_time", language)) from None
    except SignupRefused as refused:
        logger.info(
            "sign-up refused",
            extra={
                "reason": refused.refusal.code,
                "trigger_source": request.source,
                "email": mask_email(request.email),
            },
        )
        metrics.add_metric(name="SignupRefused", unit="Count", value=1)
        raise user_error(refused.refusal, language) from None
    response = event["response"]
    response["autoConfirmUser"] = decision.auto_confirm_user
    response["autoVerifyEmail"] = decision.auto_verify_email
    metrics.add_metric(name="SignupAccepted", unit="Count", value=1)


def _new_claim(request: SignupRequest, decision: Decision, settings: SignupSettings, now: float) -> EmailClaim:
    if decision.permanent_claim:
        return EmailClaim(decision.canonical, request.user_name, ClaimStatus.CONFIRMED, request.source, iso(now),
                          confirmed_at=iso(now))  # fmt: skip
    expires = int(now) + settings.unconfirmed_claim_seconds
    return EmailClaim(decision.canonical, request.user_name, ClaimStatus.PENDING, request.source, iso(now), expires)


def _require_time(budget: Budget, step: str) -> None:
    if not budget.fits_another_call():
        raise OutOfTime(step)


def _claim_address(
    request: SignupRequest, decision: Decision, settings: SignupSettings, deps: SignupDependencies, budget: Budget
) -> None:
    now = deps.clock()
    claim = _new_claim(request, decision, settings, now)
    outcome = deps.claims.claim(
        claim,
        now_epoch=int(now),
        # With verification on, an expired claim's holder is looked at before the address changes hands.
        take_over_expired=not settings.verify_stale_claims,
        take_over_pending=request.email_verified_by_provider,
    )
    if outcome.result is not ClaimResult.TAKEN:
        return
    holder = outcome.holder
    if holder is not None:
        provider = _linkable_provider(request, holder, settings)
        if provider is not None:
            _require_time(budget, "link_provider")
        if provider is not None and deps.directory.link_provider(
            request.pool_id, holder.user_name, provider, request.user_name[len(provider) + 1 :]
        ):
            logger.info("federated identity linked to the native account", extra={"provider": provider})
            metrics.add_metric(name="ProviderLinked", unit="Count", value=1)
            # Cognito must not create the federated user: refuse, and the client's next sign-in is the linked one.
            raise SignupRefused(Refusal.ACCOUNT_LINKED)
        if _resolve_old_claim(holder, claim, request=request, settings=settings, deps=deps, now=now, budget=budget):
            return
    raise SignupRefused(Refusal.EMAIL_TAKEN if settings.reveal_existing_accounts else Refusal.EMAIL_UNAVAILABLE)


def _linkable_provider(request: SignupRequest, holder: EmailClaim, settings: SignupSettings) -> str | None:
    """The configured provider name to link with, when linking is allowed for this sign-in and this holder.

    Only a provider-verified email is linked, only onto a confirmed native account: linking onto an unconfirmed
    sign-up would hand a pre-registered (squatted) account to whoever controls the federated identity's email.
    """
    if not request.email_verified_by_provider or holder.status is not ClaimStatus.CONFIRMED:
        return None
    if holder.source == EXTERNAL_PROVIDER:
        return None  # Cognito links only onto native users
    lowered = request.user_name.lower()
    for provider in settings.link_providers:
        if lowered.startswith(provider.lower() + "_") and len(lowered) > len(provider) + 1:
            return provider
    return None


def _age_seconds(holder: EmailClaim, now: float) -> float:
    try:
        created = datetime.strptime(holder.created_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return float("inf")
    return now - created.timestamp()


def _resolve_old_claim(
    holder: EmailClaim,
    claim: EmailClaim,
    *,
    request: SignupRequest,
    settings: SignupSettings,
    deps: SignupDependencies,
    now: float,
    budget: Budget = UNBOUNDED,
) -> bool:
    """Decide an expired or old claim by its holder's state in the pool. ``True`` when ``claim`` took it over.

    * holder gone (deleted, or its creation failed after the trigger): the address is free;
    * holder never confirmed and its claim expired: an abandoned sign-up, the address is free;
    * holder confirmed while its claim is still pending (post-confirmation failed to confirm it): the claim is
      repaired (made permanent for the holder) and the address stays taken.
    """
    expired = holder.expired(int(now))
    if not settings.verify_stale_claims:
        return False  # the store already took over an expired claim, and a live one stays
    if not expired and _age_seconds(holder, now) < STALE_CLAIM_GRACE_SECONDS:
        return False  # its holder may still be inside its own PreSignUp: Cognito has not created it yet
    # (an event without a pool id cannot be checked: its expired claims are treated as abandoned)
    if request.pool_id:
        _require_time(budget, "user_status")
    status = deps.directory.user_status(request.pool_id, holder.user_name) if request.pool_id else "UNCONFIRMED"
    if status is None or (status == "UNCONFIRMED" and expired):
        _require_time(budget, "take_over")
        if deps.claims.take_over(claim, stale=holder):
            logger.info("email claim taken over", extra={"email": mask_email(claim.email), "holder_status": status})
            metrics.add_metric(name="ClaimTakenOver", unit="Count", value=1)
            return True
        return False
    if holder.status is ClaimStatus.PENDING and status != "UNCONFIRMED":
        if not budget.fits_another_call():
            # the answer (address taken) is already known; the repair is best effort and the next sign-up retries it
            logger.info("claim repair left for later: not enough time left", extra={"email": mask_email(claim.email)})
            return False
        repaired = replace(holder, status=ClaimStatus.CONFIRMED, expires_at=None, confirmed_at=iso(now))
        if deps.claims.take_over(repaired, stale=holder):
            logger.warning("pending email claim of a confirmed user repaired", extra={"email": mask_email(claim.email)})
            metrics.add_metric(name="ClaimRepaired", unit="Count", value=1)
    return False
