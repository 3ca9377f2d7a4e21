"""What happens when a user is confirmed: their profile, their default group, their email claim made permanent.

The three steps are independent writes, each idempotent on its own (a conditional put, Cognito's idempotent
AdminAddUserToGroup, the claim's own conditional update), so Cognito's retries and concurrent invocations are
harmless. They run in parallel under one time budget: the Lambda clients time out and retry per call, but three
calls one after another could each take their full timeout and retries, which adds up to more than Cognito's 5 s.
Running them side by side and waiting at most ``budget_seconds`` bounds the whole invocation whatever the network
does. A step still running at the deadline is reported as timed out (its write may still land later; being
idempotent, that is harmless, and the user's next token issuance or ``reconcile`` repairs whatever did not).

This module is pure domain code: no boto3, no logging. It returns outcomes; the caller
(:mod:`common.profiles.post_confirmation`) logs them, emits metrics and decides what the user sees.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from common.errors import DependencyError
from common.profiles.clock import utc_now
from common.profiles.model import ProfileStore, profile_from_attributes

__all__ = [
    "EmailClaimConfirmer",
    "GroupMembership",
    "NewUser",
    "Onboarding",
    "SignUpOutcome",
    "Status",
    "StepOutcome",
    "run_within",
]


class GroupMembership(Protocol):
    """Adds a user to a group (idempotent)."""

    def add_to_group(self, pool_id: str, username: str, group: str) -> None: ...


class EmailClaimConfirmer(Protocol):
    """Makes the user's pending email claim permanent (idempotent), see ``common.signup.email_claims``."""

    def confirm(self, canonical: str, user_id: str) -> None: ...


class Status(Enum):
    """How one step ended."""

    DONE = "done"  # this invocation wrote it
    ALREADY = "already"  # it was already there (a retry, a racing twin, or a repair that got there first)
    SKIPPED = "skipped"  # nothing to do (no email to claim, no profile to stamp)
    FAILED = "failed"  # the dependency failed; ``detail`` says how (an AWS error code, never user data)
    TIMED_OUT = "timed_out"  # still running when the budget ran out

    @property
    def ok(self) -> bool:
        return self in {Status.DONE, Status.ALREADY, Status.SKIPPED}


@dataclass(frozen=True)
class StepOutcome:
    status: Status
    detail: str | None = None


@dataclass(frozen=True)
class NewUser:
    """The confirmed user, from the trigger event."""

    pool_id: str
    username: str
    attributes: Mapping[str, str]

    @property
    def user_id(self) -> str:
        return self.attributes.get("sub") or self.username


@dataclass(frozen=True)
class SignUpOutcome:
    profile: StepOutcome
    group: StepOutcome
    claim: StepOutcome

    @property
    def ok(self) -> bool:
        return self.profile.status.ok and self.group.status.ok and self.claim.status.ok

    def steps(self) -> dict[str, StepOutcome]:
        return {"profile": self.profile, "group": self.group, "claim": self.claim}


def _describe(exc: BaseException) -> str:
    # DependencyError text is ours (operation, table, AWS error code); any other exception's text could carry
    # user data (a parser quoting an address), so only its type is kept.
    return str(exc) if isinstance(exc, DependencyError) else type(exc).__name__


def run_within(steps: Mapping[str, Callable[[], Status]], budget_seconds: float) -> dict[str, StepOutcome]:
    """Run ``steps`` in parallel and wait at most ``budget_seconds`` for all of them.

    Exceptions become ``FAILED`` outcomes; steps still running at the deadline become ``TIMED_OUT`` and are left to
    finish in the background (the pool is not joined: joining would wait for them).
    """
    executor = ThreadPoolExecutor(max_workers=max(1, len(steps)), thread_name_prefix="onboarding")
    try:
        futures: dict[str, Future[Status]] = {name: executor.submit(step) for name, step in steps.items()}
        wait(futures.values(), timeout=max(0.0, budget_seconds))
    finally:
        executor.shutdown(wait=False, cancel_futures=True)
    outcomes: dict[str, StepOutcome] = {}
    for name, future in futures.items():
        if not future.done():
            outcomes[name] = StepOutcome(Status.TIMED_OUT, f"not finished within {budget_seconds:.2f} s")
        elif future.cancelled():
            outcomes[name] = StepOutcome(Status.TIMED_OUT, "not started within the budget")
        elif (error := future.exception()) is not None:
            outcomes[name] = StepOutcome(Status.FAILED, _describe(error))
        else:
            outcomes[name] = StepOutcome(future.result())
    return outcomes


@dataclass(frozen=True)
class Onboarding:
    """The post-confirmation use cases, on injected stores (DynamoDB and Cognito in Lambda, fakes in tests).

    ``role`` and ``default_group`` are server-owned configuration: nothing in the user's attributes can choose them.
    ``canonicalize`` is ``canonical_email`` bound to the sign-up settings, so the profile and the claim use exactly
    the address the pre-sign-up gate claimed.
    """

    profiles: ProfileStore
    groups: GroupMembership
    claims: EmailClaimConfirmer
    canonicalize: Callable[[str], str]
    default_group: str
    role: str
    clock: Callable[[], str] = utc_now

    def confirm_sign_up(self, user: NewUser, budget_seconds: float) -> SignUpOutcome:
        """Create the profile, add the default group and confirm the email claim, in parallel, within the budget."""
        now = self.clock()
        email = user.attributes.get("email", "")

        def profile() -> Status:
            new = profile_from_attributes(
                {**user.attributes, "sub": user.user_id},
                now=now,
                role=self.role,
                canonical_email=self.canonicalize(email) if email else None,
            )
            return Status.DONE if self.profiles.create(new) else Status.ALREADY

        def group() -> Status:
            self.groups.add_to_group(user.pool_id, user.username, self.default_group)
            return Status.DONE

        def claim() -> Status:
            if not email:
                return Status.SKIPPED
            self.claims.confirm(self.canonicalize(email), user.username)
            return Status.DONE

        outcomes = run_within({"profile": profile, "group": group, "claim": claim}, budget_seconds)
        return SignUpOutcome(profile=outcomes["profile"], group=outcomes["group"], claim=outcomes["claim"])

    def record_password_reset(self, user_id: str, budget_seconds: float) -> StepOutcome:
        """Stamp ``passwordResetAt`` (and ``updatedAt``) on the existing profile; ``SKIPPED`` when there is none
        (a password reset never creates a profile: that is the sign-up path's and the repair's job)."""
        now = self.clock()

        def stamp() -> Status:
            return Status.DONE if self.profiles.record_password_reset(user_id, now) else Status.SKIPPED

        return run_within({"reset": stamp}, budget_seconds)["reset"]
