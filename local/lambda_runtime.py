"""The inside of one local Lambda sandbox: ``python -m local.lambda_runtime <handler>``.

It imports the handler once (a real cold start, with the function's own environment), then answers one JSON
request per line on stdin with one JSON line on the protocol stream. The protocol stream is the original
stdout, duplicated before anything else runs; stdout itself is pointed at stderr so that whatever the handler
prints (Powertools logs and metrics go to stdout) lands in the function's log instead of corrupting replies.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
import traceback
import uuid
from collections.abc import Callable
from typing import Any, TextIO

__all__ = ["LocalContext", "main"]


class LocalContext:
    """The Lambda context object, as handlers (and Powertools) use it."""

    def __init__(self, function_name: str, memory_mb: int, timeout_seconds: float, request_id: str) -> None:
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.memory_limit_in_mb = memory_mb
        self.invoked_function_arn = (
            f"arn:aws:lambda:{os.environ.get('AWS_REGION', 'us-east-1')}:123456789012:function:{function_name}"
        )
        self.aws_request_id = request_id
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = "local"
        self._deadline = time.monotonic() + timeout_seconds

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def _load(handler: str) -> Callable[[Any, Any], Any]:
    module_path, _, function = handler.rpartition(".")
    module = importlib.import_module(module_path.replace("/", "."))
    loaded: Callable[[Any, Any], Any] = getattr(module, function)
    return loaded


def _error(exc: BaseException) -> dict[str, Any]:
    return {
        "errorType": type(exc).__name__,
        "errorMessage": str(exc),
        "stackTrace": traceback.format_exception(exc),
    }


def _serve(handler: str, protocol: TextIO) -> None:
    name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "local")
    memory = int(os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"))
    timeout = float(os.environ.get("LOCAL_LAMBDA_TIMEOUT", "5"))
    init_error: dict[str, Any] | None = None
    function: Callable[[Any, Any], Any] | None = None
    try:
        function = _load(handler)
    except Exception as exc:
        traceback.print_exception(exc)
        init_error = _error(exc)
        if isinstance(exc, ImportError | AttributeError):
            init_error["errorType"] = "Runtime.ImportModuleError"
            init_error["errorMessage"] = f"Unable to import module '{handler.rpartition('.')[0]}': {exc}"
    protocol.write(json.dumps({"ready": init_error is None}) + "\n")
    protocol.flush()
    for line in sys.stdin:
        request = json.loads(line)
        if function is None:
            reply: dict[str, Any] = {"error": init_error}
        else:
            context = LocalContext(name, memory, timeout, request.get("requestId") or str(uuid.uuid4()))
            try:
                reply = {"result": function(request["event"], context)}
            except Exception as exc:
                traceback.print_exception(exc)
                reply = {"error": _error(exc)}
        sys.stdout.flush()
        try:
            encoded = json.dumps(reply)
        except (TypeError, ValueError):
            encoded = json.dumps({"invalid": True})
        protocol.write(encoded + "\n")
        protocol.flush()


def main(argv: list[str]) -> None:
    """Entry point: argv[0] is the handler (``triggers/pre_signup.handler``)."""
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = os.fdopen(1, "w", encoding="utf-8", buffering=1)
    _serve(argv[0], protocol)


if __name__ == "__main__":
    main(sys.argv[1:])
