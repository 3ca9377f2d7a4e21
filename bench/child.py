"""The measured process: imports one handler module and invokes it, like a Lambda execution environment.

Run as a script (``python bench/child.py < spec.json``), never imported by the function under test, and kept to
the standard library so that it adds the same small, constant cost to a handler and to its baseline. The spec
(JSON on stdin) names the module, the event and the mode:

* ``cold``: import the module and serve one invocation; report monotonic timestamps (``CLOCK_MONOTONIC`` is
  shared by all processes on Linux, so the parent can subtract its own spawn time), then diagnostics gathered
  *after* the timed part (which heavy packages got imported, which AWS clients exist, peak memory).
* ``warm``: serve a few warm-up invocations, then time ``iterations`` more, each on a fresh copy of the event,
  with the time spent inside botocore's ``_make_api_call`` (serialisation, the stub round trip, parsing)
  accumulated separately so that handler overhead can be reported without the AWS calls.
"""

from __future__ import annotations

import sys
import time

T_BOOT = time.monotonic_ns()

import contextlib  # noqa: E402  (the boot timestamp must come first)
import importlib  # noqa: E402
import json  # noqa: E402
import traceback  # noqa: E402
from importlib.machinery import PathFinder, SourceFileLoader  # noqa: E402
from typing import Any  # noqa: E402

HEAVY_PACKAGES = (
    "boto3",
    "botocore",
    "aws_xray_sdk",
    "aws_lambda_powertools",
    "aws_lambda_powertools.tracing",
    "aws_lambda_powertools.utilities.parser",
    "aws_lambda_powertools.utilities.data_classes",
    "aws_lambda_powertools.event_handler",
    "pydantic",
    "email_validator",
    "dns",
    "idna",
    "jmespath",
    "urllib3",
)
PROJECT_PACKAGES = ("common", "triggers", "api")
# Third-party packages this project ships itself (scripts/build-deps-layer): like its own code they arrive as
# source, so Lambda compiles them at every cold start. Runtime and Powertools-layer packages keep their bytecode.
SHIPPED_PACKAGES = ("email_validator", "idna")


class Context:
    """The attributes of a Lambda context object that Powertools reads."""

    def __init__(self, name: str, memory_mb: int) -> None:
        self.function_name = name
        self.function_version = "$LATEST"
        self.memory_limit_in_mb = memory_mb
        self.invoked_function_arn = f"arn:aws:lambda:us-east-1:000000000000:function:{name}"
        self.aws_request_id = "00000000-0000-4000-8000-000000000000"
        self.log_group_name = f"/aws/lambda/{name}"
        self.log_stream_name = "2026/11/26/[$LATEST]bench"

    def get_remaining_time_in_millis(self) -> int:
        return 5000


def _outcome(call: Any) -> tuple[Any, str | None]:
    try:
        return call(), None
    except Exception as exc:  # a refused event is an outcome to report, not a crash of the benchmark
        return None, f"{type(exc).__name__}: {str(exc)[:200]}"


def _clients() -> dict[str, Any]:
    """Which AWS clients exist: the project's cached factories and every live botocore client."""
    found: dict[str, Any] = {"factories": [], "live": []}
    aws = sys.modules.get("common.aws")
    for factory, service in (("cognito_client", "cognito-idp"), ("dynamodb_client", "dynamodb")):
        cached = getattr(aws, factory, None) if aws else None
        info = getattr(cached, "cache_info", None)
        if info is not None and info().currsize:
            found["factories"].append(service)
    client_module = sys.modules.get("botocore.client")
    if client_module is not None:
        import gc  # noqa: PLC0415

        base = client_module.BaseClient
        found["live"] = sorted(o.meta.service_model.service_name for o in gc.get_objects() if isinstance(o, base))
    return found


def _diagnostics() -> dict[str, Any]:
    import resource  # noqa: PLC0415

    project = sorted(
        (name, getattr(module, "__file__", None))
        for name, module in sys.modules.items()
        if name.split(".")[0] in PROJECT_PACKAGES + SHIPPED_PACKAGES and getattr(module, "__file__", None)
    )
    return {
        "modules_loaded": len(sys.modules),
        "heavy_imports": [name for name in HEAVY_PACKAGES if name in sys.modules],
        "project_modules": [{"name": name, "file": file} for name, file in project],
        "clients": _clients(),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


class _SourceOnlyLoader(SourceFileLoader):
    """Compiles from source every time, never reading or writing ``__pycache__``."""

    def get_code(self, fullname: str) -> Any:
        path = self.get_filename(fullname)
        return compile(self.get_data(path), path, "exec", dont_inherit=True)


class _NoBytecodeFinder:
    """Load ``packages`` from source, ignoring any ``__pycache__``: what the deployment ships without bytecode for
    the runtime (our own modules; the layer's packages when it has none) Lambda compiles at every cold start, since
    ``/var/task`` and ``/opt`` are read-only. Runtime packages (boto3, Powertools, the standard library) and shipped
    packages with runtime bytecode keep their bytecode, as they do in Lambda."""

    def __init__(self, packages: tuple[str, ...] = PROJECT_PACKAGES + SHIPPED_PACKAGES) -> None:
        self.packages = packages

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name.split(".", maxsplit=1)[0] not in self.packages:
            return None
        spec = PathFinder.find_spec(name, path)
        if spec is not None and isinstance(spec.loader, SourceFileLoader):
            spec.loader = _SourceOnlyLoader(spec.loader.name, spec.loader.path)
        return spec


def _cold(spec: dict[str, Any], context: Context) -> dict[str, Any]:
    t_import = time.monotonic_ns()
    module, error = _outcome(lambda: importlib.import_module(spec["module"]))
    if error:
        return {"error": f"import failed: {error}", "traceback": traceback.format_exc()}
    handler = getattr(module, spec["attribute"])
    t_imported = time.monotonic_ns()
    response, raised = _outcome(lambda: handler(spec["event"], context))
    t_done = time.monotonic_ns()
    cpu_ns = time.process_time_ns()  # CPU since the process started: robust to a busy machine, unlike wall time
    return {
        "cpu_ns": cpu_ns,
        "boot_ns": T_BOOT,
        "import_start_ns": t_import,
        "imported_ns": t_imported,
        "done_ns": t_done,
        "raised": raised,
        "returned_event": isinstance(response, dict),
        **_diagnostics(),
    }


def _install_aws_timer(intervals: list[tuple[int, int]]) -> bool:
    """Record the (start, end) of every botocore API call into ``intervals`` (appends are atomic, so calls made
    from worker threads are recorded too)."""
    client_module = sys.modules.get("botocore.client")
    if client_module is None:
        return False
    base = client_module.BaseClient
    original = base._make_api_call

    def timed(self: Any, operation_name: str, api_params: Any) -> Any:
        start = time.perf_counter_ns()
        try:
            return original(self, operation_name, api_params)
        finally:
            intervals.append((start, time.perf_counter_ns()))

    base._make_api_call = timed
    return True


def covered_ns(intervals: list[tuple[int, int]]) -> int:
    """The time covered by the union of intervals: calls made in parallel count once, not once per call."""
    total, reach = 0, None
    for start, end in sorted(intervals):
        if reach is None or start > reach:
            total += end - start
            reach = end
        elif end > reach:
            total += end - reach
            reach = end
    return total


def _warm(spec: dict[str, Any], context: Context) -> dict[str, Any]:
    module, error = _outcome(lambda: importlib.import_module(spec["module"]))
    if error:
        return {"error": f"import failed: {error}"}
    handler = getattr(module, spec["attribute"])
    text = json.dumps(spec["event"])
    iterations, warmup = int(spec["iterations"]), int(spec.get("warmup", 20))
    events = [json.loads(text) for _ in range(iterations + warmup + 1)]
    _response, raised = _outcome(lambda: handler(events.pop(), context))
    for _ in range(warmup):
        _outcome(lambda: handler(events.pop(), context))
    intervals: list[tuple[int, int]] = []
    hooked = _install_aws_timer(intervals)
    totals: list[int] = []
    aws: list[int] = []
    calls: list[int] = []
    clock = time.perf_counter_ns
    for event in events:
        del intervals[:]
        start = clock()
        with contextlib.suppress(Exception):  # same outcome as the first call, already reported
            handler(event, context)
        totals.append(clock() - start)
        aws.append(covered_ns(intervals))
        calls.append(len(intervals))
    return {"total_ns": totals, "aws_ns": aws, "aws_calls": calls, "aws_timer": hooked, "raised": raised}


def main() -> int:
    spec = json.loads(sys.stdin.read())
    sys.path.insert(0, spec["root"])
    if sys.path[1:2] == [spec["root"] + "/bench"]:
        del sys.path[1]  # the script's own directory: a Lambda task root does not have it
    if spec.get("no_bytecode", True):
        sys.meta_path.insert(
            0, _NoBytecodeFinder(tuple(spec.get("source_packages", PROJECT_PACKAGES + SHIPPED_PACKAGES)))
        )
    context = Context(spec.get("function_name", "bench"), int(spec.get("memory_mb") or 512))
    result = _cold(spec, context) if spec["mode"] == "cold" else _warm(spec, context)
    with open(spec["result_path"], "w", encoding="utf-8") as out:
        json.dump(result, out)
    return 1 if "error" in result else 0


if __name__ == "__main__":
    sys.exit(main())
