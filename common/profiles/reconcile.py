"""``reconcile``: find every confirmed user without a profile (or without the default group) and repair them.

Post-confirmation runs after Cognito has confirmed the user, so a failed write there leaves a confirmed user with no
profile. The next token issuance repairs one user at a time; this command repairs the whole pool:

* pages through the pool with ``ListUsers`` (``PaginationToken``), 60 users a page;
* for each user whose status means "confirmed" (:data:`RECONCILABLE_STATUSES`), checks the profile (``GetItem``) and
  the default-group membership (one ``ListUsersInGroup`` pass up front);
* dry run by default: it only reports. With ``apply`` it creates the missing profiles (the same conditional put as
  post-confirmation, so a racing trigger or a second reconcile never duplicates or overwrites one), adds the missing
  memberships (idempotent in Cognito) and, given the claims table, makes every confirmed user's email claim
  permanent where it is missing or still pending (post-confirmation's claim step can fail on its own, and a pending
  claim expires, freeing the address for a duplicate account). A claim held by another confirmed account is never
  taken: it is reported as a conflict for a human to look at;
* saves a checkpoint after every page (the next pagination token and the running report), so an interrupted run
  continues where it stopped (``resume``); a page cut off halfway is simply done again, which is harmless;
* spaces its Cognito calls with a :class:`RateLimiter`: ``ListUsers``/``ListUsersInGroup`` share the UserList quota
  (30 requests/s per account and region, not raisable, and shared with production traffic).

The report names users by their ``sub`` only, never by email.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from common.errors import AppError, DependencyError
from common.profiles.clock import utc_now
from common.profiles.cognito import MAX_PAGE_SIZE, DirectoryUser, Page
from common.profiles.model import ProfileStore, profile_from_attributes
from common.signup.claim_model import ClaimStatus, ConfirmResult, EmailClaim

__all__ = [
    "MAX_RATE_PER_SECOND",
    "RECONCILABLE_STATUSES",
    "Checkpoint",
    "ClaimLedger",
    "RateLimiter",
    "ReconcileError",
    "Reconciler",
    "Report",
    "UserDirectory",
]

#: Users for whom post-confirmation ran (or, for federated users, never runs): they should have a profile.
#: UNCONFIRMED and FORCE_CHANGE_PASSWORD users have not proven their address or accepted their invitation yet.
RECONCILABLE_STATUSES = frozenset({"CONFIRMED", "EXTERNAL_PROVIDER", "RESET_REQUIRED"})
#: Ceiling for the call rate: stays under the UserList quota of 30 requests/s with room for production traffic.
MAX_RATE_PER_SECOND = 25.0
_FORMAT = 1


class ReconcileError(AppError):
    """The run cannot start or continue (no checkpoint to resume, a checkpoint of another pool or mode...)."""


class ClaimLedger(Protocol):
    """The email claims as reconcile needs them (:class:`common.signup.email_claims.DynamoDbEmailClaims`)."""

    def get(self, email: str) -> EmailClaim | None: ...

    def try_confirm(self, email: str, user_id: str, *, now: str) -> ConfirmResult: ...


class UserDirectory(Protocol):
    """The pool as reconcile sees it (:class:`common.profiles.cognito.CognitoUserDirectory` in production)."""

    pool_id: str

    def list_users(self, token: str | None, limit: int = MAX_PAGE_SIZE) -> Page: ...

    def list_group_members(self, group: str, token: str | None, limit: int = MAX_PAGE_SIZE) -> Page: ...

    def add_to_group(self, username: str, group: str) -> None: ...


class RateLimiter:
    """At most ``per_second`` calls per second, evenly spaced (no bursts: the quota is per second, not per minute).
    Thread-safe; ``clock`` and ``sleep`` are injectable so tests need no real waiting."""

    def __init__(
        self,
        per_second: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not 0 < per_second <= MAX_RATE_PER_SECOND:
            raise ValueError(f"rate must be within (0, {MAX_RATE_PER_SECOND:g}] requests per second")
        self.interval = 1.0 / per_second
        self._clock = clock
        self._sleep = sleep
        self._next: float | None = None
        self._lock = threading.Lock()

    def acquire(self) -> None:
        with self._lock:
            now = self._clock()
            if self._next is not None and now < self._next:
                self._sleep(self._next - now)
                now = self._next
            self._next = now + self.interval


@dataclass
class Report:
    """What a run found and did. It is also the checkpoint: saved after every page, loaded by ``resume``."""

    pool_id: str
    apply: bool
    started_at: str
    pages: int = 0
    complete: bool = False
    next_token: str | None = None
    users: int = 0
    skipped: int = 0  # not in a reconcilable status
    profiles_present: int = 0
    groups_present: int = 0
    claims_checked: bool = False
    claims_present: int = 0
    missing_profiles: list[str] = field(default_factory=list)
    created_profiles: list[str] = field(default_factory=list)
    missing_group: list[str] = field(default_factory=list)
    added_group: list[str] = field(default_factory=list)
    missing_claims: list[str] = field(default_factory=list)  # absent or still pending (it would expire)
    confirmed_claims: list[str] = field(default_factory=list)
    claim_conflicts: list[str] = field(default_factory=list)  # held by another confirmed account: not touched
    failures: list[str] = field(default_factory=list)  # "<sub> <step>: <AWS error>"

    @property
    def eligible(self) -> int:
        return self.users - self.skipped

    def to_json(self) -> dict[str, Any]:
        return {"format": _FORMAT, **asdict(self)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Report:
        if data.get("format") != _FORMAT:
            raise ReconcileError(f"checkpoint format {data.get('format')!r} is not {_FORMAT}")
        values = {k: v for k, v in data.items() if k != "format"}
        try:
            return cls(**values)
        except TypeError as exc:
            raise ReconcileError(f"checkpoint is not a reconcile report: {exc}") from None

    def render(self, default_group: str) -> str:
        """The human-readable report (counts first, then the user ids behind them)."""
        mode = "apply" if self.apply else "dry run (nothing written; pass --apply to repair)"
        state = "complete" if self.complete else "INCOMPLETE: continue with --resume"
        lines = [
            f"reconcile {self.pool_id}: {mode}",
            f"  started {self.started_at}; {self.pages} page(s); {state}",
            f"  users seen: {self.users}; reconcilable: {self.eligible}; skipped (not confirmed): {self.skipped}",
            f"  profiles: {self.profiles_present} present, {len(self.missing_profiles)} missing, "
            f"{len(self.created_profiles)} created",
            f"  group {default_group!r}: {self.groups_present} members, {len(self.missing_group)} missing, "
            f"{len(self.added_group)} added",
            (
                f"  email claims: {self.claims_present} confirmed, {len(self.missing_claims)} missing or pending, "
                f"{len(self.confirmed_claims)} confirmed now, {len(self.claim_conflicts)} held by another account"
                if self.claims_checked
                else "  email claims: not checked (no claims table given)"
            ),
            f"  failures: {len(self.failures)}",
        ]
        for title, ids in (
            ("missing profiles", self.missing_profiles),
            ("created profiles", self.created_profiles),
            ("missing group membership", self.missing_group),
            ("added to group", self.added_group),
            ("missing or pending email claims", self.missing_claims),
            ("email claims confirmed now", self.confirmed_claims),
            ("email held by another confirmed account", self.claim_conflicts),
            ("failures", self.failures),
        ):
            if ids:
                lines.append(f"{title}:")
                lines.extend(f"  {entry}" for entry in ids)
        return "\n".join(lines)


class Checkpoint:
    """The report as a JSON file, replaced atomically (write a temporary file, then rename) so a crash mid-write
    never leaves a half checkpoint."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> Report | None:
        if not self.path.exists():
            return None
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ReconcileError(f"checkpoint {self.path} is not valid JSON: {exc.msg}") from None
        return Report.from_json(data)

    def save(self, report: Report) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(self.path.name + ".tmp")
        temporary.write_text(json.dumps(report.to_json(), indent=1, sort_keys=True), encoding="utf-8")
        os.replace(temporary, self.path)


@dataclass(frozen=True)
class Reconciler:
    """One pool, its profile store and default group. ``claims`` is optional: without a claims table the email
    claims are left alone (and the report says they were not checked)."""

    directory: UserDirectory
    profiles: ProfileStore
    canonicalize: Callable[[str], str]
    default_group: str
    role: str
    limiter: RateLimiter
    claims: ClaimLedger | None = None
    clock: Callable[[], str] = utc_now
    page_size: int = MAX_PAGE_SIZE

    def run(
        self,
        *,
        apply: bool,
        checkpoint: Checkpoint,
        resume: bool = False,
        max_pages: int | None = None,
    ) -> Report:
        """Reconcile from the start, or from ``checkpoint`` when ``resume``; stop after ``max_pages`` pages if given.

        Raises :class:`DependencyError` when listing the pool fails (the checkpoint then holds the last finished
        page) and :class:`ReconcileError` when the checkpoint does not fit this run.
        """
        report = self._start(apply=apply, checkpoint=checkpoint, resume=resume)
        if report.complete:
            return report
        members = self._group_members()
        pages_this_run = 0
        while max_pages is None or pages_this_run < max_pages:
            self.limiter.acquire()
            page = self.directory.list_users(report.next_token, self.page_size)
            for user in page.users:
                self._reconcile_user(user, report, members)
            report.pages += 1
            pages_this_run += 1
            report.next_token = page.next_token
            report.complete = page.next_token is None
            checkpoint.save(report)
            if report.complete:
                break
        return report

    def _start(self, *, apply: bool, checkpoint: Checkpoint, resume: bool) -> Report:
        if not resume:
            return Report(
                pool_id=self.directory.pool_id,
                apply=apply,
                started_at=self.clock(),
                claims_checked=self.claims is not None,
            )
        saved = checkpoint.load()
        if saved is None:
            raise ReconcileError(f"no checkpoint to resume at {checkpoint.path}")
        if saved.pool_id != self.directory.pool_id:
            raise ReconcileError(f"checkpoint {checkpoint.path} belongs to pool {saved.pool_id}")
        if saved.apply != apply:
            mode, wanted = ("an --apply", "with") if saved.apply else ("a dry", "without")
            raise ReconcileError(f"checkpoint {checkpoint.path} is from {mode} run: resume it {wanted} --apply")
        return saved

    def _group_members(self) -> set[str]:
        members: set[str] = set()
        token: str | None = None
        while True:
            self.limiter.acquire()
            page = self.directory.list_group_members(self.default_group, token, self.page_size)
            members.update(user.username for user in page.users)
            token = page.next_token
            if token is None:
                return members

    def _reconcile_user(self, user: DirectoryUser, report: Report, members: set[str]) -> None:
        report.users += 1
        if user.status not in RECONCILABLE_STATUSES:
            report.skipped += 1
            return
        user_id = user.attributes.get("sub") or user.username
        email = user.attributes.get("email", "")
        canonical = self.canonicalize(email) if email else None
        for step, repair in (("profile", self._reconcile_profile), ("claim", self._reconcile_claim)):
            try:
                repair(user, user_id, canonical, report)
            except DependencyError as exc:
                report.failures.append(f"{user_id} {step}: {exc}")
        self._reconcile_group(user, user_id, report, members)

    def _reconcile_group(self, user: DirectoryUser, user_id: str, report: Report, members: set[str]) -> None:
        if user.username in members:
            report.groups_present += 1
            return
        report.missing_group.append(user_id)
        if not report.apply:
            return
        try:
            self.limiter.acquire()
            self.directory.add_to_group(user.username, self.default_group)
        except DependencyError as exc:
            report.failures.append(f"{user_id} group: {exc}")
            return
        members.add(user.username)
        report.added_group.append(user_id)

    def _reconcile_profile(self, user: DirectoryUser, user_id: str, canonical: str | None, report: Report) -> None:
        if self.profiles.get(user_id) is not None:
            report.profiles_present += 1
            return
        report.missing_profiles.append(user_id)
        if not report.apply:
            return
        profile = profile_from_attributes(
            {**user.attributes, "sub": user_id}, now=self.clock(), role=self.role, canonical_email=canonical
        )
        if self.profiles.create(profile):
            report.created_profiles.append(user_id)
        else:  # created meanwhile (the user signed in, or another run): present after all
            report.missing_profiles.remove(user_id)
            report.profiles_present += 1

    def _reconcile_claim(self, user: DirectoryUser, user_id: str, canonical: str | None, report: Report) -> None:
        if self.claims is None or not canonical:
            return
        claim = self.claims.get(canonical)
        if claim is not None and claim.status is ClaimStatus.CONFIRMED:
            if claim.user_name == user.username:
                report.claims_present += 1
            else:
                report.claim_conflicts.append(user_id)
            return
        report.missing_claims.append(user_id)
        if not report.apply:
            return
        # Conditional in the store: confirms a missing claim, our own pending one or another user's pending one
        # (a confirmed account outranks an unconfirmed sign-up), never another confirmed account's.
        if self.claims.try_confirm(canonical, user.username, now=self.clock()) is ConfirmResult.CONFIRMED:
            report.confirmed_claims.append(user_id)
        else:
            report.claim_conflicts.append(user_id)
