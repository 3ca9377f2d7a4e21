"""``/admin``: user administration, for callers whose server-owned claims make them admins (``require_admin``)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import unquote

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from api import dependencies
from api.models import AdminUser, UserList
from api.routes.common import PROTECTED, responses
from api.security import current_caller, require_admin
from common.auth.model import UserSummary

__all__ = ["router"]

router = Router()  # type: ignore[no-untyped-call]  # Powertools' Router.__init__ is unannotated
TAGS = ["admin"]

UsernamePath = Annotated[str, Path(min_length=1, max_length=128, pattern=r"^\S+$")]
GroupPath = Annotated[str, Path(min_length=1, max_length=128, pattern=r"^\S+$")]


def _segment(value: str) -> str:
    """A path parameter as the user meant it. The resolver matches on the raw (percent-encoded) path, so
    ``jane%40example.com`` arrives encoded; Cognito needs ``jane@example.com``."""
    return unquote(value)


def _user(user: UserSummary) -> AdminUser:
    attributes = user.attributes
    verified = attributes.get("email_verified")
    return AdminUser(
        username=user.username,
        status=user.status,
        enabled=user.enabled,
        created_at=user.created_at,
        updated_at=user.updated_at,
        email=attributes.get("email"),
        email_verified=None if verified is None else verified.lower() == "true",
        name=attributes.get("name"),
        locale=attributes.get("locale"),
        sub=attributes.get("sub"),
    )


@router.get(
    "/admin/users",
    tags=TAGS,
    summary="List users, one page at a time",
    description="Pass `next_token` from the previous page to get the next one.",
    security=PROTECTED,
    responses=responses(200, "One page of users", 401, 403, protected=True),
    middlewares=[require_admin],
)
def list_users(
    limit: Annotated[int, Query(ge=1, le=60, description="Page size (Cognito allows at most 60).")] = 20,
    next_token: Annotated[str | None, Query(min_length=1, max_length=4096, pattern=r"^\S+$")] = None,
) -> UserList:
    page = dependencies.admin_service().list_users(limit, next_token)
    return UserList(users=[_user(user) for user in page.users], next_token=page.next_token)


@router.post(
    "/admin/users/<username>/disable",
    status_code=204,
    tags=TAGS,
    summary="Disable a user (they can no longer sign in or refresh)",
    security=PROTECTED,
    responses=responses(204, "Disabled", 401, 403, 404, 409, protected=True),
    middlewares=[require_admin],
)
def disable_user(username: UsernamePath) -> Response[None]:
    dependencies.admin_service().set_enabled(current_caller(router), _segment(username), enabled=False)
    return Response(status_code=204)


@router.post(
    "/admin/users/<username>/enable",
    status_code=204,
    tags=TAGS,
    summary="Enable a disabled user",
    security=PROTECTED,
    responses=responses(204, "Enabled", 401, 403, 404, protected=True),
    middlewares=[require_admin],
)
def enable_user(username: UsernamePath) -> Response[None]:
    dependencies.admin_service().set_enabled(current_caller(router), _segment(username), enabled=True)
    return Response(status_code=204)


@router.put(
    "/admin/users/<username>/groups/<group>",
    status_code=204,
    tags=TAGS,
    summary="Add a user to a group",
    security=PROTECTED,
    responses=responses(204, "Added", 401, 403, 404, protected=True),
    middlewares=[require_admin],
)
def add_to_group(username: UsernamePath, group: GroupPath) -> Response[None]:
    dependencies.admin_service().add_to_group(_segment(username), _segment(group))
    return Response(status_code=204)


@router.delete(
    "/admin/users/<username>/groups/<group>",
    status_code=204,
    tags=TAGS,
    summary="Remove a user from a group",
    security=PROTECTED,
    responses=responses(204, "Removed", 401, 403, 404, 409, protected=True),
    middlewares=[require_admin],
)
def remove_from_group(username: UsernamePath, group: GroupPath) -> Response[None]:
    dependencies.admin_service().remove_from_group(current_caller(router), _segment(username), _segment(group))
    return Response(status_code=204)
