"""``/me``: the signed-in caller's own profile (JWT authorizer + ``require_user``)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.api_gateway import Router

from api import dependencies
from api.models import ProfileResponse, UpdateProfileRequest
from api.routes.common import PROTECTED, responses
from api.security import current_caller, require_user
from common.profiles.model import Profile

__all__ = ["router"]

router = Router()  # type: ignore[no-untyped-call]  # Powertools' Router.__init__ is unannotated
TAGS = ["me"]


def _profile(profile: Profile) -> ProfileResponse:
    return ProfileResponse(
        user_id=profile.user_id,
        email=profile.email,
        email_verified=profile.email_verified,
        name=profile.name,
        locale=profile.locale,
        role=profile.role,
        created_at=profile.created_at,
        updated_at=profile.updated_at,
    )


@router.get(
    "/me",
    tags=TAGS,
    summary="The caller's profile",
    security=PROTECTED,
    responses=responses(200, "The profile", 401, 404, protected=True),
    middlewares=[require_user],
)
def get_me() -> ProfileResponse:
    return _profile(dependencies.profile_service().get(current_caller(router)))


@router.patch(
    "/me",
    tags=TAGS,
    summary="Change the caller's name or locale (no other field)",
    security=PROTECTED,
    responses=responses(200, "The updated profile", 401, 404, protected=True),
    middlewares=[require_user],
)
def update_me(body: UpdateProfileRequest) -> ProfileResponse:
    changes = body.model_dump(exclude_none=True)
    return _profile(dependencies.profile_service().update(current_caller(router), changes))
