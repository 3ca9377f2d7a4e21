"""The local stack for end-to-end tests: one server process per test session, real boto3 calls over HTTP.

``local_stack`` starts ``python -m local.server`` on a free port with a fresh state directory, waits until it
has provisioned itself from the packaged template, and stops it at the end of the session.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import queue
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config

ROOT = Path(__file__).resolve().parents[2]
READY = "LOCAL_STACK_READY "
START_TIMEOUT_SECONDS = 180  # includes `serverless package` when the template is stale


def _get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=30) as response:  # local endpoint only
        return json.loads(response.read())


@dataclass
class LocalOutbox:
    """The messages the local Cognito delivered (``GET /_local/outbox``)."""

    endpoint_url: str

    def messages(self, to: str) -> list[dict[str, Any]]:
        """Messages to one address, oldest first: keys to, subject, body, text, code, trigger_source, ..."""
        query = urllib.parse.urlencode({"to": to})
        messages: list[dict[str, Any]] = _get_json(f"{self.endpoint_url}/_local/outbox?{query}")["messages"]
        return messages

    def latest_code(self, to: str) -> str:
        """The code in the newest message to ``to``."""
        messages = self.messages(to)
        assert messages, f"no message was delivered to {to}"
        code = messages[-1]["code"]
        assert isinstance(code, str)
        return code


@dataclass
class LocalStackHandle:
    """A running local stack and typed access to what the tests need."""

    info: dict[str, Any]
    state_dir: Path
    _clients: dict[str, Any] = field(default_factory=dict)

    endpoint_url: str = ""
    region: str = ""
    pool_id: str = ""
    client_id: str = ""
    client_secret: str = ""
    profiles_table: str = ""
    email_claims_table: str = ""
    api_url: str = ""

    def __post_init__(self) -> None:
        self.endpoint_url = self.info["endpoint_url"]
        self.region = self.info["region"]
        self.pool_id = self.info["pool_id"]
        self.client_id = self.info["client_id"]
        self.client_secret = self.info["client_secret"] or ""
        self.profiles_table = self.info["tables"].get("ProfilesTable", "")
        self.email_claims_table = self.info["tables"].get("EmailClaimsTable", "")
        self.api_url = self.info["api_url"]

    @cached_property
    def outbox(self) -> LocalOutbox:
        return LocalOutbox(self.endpoint_url)

    def client(self, service: str) -> Any:
        """A boto3 client for any service, bound to the local endpoint."""
        if service not in self._clients:
            self._clients[service] = boto3.session.Session().client(
                service,  # type: ignore[call-overload]
                endpoint_url=self.endpoint_url,
                region_name=self.region,
                aws_access_key_id="local",
                aws_secret_access_key="local",
                config=Config(retries={"max_attempts": 1}, read_timeout=60),
            )
        return self._clients[service]

    def cognito(self) -> Any:
        """A Cognito IdP client bound to the local endpoint."""
        return self.client("cognito-idp")

    def dynamodb(self) -> Any:
        """A DynamoDB client bound to the local endpoint."""
        return self.client("dynamodb")

    def secret_hash(self, username: str) -> str:
        """Base64(HMAC-SHA256(client secret, username + client id))."""
        digest = hmac.new(self.client_secret.encode(), (username + self.client_id).encode(), hashlib.sha256)
        return base64.b64encode(digest.digest()).decode()

    def invocations(self, trigger: str | None = None, user: str | None = None, source: str | None = None) -> list[Any]:
        """Trigger invocations recorded by the stack (event, result or error, attempt, cold start)."""
        query = urllib.parse.urlencode(
            {k: v for k, v in (("trigger", trigger), ("user", user), ("source", source)) if v}
        )
        records: list[Any] = _get_json(f"{self.endpoint_url}/_local/invocations?{query}")["invocations"]
        return records

    def advance_clock(self, seconds: float) -> None:
        """Move the emulation's clock forward (codes expire)."""
        request = urllib.request.Request(
            f"{self.endpoint_url}/_local/clock",
            data=json.dumps({"advance_seconds": seconds}).encode(),
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=30):
            pass


def start_local_stack(state_dir: Path, template: Path | None = None) -> tuple[subprocess.Popen[bytes], dict[str, Any]]:
    """Start a server process and wait for its ready line (shared with tests that need a second stack)."""
    command = [sys.executable, "-m", "local.server", "--port", "0", "--state-dir", str(state_dir)]
    if template is not None:
        command += ["--template", str(template)]
    log = (state_dir / "server.log").open("ab")
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=log, env=dict(os.environ))
    lines: queue.Queue[bytes] = queue.Queue()

    def drain() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)
        lines.put(b"")

    threading.Thread(target=drain, daemon=True).start()
    try:
        while True:
            line = lines.get(timeout=START_TIMEOUT_SECONDS).decode()
            if line.startswith(READY):
                return process, json.loads(line[len(READY) :])
            if not line:
                break
    except queue.Empty:
        pass
    process.kill()
    process.wait()
    tail = (state_dir / "server.log").read_text(errors="replace")[-4000:]
    raise RuntimeError(f"the local stack did not start:\n{tail}")


def stop_local_stack(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def packaged_template() -> dict[str, Any]:
    """A fresh copy of the packaged template (packaging the stack first when it is stale)."""
    sys.path.insert(0, str(ROOT))
    from local.template import ensure_packaged  # noqa: PLC0415

    document: dict[str, Any] = json.loads(ensure_packaged().read_text())
    return document


@pytest.fixture(scope="session")
def stack_from_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Start extra stacks from test-only templates: ``stack_from_template(document) -> LocalStackHandle``.

    Every stack started this way stops at the end of the session.
    """
    processes: list[subprocess.Popen[bytes]] = []

    def start(document: dict[str, Any]) -> LocalStackHandle:
        state_dir = tmp_path_factory.mktemp("local-stack-custom")
        template = state_dir / "template.json"
        template.write_text(json.dumps(document))
        process, info = start_local_stack(state_dir, template)
        processes.append(process)
        return LocalStackHandle(info=info, state_dir=state_dir)

    try:
        yield start
    finally:
        for process in processes:
            stop_local_stack(process)


@pytest.fixture(scope="session")
def local_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStackHandle]:
    """The local stack, provisioned from the packaged template, for the whole session."""
    state_dir = tmp_path_factory.mktemp("local-stack")
    process, info = start_local_stack(state_dir)
    try:
        yield LocalStackHandle(info=info, state_dir=state_dir)
    finally:
        stop_local_stack(process)


@pytest.fixture
def unique_email() -> str:
    """An address no other test uses."""
    return f"user-{uuid.uuid4().hex[:12]}@example.com"
