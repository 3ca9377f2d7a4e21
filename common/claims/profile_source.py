"""Profile reads and self-repair writes under a hard deadline, so a slow table degrades claims, never sign-in.

Cognito gives the whole trigger 5 seconds, cold start included, and a failed trigger fails the user's sign-in.
The AWS client's own timeouts (``common.aws.AwsTimeouts``: two attempts of up to 2 s) are sized for writes that
must happen; a claims lookup must not wait that long. Each call runs on a small worker pool and we stop waiting
after ``timeout_seconds`` (the call may finish in the background, which is harmless: reads have no effect and the
repair write is conditional). The store itself is built lazily, outside the deadline, so the event-only path never
imports boto3 and a cold client's set-up is not mistaken for a slow table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, TypeVar

from common.observability import logger, metrics
from common.profiles.model import Profile, ProfileStore

if TYPE_CHECKING:
    from concurrent.futures import Executor

__all__ = ["GuardedProfileStore", "Lookup", "LookupOutcome"]

_T = TypeVar("_T")


class LookupOutcome(Enum):
    FOUND = "found"
    MISSING = "missing"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class Lookup:
    outcome: LookupOutcome
    profile: Profile | None = None


class _UnavailableError(Exception):
    """The store could not answer in time (or at all)."""


class GuardedProfileStore:
    """A :class:`ProfileStore` wrapper whose calls return within a deadline or report ``UNAVAILABLE``."""

    def __init__(
        self,
        factory: Callable[[], ProfileStore],
        timeout_seconds: float,
        executor: Executor | None = None,
    ) -> None:
        self._factory = factory
        self._timeout = timeout_seconds
        self._executor = executor
        self._store: ProfileStore | None = None

    def get(self, user_id: str) -> Lookup:
        """One read of the user's profile."""
        try:
            profile = self._call("get", lambda store: store.get(user_id))
        except _UnavailableError:
            return Lookup(LookupOutcome.UNAVAILABLE)
        return Lookup(LookupOutcome.FOUND, profile) if profile is not None else Lookup(LookupOutcome.MISSING)

    def create(self, profile: Profile) -> bool | None:
        """The store's conditional create: ``True`` created, ``False`` already there, ``None`` unavailable."""
        try:
            return self._call("create", lambda store: store.create(profile))
        except _UnavailableError:
            return None

    def _call(self, operation: str, action: Callable[[ProfileStore], _T]) -> _T:
        try:
            store = self._ensure_store()
            future = self._ensure_executor().submit(action, store)
        except Exception as exc:
            self._report(operation, "setup", exc)
            raise _UnavailableError from exc
        try:
            return future.result(timeout=self._timeout)
        except TimeoutError as exc:  # concurrent.futures.TimeoutError is the built-in one since Python 3.11
            future.cancel()
            self._report(operation, "timeout", exc)
            raise _UnavailableError from exc
        except Exception as exc:
            self._report(operation, "error", exc)
            raise _UnavailableError from exc

    def _ensure_store(self) -> ProfileStore:
        if self._store is None:
            self._store = self._factory()
        return self._store

    def _ensure_executor(self) -> Executor:
        if self._executor is None:
            from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415  (only the profile path needs threads)

            self._executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="profile-lookup")
        return self._executor

    def _report(self, operation: str, reason: str, exc: BaseException) -> None:
        logger.warning(
            "profile store unavailable; claims degrade to the group-derived ones",
            extra={"operation": operation, "reason": reason, "error": type(exc).__name__},
        )
        metrics.add_metric(name="ProfileStoreDegraded", unit="Count", value=1)
