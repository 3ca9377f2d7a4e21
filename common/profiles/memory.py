"""An in-memory :class:`ProfileStore` with the same observable behaviour as the DynamoDB one, for tests."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Mapping

from common.profiles.model import EDITABLE_FIELDS, Profile

__all__ = ["InMemoryProfileStore"]


class InMemoryProfileStore:
    """Thread-safe dictionary of profiles; ``fail_with`` makes every call raise (fault-injection in tests)."""

    def __init__(self) -> None:
        self.items: dict[str, Profile] = {}
        self.fail_with: Exception | None = None
        self._lock = threading.Lock()

    def _check(self) -> None:
        if self.fail_with is not None:
            raise self.fail_with

    def get(self, user_id: str) -> Profile | None:
        self._check()
        return self.items.get(user_id)

    def create(self, profile: Profile) -> bool:
        self._check()
        with self._lock:
            if profile.user_id in self.items:
                return False
            self.items[profile.user_id] = profile
            return True

    def record_password_reset(self, user_id: str, at: str) -> bool:
        self._check()
        with self._lock:
            current = self.items.get(user_id)
            if current is None:
                return False
            self.items[user_id] = dataclasses.replace(current, password_reset_at=at, updated_at=at)
            return True

    def update(self, user_id: str, changes: Mapping[str, str | None], at: str) -> Profile | None:
        unknown = set(changes) - EDITABLE_FIELDS
        if unknown:
            raise ValueError(f"fields not editable: {sorted(unknown)}")
        self._check()
        with self._lock:
            current = self.items.get(user_id)
            if current is None:
                return None
            updated = dataclasses.replace(current, updated_at=at, **changes)  # type: ignore[arg-type]
            self.items[user_id] = updated
            return updated
