"""Which event each function is measured with.

A function's sample events live in ``events/<prefix>.*.json`` where the prefix is its handler module's name with
dashes (``triggers.pre_signup`` → ``pre-signup``). The first scenario of a function is its *primary* one: the
event its cold start is measured with (the common path: a sign-up, a sign-in). Further scenarios only get a warm
measurement, so a path with different AWS calls (the pre-token path that must read the profile) has its own number.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Scenario", "api_event", "event_prefix", "scenarios_for"]

Event = dict[str, Any]


@dataclass(frozen=True)
class Scenario:
    """One named event for one function."""

    name: str
    event: Event


def event_prefix(module: str) -> str:
    """``triggers.pre_token_generation`` → ``pre-token-generation``; ``api.app`` → ``api``."""
    parts = module.split(".")
    if parts[0] == "api":
        return "api"
    return parts[-1].replace("_", "-")


def _load(events_dir: Path, name: str) -> Event | None:
    path = events_dir / f"{name}.json"
    if not path.exists():
        return None
    event: Event = json.loads(path.read_text(encoding="utf-8"))
    return event


def _without_groups(event: Event) -> Event:
    """The same sign-in for a user Cognito reports no groups for: claims must come from the profile table."""
    variant = copy.deepcopy(event)
    groups = variant["request"].setdefault("groupConfiguration", {})
    groups["groupsToOverride"] = []
    return variant


def api_event(method: str = "GET", path: str = "/me") -> Event:
    """An API Gateway HTTP API (payload 2.0) request with a verified JWT, as the authorizer hands it over."""
    return {
        "version": "2.0",
        "routeKey": f"{method} {path}",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {
            "accept": "application/json",
            "authorization": "Bearer bench.jwt.token",
            "content-length": "0",
            "host": "abc123.execute-api.us-east-1.amazonaws.com",
            "user-agent": "bench",
            "x-forwarded-for": "203.0.113.10",
        },
        "requestContext": {
            "accountId": "000000000000",
            "apiId": "abc123",
            "authorizer": {
                "jwt": {
                    "claims": {
                        "sub": "6f5e4d3c-2b1a-4098-8765-43210fedcba9",
                        "cognito:groups": "[user]",
                        "client_id": "benchclient0000000000000000",
                        "token_use": "access",
                        "username": "6f5e4d3c-2b1a-4098-8765-43210fedcba9",
                        "role": "user",
                        "scope": "aws.cognito.signin.user.admin",
                    },
                    "scopes": None,
                }
            },
            "domainName": "abc123.execute-api.us-east-1.amazonaws.com",
            "domainPrefix": "abc123",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.10",
                "userAgent": "bench",
            },
            "requestId": "bench-request-0000",
            "routeKey": f"{method} {path}",
            "stage": "$default",
            "time": "26/Nov/2026:08:00:00 +0000",
            "timeEpoch": 1795680000000,
        },
        "isBase64Encoded": False,
    }


# (scenario name, event file, transform) per event prefix; the first entry is the primary scenario.
_KNOWN: dict[str, list[tuple[str, str, Callable[[Event], Event] | None]]] = {
    "pre-signup": [("sign-up", "pre-signup.sign-up", None)],
    "post-confirmation": [
        ("confirm-sign-up", "post-confirmation.confirm-sign-up", None),
        ("confirm-forgot-password", "post-confirmation.confirm-forgot-password", None),
    ],
    "pre-token-generation": [
        ("event-only", "pre-token-generation.authentication", None),
        ("profile-read", "pre-token-generation.authentication", _without_groups),
    ],
    "custom-message": [
        ("sign-up", "custom-message.sign-up", None),
        ("forgot-password", "custom-message.forgot-password", None),
    ],
}


def scenarios_for(module: str, events_dir: Path) -> list[Scenario]:
    """The scenarios of one handler module (empty when it has no sample event yet)."""
    prefix = event_prefix(module)
    found: list[Scenario] = []
    for name, file, transform in _KNOWN.get(prefix, []):
        event = _load(events_dir, file)
        if event is not None:
            found.append(Scenario(name, transform(event) if transform else event))
    if found:
        return found
    if prefix == "api":
        files = sorted(events_dir.glob("api*.json"))
        if files:
            first = json.loads(files[0].read_text(encoding="utf-8"))
            return [Scenario(files[0].stem.removeprefix("api.") or "api", first)]
        return [Scenario("get-me", api_event())]
    files = sorted(events_dir.glob(f"{prefix}.*.json"))
    return [Scenario(files[0].stem.split(".", 1)[1], json.loads(files[0].read_text(encoding="utf-8")))] if files else []
