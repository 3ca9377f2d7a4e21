"""`npx serverless invoke local` runs every function with each of its sample events (the README's command),
against the local stack: the framework resolves each function's `!Ref` environment variables through the local
endpoint's CloudFormation answer, and the handlers' AWS calls go to the local tables and pool."""

from __future__ import annotations

import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import LocalStackHandle
from tests.events import EVENTS, load_event

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
FUNCTIONS = {
    "pre-signup": "preSignUp",
    "post-confirmation": "postConfirmation",
    "pre-token-generation": "preTokenGeneration",
    "custom-message": "customMessage",
}
PASSWORD = "Correct-Horse-9-Battery"


def _result(stdout: str) -> dict[str, Any]:
    """The handler's answer: the last pretty-printed JSON object (log lines are one-line JSON)."""
    lines = stdout.splitlines()
    start = max(i for i, line in enumerate(lines) if line == "{")
    end = next(i for i in range(start, len(lines)) if lines[i] == "}")
    result: dict[str, Any] = json.loads("\n".join(lines[start : end + 1]))
    return result


def _invoke(stack: LocalStackHandle, function: str, event_file: Path) -> tuple[int, str, str]:
    env = {
        **os.environ,
        "AWS_ENDPOINT_URL": stack.endpoint_url,
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_SESSION_TOKEN": "local",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "VIRTUAL_ENV": str(ROOT / ".venv"),
    }
    completed = subprocess.run(
        ["npx", "serverless", "invoke", "local", "-f", function, "-p", str(event_file)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return completed.returncode, completed.stdout, completed.stderr


def _confirmed_user(stack: LocalStackHandle, email: str) -> str:
    """A user that really exists in the local pool (post-confirmation adds it to a group), confirmed through the
    stack so its first post-confirmation already ran: invoking it again is a retry, which must change nothing."""
    cognito = stack.cognito()
    sub = cognito.sign_up(
        ClientId=stack.client_id, Username=email, Password=PASSWORD, SecretHash=stack.secret_hash(email)
    )["UserSub"]
    cognito.confirm_sign_up(
        ClientId=stack.client_id,
        Username=email,
        ConfirmationCode=stack.outbox.latest_code(email),
        SecretHash=stack.secret_hash(email),
    )
    return str(sub)


def test_every_sample_event_runs_through_invoke_local(
    local_stack: LocalStackHandle, unique_email: str, tmp_path: Path
) -> None:
    sub = _confirmed_user(local_stack, unique_email)
    cases: list[tuple[str, Path, dict[str, Any]]] = []
    for source in sorted(EVENTS.glob("*.json")):
        event = load_event(source.stem)
        event["userPoolId"] = local_stack.pool_id  # the calls a handler makes on the pool go to the local one
        if source.stem.startswith("pre-signup."):  # each sign-up claims its own address (they run in parallel)
            event["request"]["userAttributes"]["email"] = f"invoke-{source.stem.replace('.', '-')}@example.com"
        if source.stem == "post-confirmation.confirm-sign-up":
            event["userName"] = sub
            event["request"]["userAttributes"].update(sub=sub, email=unique_email)
        path = tmp_path / source.name
        path.write_text(json.dumps(event), encoding="utf-8")
        cases.append((FUNCTIONS[source.stem.split(".", 1)[0]], path, event))

    with ThreadPoolExecutor(max_workers=3) as pool:
        outcomes = list(pool.map(lambda case: _invoke(local_stack, case[0], case[1]), cases))

    for (function, path, event), (code, stdout, _stderr) in zip(cases, outcomes, strict=True):
        assert code == 0, f"{function} {path.name}: {stdout[-3000:]}"
        result = _result(stdout)
        assert "errorMessage" not in result, f"{function} {path.name}: {result}"
        assert {k: v for k, v in result.items() if k != "response"} == {
            k: v for k, v in event.items() if k != "response"
        }, f"{function} {path.name}: the event came back changed outside `response`"
