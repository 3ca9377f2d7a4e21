"""``python -m bench.run``: cold start, warm overhead and package size of every function, against floors.

One run, one machine, one stub: see docs/performance.md for what each number means and the targets. The
functions come from the packaged template (``npx serverless package`` into the checkout's ``.serverless/``, as the
tests do: do not run both at once); a function whose handler module does not exist yet, or that has no sample
event, is listed as skipped with the reason.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import report
from bench.child import PROJECT_PACKAGES, SHIPPED_PACKAGES
from bench.package import inspect_package, package_stack
from bench.scenarios import Scenario, scenarios_for
from bench.stats import delta, ratio, summarize
from bench.stub_aws import RecordedCall, StubAws, running_stub
from bench.targets import evaluate
from bench.template import FunctionSpec, discover_functions, load_template

ROOT = Path(__file__).resolve().parent.parent
CHILD = ROOT / "bench" / "child.py"
EVENTS = ROOT / "events"
RESULTS = ROOT / "bench" / "results"


@dataclass(frozen=True)
class Settings:
    runs: int
    iterations: int
    warmup: int
    importtime: bool
    quick: bool
    cold_basis: str = "cpu"


@dataclass(frozen=True)
class Floor:
    """Which baseline a function is compared with, and what it replays."""

    module: str
    services: tuple[str, ...]
    calls: tuple[tuple[str, str, dict[str, Any]], ...]

    @property
    def kind(self) -> str:
        return "boto" if self.module.endswith("boto_floor") else "bare"


BARE = Floor("bench.baselines.bare", (), ())

# The reserved variables every Lambda execution environment has (docs: "Defined runtime environment variables").
LAMBDA_RUNTIME_ENV = {
    "LAMBDA_RUNTIME_DIR": "/var/runtime",
    "AWS_LAMBDA_RUNTIME_API": "127.0.0.1:9001",
    "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
    "AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR",
    "AWS_XRAY_DAEMON_ADDRESS": "127.0.0.1:2000",
    "_AWS_XRAY_DAEMON_ADDRESS": "127.0.0.1",
    "_AWS_XRAY_DAEMON_PORT": "2000",
    "_X_AMZN_TRACE_ID": "Root=1-67890abc-0123456789abcdef01234567;Parent=0123456789abcdef;Sampled=1",
    "TZ": ":UTC",
}


class Runner:
    """Spawns measured child processes against one stub, in one scratch directory."""

    def __init__(
        self,
        stub: StubAws,
        scratch: Path,
        *,
        no_bytecode: bool = True,
        source_packages: tuple[str, ...] = PROJECT_PACKAGES + SHIPPED_PACKAGES,
    ) -> None:
        self.stub = stub
        self.scratch = scratch
        self.no_bytecode = no_bytecode
        self.source_packages = source_packages
        self._count = 0

    def base_env(self, name: str, memory_mb: int | None, handler: str = "") -> dict[str, str]:
        """A Lambda-like environment: fake credentials, no shared config files, every endpoint on the stub.

        The runtime's reserved variables are set as Lambda sets them, because libraries branch on them: without
        ``LAMBDA_TASK_ROOT`` the X-Ray SDK believes it runs on a server and builds a botocore X-Ray client for
        centralized sampling at import (~0.1 s), work it never does in Lambda. ``_X_AMZN_TRACE_ID`` is a sampled
        trace header, the worst case of active tracing; the daemon address is a closed local UDP port.
        """
        missing = str(self.scratch / "no-such-aws-config")
        env = {
            **LAMBDA_RUNTIME_ENV,
            "LAMBDA_TASK_ROOT": str(ROOT),
            "_HANDLER": handler,
            "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{name}",
            "AWS_LAMBDA_LOG_STREAM_NAME": "2026/11/26/[$LATEST]bench",
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_SESSION_TOKEN": "bench",
            "AWS_REGION": "us-east-1",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": missing,
            "AWS_SHARED_CREDENTIALS_FILE": missing,
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_ENDPOINT_URL": self.stub.endpoint_url,
            "AWS_LAMBDA_FUNCTION_NAME": name,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(memory_mb or 512),
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_EXECUTION_ENV": "AWS_Lambda_python3.13",
        }
        return env

    def child(
        self,
        mode: str,
        module: str,
        event: dict[str, Any],
        env: dict[str, str],
        *,
        iterations: int = 0,
        warmup: int = 0,
        importtime: bool = False,
    ) -> dict[str, Any]:
        """Run one child; returns its result plus ``spawn_ns`` and, with ``importtime``, its stderr."""
        self._count += 1
        result_path = self.scratch / f"result-{self._count}.json"
        log_path = self.scratch / f"child-{self._count}.log"
        spec = {
            "mode": mode,
            "root": str(ROOT),
            "module": module,
            "attribute": "handler",
            "event": event,
            "iterations": iterations,
            "warmup": warmup,
            "result_path": str(result_path),
            "function_name": env.get("AWS_LAMBDA_FUNCTION_NAME", "bench"),
            "memory_mb": env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512"),
            "no_bytecode": self.no_bytecode,
            "source_packages": list(self.source_packages),
        }
        command = [sys.executable, *(["-X", "importtime"] if importtime else []), str(CHILD)]
        with open(log_path, "wb") as log:
            spawn_ns = time.monotonic_ns()
            completed = subprocess.run(
                command,
                input=json.dumps(spec).encode(),
                stdout=log,
                stderr=subprocess.PIPE,
                env=env,
                cwd=str(self.scratch),
                check=False,
                timeout=300,
            )
        stderr = completed.stderr.decode(errors="replace")
        if not result_path.exists():
            tail = (log_path.read_text(errors="replace")[-1500:] + stderr[-1500:]).strip()
            return {"error": f"child exited with {completed.returncode} and no result", "log_tail": tail}
        result: dict[str, Any] = json.loads(result_path.read_text(encoding="utf-8"))
        result["spawn_ns"] = spawn_ns
        if importtime:
            result["importtime"] = stderr
        elif stderr.strip() and "error" in result:
            result["log_tail"] = stderr[-1500:]
        return result


def _floor_env(runner: Runner, floor: Floor, env: dict[str, str], tag: str) -> dict[str, str]:
    if floor.kind == "bare":
        return env
    calls_path = runner.scratch / f"floor-calls-{tag}.json"
    calls_path.write_text(json.dumps([list(call) for call in floor.calls]), encoding="utf-8")
    return {**env, "BENCH_FLOOR_SERVICES": ",".join(floor.services), "BENCH_FLOOR_CALLS": str(calls_path)}


def _method(operation: str) -> str:
    from botocore import xform_name  # noqa: PLC0415  (only the parent needs botocore)

    return str(xform_name(operation))


def floor_for(services: list[str], calls: list[RecordedCall]) -> Floor:
    """The baseline that creates the same clients and makes the same calls (bare Python when there are none)."""
    needed = sorted(set(services) | {call.service for call in calls})
    if not needed:
        return BARE
    replay = tuple((call.service, _method(call.operation), call.params) for call in calls)
    return Floor("bench.baselines.boto_floor", tuple(needed), replay)


def _cold_total_ms(result: dict[str, Any]) -> float:
    return (int(result["done_ns"]) - int(result["spawn_ns"])) / 1e6


def measure_bare(runner: Runner, settings: Settings) -> dict[str, Any]:
    env = runner.base_env("bare", 128)
    samples = [runner.child("cold", BARE.module, {}, env) for _ in range(settings.runs + 1)][1:]
    return {
        "cold_ms": summarize([_cold_total_ms(s) * 1e6 for s in samples]),
        "cpu_ms": summarize([int(s["cpu_ns"]) for s in samples]),
    }


def _compile_ms(modules: list[dict[str, Any]]) -> float:
    """What compiling the project's own modules and the packages it ships costs: the zip ships no .pyc, so Lambda
    compiles them at init."""
    start = time.perf_counter_ns()
    for module in modules:
        path = Path(module["file"])
        if path.suffix == ".py" and path.exists():
            compile(path.read_text(encoding="utf-8"), str(path), "exec")
    return round((time.perf_counter_ns() - start) / 1e6, 3)


def _parse_importtime(stderr: str, top: int = 12) -> dict[str, list[dict[str, Any]]]:
    rows = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        parts = line[len("import time:") :].split("|")
        if len(parts) != 3 or not parts[0].strip().isdigit():
            continue
        rows.append(
            {"module": parts[2].strip(), "self_ms": int(parts[0]) / 1000, "cumulative_ms": int(parts[1]) / 1000}
        )
    by_cumulative = sorted(rows, key=lambda r: r["cumulative_ms"], reverse=True)[:top]
    by_self = sorted(rows, key=lambda r: r["self_ms"], reverse=True)[:top]
    return {"by_cumulative": by_cumulative, "by_self": by_self}


def measure_cold(
    runner: Runner, spec: FunctionSpec, scenario: Scenario, env: dict[str, str], settings: Settings
) -> dict[str, Any]:
    """Discovery run (records the calls and clients), then alternating handler / floor runs."""
    runner.stub.take_calls()
    first = runner.child("cold", spec.module, scenario.event, env)
    calls = runner.stub.take_calls()
    if "error" in first:
        return {"error": first["error"], "log_tail": first.get("log_tail", "")}
    floor = floor_for(list(first["clients"]["factories"]), calls)
    floor_env = _floor_env(runner, floor, env, spec.key)
    runner.child("cold", floor.module, scenario.event, floor_env)  # warm the disk cache for the floor too
    runner.stub.take_calls()
    handler_runs: list[dict[str, Any]] = []
    floor_runs: list[dict[str, Any]] = []
    for _ in range(settings.runs):
        handler_runs.append(runner.child("cold", spec.module, scenario.event, env))
        floor_runs.append(runner.child("cold", floor.module, scenario.event, floor_env))
    runner.stub.take_calls()
    failed = next((run for run in handler_runs + floor_runs if "error" in run), None)
    if failed is not None:
        return {"error": failed["error"], "log_tail": failed.get("log_tail", "")}
    handler_ms = summarize([_cold_total_ms(run) * 1e6 for run in handler_runs])
    floor_ms = summarize([_cold_total_ms(run) * 1e6 for run in floor_runs])
    handler_cpu = summarize([int(run["cpu_ns"]) for run in handler_runs])
    floor_cpu = summarize([int(run["cpu_ns"]) for run in floor_runs])
    cold: dict[str, Any] = {
        "scenario": scenario.name,
        "handler_ms": handler_ms,
        "floor": floor.kind,
        "floor_ms": floor_ms,
        "ratio": ratio(handler_ms["median"], floor_ms["median"]),
        "delta_ms": delta(handler_ms["median"], floor_ms["median"]),
        "handler_cpu_ms": handler_cpu,
        "floor_cpu_ms": floor_cpu,
        "cpu_ratio": ratio(handler_cpu["median"], floor_cpu["median"]),
        "cpu_delta_ms": delta(handler_cpu["median"], floor_cpu["median"]),
        "import_ms": summarize([int(r["imported_ns"]) - int(r["import_start_ns"]) for r in handler_runs]),
        "first_invoke_ms": summarize([int(r["done_ns"]) - int(r["imported_ns"]) for r in handler_runs]),
        "floor_import_ms": summarize([int(r["imported_ns"]) - int(r["import_start_ns"]) for r in floor_runs]),
        "floor_first_invoke_ms": summarize([int(r["done_ns"]) - int(r["imported_ns"]) for r in floor_runs]),
        "aws_calls": [[call.service, call.operation] for call in calls],
        "services": list(floor.services),
        "clients_alive": first["clients"]["live"],
        "heavy_imports": first["heavy_imports"],
        "modules_loaded": first["modules_loaded"],
        "max_rss_mb": first["max_rss_mb"],
        "raised": first["raised"],
        "returned_event": first["returned_event"],
        "project_compile_ms": _compile_ms(
            [m for m in first["project_modules"] if m["name"].split(".")[0] in runner.source_packages]
        ),
    }
    if settings.importtime:
        traced = runner.child("cold", spec.module, scenario.event, env, importtime=True)
        cold["importtime"] = _parse_importtime(str(traced.get("importtime", "")))
        runner.stub.take_calls()
    return cold


def measure_warm(
    runner: Runner, spec: FunctionSpec, scenario: Scenario, env: dict[str, str], settings: Settings
) -> dict[str, Any]:
    runner.stub.take_calls()
    run = runner.child("warm", spec.module, scenario.event, env, iterations=settings.iterations, warmup=settings.warmup)
    calls = runner.stub.take_calls()
    if "error" in run:
        return {"scenario": scenario.name, "error": run["error"], "log_tail": run.get("log_tail", "")}
    per_call = sorted(run["aws_calls"])[len(run["aws_calls"]) // 2] if run["aws_calls"] else 0
    last = calls[len(calls) - per_call :] if per_call else []
    floor = floor_for([], last)  # per invocation only the calls count: clients are created at init
    floor_env = _floor_env(runner, floor, env, f"{spec.key}-{scenario.name}")
    floor_run = runner.child(
        "warm", floor.module, scenario.event, floor_env, iterations=settings.iterations, warmup=settings.warmup
    )
    runner.stub.take_calls()
    overhead = [t - a for t, a in zip(run["total_ns"], run["aws_ns"], strict=True)]
    handler_ms = summarize(run["total_ns"])
    result: dict[str, Any] = {
        "scenario": scenario.name,
        "aws_calls_per_invocation": per_call,
        "aws_operations": [[call.service, call.operation] for call in last],
        "handler_ms": handler_ms,
        "overhead_ms": summarize(overhead),
        "raised": run["raised"],
    }
    if "error" not in floor_run:
        floor_ms = summarize(floor_run["total_ns"])
        floor_overhead = [t - a for t, a in zip(floor_run["total_ns"], floor_run["aws_ns"], strict=True)]
        result.update(
            floor=floor.kind,
            floor_ms=floor_ms,
            floor_overhead_ms=summarize(floor_overhead),
            # a ratio against a no-op floor (no AWS call to make) says nothing: the overhead is the number
            ratio=ratio(handler_ms["median"], floor_ms["median"]) if floor.kind == "boto" else None,
        )
    return result


def measure_function(runner: Runner, spec: FunctionSpec, settings: Settings) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "key": spec.key,
        "handler": spec.handler,
        "module": spec.module,
        "memory_mb": spec.memory_mb,
        "snap_start": spec.snap_start,
        "artifact": spec.artifact,
    }
    if not spec.module_file(ROOT).exists():
        return {**entry, "status": "skipped", "reason": f"handler module {spec.module} does not exist yet"}
    scenarios = scenarios_for(spec.module, EVENTS)
    if not scenarios:
        return {**entry, "status": "skipped", "reason": "no sample event in events/"}
    env = {**runner.base_env(spec.key, spec.memory_mb, spec.handler), **spec.environment}
    cold = measure_cold(runner, spec, scenarios[0], env, settings)
    if "error" in cold:
        return {**entry, "status": "failed", "reason": cold["error"], "log_tail": cold.get("log_tail", "")}
    warm = [measure_warm(runner, spec, scenario, env, settings) for scenario in scenarios]
    return {**entry, "status": "measured", "cold": cold, "warm": warm}


def _load() -> float | None:
    """The 1-minute load average: cold starts measured on a busy machine are slower and noisier."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def _settings(args: argparse.Namespace) -> Settings:
    runs = args.runs or (3 if args.quick else 11)
    iterations = args.iterations or (200 if args.quick else 1000)
    return Settings(
        runs=runs,
        iterations=iterations,
        warmup=20,
        importtime=args.importtime,
        quick=args.quick,
        cold_basis="wall" if args.wall else "cpu",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 cold runs and 200 warm iterations per function")
    parser.add_argument("--runs", type=int, help="cold-start runs per function (default 11)")
    parser.add_argument("--iterations", type=int, help="timed warm invocations per scenario (default 1000)")
    parser.add_argument("--functions", help="comma-separated function names to measure (default: all)")
    parser.add_argument("--importtime", action="store_true", help="add a -X importtime run per function")
    parser.add_argument("--wall", action="store_true", help="judge cold-start targets on wall time, not CPU time")
    parser.add_argument(
        "--pyc", action="store_true", help="let the project's modules load from __pycache__ (Lambda cannot)"
    )
    parser.add_argument("--no-package", action="store_true", help="use the existing .serverless/ package")
    parser.add_argument("--output", type=Path, help="JSON result path (default bench/results/<timestamp>.json)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = _settings(args)
    started = datetime.now(UTC)
    load_before = _load()
    clock = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch_dir:
        scratch = Path(scratch_dir)
        package_dir = ROOT / ".serverless"  # see package_stack: osls builds there whatever the target
        package_error = None if args.no_package else package_stack(ROOT)
        if package_error and not args.no_package:
            print(f"{package_error}\nretrying once (another `serverless package` may have been running) ...")
            package_error = package_stack(ROOT)
        template_path = package_dir / "cloudformation-template-update-stack.json"
        if package_error and template_path.exists():
            package_error += " (measured the existing .serverless/ package instead)"
        if not template_path.exists():
            print(f"no packaged template at {template_path}: {package_error or 'run scripts/package'}")
            return 2
        specs = discover_functions(load_template(template_path))
        wanted = {name.strip() for name in (args.functions or "").split(",") if name.strip()}
        specs = [spec for spec in specs if not wanted or spec.key in wanted]
        package = inspect_package(package_dir, specs)
        package["error"] = package_error
        with running_stub() as stub:
            # what Lambda compiles at every cold start: everything we ship, except packages shipped with bytecode
            compiled = tuple(p for p in PROJECT_PACKAGES + SHIPPED_PACKAGES if p not in package["bytecode_packages"])
            runner = Runner(stub, scratch, no_bytecode=not args.pyc, source_packages=compiled)
            bare = measure_bare(runner, settings)
            functions = []
            for spec in specs:
                print(f"measuring {spec.key} ({spec.handler}) ...", flush=True)
                functions.append(measure_function(runner, spec, settings))
    result: dict[str, Any] = {
        "schema": 1,
        "started_at": started.isoformat(timespec="seconds"),
        "duration_s": round(time.monotonic() - clock, 1),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "machine": platform.machine(),
            "cpus": os.cpu_count(),
            "load_before": load_before,
            "load_after": _load(),
        },
        "settings": {
            "runs": settings.runs,
            "iterations": settings.iterations,
            "warmup": settings.warmup,
            "quick": settings.quick,
            "cold_basis": settings.cold_basis,
            "project_bytecode": bool(args.pyc),
            "compiled_from_source": [] if args.pyc else list(compiled),
        },
        "floors": {"bare_python": bare},
        "functions": functions,
        "package": package,
    }
    result["targets"] = evaluate(result)
    output = args.output or RESULTS / f"{started.strftime('%Y%m%dT%H%M%SZ')}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(report.render(result))
    print(f"\nresults: {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
