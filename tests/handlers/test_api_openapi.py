"""The committed OpenAPI document equals the one generated from the code, is a valid OpenAPI 3.1 document, and
describes exactly the routes the packaged template serves (with the JWT authorizer on exactly the protected ones).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate

from tests.handlers.api_helpers import api_app

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "docs" / "openapi.json"
TEMPLATE = ROOT / ".serverless" / "cloudformation-template-update-stack.json"
METHODS = {"get", "post", "put", "patch", "delete"}


def generated() -> str:
    api_app()
    from api.openapi import render  # noqa: PLC0415

    return render()


def operations(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        f"{method.upper()} {path}": operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    }


def test_committed_document_is_up_to_date() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == generated(), "run scripts/export-openapi"


def test_document_is_valid_openapi() -> None:
    validate(json.loads(COMMITTED.read_text(encoding="utf-8")))


def test_every_operation_documents_json_errors_and_no_422() -> None:
    document = json.loads(COMMITTED.read_text(encoding="utf-8"))
    for key, operation in operations(document).items():
        responses = operation["responses"]
        assert "422" not in responses, key
        for status in ("400", "413", "415", "429", "500", "503"):
            schema = responses[status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorBody"}, (key, status)
        assert any(code.startswith("2") for code in responses), key


def test_protected_operations_declare_the_cognito_scheme() -> None:
    document = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert document["components"]["securitySchemes"] == {
        "cognito": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT", "description": "Cognito access token"}
    }
    protected = {key for key, op in operations(document).items() if op.get("security") == [{"cognito": []}]}
    assert protected == {key for key in operations(document) if not key.split(" ")[1].startswith("/auth/")}
    for key in protected:
        # a 401 comes from the handler (ErrorBody) or from API Gateway's authorizer before it (GatewayRejection)
        schema = operations(document)[key]["responses"]["401"]["content"]["application/json"]["schema"]
        assert schema["anyOf"] == [
            {"$ref": "#/components/schemas/ErrorBody"},
            {"$ref": "#/components/schemas/GatewayRejection"},
        ], key


@pytest.mark.skipif(not TEMPLATE.exists(), reason="run `npx serverless package` first")
def test_template_routes_match_the_document() -> None:
    resources = json.loads(TEMPLATE.read_text(encoding="utf-8"))["Resources"]
    routes = {
        r["Properties"]["RouteKey"]: r["Properties"].get("AuthorizationType", "NONE")
        for r in resources.values()
        if r["Type"] == "AWS::ApiGatewayV2::Route"
    }
    document = json.loads(COMMITTED.read_text(encoding="utf-8"))
    documented = {
        key: "JWT" if op.get("security") == [{"cognito": []}] else "NONE" for key, op in operations(document).items()
    }
    assert routes == documented
