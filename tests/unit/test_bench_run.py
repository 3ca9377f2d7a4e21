"""The benchmark's glue: floors, import-time parsing, package inspection and the report (no timing)."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

from bench.package import inspect_package, inspect_zip
from bench.report import render
from bench.run import BARE, CHILD, ROOT, _parse_importtime, floor_for
from bench.stub_aws import RecordedCall
from bench.template import FunctionSpec


def test_floor_is_bare_python_without_clients_or_calls() -> None:
    assert floor_for([], []) == BARE
    assert BARE.kind == "bare"


def test_floor_replays_the_same_calls_with_the_same_clients() -> None:
    calls = [
        RecordedCall("dynamodb", "PutItem", {"TableName": "t", "Item": {"email": {"S": "a@b.c"}}}),
        RecordedCall("cognito-idp", "AdminAddUserToGroup", {"UserPoolId": "p", "Username": "u", "GroupName": "g"}),
    ]
    floor = floor_for(["dynamodb"], calls)
    assert floor.kind == "boto"
    assert floor.module == "bench.baselines.boto_floor"
    assert floor.services == ("cognito-idp", "dynamodb")
    assert floor.calls == (
        ("dynamodb", "put_item", {"TableName": "t", "Item": {"email": {"S": "a@b.c"}}}),
        ("cognito-idp", "admin_add_user_to_group", {"UserPoolId": "p", "Username": "u", "GroupName": "g"}),
    )


def test_a_client_without_calls_still_counts_for_the_floor() -> None:
    floor = floor_for(["dynamodb"], [])
    assert (floor.kind, floor.services, floor.calls) == ("boto", ("dynamodb",), ())


def test_parse_importtime_ranks_by_cumulative_and_self_time() -> None:
    stderr = "\n".join(
        [
            "import time: self [us] | cumulative | imported package",
            "import time:       100 |        100 |   json.decoder",
            "import time:       200 |        300 | json",
            "import time:      5000 |       9000 | boto3",
            "some other line",
        ]
    )
    parsed = _parse_importtime(stderr, top=2)
    assert parsed == {
        "by_cumulative": [
            {"module": "boto3", "self_ms": 5.0, "cumulative_ms": 9.0},
            {"module": "json", "self_ms": 0.2, "cumulative_ms": 0.3},
        ],
        "by_self": [
            {"module": "boto3", "self_ms": 5.0, "cumulative_ms": 9.0},
            {"module": "json", "self_ms": 0.2, "cumulative_ms": 0.3},
        ],
    }


def test_inspect_package_checks_each_handler_is_inside_its_zip(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "svc.zip", "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("triggers/pre_signup.py", "x = 1\n" * 100)
        archive.writestr("common/__init__.py", "")
    specs = [
        FunctionSpec("preSignUp", "P", "triggers/pre_signup.handler", 512, False, "svc.zip"),
        FunctionSpec("api", "A", "api/app.handler", 512, False, "svc.zip"),
    ]
    package = inspect_package(tmp_path, specs)
    size = (tmp_path / "svc.zip").stat().st_size
    assert package["functions"] == [
        {"key": "preSignUp", "artifact": "svc.zip", "bytes": size, "handler_in_zip": True},
        {"key": "api", "artifact": "svc.zip", "bytes": size, "handler_in_zip": False},
    ]
    (entry,) = package["zips"]
    assert (entry["file"], entry["bytes"], entry["files"], entry["uncompressed_bytes"]) == ("svc.zip", size, 2, 600)
    assert [m["name"] for m in entry["largest"]] == ["triggers/pre_signup.py", "common/__init__.py"]
    assert package["baseline_zip_bytes"] > 0
    assert inspect_zip(tmp_path / "svc.zip")["names"] == ["common/__init__.py", "triggers/pre_signup.py"]
    assert entry["kind"] == "function"


def test_inspect_package_tells_a_layers_zip_from_a_functions(tmp_path: Path) -> None:
    for name in ("fn.zip", "deps.zip"):
        with zipfile.ZipFile(tmp_path / name, "w") as archive:
            archive.writestr("python/x.py" if name == "deps.zip" else "triggers/x.py", "x = 1\n")
    specs = [FunctionSpec("x", "X", "triggers/x.handler", 512, False, "fn.zip")]
    kinds = {entry["file"]: entry["kind"] for entry in inspect_package(tmp_path, specs)["zips"]}
    assert kinds == {"fn.zip": "function", "deps.zip": "layer"}
    result = _result()
    result["package"] = inspect_package(tmp_path, specs)
    lines = render(result).splitlines()
    size = (tmp_path / "deps.zip").stat().st_size
    expected = f"  deps.zip: {size:,} bytes, 1 files  (a layer: reported, not judged)"
    assert [line for line in lines if "deps.zip" in line] == [expected]


def _result() -> dict:
    summary = {"n": 3, "median": 250.0, "p99": 260.0, "min": 240.0, "max": 260.0}
    floor = {"n": 3, "median": 200.0, "p99": 210.0, "min": 190.0, "max": 210.0}
    small = {"n": 200, "median": 0.2, "p99": 0.4, "min": 0.1, "max": 0.5}
    return {
        "started_at": "2026-11-26T09:00:00+00:00",
        "duration_s": 42.0,
        "machine": {"python": "3.11.7", "cpus": 2, "load_before": 0.4, "load_after": 1.5},
        "settings": {"runs": 3, "iterations": 200},
        "floors": {"bare_python": {"cold_ms": {"n": 3, "median": 20.0, "p99": 21.0, "min": 19.0, "max": 21.0}}},
        "functions": [
            {
                "key": "preSignUp",
                "handler": "triggers/pre_signup.handler",
                "status": "measured",
                "cold": {
                    "scenario": "sign-up",
                    "handler_ms": summary,
                    "import_ms": small,
                    "first_invoke_ms": small,
                    "floor": "boto",
                    "floor_ms": floor,
                    "ratio": 1.25,
                    "delta_ms": 50.0,
                    "handler_cpu_ms": {"n": 3, "median": 120.0, "p99": 130.0, "min": 110.0, "max": 130.0},
                    "floor_cpu_ms": {"n": 3, "median": 100.0, "p99": 101.0, "min": 99.0, "max": 101.0},
                    "cpu_ratio": 1.2,
                    "aws_calls": [["dynamodb", "PutItem"]],
                    "max_rss_mb": 50.0,
                },
                "warm": [
                    {
                        "scenario": "sign-up",
                        "aws_calls_per_invocation": 1,
                        "handler_ms": small,
                        "overhead_ms": small,
                        "floor_ms": small,
                        "ratio": 1.0,
                        "raised": None,
                    }
                ],
            },
            {
                "key": "api",
                "handler": "api/app.handler",
                "status": "skipped",
                "reason": "handler module api.app does not exist yet",
            },
        ],
        "package": {"dir": "/tmp/p", "zips": [{"file": "svc.zip", "bytes": 1234, "files": 3}], "functions": []},
        "targets": [
            {
                "function": "preSignUp",
                "target": "cold start (cpu) at most 1.15x the floor",
                "measured": 1.25,
                "limit": 1.15,
                "unit": "x",
                "holds": False,
            },
        ],
    }


def test_report_shows_every_section_and_the_skipped_function() -> None:
    text = render(_result())
    assert "bare Python cold start (interpreter + trivial handler): 20.0 ms median" in text
    assert "WARNING: load average 1.50 on 2 cpus: other work competes, cold starts are noisy" in text
    assert "preSignUp  sign-up  250.0" in text
    assert "200.0 (boto)  1.25x  +50.0  120.0 / 100.0 = 1.20x  1" in text
    assert "svc.zip: 1,234 bytes, 3 files" in text
    assert "[MISSED] preSignUp: cold start (cpu) at most 1.15x the floor: 1.250 x (limit 1.15)" in text
    assert "api (api/app.handler): skipped: handler module api.app does not exist yet" in text


def test_child_reports_the_shape_the_runner_reads(tmp_path: Path) -> None:
    """One cold and one warm child on the bare baseline: keys and counts, never the times themselves."""

    def child(mode: str, iterations: int = 0) -> dict:
        result_path = tmp_path / f"{mode}.json"
        spec = {
            "mode": mode,
            "root": str(ROOT),
            "module": "bench.baselines.bare",
            "attribute": "handler",
            "event": {"request": {}, "response": {}},
            "iterations": iterations,
            "warmup": 2,
            "result_path": str(result_path),
        }
        subprocess.run([sys.executable, str(CHILD)], input=json.dumps(spec).encode(), check=True, timeout=60)
        return json.loads(result_path.read_text())

    cold = child("cold")
    assert cold["boot_ns"] <= cold["import_start_ns"] <= cold["imported_ns"] <= cold["done_ns"]
    assert (cold["raised"], cold["returned_event"]) == (None, True)
    assert cold["cpu_ns"] > 0
    assert cold["clients"] == {"factories": [], "live": []}
    assert "boto3" not in cold["heavy_imports"]
    assert [m["name"] for m in cold["project_modules"]] == []
    warm = child("warm", iterations=5)
    assert len(warm["total_ns"]) == len(warm["aws_ns"]) == len(warm["aws_calls"]) == 5
    assert (warm["aws_ns"], warm["aws_calls"], warm["aws_timer"], warm["raised"]) == ([0] * 5, [0] * 5, False, None)


def test_aws_time_is_the_union_of_call_intervals_so_parallel_calls_count_once() -> None:
    from bench.child import covered_ns  # noqa: PLC0415  (the child script is importable on purpose)

    assert covered_ns([]) == 0
    assert covered_ns([(0, 10), (20, 25)]) == 15
    assert covered_ns([(5, 15), (0, 10), (20, 25)]) == 20
    assert covered_ns([(0, 100), (10, 20), (30, 40)]) == 100
    assert covered_ns([(0, 10), (10, 20)]) == 20


def test_project_modules_load_from_source_like_in_lambda_others_keep_their_bytecode() -> None:
    from bench.child import _NoBytecodeFinder, _SourceOnlyLoader  # noqa: PLC0415

    finder = _NoBytecodeFinder()
    spec = finder.find_spec("common.config", [str(ROOT / "common")])
    assert isinstance(spec.loader, _SourceOnlyLoader)
    assert spec.loader.path == str(ROOT / "common" / "config.py")
    code = spec.loader.get_code("common.config")
    assert code.co_filename == str(ROOT / "common" / "config.py")
    assert finder.find_spec("json", None) is None
    assert finder.find_spec("boto3", None) is None


def test_packages_the_project_ships_load_from_source_too() -> None:
    from bench.child import _NoBytecodeFinder, _SourceOnlyLoader  # noqa: PLC0415

    spec = _NoBytecodeFinder().find_spec("email_validator", None)
    assert spec is not None and isinstance(spec.loader, _SourceOnlyLoader)
    assert spec.loader.path.endswith("email_validator/__init__.py")


def test_packages_shipped_with_runtime_bytecode_keep_it() -> None:
    from bench.child import _NoBytecodeFinder  # noqa: PLC0415

    finder = _NoBytecodeFinder(("common", "triggers", "api"))  # the layer ships email-validator compiled
    assert finder.find_spec("email_validator", None) is None
    assert finder.find_spec("common.config", [str(ROOT / "common")]) is not None


def test_inspect_package_names_the_packages_a_zip_ships_bytecode_for(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "layer.zip", "w") as archive:
        archive.writestr("python/idna/core.py", "x = 1\n")
        archive.writestr("python/idna/__pycache__/core.cpython-313.pyc", b"\xf3\r\r\n")
        archive.writestr("python/email_validator/__init__.py", "x = 1\n")
    with zipfile.ZipFile(tmp_path / "fn.zip", "w") as archive:
        archive.writestr("triggers/x.py", "x = 1\n")
    specs = [FunctionSpec("x", "X", "triggers/x.handler", 512, False, "fn.zip")]
    assert inspect_package(tmp_path, specs)["bytecode_packages"] == ["idna"]


def test_the_child_environment_has_the_variables_lambda_defines(tmp_path: Path) -> None:
    from bench.run import Runner  # noqa: PLC0415

    class _Stub:
        endpoint_url = "http://127.0.0.1:9"

    env = Runner(_Stub(), tmp_path).base_env("preSignUp", 1024, "triggers/pre_signup.handler")  # type: ignore[arg-type]
    # The X-Ray SDK and Powertools branch on these: without LAMBDA_TASK_ROOT the SDK builds a sampling client.
    assert env["LAMBDA_TASK_ROOT"] == str(ROOT)
    assert env["_HANDLER"] == "triggers/pre_signup.handler"
    assert env["AWS_LAMBDA_FUNCTION_NAME"] == "preSignUp"
    assert env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] == "1024"
    assert env["AWS_LAMBDA_LOG_GROUP_NAME"] == "/aws/lambda/preSignUp"
    assert env["AWS_LAMBDA_INITIALIZATION_TYPE"] == "on-demand"
    assert env["AWS_XRAY_DAEMON_ADDRESS"] == "127.0.0.1:2000"
    assert env["_X_AMZN_TRACE_ID"].endswith(";Sampled=1")
    assert env["AWS_ENDPOINT_URL"] == "http://127.0.0.1:9"


def test_report_notes_a_raising_handler_and_the_xray_clients() -> None:
    result = _result()
    result["functions"][0]["cold"].update(raised="UserFacingError: nope", returned_event=False)
    result["functions"][0]["cold"]["clients_alive"] = ["dynamodb", "xray"]
    text = render(result)
    assert "NOTES\n  preSignUp: the cold invocation raised UserFacingError: nope\n" in text
    assert "  preSignUp: the cold invocation did not return the event\n" in text
    assert "  preSignUp: builds X-Ray SDK clients at init (Powertools Tracer)\n" in text


def test_child_reports_an_import_failure_instead_of_timings(tmp_path: Path) -> None:
    result_path = tmp_path / "cold.json"
    spec = {
        "mode": "cold",
        "root": str(ROOT),
        "module": "triggers.no_such_trigger",
        "attribute": "handler",
        "event": {},
        "result_path": str(result_path),
    }
    done = subprocess.run([sys.executable, str(CHILD)], input=json.dumps(spec).encode(), check=False, timeout=60)
    result = json.loads(result_path.read_text())
    assert done.returncode == 1
    assert result["error"] == "import failed: ModuleNotFoundError: No module named 'triggers.no_such_trigger'"
    assert "done_ns" not in result
