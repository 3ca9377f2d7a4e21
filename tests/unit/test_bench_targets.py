"""Target evaluation: which check applies to which function, and the exact verdicts."""

from __future__ import annotations

from typing import Any

from bench.targets import evaluate


def _function(key: str, module: str, cold: dict[str, Any] | None, warm: list[dict[str, Any]]) -> dict[str, Any]:
    return {"key": key, "module": module, "status": "measured", "cold": cold, "warm": warm}


def _warm(name: str, calls: int, overhead: float) -> dict[str, Any]:
    return {"scenario": name, "aws_calls_per_invocation": calls, "overhead_ms": {"median": overhead, "p99": 9.0}}


def test_trigger_with_aws_clients_is_held_to_115_percent_of_its_floor() -> None:
    result = {
        "settings": {"cold_basis": "wall"},
        "functions": [
            _function("preSignUp", "triggers.pre_signup", {"floor": "boto", "ratio": 1.15, "delta_ms": 30.0}, []),
            _function("postConfirmation", "triggers.post_confirmation", {"floor": "boto", "ratio": 1.151}, []),
        ],
    }
    assert evaluate(result) == [
        {
            "function": "preSignUp",
            "target": "cold start (wall) at most 1.15x the floor",
            "measured": 1.15,
            "limit": 1.15,
            "unit": "x",
            "holds": True,
        },
        {
            "function": "postConfirmation",
            "target": "cold start (wall) at most 1.15x the floor",
            "measured": 1.151,
            "limit": 1.15,
            "unit": "x",
            "holds": False,
        },
    ]


def test_custom_message_and_client_free_paths_are_held_to_60_ms_over_bare_python() -> None:
    result = {
        "settings": {"cold_basis": "wall"},
        "functions": [
            _function(
                "customMessage", "triggers.custom_message", {"floor": "bare", "ratio": 3.0, "delta_ms": 59.9}, []
            ),
            _function("preToken", "triggers.pre_token_generation", {"floor": "bare", "delta_ms": 60.0}, []),
        ],
    }
    checks = evaluate(result)
    assert [(c["function"], c["target"], c["holds"]) for c in checks] == [
        ("customMessage", "cold start (wall) within 60 ms of bare Python", True),
        ("preToken", "cold start (wall) within 60 ms of bare Python", False),
    ]


def test_warm_limits_are_strict_for_custom_message_and_the_event_only_pre_token_path() -> None:
    result = {
        "functions": [
            _function("customMessage", "triggers.custom_message", None, [_warm("sign-up", 0, 0.49)]),
            _function(
                "preTokenGeneration",
                "triggers.pre_token_generation",
                None,
                [_warm("event-only", 0, 0.5), _warm("profile-read", 1, 0.9)],
            ),
            _function("api", "api.app", {"floor": "boto", "ratio": 3.0}, [_warm("get-me", 1, 1.0)]),
        ]
    }
    checks = evaluate(result)
    assert [(c["function"], c["target"], c["limit"], c["holds"]) for c in checks] == [
        ("customMessage", "warm overhead (sign-up) under 0.5 ms", 0.5, True),
        ("preTokenGeneration", "warm overhead (event-only) under 0.5 ms", 0.5, False),
        ("preTokenGeneration", "warm overhead (profile-read) under 1 ms", 1.0, True),
        ("api", "warm overhead (get-me) under 1 ms", 1.0, False),
    ]


def test_api_has_no_cold_start_target_and_skipped_functions_have_no_checks() -> None:
    result = {
        "functions": [
            _function("api", "api.app", {"floor": "boto", "ratio": 9.0}, []),
            {"key": "later", "module": "triggers.later", "status": "skipped", "reason": "no module"},
        ]
    }
    assert evaluate(result) == []


def test_package_zips_must_stay_under_100_kb() -> None:
    result = {
        "functions": [],
        "package": {"zips": [{"file": "a.zip", "bytes": 99_999}, {"file": "b.zip", "bytes": 100_000}]},
    }
    assert [(c["function"], c["measured"], c["holds"]) for c in evaluate(result)] == [
        ("a.zip", 99_999, True),
        ("b.zip", 100_000, False),
    ]


def test_a_layers_zip_is_reported_but_not_judged() -> None:
    zips = [
        {"file": "fn.zip", "bytes": 60_000, "kind": "function"},
        {"file": "deps.zip", "bytes": 250_000, "kind": "layer"},
    ]
    assert [(c["function"], c["holds"]) for c in evaluate({"functions": [], "package": {"zips": zips}})] == [
        ("fn.zip", True)
    ]


def test_missing_measurement_is_not_a_verdict() -> None:
    result = {"functions": [_function("customMessage", "triggers.custom_message", {"floor": "bare"}, [])]}
    assert evaluate(result)[0]["holds"] is None


def test_cold_targets_are_judged_on_cpu_time_unless_wall_time_is_asked_for() -> None:
    cold = {"floor": "boto", "ratio": 1.5, "cpu_ratio": 1.1, "delta_ms": 90.0, "cpu_delta_ms": 20.0}
    function = _function("preSignUp", "triggers.pre_signup", cold, [])
    (check,) = evaluate({"functions": [function]})
    assert (check["target"], check["measured"], check["holds"]) == (
        "cold start (cpu) at most 1.15x the floor",
        1.1,
        True,
    )
    (check,) = evaluate({"settings": {"cold_basis": "wall"}, "functions": [function]})
    assert (check["target"], check["measured"], check["holds"]) == (
        "cold start (wall) at most 1.15x the floor",
        1.5,
        False,
    )
