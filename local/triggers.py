"""Cognito's side of a trigger invocation: timeout, retries, and how failures reach the client.

* The handler raised: ``UserLambdaValidationException`` "<Trigger> failed with error <message>." (no retry:
  Lambda answered, with a function error).
* No answer within the function's timeout (cold start included): the sandbox is discarded and Cognito retries,
  up to three attempts in all; then ``UnexpectedLambdaException``.
* Output that is not the event object: ``InvalidLambdaResponseException`` "Unrecognizable lambda output".
"""

from __future__ import annotations

import time
from typing import Any

from local.errors import AwsError
from local.recorder import Recorder
from local.stack import LocalStack
from local.workers import InvocationError, SandboxPool

__all__ = ["ATTEMPTS", "TriggerInvoker"]

ATTEMPTS = 3
COGNITO_TIMEOUT_SECONDS = 5.0


class TriggerInvoker:
    """Invokes the function mapped to a trigger in the pool's LambdaConfig."""

    def __init__(self, stack: LocalStack, sandboxes: SandboxPool, recorder: Recorder) -> None:
        self.stack = stack
        self.sandboxes = sandboxes
        self.recorder = recorder

    def configured(self, trigger: str) -> bool:
        return trigger in self.stack.triggers

    def invoke(self, trigger: str, event: dict[str, Any]) -> dict[str, Any]:
        """Invoke and return the handler's event; raise :class:`AwsError` as Cognito would."""
        function = self.stack.triggers[trigger]
        timeout = min(self.stack.functions[function].timeout_seconds, COGNITO_TIMEOUT_SECONDS)
        for attempt in range(1, ATTEMPTS + 1):
            record: dict[str, Any] = {
                "trigger": trigger,
                "function": function,
                "attempt": attempt,
                "event": event,
                "at": time.time(),
            }
            try:
                outcome = self.sandboxes.invoke(function, event, timeout)
            except InvocationError as failure:
                record.update(error={"kind": failure.kind, "type": failure.error_type, "message": failure.message})
                self.recorder.add(record)
                if failure.kind == "timeout" and attempt < ATTEMPTS:
                    continue
                raise _client_error(trigger, failure) from None
            record.update(result=outcome.result, cold_start=outcome.cold_start, duration_ms=outcome.duration_ms)
            self.recorder.add(record)
            if not isinstance(outcome.result, dict) or not isinstance(outcome.result.get("response"), dict):
                raise AwsError("InvalidLambdaResponseException", "Unrecognizable lambda output")
            return outcome.result
        raise AssertionError("unreachable")  # pragma: no cover


def _client_error(trigger: str, failure: InvocationError) -> AwsError:
    if failure.kind == "timeout":
        return AwsError(
            "UnexpectedLambdaException",
            f"{trigger} invocation failed due to error Socket timeout while invoking Lambda function.",
        )
    if failure.kind == "invalid":
        return AwsError("InvalidLambdaResponseException", "Unrecognizable lambda output")
    return AwsError("UserLambdaValidationException", f"{trigger} failed with error {failure.message}.")
