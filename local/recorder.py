"""A record of every trigger invocation (event in, result or error out), for tests and developers.

Kept in memory and appended to ``<state dir>/invocations.jsonl``; served at ``GET /_local/invocations``.
"""

from __future__ import annotations

import copy
import json
import threading
from pathlib import Path
from typing import Any

__all__ = ["Recorder"]


class Recorder:
    """Append-only invocation log."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._records: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def add(self, record: dict[str, Any]) -> None:
        """Store one record (deep-copied: later mutation of the event must not change history)."""
        kept = copy.deepcopy(record)
        with self._lock:
            kept["sequence"] = len(self._records) + 1
            self._records.append(kept)
            with self.path.open("a", encoding="utf-8") as stream:
                stream.write(json.dumps(kept, default=str) + "\n")

    def query(self, trigger: str | None = None, user: str | None = None, source: str | None = None) -> list[Any]:
        """Records filtered by trigger name, user (userName or email attribute) and trigger source."""
        with self._lock:
            records = list(self._records)
        return [r for r in records if _matches(r, trigger, user, source)]


def _matches(record: dict[str, Any], trigger: str | None, user: str | None, source: str | None) -> bool:
    event = record.get("event") or {}
    if trigger and record.get("trigger") != trigger:
        return False
    if source and event.get("triggerSource") != source:
        return False
    if user:
        attributes = (event.get("request") or {}).get("userAttributes") or {}
        names = {str(event.get("userName", "")).lower(), str(attributes.get("email", "")).lower()}
        return user.lower() in names
    return True
