"""Invoke functions like Lambda does: one long-lived subprocess per concurrent sandbox.

Each sandbox runs ``local.lambda_runtime`` with exactly the function's environment variables (from the
template) plus what the Lambda runtime sets, so settings read at import are isolated per function and the first
invocation pays a real cold start. A sandbox serves one invocation at a time; a busy function gets a second
sandbox, as Lambda scales out. An invocation that outlives the timeout kills its sandbox (the next one starts
cold), exactly as Lambda discards a timed-out sandbox.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from local.stack import FunctionSpec
from local.template import REPO_ROOT

__all__ = ["Invocation", "InvocationError", "Sandbox", "SandboxPool"]


class InvocationError(Exception):
    """A failed invocation: ``kind`` is ``error`` (the handler raised), ``timeout`` or ``invalid`` (bad output)."""

    def __init__(self, kind: str, message: str, error_type: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.error_type = error_type


@dataclass(frozen=True)
class Invocation:
    """A successful invocation's result and what it cost."""

    result: Any
    cold_start: bool
    duration_ms: float


class Sandbox:
    """One running ``local.lambda_runtime`` process."""

    def __init__(self, spec: FunctionSpec, base_env: dict[str, str], log: IO[bytes]) -> None:
        env = dict(base_env)
        env.update(spec.environment)
        env.update(
            {
                "AWS_LAMBDA_FUNCTION_NAME": spec.name,
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(spec.memory_mb),
                "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
                "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{spec.name}",
                "_HANDLER": spec.handler,
                "LAMBDA_TASK_ROOT": str(REPO_ROOT),
                "LOCAL_LAMBDA_TIMEOUT": str(spec.timeout_seconds),
                "PYTHONPATH": str(REPO_ROOT),
                "PYTHONUNBUFFERED": "1",
            }
        )
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
            [sys.executable, "-m", "local.lambda_runtime", spec.handler],
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
        )
        self._buffer = b""
        self._eof = False
        self.warm = False

    def _read_line(self, deadline: float) -> bytes | None:
        """One line from the protocol stream, or None when the deadline passes or the process dies."""
        stdout = self.process.stdout
        assert stdout is not None
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([stdout], [], [], remaining)
            if not ready:
                return None
            chunk = os.read(stdout.fileno(), 65536)
            if not chunk:
                self._eof = True
                return None
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line

    def invoke(self, event: Any, timeout: float) -> Any:
        """Run one event through the handler (the first call includes the cold start in ``timeout``)."""
        deadline = time.monotonic() + timeout
        if not self.warm:
            if self._read_line(deadline) is None:
                self.kill()
                raise InvocationError("timeout", "Task timed out during initialization")
            self.warm = True
        stdin = self.process.stdin
        assert stdin is not None
        try:
            stdin.write(json.dumps({"event": event, "requestId": str(uuid.uuid4())}).encode() + b"\n")
            stdin.flush()
        except OSError:
            self.kill()
            raise InvocationError("error", "Runtime exited", "Runtime.ExitError") from None
        line = self._read_line(deadline)
        if line is None:
            if self._eof:  # the runtime closed its end: it is exiting, not slow
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.process.wait(timeout=2)
            alive = self.process.poll() is None
            self.kill()
            if alive:
                raise InvocationError("timeout", f"Task timed out after {timeout:.2f} seconds")
            status = self.process.returncode
            raise InvocationError("error", f"Runtime exited with error: exit status {status}", "Runtime.ExitError")
        reply = json.loads(line)
        if "error" in reply:
            error = reply["error"] or {}
            raise InvocationError("error", str(error.get("errorMessage", "")), str(error.get("errorType", "")))
        if "invalid" in reply:
            raise InvocationError("invalid", "Unrecognizable lambda output")
        return reply.get("result")

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


class SandboxPool:
    """The sandboxes of every function, created on demand and reused while warm."""

    def __init__(self, functions: dict[str, FunctionSpec], base_env: dict[str, str], log_dir: Path) -> None:
        self.functions = functions
        self.base_env = base_env
        self.log_dir = log_dir
        log_dir.mkdir(parents=True, exist_ok=True)
        self._idle: dict[str, list[Sandbox]] = {name: [] for name in functions}
        self._lock = threading.Lock()
        self._logs: dict[str, IO[bytes]] = {}
        self._all: list[Sandbox] = []

    def _log(self, logical_id: str) -> IO[bytes]:
        if logical_id not in self._logs:
            self._logs[logical_id] = (self.log_dir / f"{self.functions[logical_id].name}.log").open("ab")
        return self._logs[logical_id]

    def invoke(self, logical_id: str, event: Any, timeout: float | None = None) -> Invocation:
        """Invoke a function once (no retries: the caller decides, as Cognito does)."""
        spec = self.functions[logical_id]
        with self._lock:
            idle = self._idle[logical_id]
            sandbox = idle.pop() if idle else None
            if sandbox is None:
                sandbox = Sandbox(spec, self.base_env, self._log(logical_id))
                self._all.append(sandbox)
        cold = not sandbox.warm
        started = time.monotonic()
        try:
            result = sandbox.invoke(event, spec.timeout_seconds if timeout is None else timeout)
        except InvocationError as failure:
            if failure.kind != "timeout" and sandbox.process.poll() is None:
                self._release(logical_id, sandbox)
            raise
        self._release(logical_id, sandbox)
        return Invocation(result, cold, (time.monotonic() - started) * 1000)

    def _release(self, logical_id: str, sandbox: Sandbox) -> None:
        with self._lock:
            self._idle[logical_id].append(sandbox)

    def close(self) -> None:
        """Stop every sandbox."""
        with self._lock:
            for sandbox in self._all:
                sandbox.kill()
            self._all.clear()
            for log in self._logs.values():
                log.close()
            self._logs.clear()
