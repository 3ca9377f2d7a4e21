"""moto, in this process: its WSGI application for pass-through calls and its backends for state.

There is no second port: requests the emulation does not handle are handed to moto's own WSGI dispatcher
unchanged, and the emulation makes its own JSON-protocol calls to moto through :meth:`Moto.call`, so the
responses (and error shapes) are exactly moto's.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from typing import Any

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

from local.errors import AwsError

__all__ = ["ACCOUNT_ID", "COGNITO_TARGET_PREFIX", "DYNAMODB_TARGET_PREFIX", "Moto"]

ACCOUNT_ID = "123456789012"  # moto's default account (any fake access key maps to it)
COGNITO_TARGET_PREFIX = "AWSCognitoIdentityProviderService."
DYNAMODB_TARGET_PREFIX = "DynamoDB_20120810."

_SERVICES = {COGNITO_TARGET_PREFIX: "cognito-idp", DYNAMODB_TARGET_PREFIX: "dynamodb"}


class Moto:
    """The in-process moto server application."""

    def __init__(self, region: str) -> None:
        self.region = region
        self.app = DomainDispatcherApplication(create_backend_app)

    def forward(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        """Hand a request to moto unchanged."""
        result: Iterable[bytes] = self.app(environ, start_response)
        return result

    def call(self, target: str, body: dict[str, Any]) -> dict[str, Any]:
        """Make one JSON-protocol call (``target`` like ``AWSCognitoIdentityProviderService.SignUp``).

        Returns the decoded response; an error response becomes :class:`AwsError` with moto's code and message.
        """
        status, payload = self.raw_call(target, json.dumps(body).encode())
        decoded: dict[str, Any] = json.loads(payload) if payload.strip() else {}
        if status >= 400:
            code = str(decoded.get("__type", "InternalErrorException")).split("#")[-1]
            message = str(decoded.get("message", decoded.get("Message", "")))
            raise AwsError(code, message, status)
        return decoded

    def raw_call(self, target: str, body: bytes) -> tuple[int, bytes]:
        """One JSON-protocol call; returns the status and the raw body."""
        service = next((name for prefix, name in _SERVICES.items() if target.startswith(prefix)), None)
        if service is None:
            raise AwsError("UnknownOperationException", f"Unknown target {target}")
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/",
            "QUERY_STRING": "",
            "SERVER_NAME": f"{service}.{self.region}.amazonaws.com",
            "SERVER_PORT": "443",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": f"{service}.{self.region}.amazonaws.com",
            "HTTP_X_AMZ_TARGET": target,
            "CONTENT_TYPE": "application/x-amz-json-1.1",
            "CONTENT_LENGTH": str(len(body)),
            "HTTP_AUTHORIZATION": (
                f"AWS4-HMAC-SHA256 Credential=local/20260101/{self.region}/{service}/aws4_request, "
                "SignedHeaders=host, Signature=local"
            ),
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "https",
            "wsgi.errors": io.StringIO(),
            "wsgi.version": (1, 0),
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        captured: dict[str, int] = {}

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
            captured["status"] = int(status.split(" ", 1)[0])

        chunks = self.app(environ, start_response)
        payload = b"".join(chunks)
        close = getattr(chunks, "close", None)
        if close is not None:
            close()
        return captured.get("status", 500), payload

    def cognito(self, operation: str, body: dict[str, Any]) -> dict[str, Any]:
        """A Cognito IdP call."""
        return self.call(COGNITO_TARGET_PREFIX + operation, body)

    def dynamodb(self, operation: str, body: dict[str, Any]) -> dict[str, Any]:
        """A DynamoDB call."""
        return self.call(DYNAMODB_TARGET_PREFIX + operation, body)

    def cognito_backend(self) -> Any:
        """moto's Cognito IdP backend for our account and region (users, tokens, pools)."""
        from moto.cognitoidp.models import cognitoidp_backends  # noqa: PLC0415

        return cognitoidp_backends[ACCOUNT_ID][self.region]
