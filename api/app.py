"""The HTTP API function: Powertools' HTTP API resolver does routing, validation (pydantic) and CORS.

``handler`` stays thin: it guards the raw body (size, media type, JSON well-formedness: see ``api.http``), lets
the resolver route the request, and adds the security headers to whatever comes back, errors included.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from api import errors
from api.dependencies import settings
from api.http import cors_config, error_response, guard_body, header, request_language, with_security_headers
from api.routes import admin, auth, me
from common.observability import logger
from common.startup_gc import resume_after_first_invocation

__all__ = ["app", "handler"]

cors = cors_config(settings)
app = APIGatewayHttpResolver(cors=cors, enable_validation=True)
app.include_router(auth.router)
app.include_router(me.router)
app.include_router(admin.router)
errors.register(app)


def _refuse(event: dict[str, Any], code: str) -> dict[str, Any]:
    """A response for a body refused before routing, with the CORS headers the resolver would have added."""
    response = error_response(code, request_language(event))
    headers = dict(response.headers)
    if cors is not None:
        origin = header(event, "origin")
        allowed = cors.allowed_origin(origin) if origin else None
        if allowed:
            headers.update(cors.to_dict(allowed))
    return {
        "statusCode": response.status_code,
        "headers": headers,
        "body": response.body,
        "isBase64Encoded": False,
        "cookies": [],
    }


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP, clear_state=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        event, refusal = guard_body(event, settings.max_body_bytes)
        if refusal is not None:
            return with_security_headers(_refuse(event, refusal))
        return with_security_headers(app.resolve(event, context))
    finally:
        resume_after_first_invocation()  # a cold start's paused collector, see common/startup_gc.py
