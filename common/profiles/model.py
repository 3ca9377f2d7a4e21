"""The profile record and the store interface every backend (DynamoDB, in-memory) implements."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

__all__ = ["DEFAULT_ROLE", "EDITABLE", "EDITABLE_FIELDS", "Profile", "ProfileStore", "profile_from_attributes"]

DEFAULT_ROLE = "user"
#: The fields a user may change on their own profile (``PATCH /me``), in the order the API applies them.
EDITABLE = ("name", "locale")
EDITABLE_FIELDS = frozenset(EDITABLE)


@dataclass(frozen=True)
class Profile:
    """One user's profile item.

    ``role`` is server-owned: it is written only by this backend (post-confirmation sets the default, admin routes
    change it), never copied from a Cognito attribute the user can write. Timestamps are ISO-8601 UTC strings
    (``2026-11-26T08:40:17Z``) so items sort and read well in the console.
    """

    user_id: str
    email: str
    email_verified: bool
    name: str | None
    locale: str | None
    role: str
    created_at: str
    updated_at: str
    password_reset_at: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)


def profile_from_attributes(
    attributes: Mapping[str, str],
    *,
    now: str,
    role: str = DEFAULT_ROLE,
    canonical_email: str | None = None,
) -> Profile:
    """Build a new profile from a Cognito ``userAttributes`` map (post-confirmation or self-repair).

    Only identity fields are taken from the attributes; ``role`` comes from the caller (server-owned data).
    """
    email = canonical_email or attributes.get("email", "").strip()
    return Profile(
        user_id=attributes["sub"],
        email=email,
        email_verified=attributes.get("email_verified", "false").lower() == "true",
        name=attributes.get("name") or None,
        locale=attributes.get("locale") or None,
        role=role,
        created_at=now,
        updated_at=now,
    )


class ProfileStore(Protocol):
    """What the triggers and the API need from profile storage. Implementations raise
    :class:`common.errors.DependencyError` when the backend fails; "already exists" and "not found" are results,
    not exceptions."""

    def get(self, user_id: str) -> Profile | None:
        """The profile, or ``None`` when the user has none."""
        ...

    def create(self, profile: Profile) -> bool:
        """Create the profile unless one exists for that user. Returns ``True`` when this call created it and
        ``False`` when it already existed (the existing item is left untouched: retries are no-ops)."""
        ...

    def record_password_reset(self, user_id: str, at: str) -> bool:
        """Set ``password_reset_at`` (and ``updated_at``) on an existing profile. Returns ``False``, changing
        nothing, when the user has no profile."""
        ...

    def update(self, user_id: str, changes: Mapping[str, str | None], at: str) -> Profile | None:
        """Apply changes to the user-editable fields (``name``, ``locale``) and return the new profile, or
        ``None`` when the user has no profile. Any other field name raises ``ValueError``."""
        ...
