"""Schema-driven testing of the local API against its committed OpenAPI document (schemathesis): generated valid
and invalid requests for every operation, over real HTTP to the local stack.

Checks: never a server error (5xx), every status and content type documented, every body matching its documented
schema. Protected operations get an admin's access token, so the /admin routes are exercised past the role check.
"""

from __future__ import annotations

import json
import os
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.e2e.conftest import LocalStackHandle

pytestmark = pytest.mark.e2e

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
PASSWORD = "Correct-Horse-9-Battery"
# Examples per operation, derandomized so CI is reproducible. For a deeper local hunt:
# API_SCHEMA_EXAMPLES=150 API_SCHEMA_RANDOM=1 python -m pytest tests/e2e/test_api_schemathesis.py
EXAMPLES = int(os.environ.get("API_SCHEMA_EXAMPLES", "30"))
DERANDOMIZE = os.environ.get("API_SCHEMA_RANDOM") != "1"


def _post(stack: LocalStackHandle, path: str, body: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(
        stack.api_url + path,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"content-type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:  # local endpoint only
        raw = response.read()
        return dict(json.loads(raw)) if raw else {}


@pytest.fixture(scope="module")
def admin_token(local_stack: LocalStackHandle) -> str:
    """An access token of a confirmed user in the admin group."""
    email = f"schema-admin-{uuid.uuid4().hex[:10]}@example.com"
    _post(local_stack, "/auth/sign-up", {"email": email, "password": PASSWORD})
    _post(local_stack, "/auth/confirm", {"email": email, "code": local_stack.outbox.latest_code(email)})
    username = _post(local_stack, "/auth/sign-in", {"email": email, "password": PASSWORD})["username"]
    local_stack.cognito().admin_add_user_to_group(UserPoolId=local_stack.pool_id, Username=username, GroupName="admin")
    token = _post(local_stack, "/auth/sign-in", {"email": email, "password": PASSWORD})["tokens"]["access_token"]
    return str(token)


# Loaded eagerly: schemathesis' lazy ``from_fixture`` loader does not work with pytest 9 (it rewrites a private node
# attribute). The base URL is given per call, from the local stack fixture.
schema = schemathesis.openapi.from_path(DOCUMENT)


@schema.parametrize()
@settings(max_examples=EXAMPLES, derandomize=DERANDOMIZE, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_document(case: Any, local_stack: LocalStackHandle, admin_token: str) -> None:
    headers = {"Authorization": f"Bearer {admin_token}"} if case.operation.definition.raw.get("security") else None
    case.call_and_validate(
        base_url=local_stack.api_url,
        headers=headers,
        checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance],
    )
