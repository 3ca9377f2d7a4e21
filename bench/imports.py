"""``python -m bench.imports``: what each building block adds to a cold start, in CPU milliseconds.

Each probe runs in a fresh interpreter and reports the CPU time its statement took (``time.process_time``, so a busy
machine inflates it far less than wall time); the median of several runs is printed. This is where the findings in
docs/performance.md come from: which imports and which constructions a function pays for at init.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from bench.run import LAMBDA_RUNTIME_ENV
from bench.stats import median
from bench.template import discover_functions, load_template

ROOT = Path(__file__).resolve().parent.parent

# (label, setup statement that is not timed, timed statement)
PROBES: list[tuple[str, str, str]] = [
    ("aws_lambda_powertools Logger + Metrics", "", "from aws_lambda_powertools import Logger, Metrics"),
    (
        "Powertools Logger() + Metrics() instances",
        "from aws_lambda_powertools import Logger, Metrics, Tracer",
        "Logger(); Metrics(namespace='x')",
    ),
    (
        "Powertools Tracer() (X-Ray SDK, patch_all)",
        "from aws_lambda_powertools import Tracer",
        "Tracer()",
    ),
    (
        "Powertools Tracer(patch_modules=('botocore',))",
        "from aws_lambda_powertools import Tracer",
        "Tracer(patch_modules=('botocore',))",
    ),
    ("import boto3", "", "import boto3"),
    ("import botocore.session", "", "import botocore.session"),
    ("boto3 + one DynamoDB client", "", "import boto3; boto3.session.Session().client('dynamodb')"),
    (
        "botocore + one DynamoDB client (no boto3)",
        "",
        "import botocore.session; botocore.session.Session().create_client('dynamodb')",
    ),
    (
        "boto3 + DynamoDB + Cognito, one session",
        "",
        "import boto3; s = boto3.session.Session(); s.client('dynamodb'); s.client('cognito-idp')",
    ),
    (
        "boto3 + DynamoDB + Cognito, a session each",
        "",
        "import boto3; boto3.session.Session().client('dynamodb'); boto3.session.Session().client('cognito-idp')",
    ),
    ("email_validator", "", "import email_validator"),
    (
        "email_validator after boto3 + DynamoDB",
        "import boto3; boto3.session.Session().client('dynamodb')",
        "import email_validator",
    ),
    ("common.observability", "", "import common.observability"),
    ("common.trigger", "", "import common.trigger"),
    ("triggers.custom_message", "", "import triggers.custom_message"),
    ("triggers.pre_token_generation", "", "import triggers.pre_token_generation"),
    ("triggers.pre_signup", "", "import triggers.pre_signup"),
    ("triggers.post_confirmation", "", "import triggers.post_confirmation"),
    (
        "triggers.post_confirmation, collector left on",
        "import common.startup_gc as gc_policy; gc_policy._state['paused'] = True  # pause_during_init: no-op",
        "import triggers.post_confirmation",
    ),
    ("api.app", "", "import api.app"),
]

_PROBE = """
import sys, time
sys.path.insert(0, {root!r})
{setup}
start = time.process_time_ns()
{statement}
print(time.process_time_ns() - start)
"""


def _template_env() -> dict[str, str]:
    """Every function's environment from the last ``serverless package`` (so handler modules can import)."""
    path = ROOT / ".serverless" / "cloudformation-template-update-stack.json"
    if not path.exists():
        return {}
    merged: dict[str, str] = {}
    for spec in discover_functions(load_template(path)):
        merged.update(spec.environment)
    return merged


def _env() -> dict[str, str]:
    """A Lambda-like environment: the runtime's reserved variables (bench.run explains why they matter)."""
    return {
        **LAMBDA_RUNTIME_ENV,
        "LAMBDA_TASK_ROOT": str(ROOT),
        **_template_env(),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": "/nonexistent",
        "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
        "POWERTOOLS_SERVICE_NAME": "bench",
        "PROFILE_TABLE_NAME": "bench-profiles",
        "EMAIL_CLAIMS_TABLE_NAME": "bench-email-claims",
        "USER_POOL_ID": "us-east-1_Bench0000",
    }


def probe(setup: str, statement: str, runs: int) -> float | None:
    """Median CPU milliseconds of ``statement`` after ``setup`` in a fresh interpreter (``None`` if it fails)."""
    samples = []
    code = _PROBE.format(root=str(ROOT), setup=setup, statement=statement)
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, env=_env(), check=False)
        if done.returncode != 0:
            return None
        samples.append(int(done.stdout.decode().strip().splitlines()[-1]) / 1e6)
    return round(median(samples), 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.imports", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    rows = [(label, probe(setup, statement, args.runs)) for label, setup, statement in PROBES]
    if args.json:
        print(json.dumps(dict(rows), indent=2))
        return 0
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label.ljust(width)}  {'failed' if value is None else f'{value:7.1f} ms CPU'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
