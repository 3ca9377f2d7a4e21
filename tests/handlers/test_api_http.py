"""HTTP-level behaviour of every answer: the body guard (size, media type, JSON, base64), 404s, CORS from the
allow-list, security headers everywhere, localization, and internal errors masked as 500 INTERNAL_ERROR."""

from __future__ import annotations

import json
from typing import Any
from unittest import mock

import pytest

from tests.handlers.api_helpers import (
    ORIGIN,
    SECURITY_HEADERS,
    SUB,
    api_app,
    english,
    error,
    http_event,
    invoke,
    korean,
    stubbed_cognito,
)

EMAIL = "jane.doe@example.com"
JSON_HEADERS = {"Content-Type": "application/json", **SECURITY_HEADERS}
CORS_HEADERS = {
    "Access-Control-Allow-Origin": ORIGIN,
    "Access-Control-Allow-Headers": "Accept-Language,Authorization,Content-Type,X-Amz-Date,X-Amz-Security-Token,"
    "X-Api-Key",
    "Access-Control-Max-Age": "600",
}


def refused(code: str, key: str | None = None) -> tuple[int, dict[str, str], dict[str, Any]]:
    status = {"MALFORMED_JSON": 400, "PAYLOAD_TOO_LARGE": 413, "UNSUPPORTED_MEDIA_TYPE": 415}[code]
    return status, JSON_HEADERS, error(code, english(key or f"api.error.{code.lower()}"))


@pytest.mark.parametrize(
    "raw",
    ["{", '{"email": ', "not json", "{'single': 'quotes'}", "[" * 5000, '{"a": NaN', "\ud800"],
)
def test_malformed_json_is_400(raw: str) -> None:
    with stubbed_cognito():
        assert invoke(http_event("POST", "/auth/sign-in", raw_body=raw)) == refused("MALFORMED_JSON")


def test_deeply_nested_json_is_400_not_a_500() -> None:
    with stubbed_cognito():
        raw = "[" * 3000 + "]" * 3000
        assert invoke(http_event("POST", "/auth/sign-in", raw_body=raw)) == refused("MALFORMED_JSON")


def test_oversized_body_is_413() -> None:
    body = json.dumps({"email": EMAIL, "password": "x" * 17000})
    with stubbed_cognito():
        assert invoke(http_event("POST", "/auth/sign-in", raw_body=body)) == refused("PAYLOAD_TOO_LARGE")


def test_oversized_multibyte_body_is_413() -> None:
    body = json.dumps({"email": EMAIL, "password": "가" * 6000}, ensure_ascii=False)  # 18 KB of UTF-8
    assert len(body) < 16384 < len(body.encode())
    with stubbed_cognito():
        assert invoke(http_event("POST", "/auth/sign-in", raw_body=body)) == refused("PAYLOAD_TOO_LARGE")


def test_oversized_base64_body_is_413() -> None:
    with stubbed_cognito():
        event = http_event("POST", "/auth/sign-in", base64_body=b'{"p": "' + b"x" * 17000 + b'"}')
        assert invoke(event) == refused("PAYLOAD_TOO_LARGE")


def test_a_body_at_the_limit_is_processed() -> None:
    padding = 16384 - len(json.dumps({"email": EMAIL, "password": ""}))
    body = json.dumps({"email": EMAIL, "password": "p" * padding})
    assert len(body.encode()) == 16384
    with stubbed_cognito():
        status, _, answer = invoke(http_event("POST", "/auth/sign-in", raw_body=body))
    assert (status, answer["code"], answer["fields"][0]["field"]) == (400, "VALIDATION_FAILED", "password")


def test_base64_json_is_decoded() -> None:
    with stubbed_cognito() as stubber:
        stubber.add_response("forgot_password", {})
        event = http_event("POST", "/auth/forgot-password", base64_body=json.dumps({"email": EMAIL}).encode())
        status, _, body = invoke(event)
    assert (status, body["status"]) == (202, "ACCEPTED")


@pytest.mark.parametrize("payload", [b"\xff\xfe{}", b'{"email": "\xc3"}'])
def test_base64_body_that_is_not_utf8_is_400(payload: bytes) -> None:
    with stubbed_cognito():
        assert invoke(http_event("POST", "/auth/sign-in", base64_body=payload)) == refused("MALFORMED_JSON")


def test_invalid_base64_is_400() -> None:
    event = http_event("POST", "/auth/sign-in", raw_body="!!!not base64!!!")
    event["isBase64Encoded"] = True
    with stubbed_cognito():
        assert invoke(event) == refused("MALFORMED_JSON")


@pytest.mark.parametrize(
    "content_type",
    ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain", "application/xml"],
)
def test_other_media_types_are_415(content_type: str) -> None:
    event = http_event("POST", "/auth/sign-in", raw_body="email=a", headers={"content-type": content_type})
    with stubbed_cognito():
        assert invoke(event) == refused("UNSUPPORTED_MEDIA_TYPE")


def test_json_with_charset_is_accepted() -> None:
    event = http_event(
        "POST",
        "/auth/forgot-password",
        body={"email": EMAIL},
        headers={"content-type": "application/json; charset=utf-8"},
    )
    with stubbed_cognito() as stubber:
        stubber.add_response("forgot_password", {})
        assert invoke(event)[0] == 202


@pytest.mark.parametrize(
    ("raw", "field", "code", "key"),
    [
        ("[]", "body", "MODEL_ATTRIBUTES_TYPE", "type"),
        ('"text"', "body", "MODEL_ATTRIBUTES_TYPE", "type"),
        ("null", "body", "MISSING", "missing"),
        (None, "body", "MISSING", "missing"),
    ],
)
def test_bodies_that_are_not_objects(raw: str | None, field: str, code: str, key: str) -> None:
    with stubbed_cognito():
        status, _, body = invoke(http_event("POST", "/auth/forgot-password", raw_body=raw))
    assert (status, body) == (
        400,
        error(
            "VALIDATION_FAILED",
            english("api.error.validation_failed"),
            [{"field": field, "code": code, "message": english(f"api.validation.{key}")}],
        ),
    )


def test_field_level_messages_are_localized() -> None:
    event = http_event(
        "POST", "/auth/sign-in", body={"email": "nope", "password": "", "extra": 1}, headers={"accept-language": "ko"}
    )
    with stubbed_cognito():
        status, _, body = invoke(event)
    assert (status, body) == (
        400,
        error(
            "VALIDATION_FAILED",
            korean("api.error.validation_failed"),
            [
                {"field": "email", "code": "VALUE_ERROR", "message": korean("api.validation.email")},
                {"field": "extra", "code": "EXTRA_FORBIDDEN", "message": korean("api.validation.extra_forbidden")},
                {"field": "password", "code": "STRING_TOO_SHORT", "message": korean("api.validation.too_short")},
            ],
        ),
    )


@pytest.mark.parametrize(("method", "path"), [("GET", "/nowhere"), ("DELETE", "/me"), ("GET", "/auth/sign-in")])
def test_unknown_routes_are_404(method: str, path: str) -> None:
    with stubbed_cognito():
        assert invoke(http_event(method, path)) == (
            404,
            JSON_HEADERS,
            error("ROUTE_NOT_FOUND", english("api.error.route_not_found")),
        )


def test_preflight_for_an_allowed_origin() -> None:
    event = http_event(
        "OPTIONS",
        "/auth/sign-in",
        headers={"origin": ORIGIN, "access-control-request-method": "POST"},
    )
    with stubbed_cognito():
        assert invoke(event) == (
            204,
            {"Access-Control-Allow-Methods": "DELETE,GET,OPTIONS,PATCH,POST,PUT", **CORS_HEADERS, **SECURITY_HEADERS},
            None,
        )


def test_no_cors_headers_for_other_origins() -> None:
    event = http_event(
        "POST", "/auth/forgot-password", body={"email": EMAIL}, headers={"origin": "https://evil.example"}
    )
    with stubbed_cognito() as stubber:
        stubber.add_response("forgot_password", {})
        status, headers, _ = invoke(event)
    assert (status, headers) == (202, JSON_HEADERS)


def test_refusals_before_routing_carry_cors_headers() -> None:
    event = http_event("POST", "/auth/sign-in", raw_body="{", headers={"origin": ORIGIN})
    with stubbed_cognito():
        status, headers, _ = invoke(event)
    assert (status, headers) == (400, {**JSON_HEADERS, **CORS_HEADERS})


def test_unexpected_errors_are_masked() -> None:
    app = api_app()
    with (
        stubbed_cognito(),
        mock.patch.object(app.auth.dependencies, "account_service", side_effect=RuntimeError(f"secret detail {SUB}")),
    ):
        status, headers, body = invoke(http_event("POST", "/auth/sign-in", body={"email": EMAIL, "password": "p"}))
    assert (status, headers, body) == (500, JSON_HEADERS, error("INTERNAL_ERROR", english("api.error.internal_error")))
