"""A tiny local AWS endpoint that answers DynamoDB and Cognito JSON calls with canned responses.

The benchmark measures our code, not the network or moto: every function (and its baseline) talks to this stub
through ``AWS_ENDPOINT_URL``, so both sides pay the same, small, constant round trip. The stub records every call
(service, operation, request body) so the benchmark can (1) report how many AWS calls an invocation made and
(2) make the baseline handler replay exactly the same calls.

Canned answers are deliberately the "happy path" a real account gives: a ``GetItem`` keyed by ``userId`` finds a
profile (so pre-token-generation does not take its self-repair path on every call), any other ``GetItem`` finds
nothing (so pre-signup sees a free email address), writes succeed, and Cognito admin calls succeed.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["PROFILE_ITEM", "RecordedCall", "StubAws", "canned_response", "parse_target", "running_stub"]

# X-Amz-Target prefixes of the JSON-protocol services the functions use.
_SERVICES = {
    "DynamoDB_20120810": "dynamodb",
    "AWSCognitoIdentityProviderService": "cognito-idp",
}

# The item a profile read finds (DynamoDB JSON, attribute names as agreed in the profiles interface).
PROFILE_ITEM: dict[str, Any] = {
    "email": {"S": "jane.doe@example.com"},
    "emailVerified": {"BOOL": True},
    "name": {"S": "Jane Doe"},
    "locale": {"S": "en"},
    "role": {"S": "user"},
    "createdAt": {"S": "2026-11-26T08:00:00Z"},
    "updatedAt": {"S": "2026-11-26T08:00:00Z"},
}

_USER_ATTRIBUTES = [
    {"Name": "sub", "Value": "6f5e4d3c-2b1a-4098-8765-43210fedcba9"},
    {"Name": "email", "Value": "jane.doe@example.com"},
    {"Name": "email_verified", "Value": "true"},
    {"Name": "name", "Value": "Jane Doe"},
    {"Name": "locale", "Value": "en"},
]

_TOKENS = {
    "AuthenticationResult": {
        "AccessToken": "bench.access.token",
        "IdToken": "bench.id.token",
        "RefreshToken": "bench.refresh.token",
        "ExpiresIn": 3600,
        "TokenType": "Bearer",
    }
}


@dataclass(frozen=True)
class RecordedCall:
    """One request the stub answered."""

    service: str
    operation: str
    params: dict[str, Any]


def parse_target(target: str | None) -> tuple[str, str] | None:
    """``DynamoDB_20120810.GetItem`` → ``("dynamodb", "GetItem")``; ``None`` for anything we do not serve."""
    if not target or "." not in target:
        return None
    prefix, _, operation = target.partition(".")
    service = _SERVICES.get(prefix)
    if service is None or not operation:
        return None
    return service, operation


def _dynamodb(operation: str, params: dict[str, Any]) -> dict[str, Any]:
    if operation == "GetItem":
        key = params.get("Key") or {}
        if "userId" in key:
            return {"Item": {**PROFILE_ITEM, **key}}
        return {}
    if operation in {"PutItem", "DeleteItem"}:
        return {}
    if operation == "UpdateItem":
        if params.get("ReturnValues", "NONE") != "NONE":
            return {"Attributes": {**PROFILE_ITEM, **(params.get("Key") or {})}}
        return {}
    if operation == "Query":
        return {"Items": [], "Count": 0, "ScannedCount": 0}
    if operation == "TransactWriteItems":
        return {}
    return {}


def _cognito(operation: str, params: dict[str, Any]) -> dict[str, Any]:
    if operation == "AdminGetUser":
        return {
            "Username": params.get("Username", "bench-user"),
            "UserAttributes": _USER_ATTRIBUTES,
            "UserStatus": "CONFIRMED",
            "Enabled": True,
        }
    if operation == "GetUser":
        return {"Username": "6f5e4d3c-2b1a-4098-8765-43210fedcba9", "UserAttributes": _USER_ATTRIBUTES}
    if operation == "AdminListGroupsForUser":
        return {"Groups": [{"GroupName": "user", "Precedence": 10}]}
    if operation == "ListUsers":
        return {"Users": []}
    if operation in {"InitiateAuth", "AdminInitiateAuth", "RespondToAuthChallenge"}:
        return _TOKENS
    if operation == "SignUp":
        return {"UserConfirmed": False, "UserSub": "6f5e4d3c-2b1a-4098-8765-43210fedcba9"}
    return {}


def canned_response(service: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
    """The happy-path answer to one call (see the module docstring)."""
    if service == "dynamodb":
        return _dynamodb(operation, params)
    return _cognito(operation, params)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as botocore's pooled connections expect
    # Headers and body leave in one segment with Nagle off: otherwise the client's delayed ACK adds ~40 ms per
    # call, which would be a property of this stub, not of the code under test.
    disable_nagle_algorithm = True
    wbufsize = 64 * 1024
    server: _Server

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        parsed = parse_target(self.headers.get("X-Amz-Target"))
        if parsed is None:
            self._send(400, {"__type": "UnknownOperationException", "message": "not served by the bench stub"})
            return
        try:
            params = json.loads(raw or b"{}")
        except ValueError:
            self._send(400, {"__type": "SerializationException", "message": "bad JSON"})
            return
        service, operation = parsed
        self.server.stub.record(RecordedCall(service, operation, params))
        content_type = "application/x-amz-json-1.0" if service == "dynamodb" else "application/x-amz-json-1.1"
        self._send(200, canned_response(service, operation, params), content_type)

    def _send(self, status: int, body: dict[str, Any], content_type: str = "application/x-amz-json-1.1") -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("x-amzn-RequestId", "bench-0000")
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        return


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    stub: StubAws


class StubAws:
    """The stub server plus its call log. Use :func:`running_stub` to start and stop it."""

    def __init__(self) -> None:
        self._calls: list[RecordedCall] = []
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def endpoint_url(self) -> str:
        if self._server is None:
            raise RuntimeError("stub not started")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def record(self, call: RecordedCall) -> None:
        with self._lock:
            self._calls.append(call)

    def take_calls(self) -> list[RecordedCall]:
        """The calls recorded since the last ``take_calls``; clears the log."""
        with self._lock:
            calls, self._calls = self._calls, []
        return calls

    def start(self) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.stub = self
        self._thread = threading.Thread(target=self._server.serve_forever, name="bench-stub-aws", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


@contextmanager
def running_stub() -> Iterator[StubAws]:
    """A started stub on 127.0.0.1 (a free port), stopped on exit."""
    stub = StubAws()
    stub.start()
    try:
        yield stub
    finally:
        stub.stop()
