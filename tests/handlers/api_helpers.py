"""Shared pieces of the API handler tests: settings, realistic HTTP API (payload 2.0) events, and invoking the
handler with a stubbed Cognito client.

The API reads its settings when ``api.app`` is first imported, so :func:`api_app` imports it with the test
environment patched in (and only for the import, so other tests never see these variables).
"""

from __future__ import annotations

import base64
import contextlib
import importlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from unittest import mock

import boto3
from botocore.stub import Stubber

from common import aws
from tests.lambda_context import FakeLambdaContext

EN_CATALOG = Path(__file__).resolve().parents[2] / "common" / "locales" / "en" / "api.json"
KO_CATALOG = Path(__file__).resolve().parents[2] / "common" / "locales" / "ko" / "api.json"

POOL_ID = "us-east-1_Example1"
CLIENT_ID = "3n4b5urk1ft4fl3mg5e62d9ado"
# The same secret and client id as the known-answer test in tests/unit/test_auth_secret_hash.py.
CLIENT_SECRET = "1k2gl0f8kb2bnuo0r52qnkk1i1c5h1f2l8vkhs0bsj3l1e9o6hc8"
ORIGIN = "https://app.example.com"
SUB = "0b2f3c1e-7a4d-4e55-9c1b-2f8e6d4a1b90"
ADMIN_SUB = "5d1c9a77-1e2f-4b3a-8c6d-9e0f1a2b3c4d"

API_ENV = {
    "USER_POOL_ID": POOL_ID,
    "USER_POOL_CLIENT_ID": CLIENT_ID,
    "USER_POOL_CLIENT_SECRET_SOURCE": "env",
    "USER_POOL_CLIENT_SECRET": CLIENT_SECRET,
    "PROFILE_TABLE_NAME": "cognito-users-test-profiles",
    "CORS_ALLOWED_ORIGINS": f"{ORIGIN},http://localhost:5173",
    "API_MAX_BODY_BYTES": "16384",
}

SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    "Referrer-Policy": "no-referrer",
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}


def api_app() -> ModuleType:
    """``api.app``, imported once with the test settings."""
    with mock.patch.dict(os.environ, API_ENV):
        return importlib.import_module("api.app")


def claims(
    sub: str = SUB,
    *,
    groups: list[str] | None = None,
    role: str | None = "user",
    email: str | None = None,
) -> dict[str, str]:
    """Access-token claims as the HTTP API JWT authorizer passes them (every value a string; arrays flattened)."""
    values = {
        "sub": sub,
        "iss": f"https://cognito-idp.us-east-1.amazonaws.com/{POOL_ID}",
        "client_id": CLIENT_ID,
        "origin_jti": "a1b2c3d4-0000-4000-8000-000000000001",
        "event_id": "a1b2c3d4-0000-4000-8000-000000000002",
        "token_use": "access",
        "scope": "aws.cognito.signin.user.admin",
        "auth_time": "1764146417",
        "exp": "1764150017",
        "iat": "1764146417",
        "jti": "a1b2c3d4-0000-4000-8000-000000000003",
        "username": sub,
    }
    if groups is not None:
        values["cognito:groups"] = "[" + " ".join(groups) + "]"
    if role is not None:
        values["role"] = role
    if email is not None:
        values["email"] = email
    return values


def http_event(
    method: str,
    path: str,
    *,
    body: Any = None,
    route: str | None = None,
    path_parameters: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    jwt: dict[str, str] | None = None,
    raw_body: str | None = None,
    base64_body: bytes | None = None,
) -> dict[str, Any]:
    """An API Gateway HTTP API payload 2.0 event, like the one API Gateway sends for ``method path``."""
    all_headers = {
        "accept": "application/json",
        "content-type": "application/json",
        "host": "abc123.execute-api.us-east-1.amazonaws.com",
        "user-agent": "pytest",
        "x-forwarded-for": "198.51.100.7",
        "x-forwarded-port": "443",
        "x-forwarded-proto": "https",
    }
    if jwt is not None:
        all_headers["authorization"] = "Bearer eyJraWQiOiJ0ZXN0In0.eyJzdWIiOiJ0ZXN0In0.c2ln"
    all_headers.update({k.lower(): v for k, v in (headers or {}).items()})
    raw_query = "&".join(f"{k}={v}" for k, v in (query or {}).items())
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": f"{method} {route or path}",
        "rawPath": path,
        "rawQueryString": raw_query,
        "headers": all_headers,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abc123",
            "domainName": "abc123.execute-api.us-east-1.amazonaws.com",
            "domainPrefix": "abc123",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "198.51.100.7",
                "userAgent": "pytest",
            },
            "requestId": "JKJaXmPLvHcESHA=",
            "routeKey": f"{method} {route or path}",
            "stage": "$default",
            "time": "26/Nov/2026:08:40:17 +0000",
            "timeEpoch": 1764146417000,
        },
        "isBase64Encoded": False,
    }
    if query:
        event["queryStringParameters"] = dict(query)
    if path_parameters:
        event["pathParameters"] = dict(path_parameters)
    if jwt is not None:
        event["requestContext"]["authorizer"] = {"jwt": {"claims": jwt, "scopes": None}}
    if base64_body is not None:
        event["body"] = base64.b64encode(base64_body).decode("ascii")
        event["isBase64Encoded"] = True
    elif raw_body is not None:
        event["body"] = raw_body
    elif body is not None:
        event["body"] = json.dumps(body)
    return event


def invoke(event: dict[str, Any]) -> tuple[int, dict[str, str], Any]:
    """Run the handler; returns (status, headers, parsed JSON body or None)."""
    result = api_app().handler(event, FakeLambdaContext(function_name="api"))
    body = result.get("body")
    return result["statusCode"], result.get("headers", {}), json.loads(body) if body else None


def error(code: str, message: str, fields: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """An expected error body."""
    return {"code": code, "message": message, "fields": fields or []}


@contextlib.contextmanager
def stubbed_cognito(store: Any = None) -> Iterator[Stubber]:
    """A Stubber on the Cognito client the API uses (and, optionally, ``store`` as its profile store)."""
    api_app()
    from api import dependencies  # noqa: PLC0415  (imported after api_app() set the settings)

    client = boto3.client("cognito-idp", region_name="us-east-1")
    dependencies.reset()
    try:
        with contextlib.ExitStack() as stack:
            stack.enter_context(mock.patch.object(aws, "cognito_client", lambda: client))
            if store is not None:
                stack.enter_context(mock.patch.object(dependencies, "profile_store", lambda: store))
            stubber = stack.enter_context(Stubber(client))
            yield stubber
            stubber.assert_no_pending_responses()
    finally:
        dependencies.reset()


def english(key: str) -> str:
    """The English catalog text for ``key``."""
    return str(json.loads(EN_CATALOG.read_text(encoding="utf-8"))[key])


def korean(key: str) -> str:
    """The Korean catalog text for ``key``."""
    return str(json.loads(KO_CATALOG.read_text(encoding="utf-8"))[key])
