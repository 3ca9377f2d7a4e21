"""The post-confirmation use case on in-memory fakes: exact profiles, idempotent retries, races, failures and the
time budget. No AWS."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from common.errors import DependencyError
from common.profiles.memory import InMemoryProfileStore
from common.profiles.model import Profile
from common.profiles.onboarding import NewUser, Onboarding, Status, StepOutcome, run_within
from tests.profiles_support import Ticking

SUB = "6f5e4d3c-2b1a-4098-8765-43210fedcba9"
ATTRIBUTES = {
    "sub": SUB,
    "email": "  Jane.Doe@Example.COM ",
    "email_verified": "true",
    "name": "Jane Doe",
    "locale": "ko",
    "cognito:user_status": "CONFIRMED",
    "custom:role": "admin",
}
USER = NewUser(pool_id="us-east-1_EXAMPLE11", username=SUB, attributes=ATTRIBUTES)


def canonical(address: str) -> str:
    return address.strip().lower()


@dataclass
class FakeGroups:
    calls: list[tuple[str, str, str]] = field(default_factory=list)
    fail_with: Exception | None = None
    hold: threading.Event | None = None

    def add_to_group(self, pool_id: str, username: str, group: str) -> None:
        if self.hold is not None:
            self.hold.wait(5)
        if self.fail_with is not None:
            raise self.fail_with
        self.calls.append((pool_id, username, group))


@dataclass
class FakeClaims:
    calls: list[tuple[str, str]] = field(default_factory=list)
    fail_with: Exception | None = None

    def confirm(self, canonical: str, user_id: str) -> None:
        if self.fail_with is not None:
            raise self.fail_with
        self.calls.append((canonical, user_id))


@dataclass
class World:
    profiles: InMemoryProfileStore
    groups: FakeGroups
    claims: FakeClaims
    onboarding: Onboarding


@pytest.fixture
def world() -> Iterator[World]:
    profiles, groups, claims = InMemoryProfileStore(), FakeGroups(), FakeClaims()
    onboarding = Onboarding(
        profiles=profiles,
        groups=groups,
        claims=claims,
        canonicalize=canonical,
        default_group="user",
        role="user",
        clock=Ticking(),
    )
    yield World(profiles, groups, claims, onboarding)
    if groups.hold is not None:
        groups.hold.set()


EXPECTED = Profile(
    user_id=SUB,
    email="jane.doe@example.com",
    email_verified=True,
    name="Jane Doe",
    locale="ko",
    role="user",
    created_at="2026-11-26T08:40:17Z",
    updated_at="2026-11-26T08:40:17Z",
)


def test_confirm_sign_up_writes_the_exact_profile_group_and_claim(world: World) -> None:
    outcome = world.onboarding.confirm_sign_up(USER, budget_seconds=2.0)

    assert outcome.steps() == {
        "profile": StepOutcome(Status.DONE),
        "group": StepOutcome(Status.DONE),
        "claim": StepOutcome(Status.DONE),
    }
    assert outcome.ok is True
    assert world.profiles.items == {SUB: EXPECTED}
    assert world.groups.calls == [("us-east-1_EXAMPLE11", SUB, "user")]
    assert world.claims.calls == [("jane.doe@example.com", SUB)]


def test_role_comes_from_configuration_never_from_user_attributes(world: World) -> None:
    world.onboarding.confirm_sign_up(USER, budget_seconds=2.0)
    assert world.profiles.items[SUB].role == "user"  # despite custom:role=admin in the attributes


def test_three_retried_invocations_leave_one_profile_with_the_first_created_at(world: World) -> None:
    statuses = [world.onboarding.confirm_sign_up(USER, budget_seconds=2.0).profile.status for _ in range(3)]

    assert statuses == [Status.DONE, Status.ALREADY, Status.ALREADY]
    assert world.profiles.items == {SUB: EXPECTED}
    # Group membership and the claim are idempotent upstream; repeating them is what makes a retry repair them.
    assert world.groups.calls == [("us-east-1_EXAMPLE11", SUB, "user")] * 3


def test_concurrent_invocations_create_exactly_one_profile(world: World) -> None:
    start = threading.Barrier(12)
    results: list[Status] = []
    lock = threading.Lock()

    def invoke() -> None:
        start.wait()
        status = world.onboarding.confirm_sign_up(USER, budget_seconds=5.0).profile.status
        with lock:
            results.append(status)

    threads = [threading.Thread(target=invoke) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(s.value for s in results) == ["already"] * 11 + ["done"]
    assert list(world.profiles.items) == [SUB]


def test_a_failed_profile_write_is_reported_and_the_other_steps_still_run(world: World) -> None:
    world.profiles.fail_with = DependencyError(
        "DynamoDB PutItem on profiles failed: ProvisionedThroughputExceededException"
    )
    outcome = world.onboarding.confirm_sign_up(USER, budget_seconds=2.0)

    assert outcome.profile == StepOutcome(
        Status.FAILED, "DynamoDB PutItem on profiles failed: ProvisionedThroughputExceededException"
    )
    assert (outcome.group.status, outcome.claim.status) == (Status.DONE, Status.DONE)
    assert outcome.ok is False
    world.profiles.fail_with = None
    assert world.profiles.items == {}


def test_an_unexpected_error_is_described_by_its_type_only(world: World) -> None:
    world.claims.fail_with = ValueError("cannot parse jane.doe@example.com")
    outcome = world.onboarding.confirm_sign_up(USER, budget_seconds=2.0)
    assert outcome.claim == StepOutcome(Status.FAILED, "ValueError")
    assert outcome.ok is False


def test_a_step_still_running_at_the_deadline_times_out_without_blocking_the_others(world: World) -> None:
    world.groups.hold = threading.Event()  # the group call hangs until released
    outcome = world.onboarding.confirm_sign_up(USER, budget_seconds=0.05)

    assert outcome.group == StepOutcome(Status.TIMED_OUT, "not finished within 0.05 s")
    assert outcome.profile.status is Status.DONE
    assert outcome.ok is False
    world.groups.hold.set()


def test_without_an_email_the_claim_is_skipped(world: World) -> None:
    user = NewUser(pool_id="p", username=SUB, attributes={"sub": SUB, "email_verified": "false"})
    outcome = world.onboarding.confirm_sign_up(user, budget_seconds=2.0)
    assert outcome.claim == StepOutcome(Status.SKIPPED)
    assert outcome.ok is True
    assert world.claims.calls == []
    assert world.profiles.items[SUB].email == ""


def test_password_reset_stamps_only_the_reset_and_update_times(world: World) -> None:
    world.profiles.create(EXPECTED)
    outcome = world.onboarding.record_password_reset(SUB, budget_seconds=2.0)

    assert outcome == StepOutcome(Status.DONE)
    assert world.profiles.items == {
        SUB: Profile(
            **{
                **EXPECTED.__dict__,
                "password_reset_at": "2026-11-26T08:40:17Z",
                "updated_at": "2026-11-26T08:40:17Z",
            }
        )
    }
    assert world.groups.calls == []
    assert world.claims.calls == []


def test_password_reset_without_a_profile_is_skipped_and_creates_nothing(world: World) -> None:
    assert world.onboarding.record_password_reset(SUB, budget_seconds=2.0) == StepOutcome(Status.SKIPPED)
    assert world.profiles.items == {}


def test_password_reset_failure_is_an_outcome(world: World) -> None:
    world.profiles.fail_with = DependencyError("DynamoDB UpdateItem on profiles failed: InternalServerError")
    assert world.onboarding.record_password_reset(SUB, budget_seconds=2.0) == StepOutcome(
        Status.FAILED, "DynamoDB UpdateItem on profiles failed: InternalServerError"
    )


def test_run_within_reports_each_step() -> None:
    def boom() -> Status:
        raise DependencyError("Cognito AdminAddUserToGroup failed: TooManyRequestsException")

    assert run_within({"a": lambda: Status.DONE, "b": boom, "c": lambda: Status.SKIPPED}, 1.0) == {
        "a": StepOutcome(Status.DONE),
        "b": StepOutcome(Status.FAILED, "Cognito AdminAddUserToGroup failed: TooManyRequestsException"),
        "c": StepOutcome(Status.SKIPPED),
    }
