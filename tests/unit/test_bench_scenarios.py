"""Which events the benchmark uses per function."""

from __future__ import annotations

import json
from pathlib import Path

from bench.scenarios import api_event, event_prefix, scenarios_for

EVENTS = Path(__file__).resolve().parents[2] / "events"


def test_event_prefix_follows_the_module_name() -> None:
    assert event_prefix("triggers.pre_token_generation") == "pre-token-generation"
    assert event_prefix("triggers.custom_message") == "custom-message"
    assert event_prefix("api.app") == "api"


def test_pre_token_generation_has_an_event_only_and_a_profile_read_scenario() -> None:
    scenarios = scenarios_for("triggers.pre_token_generation", EVENTS)
    assert [s.name for s in scenarios] == ["event-only", "profile-read"]
    assert scenarios[0].event["request"]["groupConfiguration"]["groupsToOverride"] == ["admin", "user"]
    assert scenarios[1].event["request"]["groupConfiguration"]["groupsToOverride"] == []
    assert scenarios[1].event["triggerSource"] == "TokenGeneration_Authentication"


def test_primary_scenarios_of_the_other_triggers() -> None:
    assert scenarios_for("triggers.pre_signup", EVENTS)[0].event["triggerSource"] == "PreSignUp_SignUp"
    post = scenarios_for("triggers.post_confirmation", EVENTS)
    assert [s.event["triggerSource"] for s in post] == [
        "PostConfirmation_ConfirmSignUp",
        "PostConfirmation_ConfirmForgotPassword",
    ]
    assert scenarios_for("triggers.custom_message", EVENTS)[0].event["triggerSource"] == "CustomMessage_SignUp"


def test_unknown_function_uses_its_first_event_or_nothing(tmp_path: Path) -> None:
    assert scenarios_for("triggers.define_auth_challenge", tmp_path) == []
    (tmp_path / "define-auth-challenge.b.json").write_text(json.dumps({"n": 2}))
    (tmp_path / "define-auth-challenge.a.json").write_text(json.dumps({"n": 1}))
    scenarios = scenarios_for("triggers.define_auth_challenge", tmp_path)
    assert [(s.name, s.event) for s in scenarios] == [("a", {"n": 1})]


def test_api_falls_back_to_a_synthesized_get_me_request(tmp_path: Path) -> None:
    scenarios = scenarios_for("api.app", tmp_path)
    assert [s.name for s in scenarios] == ["get-me"]
    event = scenarios[0].event
    assert event == api_event()
    assert (event["version"], event["routeKey"], event["rawPath"]) == ("2.0", "GET /me", "/me")
    assert event["requestContext"]["authorizer"]["jwt"]["claims"]["sub"] == "6f5e4d3c-2b1a-4098-8765-43210fedcba9"
    (tmp_path / "api.sign-in.json").write_text(json.dumps({"routeKey": "POST /auth/sign-in"}))
    assert [(s.name, s.event) for s in scenarios_for("api.app", tmp_path)] == [
        ("sign-in", {"routeKey": "POST /auth/sign-in"})
    ]
