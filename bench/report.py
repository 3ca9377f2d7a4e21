"""The human-readable summary of one benchmark result (pure: a dict in, text out)."""

from __future__ import annotations

from typing import Any

__all__ = ["render"]


def _num(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    line = "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(header))
    out = [line, "  ".join("-" * width for width in widths)]
    out += ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) for row in rows]
    return out


def _cold_rows(functions: list[dict[str, Any]]) -> list[list[str]]:
    rows = []
    for function in functions:
        cold = function.get("cold")
        if not cold:
            continue
        rows.append(
            [
                function["key"],
                cold["scenario"],
                _num(cold["handler_ms"]["median"]),
                _num(cold["import_ms"]["median"]),
                _num(cold["first_invoke_ms"]["median"]),
                f"{_num(cold['floor_ms']['median'])} ({cold['floor']})",
                _ratio(cold["ratio"]),
                f"{cold['delta_ms']:+.1f}" if cold["delta_ms"] is not None else "-",
                f"{_num((cold.get('handler_cpu_ms') or {}).get('median'))} / "
                f"{_num((cold.get('floor_cpu_ms') or {}).get('median'))} = {_ratio(cold.get('cpu_ratio'))}",
                str(len(cold["aws_calls"])),
                _num(cold["max_rss_mb"], 0),
            ]
        )
    return rows


def _warm_rows(functions: list[dict[str, Any]]) -> list[list[str]]:
    rows = []
    for function in functions:
        for warm in function.get("warm") or []:
            if "error" in warm:
                rows.append([function["key"], warm["scenario"], "error: " + warm["error"][:60], *["-"] * 5])
                continue
            overhead, total = warm["overhead_ms"], warm["handler_ms"]
            floor = warm.get("floor_ms") or {}
            rows.append(
                [
                    function["key"],
                    warm["scenario"],
                    str(warm["aws_calls_per_invocation"]),
                    f"{_num(overhead['median'], 3)} / {_num(overhead['p99'], 3)}",
                    f"{_num(total['median'], 3)} / {_num(total['p99'], 3)}",
                    _num(floor.get("median"), 3),
                    _ratio(warm.get("ratio")),
                    warm.get("raised") or "",
                ]
            )
    return rows


def _notes(functions: list[dict[str, Any]]) -> list[str]:
    """Outcomes that make a number mean something else: a handler that raised, or returned something else."""
    notes = []
    for function in functions:
        cold = function.get("cold") or {}
        if cold.get("raised"):
            notes.append(f"  {function['key']}: the cold invocation raised {cold['raised']}")
        if cold and cold.get("returned_event") is False:
            notes.append(f"  {function['key']}: the cold invocation did not return the event")
        if "xray" in (cold.get("clients_alive") or []):
            notes.append(f"  {function['key']}: builds X-Ray SDK clients at init (Powertools Tracer)")
    return notes


def _load_warning(machine: dict[str, Any]) -> list[str]:
    cpus = machine.get("cpus") or 1
    loads = [load for load in (machine.get("load_before"), machine.get("load_after")) if load is not None]
    if loads and max(loads) > cpus / 2:
        return [f"WARNING: load average {max(loads):.2f} on {cpus} cpus: other work competes, cold starts are noisy"]
    return []


def render(result: dict[str, Any]) -> str:
    """The console report: cold starts, warm overhead, package, targets, skipped functions."""
    functions = result.get("functions") or []
    bare = result["floors"]["bare_python"]["cold_ms"]
    settings = result["settings"]
    lines = [
        f"bench: {result['started_at']}  python {result['machine']['python']}  {result['machine']['cpus']} cpus  "
        f"{settings['runs']} cold runs, {settings['iterations']} warm iterations  ({result['duration_s']} s)",
        f"bare Python cold start (interpreter + trivial handler): {_num(bare['median'])} ms median",
        *_load_warning(result["machine"]),
        "",
        "COLD START (ms, median; total = spawn to first response)",
    ]
    header = ["function", "event", "total", "import", "1st call", "floor", "ratio", "delta", "cpu / floor cpu"]
    header += ["calls", "rss MB"]
    lines += _table(header, _cold_rows(functions))
    lines += ["", "WARM (ms per invocation; overhead = total minus time inside AWS calls; median / p99)"]
    header = ["function", "event", "calls", "overhead", "total", "floor", "ratio", "raised"]
    lines += _table(header, _warm_rows(functions))
    package = result.get("package") or {}
    lines += ["", f"PACKAGE ({package.get('dir', '-')})"]
    for entry in package.get("zips") or []:
        kind = "  (a layer: reported, not judged)" if entry.get("kind") == "layer" else ""
        lines.append(f"  {entry['file']}: {entry['bytes']:,} bytes, {entry['files']} files{kind}")
    for entry in package.get("functions") or []:
        if entry["bytes"] is not None and not entry["handler_in_zip"]:
            lines.append(f"  WARNING: {entry['key']}'s handler is not inside {entry['artifact']}")
    if package.get("error"):
        lines.append(f"  package error: {package['error']}")
    lines += ["", "TARGETS"]
    for check in result.get("targets") or []:
        verdict = {True: "holds", False: "MISSED", None: "n/a"}[check["holds"]]
        lines.append(
            f"  [{verdict:6}] {check['function']}: {check['target']}: "
            f"{_num(check['measured'], 3)} {check['unit']} (limit {check['limit']:g})"
        )
    notes = _notes(functions)
    if notes:
        lines += ["", "NOTES", *notes]
    skipped = [f for f in functions if f.get("status") != "measured"]
    if skipped:
        lines += ["", "NOT MEASURED"]
        lines += [f"  {f['key']} ({f['handler']}): {f['status']}: {f.get('reason', '')}" for f in skipped]
    return "\n".join(lines)
