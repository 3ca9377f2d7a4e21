"""The project's performance targets, checked against one benchmark result (pure, unit-tested).

* Cold start at most 1.15x the floor for each trigger, judged on CPU time by default (``cold_basis``): on a shared
  machine wall time also measures the neighbours, while CPU time is what Lambda's memory-proportional vCPU scales.
  ``python -m bench.run --wall`` judges wall time instead; both are always recorded. When a trigger's path creates
  no AWS client, its floor is bare Python, and the custom-message rule applies instead: within 60 ms of bare Python.
* Warm handler overhead (time outside AWS calls, median) under 0.5 ms for custom-message and for the pre-token
  path that needs no AWS call (the claims come from the event), under 1 ms for everything else.
* Every deployment zip under 100 KB (100,000 bytes: Powertools comes from the layer, boto3 from the runtime).

The API function has no cold-start target (it is not a trigger: nobody retries it after 5 s); its warm overhead
still has the 1 ms one.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "COLD_DELTA_LIMIT_MS",
    "COLD_RATIO_LIMIT",
    "WARM_LIMIT_MS",
    "WARM_STRICT_LIMIT_MS",
    "ZIP_LIMIT_BYTES",
    "evaluate",
]

COLD_RATIO_LIMIT = 1.15
COLD_DELTA_LIMIT_MS = 60.0
WARM_STRICT_LIMIT_MS = 0.5
WARM_LIMIT_MS = 1.0
ZIP_LIMIT_BYTES = 100_000

Check = dict[str, Any]


def _check(function: str, target: str, measured: float | None, limit: float, unit: str) -> Check:
    return {
        "function": function,
        "target": target,
        "measured": measured,
        "limit": limit,
        "unit": unit,
        "holds": None if measured is None else measured <= limit if unit == "x" else measured < limit,
    }


def _is_trigger(function: dict[str, Any]) -> bool:
    return str(function.get("module", "")).startswith("triggers.")


def _is_custom_message(function: dict[str, Any]) -> bool:
    return str(function.get("module", "")).endswith("custom_message")


def _cold_checks(function: dict[str, Any], basis: str) -> list[Check]:
    cold = function.get("cold")
    if not cold or not _is_trigger(function):
        return []
    name, prefix = function["key"], "cpu_" if basis == "cpu" else ""
    if _is_custom_message(function) or cold.get("floor") == "bare":
        target = f"cold start ({basis}) within 60 ms of bare Python"
        return [_check(name, target, cold.get(f"{prefix}delta_ms"), COLD_DELTA_LIMIT_MS, "ms")]
    return [
        _check(name, f"cold start ({basis}) at most 1.15x the floor", cold.get(f"{prefix}ratio"), COLD_RATIO_LIMIT, "x")
    ]


def _warm_limit(function: dict[str, Any], scenario: dict[str, Any]) -> float:
    if _is_custom_message(function):
        return WARM_STRICT_LIMIT_MS
    event_only = scenario.get("aws_calls_per_invocation") == 0
    if str(function.get("module", "")).endswith("pre_token_generation") and event_only:
        return WARM_STRICT_LIMIT_MS
    return WARM_LIMIT_MS


def _warm_checks(function: dict[str, Any]) -> list[Check]:
    checks = []
    for scenario in function.get("warm") or []:
        overhead = (scenario.get("overhead_ms") or {}).get("median")
        limit = _warm_limit(function, scenario)
        target = f"warm overhead ({scenario['scenario']}) under {limit:g} ms"
        checks.append(_check(function["key"], target, overhead, limit, "ms"))
    return checks


def _package_checks(result: dict[str, Any]) -> list[Check]:
    """One check per function's deployment zip; a layer's zip is reported, not judged (it is not a function's
    package: Powertools' layer is not counted either)."""
    zips = (result.get("package") or {}).get("zips") or []
    return [
        _check(z["file"], "deployment zip under 100 KB", z["bytes"], ZIP_LIMIT_BYTES, "bytes")
        for z in zips
        if z.get("kind", "function") == "function"
    ]


def evaluate(result: dict[str, Any]) -> list[Check]:
    """Every target check for a benchmark result; ``holds`` is ``None`` when the number is missing."""
    checks: list[Check] = []
    basis = (result.get("settings") or {}).get("cold_basis", "cpu")
    for function in result.get("functions") or []:
        if function.get("status") != "measured":
            continue
        checks.extend(_cold_checks(function, basis))
        checks.extend(_warm_checks(function))
    checks.extend(_package_checks(result))
    return checks
