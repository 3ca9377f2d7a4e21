"""Route guards: who may call what. The HTTP API's JWT authorizer has already verified the token; these read the
verified claims it passes in ``requestContext.authorizer.jwt.claims`` and enforce the role in the function too, so
a route that loses its authorizer in a template change fails closed (401) instead of open.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.api_gateway import BaseRouter
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware

from api.dependencies import settings
from common.auth.claims import Caller, caller_from_claims
from common.auth.errors import AuthError

__all__ = ["current_caller", "require_admin", "require_user"]


def _claims(event: Mapping[str, Any]) -> Mapping[str, Any] | None:
    node: Any = event
    for key in ("requestContext", "authorizer", "jwt", "claims"):
        node = node.get(key) if isinstance(node, Mapping) else None
    return node if isinstance(node, Mapping) else None


def current_caller(router: BaseRouter) -> Caller:
    """The verified caller of the current request (``AuthError("UNAUTHENTICATED")`` without one)."""
    return caller_from_claims(_claims(router.current_event.raw_event))


def require_user(app: APIGatewayHttpResolver, next_middleware: NextMiddleware) -> Response[Any]:
    """Any signed-in user."""
    current_caller(app)
    return next_middleware(app)


def require_admin(app: APIGatewayHttpResolver, next_middleware: NextMiddleware) -> Response[Any]:
    """A signed-in user whose server-owned claims (``role`` or ``cognito:groups``) make them an administrator."""
    if not current_caller(app).is_admin(settings.admin_role, settings.admin_group):
        raise AuthError("FORBIDDEN")
    return next_middleware(app)
