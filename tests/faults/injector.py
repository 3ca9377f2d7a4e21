"""Fault injection under every AWS call the handlers make, at the HTTP layer botocore sends through.

moto answers AWS calls from a ``before-send`` hook (``BotocoreStubber``). Wrapping that hook lets a test fail a
chosen operation *before* moto executes it (throttling, 5xx, timeouts, refused connections), or *after* it
executed (``lost_response``: the write happened, the answer never arrived — the case that makes retries
dangerous). Because the fault sits below botocore's retry handler, the clients' real retry policy
(``common.aws.AwsTimeouts``) runs exactly as it would in Lambda.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.exceptions import EndpointConnectionError, ReadTimeoutError
from moto.core.models import BotocoreStubber

# botocore's service id (in event names) → the IAM prefix of the same service.
_IAM_PREFIX = {"dynamodb": "dynamodb", "cognito-identity-provider": "cognito-idp"}


class _Raw:
    """The raw-stream object ``AWSResponse`` reads a body from."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._body


def _error_response(request: AWSPreparedRequest, status: int, code: str) -> AWSResponse:
    body = json.dumps({"__type": code, "message": "injected fault"}).encode()
    headers = {"x-amzn-RequestId": "00000000-fault", "Content-Type": "application/x-amz-json-1.1"}
    return AWSResponse(request.url, status, headers, _Raw(body))  # type: ignore[arg-type]


def _throttling(request: AWSPreparedRequest, service: str) -> AWSResponse:
    # What each service really answers when a quota is exceeded.
    code = "ProvisionedThroughputExceededException" if service == "dynamodb" else "TooManyRequestsException"
    return _error_response(request, 400, code)


def _throttling_generic(request: AWSPreparedRequest, service: str) -> AWSResponse:
    return _error_response(request, 400, "ThrottlingException")


def _internal(request: AWSPreparedRequest, service: str) -> AWSResponse:
    code = "InternalServerError" if service == "dynamodb" else "InternalErrorException"
    return _error_response(request, 500, code)


def _unavailable(request: AWSPreparedRequest, service: str) -> AWSResponse:
    return _error_response(request, 503, "ServiceUnavailable")


def _read_timeout(request: AWSPreparedRequest, service: str) -> AWSResponse:
    raise ReadTimeoutError(endpoint_url=request.url)


def _connection(request: AWSPreparedRequest, service: str) -> AWSResponse:
    raise EndpointConnectionError(endpoint_url=request.url)


# name → (fails before moto executes the call?, fault)
FAULTS: dict[str, tuple[bool, Callable[[AWSPreparedRequest, str], AWSResponse]]] = {
    "throttled": (True, _throttling),
    "throttling_exception": (True, _throttling_generic),
    "internal_error_500": (True, _internal),
    "unavailable_503": (True, _unavailable),
    "read_timeout": (True, _read_timeout),
    "connection_error": (True, _connection),
    "lost_response": (False, _read_timeout),
}


@dataclass
class FaultInjector:
    """Records every AWS call (``service:Operation``) and fails the armed ones."""

    calls: list[str] = field(default_factory=list)
    injected: int = 0
    #: Seconds every call waits before it is answered (a brownout: slow, not failing).
    latency: float = 0.0
    _operation: str | None = None
    _fault: str | None = None
    _remaining: int | None = None
    _skip: int = 0

    def arm(self, operation: str, fault: str, attempts: int | None = None, *, skip: int = 0) -> None:
        """Fail ``operation`` with ``fault`` for ``attempts`` attempts (``None``: until :meth:`heal`), after letting
        its first ``skip`` calls through (to reach the second call of an operation a flow makes twice)."""
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}")
        self._operation, self._fault, self._remaining, self._skip = operation, fault, attempts, skip

    def heal(self) -> None:
        self._operation = self._fault = self._remaining = None
        self._skip = 0

    def _armed_for(self, operation: str) -> bool:
        if self._operation != operation or self._fault is None:
            return False
        if self._skip > 0:
            self._skip -= 1
            return False
        if self._remaining is None:
            return True
        if self._remaining <= 0:
            return False
        self._remaining -= 1
        return True

    def __call__(self, stubber: BotocoreStubber, event_name: str, request: AWSPreparedRequest) -> AWSResponse | None:
        _, service, name = event_name.split(".", 2)
        operation = f"{_IAM_PREFIX.get(service, service)}:{name}"
        self.calls.append(operation)
        if self.latency:
            time.sleep(self.latency)
        if not self._armed_for(operation):
            return _ORIGINAL(stubber, event_name, request)
        assert self._fault is not None
        before, fault = FAULTS[self._fault]
        self.injected += 1
        if not before:
            _ORIGINAL(stubber, event_name, request)  # the call takes effect; its answer is lost
        return fault(request, service)


_ORIGINAL = BotocoreStubber.__call__


def install(monkeypatch: pytest.MonkeyPatch) -> FaultInjector:
    """Put a fresh injector under moto for the current test."""
    injector = FaultInjector()

    def hook(self: BotocoreStubber, event_name: str, request: AWSPreparedRequest, **_: Any) -> AWSResponse | None:
        if not self.enabled:
            return None
        return injector(self, event_name, request)

    monkeypatch.setattr(BotocoreStubber, "__call__", hook)
    return injector


def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retry immediately (the fast tier checks outcomes; the slow tier keeps botocore's real backoff)."""
    from botocore.retries import standard  # noqa: PLC0415

    monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount", lambda self, context: 0)
