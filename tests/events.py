"""Shared Cognito event fixtures: the JSON files in ``events/`` plus keyword overrides."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

EVENTS = Path(__file__).resolve().parent.parent / "events"


def load_event(name: str, **request_overrides: Any) -> dict[str, Any]:
    """A fresh copy of ``events/<name>.json``; keyword arguments replace keys of ``event["request"]``."""
    event: dict[str, Any] = json.loads((EVENTS / f"{name}.json").read_text(encoding="utf-8"))
    event = copy.deepcopy(event)
    event["request"].update(request_overrides)
    return event


def event_names(prefix: str) -> list[str]:
    """Every sample event of one function (``pre-signup``, ``custom-message``...)."""
    return sorted(p.stem for p in EVENTS.glob(f"{prefix}.*.json"))
