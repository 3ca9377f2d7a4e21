"""The claims decision end to end on events, against the in-memory profile store (no AWS)."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest

from common.claims import ClaimsIssuer, ClaimsSettings, GuardedProfileStore
from common.errors import DependencyError
from common.observability import metrics
from common.profiles.memory import InMemoryProfileStore
from common.profiles.model import Profile, ProfileStore
from common.signup.email import canonical_email
from common.signup.settings import SignupSettings
from tests.events import load_event
from tests.profiles_support import emitted_metrics

SUB = "6f5e4d3c-2b1a-4098-8765-43210fedcba9"
NO_ROLE_V2 = {
    "idTokenGeneration": {"claimsToAddOrOverride": {}, "claimsToSuppress": ["role"]},
    "accessTokenGeneration": {
        "claimsToAddOrOverride": {},
        "claimsToSuppress": ["role"],
        "scopesToAdd": [],
        "scopesToSuppress": [],
    },
    "groupOverrideDetails": {"groupsToOverride": [], "iamRolesToOverride": [], "preferredRole": None},
}
USER_V2 = {
    "idTokenGeneration": {"claimsToAddOrOverride": {"role": "user"}, "claimsToSuppress": []},
    "accessTokenGeneration": {
        "claimsToAddOrOverride": {"role": "user"},
        "claimsToSuppress": [],
        "scopesToAdd": ["profile/read", "profile/write"],
        "scopesToSuppress": [],
    },
    "groupOverrideDetails": {"groupsToOverride": [], "iamRolesToOverride": [], "preferredRole": None},
}


class RecordingStore(InMemoryProfileStore):
    """The in-memory store, counting calls (what a DynamoDB store would send over the network)."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []

    def get(self, user_id: str) -> Profile | None:
        self.calls.append("get")
        return super().get(user_id)

    def create(self, profile: Profile) -> bool:
        self.calls.append("create")
        return super().create(profile)


class BlockingStore(RecordingStore):
    """A store whose reads hang until released: a table that stopped answering."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def get(self, user_id: str) -> Profile | None:
        self.release.wait(timeout=10)
        return super().get(user_id)


class Clock:
    def __init__(self) -> None:
        self._ticks: Iterator[int] = itertools.count()

    def __call__(self) -> str:
        return f"2026-11-26T09:00:{next(self._ticks):02d}Z"


def make_issuer(
    store: ProfileStore | None,
    *,
    factory: Callable[[], ProfileStore] | None = None,
    timeout: float = 2.0,  # generous: only the deadline tests want it short (the suite may run on a busy machine)
    **settings: Any,
) -> ClaimsIssuer:
    config = ClaimsSettings(profile_table_name="profiles", profile_timeout_seconds=timeout, **settings)
    guarded = None
    if store is not None or factory is not None:
        guarded = GuardedProfileStore(factory or (lambda: store), timeout)  # type: ignore[arg-type,return-value]
    signup = SignupSettings()
    return ClaimsIssuer(config, guarded, lambda address: canonical_email(address, signup), clock=Clock())


def event_without_groups(name: str = "pre-token-generation.authentication", **attributes: str) -> dict[str, Any]:
    event = load_event(name)
    event["request"]["groupConfiguration"]["groupsToOverride"] = []
    event["request"]["userAttributes"].update(attributes)
    return event


def stored_profile(role: str = "user") -> Profile:
    return Profile(
        user_id=SUB,
        email="jane.doe@example.com",
        email_verified=True,
        name="Jane Doe",
        locale="en",
        role=role,
        created_at="2026-11-01T00:00:00Z",
        updated_at="2026-11-01T00:00:00Z",
    )


def issue(issuer: ClaimsIssuer, event: dict[str, Any]) -> Mapping[str, Any]:
    issuer.issue(event)
    details: Mapping[str, Any] = event["response"]["claimsAndScopeOverrideDetails"]
    return details


def test_groups_decide_without_building_or_calling_the_store() -> None:
    built: list[int] = []

    def factory() -> ProfileStore:
        built.append(1)
        return RecordingStore()

    details = issue(make_issuer(None, factory=factory), load_event("pre-token-generation.authentication"))
    assert details["idTokenGeneration"] == {"claimsToAddOrOverride": {"role": "admin"}, "claimsToSuppress": []}
    assert built == []


def test_a_planted_custom_role_is_suppressed_and_ignored() -> None:
    store = RecordingStore()
    event = load_event("pre-token-generation.hosted-auth")
    event["request"]["userAttributes"].update({"custom:role": "admin", "custom:tenant": "acme", "custom:plan": "pro"})
    details = issue(make_issuer(store, trusted_custom_attributes=frozenset({"custom:plan"})), event)
    assert details == {
        "idTokenGeneration": {
            "claimsToAddOrOverride": {"role": "user"},
            "claimsToSuppress": ["custom:role", "custom:tenant"],
        },
        "accessTokenGeneration": {
            "claimsToAddOrOverride": {"role": "user"},
            "claimsToSuppress": ["custom:role", "custom:tenant"],
            "scopesToAdd": ["profile/read", "profile/write"],
            "scopesToSuppress": [],
        },
        "groupOverrideDetails": {"groupsToOverride": ["user"], "iamRolesToOverride": [], "preferredRole": None},
    }
    assert store.calls == []


def test_extra_suppressed_claims_are_always_suppressed() -> None:
    event = load_event("pre-token-generation.hosted-auth")
    details = issue(make_issuer(None, extra_suppressed_claims=("legacy_role",)), event)
    assert details["idTokenGeneration"]["claimsToSuppress"] == ["legacy_role"]


def test_without_a_role_group_the_profile_is_read_once() -> None:
    store = RecordingStore()
    store.items[SUB] = stored_profile("user")
    assert issue(make_issuer(store), event_without_groups()) == USER_V2
    assert store.calls == ["get"]


def test_the_profile_cannot_grant_admin_by_default() -> None:
    store = RecordingStore()
    store.items[SUB] = stored_profile("admin")
    assert issue(make_issuer(store), event_without_groups()) == USER_V2


def test_the_profile_may_grant_up_to_the_configured_ceiling() -> None:
    store = RecordingStore()
    store.items[SUB] = stored_profile("admin")
    details = issue(make_issuer(store, profile_max_role="admin"), event_without_groups())
    assert details["accessTokenGeneration"]["claimsToAddOrOverride"] == {"role": "admin"}
    assert details["accessTokenGeneration"]["scopesToAdd"] == ["admin/users", "profile/read", "profile/write"]


def test_an_unknown_profile_role_gives_no_role() -> None:
    store = RecordingStore()
    store.items[SUB] = stored_profile("superuser")
    assert issue(make_issuer(store), event_without_groups()) == NO_ROLE_V2


def test_a_missing_profile_is_created_once_across_retries() -> None:
    store = RecordingStore()
    issuer = make_issuer(store)
    for _ in range(3):  # Cognito's retries of one sign-in
        assert issue(issuer, event_without_groups(email="Jane.Doe@Example.COM")) == USER_V2
    assert store.items == {
        SUB: Profile(
            user_id=SUB,
            email="jane.doe@example.com",
            email_verified=True,
            name="Jane Doe",
            locale="en",
            role="user",
            created_at="2026-11-26T09:00:00Z",
            updated_at="2026-11-26T09:00:00Z",
        ),
    }
    assert store.calls == ["get", "create", "get", "get"]


def test_concurrent_retries_create_one_profile() -> None:
    store = RecordingStore()
    issuer = make_issuer(store)
    barrier = threading.Barrier(8)
    results: list[Mapping[str, Any]] = []

    def sign_in() -> None:
        event = event_without_groups()
        barrier.wait()
        results.append(issue(issuer, event))

    threads = [threading.Thread(target=sign_in) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [USER_V2] * 8
    assert list(store.items) == [SUB]
    assert store.calls.count("create") >= 1
    assert store.items[SUB].created_at in {f"2026-11-26T09:00:{i:02d}Z" for i in range(8)}


@pytest.mark.parametrize("status", ["UNCONFIRMED", "FORCE_CHANGE_PASSWORD", "RESET_REQUIRED", None])
def test_only_confirmed_users_are_repaired(status: str | None) -> None:
    store = RecordingStore()
    event = event_without_groups()
    if status is None:
        del event["request"]["userAttributes"]["cognito:user_status"]
    else:
        event["request"]["userAttributes"]["cognito:user_status"] = status
    assert issue(make_issuer(store), event) == NO_ROLE_V2
    assert store.items == {}
    assert store.calls == ["get"]


def test_a_federated_user_is_repaired() -> None:
    store = RecordingStore()
    issue(make_issuer(store), event_without_groups(**{"cognito:user_status": "EXTERNAL_PROVIDER"}))
    assert store.items[SUB].role == "user"


def test_a_failing_store_degrades_to_group_claims() -> None:
    store = RecordingStore()
    store.fail_with = DependencyError("DynamoDB GetItem on profiles failed: ProvisionedThroughputExceededException")
    assert issue(make_issuer(store), event_without_groups()) == NO_ROLE_V2


def test_a_failing_repair_write_degrades_to_group_claims() -> None:
    class FailingCreate(RecordingStore):
        def create(self, profile: Profile) -> bool:
            raise DependencyError("DynamoDB PutItem on profiles failed: InternalServerError")

    assert issue(make_issuer(FailingCreate()), event_without_groups()) == NO_ROLE_V2


def test_a_hanging_store_degrades_after_the_deadline() -> None:
    store = BlockingStore()
    store.items[SUB] = stored_profile("user")
    try:
        assert issue(make_issuer(store, timeout=0.05), event_without_groups()) == NO_ROLE_V2
    finally:
        store.release.set()


def test_a_store_that_cannot_be_built_degrades() -> None:
    def factory() -> ProfileStore:
        raise RuntimeError("no credentials")

    assert issue(make_issuer(None, factory=factory), event_without_groups()) == NO_ROLE_V2


def test_without_a_profile_table_groups_are_all_there_is() -> None:
    issuer = ClaimsIssuer(ClaimsSettings(), None, lambda address: address)
    assert issue(issuer, event_without_groups()) == NO_ROLE_V2


def test_a_machine_token_is_left_as_cognito_sent_it() -> None:
    event = load_event("pre-token-generation.client-credentials.v3")
    before = load_event("pre-token-generation.client-credentials.v3")
    make_issuer(RecordingStore()).issue(event)
    assert event == before


def test_building_the_store_does_not_count_against_the_deadline() -> None:
    """A cold start builds the AWS client before the first read; that set-up is not a slow table."""
    store = RecordingStore()
    store.items[SUB] = stored_profile("user")
    release = threading.Event()

    def slow_factory() -> ProfileStore:
        release.wait(timeout=0.2)  # longer than the 0.05 s deadline below
        return store

    assert issue(make_issuer(None, factory=slow_factory, timeout=0.05), event_without_groups()) == USER_V2
    assert store.calls == ["get"]


@pytest.fixture
def fresh_metrics() -> Iterator[Any]:
    metrics.clear_metrics()
    yield metrics
    metrics.clear_metrics()


def test_degradation_repair_and_planted_claims_are_counted(fresh_metrics: Any) -> None:
    failing = RecordingStore()
    failing.fail_with = DependencyError("DynamoDB GetItem on profiles failed: InternalServerError")
    issue(make_issuer(failing), event_without_groups(**{"custom:role": "admin"}))
    assert emitted_metrics(fresh_metrics) == {"PlantedClaimsSuppressed": [1.0], "ProfileStoreDegraded": [1.0]}

    fresh_metrics.clear_metrics()
    issue(make_issuer(RecordingStore()), event_without_groups())
    assert emitted_metrics(fresh_metrics) == {"ProfileRepaired": [1.0]}
