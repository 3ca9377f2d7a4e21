"""Plain results of auth operations: what the gateway returns and the services pass up. No boto3 types leak out."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Challenge", "SignUpOutcome", "Tokens", "UserPage", "UserSummary"]


@dataclass(frozen=True)
class Tokens:
    """A successful authentication. ``refresh_token`` is absent on a refresh (Cognito does not rotate it)."""

    access_token: str
    id_token: str
    expires_in: int
    token_type: str
    refresh_token: str | None = None


@dataclass(frozen=True)
class Challenge:
    """Cognito wants one more step. ``username`` is ``USER_ID_FOR_SRP``: the name the answer must use."""

    name: str
    session: str
    username: str


@dataclass(frozen=True)
class SignUpOutcome:
    """What Cognito said about a new registration."""

    user_sub: str
    confirmed: bool


@dataclass(frozen=True)
class UserSummary:
    """One user as the admin listing shows it (timestamps ISO-8601 UTC)."""

    username: str
    status: str
    enabled: bool
    created_at: str | None
    updated_at: str | None
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class UserPage:
    """One page of ``ListUsers``; ``next_token`` is Cognito's pagination token, passed back as is."""

    users: tuple[UserSummary, ...]
    next_token: str | None
