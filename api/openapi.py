"""The API's OpenAPI document, generated from the routes and models (``scripts/export-openapi`` writes it to
``docs/openapi.json``; a test checks the committed file equals this output).

Powertools adds a 422 "Validation Error" answer to every operation; this API answers validation failures with 400
and the :class:`api.models.ErrorBody` shape instead, so those entries are removed here.
"""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.event_handler.openapi.models import Server

__all__ = ["TITLE", "VERSION", "openapi_document", "render"]

TITLE = "Cognito users API"
VERSION = "1.0.0"
_DESCRIPTION = (
    "Sign-up, sign-in and account management on an Amazon Cognito user pool. Errors are JSON "
    "`{code, message, fields}`; messages follow Accept-Language (en, ko). Protected routes take a Cognito access "
    "token as `Authorization: Bearer <token>`. See docs/api.md."
)


def openapi_document() -> dict[str, Any]:
    """The document as a dict (imports the app, so the API settings must be present in the environment)."""
    from aws_lambda_powertools.event_handler.openapi.models import (  # noqa: PLC0415
        HTTPBearer,
    )

    from api.app import app  # noqa: PLC0415

    raw = app.get_openapi_json_schema(
        title=TITLE,
        version=VERSION,
        description=_DESCRIPTION,
        servers=[Server(url="/")],
        security_schemes={"cognito": HTTPBearer(bearerFormat="JWT", description="Cognito access token")},
    )
    document: dict[str, Any] = json.loads(raw)
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict):
                operation.get("responses", {}).pop("422", None)
    schemas = document.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ResponseValidationError", "ValidationError"):
        others = {key: value for key, value in schemas.items() if key != name}
        if f"#/components/schemas/{name}" not in json.dumps([document.get("paths", {}), others]):
            schemas.pop(name, None)
    return document


def render() -> str:
    """The document as the committed file holds it: sorted keys, two-space indent, final newline."""
    return json.dumps(openapi_document(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
