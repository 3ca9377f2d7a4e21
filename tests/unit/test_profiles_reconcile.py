"""reconcile on an in-memory pool and the in-memory profile store: dry run changes nothing, apply repairs exactly
what is missing, runs are repeatable, resumable from the checkpoint, and rate-limited. No AWS."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from common.errors import DependencyError
from common.profiles.cognito import DirectoryUser, Page
from common.profiles.memory import InMemoryProfileStore
from common.profiles.model import Profile
from common.profiles.reconcile import Checkpoint, RateLimiter, ReconcileError, Reconciler, Report
from common.profiles.reconcile_cli import EXIT_FAILURES, EXIT_INCOMPLETE, EXIT_OK, EXIT_USAGE, main
from common.signup.claim_model import ClaimStatus, ConfirmResult, EmailClaim

POOL = "us-east-1_EXAMPLE11"
NOW = "2026-11-26T09:00:00Z"


def user(n: int, status: str = "CONFIRMED", email: str | None = None) -> DirectoryUser:
    sub = f"00000000-0000-4000-8000-00000000000{n}"
    return DirectoryUser(
        username=sub,
        status=status,
        enabled=True,
        attributes={
            "sub": sub,
            "email": email or f"User{n}@Example.com",
            "email_verified": "true",
            "name": f"User {n}",
        },
    )


def existing_profile(u: DirectoryUser) -> Profile:
    return Profile(
        user_id=u.username,
        email=u.attributes["email"].lower(),
        email_verified=True,
        name=u.attributes["name"],
        locale=None,
        role="user",
        created_at="2026-01-01T00:00:00Z",
        updated_at="2026-01-01T00:00:00Z",
    )


@dataclass
class FakePool:
    """ListUsers / ListUsersInGroup / AdminAddUserToGroup over a list, with opaque page tokens."""

    users: list[DirectoryUser]
    groups: dict[str, set[str]] = field(default_factory=dict)
    pool_id: str = POOL
    calls: list[tuple[str, str | None]] = field(default_factory=list)
    fail_on_token: str | None = None

    def _page(self, users: list[DirectoryUser], token: str | None, limit: int) -> Page:
        start = int(token[1:]) if token else 0
        chunk = tuple(users[start : start + limit])
        following = start + limit
        return Page(users=chunk, next_token=f"t{following}" if following < len(users) else None)

    def list_users(self, token: str | None, limit: int = 60) -> Page:
        self.calls.append(("ListUsers", token))
        if token is not None and token == self.fail_on_token:
            raise DependencyError("Cognito ListUsers failed: TooManyRequestsException")
        return self._page(self.users, token, limit)

    def list_group_members(self, group: str, token: str | None, limit: int = 60) -> Page:
        self.calls.append(("ListUsersInGroup", token))
        members = [u for u in self.users if u.username in self.groups.get(group, set())]
        return self._page(members, token, limit)

    def add_to_group(self, username: str, group: str) -> None:
        self.calls.append(("AdminAddUserToGroup", username))
        self.groups.setdefault(group, set()).add(username)


@dataclass
class FakeClaims:
    """The claims table's observable behaviour: try_confirm takes a missing or pending claim, never another
    confirmed account's."""

    items: dict[str, EmailClaim] = field(default_factory=dict)
    confirms: list[tuple[str, str]] = field(default_factory=list)

    def get(self, email: str) -> EmailClaim | None:
        return self.items.get(email)

    def try_confirm(self, email: str, user_id: str, *, now: str) -> ConfirmResult:
        self.confirms.append((email, user_id))
        held = self.items.get(email)
        if held is not None and held.status is ClaimStatus.CONFIRMED and held.user_name != user_id:
            return ConfirmResult.CONFLICT
        self.items[email] = EmailClaim(email, user_id, ClaimStatus.CONFIRMED, "reconcile", now, None, now)
        return ConfirmResult.CONFIRMED


def claim(u: DirectoryUser | str, status: ClaimStatus, email: str | None = None) -> EmailClaim:
    holder = u if isinstance(u, str) else u.username
    address = email or (u.attributes["email"].lower() if isinstance(u, DirectoryUser) else "")
    expires = 1_795_000_000 if status is ClaimStatus.PENDING else None
    return EmailClaim(address, holder, status, "PreSignUp_SignUp", "2026-01-01T00:00:00Z", expires)


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


U1, U2, U3, U4, U5, U6 = (user(n) for n in range(1, 7))
UNCONFIRMED = user(7, status="UNCONFIRMED")
INVITED = user(8, status="FORCE_CHANGE_PASSWORD")


@dataclass
class World:
    pool: FakePool
    store: InMemoryProfileStore
    claims: FakeClaims
    time: FakeTime
    reconciler: Reconciler
    checkpoint: Checkpoint


@pytest.fixture
def world(tmp_path: Path) -> World:
    # U2 and U5 have no profile; U4 is not in the default group; the last two are not confirmed.
    pool = FakePool(
        users=[U1, U2, U3, UNCONFIRMED, U4, U5, U6, INVITED],
        groups={"user": {U1.username, U2.username, U3.username, U5.username, U6.username}},
    )
    store = InMemoryProfileStore()
    for u in (U1, U3, U4, U6):
        store.create(existing_profile(u))
    # Claims: U1 and U4 confirmed; U2 (no profile) and U6 (profile, but its claim step failed) still pending; U5
    # none; U3's address held by another confirmed account.
    claims = FakeClaims(
        items={
            c.email: c
            for c in (
                claim(U1, ClaimStatus.CONFIRMED),
                claim(U2, ClaimStatus.PENDING),
                claim("someone-else", ClaimStatus.CONFIRMED, "user3@example.com"),
                claim(U4, ClaimStatus.CONFIRMED),
                claim(U6, ClaimStatus.PENDING),
            )
        }
    )
    fake_time = FakeTime()
    reconciler = Reconciler(
        directory=pool,
        profiles=store,
        canonicalize=lambda address: address.strip().lower(),
        default_group="user",
        role="user",
        limiter=RateLimiter(10, clock=fake_time.clock, sleep=fake_time.sleep),
        claims=claims,
        clock=lambda: NOW,
        page_size=3,
    )
    return World(pool, store, claims, fake_time, reconciler, Checkpoint(tmp_path / "checkpoint.json"))


def test_dry_run_reports_what_is_missing_and_changes_nothing(world: World) -> None:
    before = dict(world.store.items)

    report = world.reconciler.run(apply=False, checkpoint=world.checkpoint)

    assert report == Report(
        pool_id=POOL,
        apply=False,
        started_at=NOW,
        pages=3,
        complete=True,
        next_token=None,
        users=8,
        skipped=2,
        profiles_present=4,
        groups_present=5,
        claims_checked=True,
        claims_present=2,
        missing_profiles=[U2.username, U5.username],
        created_profiles=[],
        missing_group=[U4.username],
        added_group=[],
        missing_claims=[U2.username, U5.username, U6.username],
        confirmed_claims=[],
        claim_conflicts=[U3.username],
        failures=[],
    )
    assert world.store.items == before
    assert world.claims.confirms == []
    assert [c for c in world.pool.calls if c[0] == "AdminAddUserToGroup"] == []


def test_apply_creates_exactly_the_missing_profiles_and_memberships(world: World) -> None:
    report = world.reconciler.run(apply=True, checkpoint=world.checkpoint)

    assert report.created_profiles == [U2.username, U5.username]
    assert report.added_group == [U4.username]
    assert report.confirmed_claims == [U2.username, U5.username, U6.username]
    assert report.claim_conflicts == [U3.username]
    assert report.failures == []
    assert world.store.items[U2.username] == Profile(
        user_id=U2.username,
        email="user2@example.com",
        email_verified=True,
        name="User 2",
        locale=None,
        role="user",
        created_at=NOW,
        updated_at=NOW,
    )
    assert set(world.store.items) == {u.username for u in (U1, U2, U3, U4, U5, U6)}  # none for the unconfirmed
    assert world.store.items[U1.username] == existing_profile(U1)  # existing profiles untouched
    assert world.pool.groups["user"] == {u.username for u in (U1, U2, U3, U4, U5, U6)}
    assert {email: (c.user_name, c.status, c.expires_at) for email, c in world.claims.items.items()} == {
        "user1@example.com": (U1.username, ClaimStatus.CONFIRMED, None),
        "user2@example.com": (U2.username, ClaimStatus.CONFIRMED, None),
        "user3@example.com": ("someone-else", ClaimStatus.CONFIRMED, None),  # never taken from its holder
        "user4@example.com": (U4.username, ClaimStatus.CONFIRMED, None),
        "user5@example.com": (U5.username, ClaimStatus.CONFIRMED, None),
        "user6@example.com": (U6.username, ClaimStatus.CONFIRMED, None),
    }


def test_a_second_apply_run_finds_nothing_to_do(world: World) -> None:
    world.reconciler.run(apply=True, checkpoint=world.checkpoint)
    snapshot = dict(world.store.items)

    again = world.reconciler.run(apply=True, checkpoint=world.checkpoint)

    assert (again.missing_profiles, again.created_profiles, again.missing_group, again.added_group) == ([], [], [], [])
    assert (again.profiles_present, again.groups_present) == (6, 6)
    assert (again.claims_present, again.missing_claims, again.confirmed_claims) == (5, [], [])
    assert again.claim_conflicts == [U3.username]  # still reported, still not taken
    assert world.store.items == snapshot


def test_without_a_claims_table_claims_are_not_checked(world: World) -> None:
    reconciler = Reconciler(**{**world.reconciler.__dict__, "claims": None})
    report = reconciler.run(apply=True, checkpoint=world.checkpoint)
    assert (report.claims_checked, report.missing_claims, report.confirmed_claims) == (False, [], [])
    assert "  email claims: not checked (no claims table given)" in report.render("user").splitlines()
    assert world.claims.confirms == []


def test_a_failing_claims_table_is_a_per_user_failure(world: World) -> None:
    class Down(FakeClaims):
        def get(self, email: str) -> EmailClaim | None:
            raise DependencyError("reading an email claim failed: ClientError")

    reconciler = Reconciler(**{**world.reconciler.__dict__, "claims": Down()})
    report = reconciler.run(apply=True, checkpoint=world.checkpoint)
    assert report.failures == [
        f"{u.username} claim: reading an email claim failed: ClientError" for u in (U1, U2, U3, U4, U5, U6)
    ]
    assert report.created_profiles == [U2.username, U5.username]  # the other repairs still happen
    assert report.added_group == [U4.username]


def test_a_profile_created_meanwhile_is_counted_present_not_created(world: World) -> None:
    class RacingStore(InMemoryProfileStore):
        def get(self, user_id: str) -> Profile | None:
            found = super().get(user_id)
            if found is None and user_id == U2.username:  # the user signs in between our read and our write
                self.create(existing_profile(U2))
            return found

    store = RacingStore()
    for u in (U1, U3, U4, U6):
        store.create(existing_profile(u))
    reconciler = Reconciler(**{**world.reconciler.__dict__, "profiles": store})

    report = reconciler.run(apply=True, checkpoint=world.checkpoint)

    assert report.missing_profiles == [U5.username]
    assert report.created_profiles == [U5.username]
    assert store.items[U2.username] == existing_profile(U2)


def test_an_interrupted_run_resumes_from_the_checkpoint(world: World) -> None:
    world.pool.fail_on_token = "t6"  # the third page fails
    with pytest.raises(DependencyError):
        world.reconciler.run(apply=True, checkpoint=world.checkpoint)

    saved = world.checkpoint.load()
    assert saved is not None
    assert (saved.pages, saved.next_token, saved.complete) == (2, "t6", False)
    assert saved.created_profiles == [U2.username, U5.username]

    world.pool.fail_on_token = None
    world.pool.calls.clear()
    report = world.reconciler.run(apply=True, checkpoint=world.checkpoint, resume=True)

    assert [c for c in world.pool.calls if c[0] == "ListUsers"] == [("ListUsers", "t6")]
    assert (report.pages, report.complete, report.next_token, report.users) == (3, True, None, 8)
    assert report.created_profiles == [U2.username, U5.username]
    assert report.added_group == [U4.username]
    completed = world.checkpoint.load()
    assert completed == report


def test_max_pages_stops_early_and_resume_finishes(world: World) -> None:
    first = world.reconciler.run(apply=False, checkpoint=world.checkpoint, max_pages=1)
    assert (first.pages, first.complete, first.next_token, first.users) == (1, False, "t3", 3)

    second = world.reconciler.run(apply=False, checkpoint=world.checkpoint, resume=True)
    assert (second.pages, second.complete, second.users) == (3, True, 8)
    assert second.missing_profiles == [U2.username, U5.username]


def test_resuming_a_complete_run_does_nothing(world: World) -> None:
    done = world.reconciler.run(apply=False, checkpoint=world.checkpoint)
    world.pool.calls.clear()
    assert world.reconciler.run(apply=False, checkpoint=world.checkpoint, resume=True) == done
    assert world.pool.calls == []


def test_resume_refuses_a_missing_or_foreign_checkpoint(world: World) -> None:
    with pytest.raises(ReconcileError, match="no checkpoint to resume"):
        world.reconciler.run(apply=False, checkpoint=world.checkpoint, resume=True)

    world.checkpoint.save(Report(pool_id="us-east-1_OTHER", apply=False, started_at=NOW, next_token="t3"))
    with pytest.raises(ReconcileError, match="belongs to pool us-east-1_OTHER"):
        world.reconciler.run(apply=False, checkpoint=world.checkpoint, resume=True)

    world.checkpoint.save(Report(pool_id=POOL, apply=False, started_at=NOW, next_token="t3"))
    with pytest.raises(ReconcileError, match="is from a dry run: resume it without --apply"):
        world.reconciler.run(apply=True, checkpoint=world.checkpoint, resume=True)

    world.checkpoint.path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ReconcileError, match="not valid JSON"):
        world.reconciler.run(apply=False, checkpoint=world.checkpoint, resume=True)


def test_failures_are_reported_per_user_and_the_run_goes_on(world: World) -> None:
    class FailingOnU2(InMemoryProfileStore):
        def create(self, profile: Profile) -> bool:
            if profile.user_id == U2.username:
                raise DependencyError("DynamoDB PutItem on profiles failed: ProvisionedThroughputExceededException")
            return super().create(profile)

    store = FailingOnU2()
    for u in (U1, U3, U4, U6):
        store.create(existing_profile(u))
    reconciler = Reconciler(**{**world.reconciler.__dict__, "profiles": store})

    report = reconciler.run(apply=True, checkpoint=world.checkpoint)

    assert report.failures == [
        f"{U2.username} profile: DynamoDB PutItem on profiles failed: ProvisionedThroughputExceededException"
    ]
    assert report.created_profiles == [U5.username]
    assert report.complete is True


def test_every_cognito_call_waits_for_the_rate_limiter(world: World) -> None:
    world.reconciler.run(apply=True, checkpoint=world.checkpoint)
    cognito_calls = len(world.pool.calls)  # 2 group pages + 3 user pages + 1 AdminAddUserToGroup
    assert cognito_calls == 6
    # The first call goes at once; each later one waits out the 0.1 s spacing (the fake clock only moves by sleep).
    assert world.time.sleeps == [0.1] * (cognito_calls - 1)


def test_rate_limiter_spaces_calls_and_refuses_rates_near_the_quota() -> None:
    fake = FakeTime()
    limiter = RateLimiter(20, clock=fake.clock, sleep=fake.sleep)
    limiter.acquire()
    fake.now += 0.2  # slow work in between: no wait needed
    limiter.acquire()
    fake.now += 0.01
    limiter.acquire()
    assert fake.sleeps == [0.04]
    with pytest.raises(ValueError, match="rate must be within"):
        RateLimiter(30)
    with pytest.raises(ValueError, match="rate must be within"):
        RateLimiter(0)


def test_the_report_names_users_by_id_never_by_email(world: World) -> None:
    report = world.reconciler.run(apply=True, checkpoint=world.checkpoint)
    text = report.render("user")
    assert "@" not in text
    assert "@" not in world.checkpoint.path.read_text(encoding="utf-8")
    assert text.splitlines()[:8] == [
        f"reconcile {POOL}: apply",
        f"  started {NOW}; 3 page(s); complete",
        "  users seen: 8; reconcilable: 6; skipped (not confirmed): 2",
        "  profiles: 4 present, 2 missing, 2 created",
        "  group 'user': 5 members, 1 missing, 1 added",
        "  email claims: 2 confirmed, 3 missing or pending, 3 confirmed now, 1 held by another account",
        "  failures: 0",
        "missing profiles:",
    ]


# ----------------------------------------------------------------- command line


def test_cli_dry_run_prints_the_report_and_exits_zero(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    before = dict(world.store.items)
    code = main(["--checkpoint", str(world.checkpoint.path)], reconciler=world.reconciler)
    out = capsys.readouterr().out
    assert code == EXIT_OK
    assert out.startswith(f"reconcile {POOL}: dry run (nothing written; pass --apply to repair)\n")
    assert f"  {U2.username}\n" in out
    assert world.store.items == before


def test_cli_apply_json_and_exit_codes(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--checkpoint", str(world.checkpoint.path), "--apply", "--json"], reconciler=world.reconciler)
    data = json.loads(capsys.readouterr().out)
    assert code == EXIT_OK
    assert (data["created_profiles"], data["added_group"], data["complete"]) == (
        [U2.username, U5.username],
        [U4.username],
        True,
    )


def test_cli_incomplete_and_resume(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--checkpoint", str(world.checkpoint.path)]
    assert main([*args, "--max-pages", "1"], reconciler=world.reconciler) == EXIT_INCOMPLETE
    assert "continue with --resume" in capsys.readouterr().err
    assert main([*args, "--resume"], reconciler=world.reconciler) == EXIT_OK
    world.pool.fail_on_token = "t3"
    assert main(args, reconciler=world.reconciler) == EXIT_INCOMPLETE
    assert "TooManyRequestsException" in capsys.readouterr().err


def test_cli_usage_errors(world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--checkpoint", str(tmp_path / "none.json"), "--resume"], reconciler=world.reconciler) == EXIT_USAGE
    assert "no checkpoint to resume" in capsys.readouterr().err


def test_cli_reports_failures_with_exit_one(world: World) -> None:
    world.store.fail_with = DependencyError("DynamoDB GetItem on profiles failed: InternalServerError")
    assert main(["--checkpoint", str(world.checkpoint.path)], reconciler=world.reconciler) == EXIT_FAILURES
