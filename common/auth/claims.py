"""Who is calling: the claims the HTTP API's JWT authorizer verified, as a typed :class:`Caller`.

Authorization model (docs/api.md "Authorization"): API Gateway verifies the token's signature, issuer (our pool),
expiry and audience (our app client) before the function runs. The function then reads only server-owned claims:
``role`` (added by the pre-token-generation trigger from group membership and the profile table) and
``cognito:groups`` (Cognito's own group claim). Admin routes require ``role == ADMIN_ROLE`` or ``ADMIN_GROUP`` in
the groups. User-writable attributes never grant anything.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from common.auth.errors import AuthError

__all__ = ["Caller", "caller_from_claims", "parse_groups"]


@dataclass(frozen=True)
class Caller:
    """The authenticated user behind a request."""

    sub: str
    username: str
    email: str | None
    role: str | None
    groups: frozenset[str]

    def is_admin(self, admin_role: str, admin_group: str) -> bool:
        """True when a server-owned claim makes the caller an administrator."""
        return self.role == admin_role or admin_group in self.groups

    def is_same_user(self, username: str) -> bool:
        """Whether ``username`` (internal username, sub or email) names the caller."""
        names = {self.sub, self.username}
        if self.email:
            names.add(self.email.lower())
        return username in names or username.lower() in names


def parse_groups(value: Any) -> frozenset[str]:
    """``cognito:groups`` as a set. API Gateway HTTP APIs flatten JSON arrays in claims to ``"[admin user]"``;
    other sources give a list or a JSON array string."""
    if isinstance(value, list | tuple):
        return frozenset(str(item) for item in value if str(item))
    if not isinstance(value, str) or not value.strip():
        return frozenset()
    text = value.strip()
    if text.startswith("[") and text.endswith("]"):
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        if isinstance(parsed, list):
            return frozenset(str(item) for item in parsed if str(item))
        text = text[1:-1]
    return frozenset(part for part in text.replace(",", " ").split() if part)


def caller_from_claims(claims: Mapping[str, Any] | None) -> Caller:
    """The caller, or ``AuthError("UNAUTHENTICATED")`` when no verified identity reached the function."""
    if not claims:
        raise AuthError("UNAUTHENTICATED")
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub:
        raise AuthError("UNAUTHENTICATED")
    username = claims.get("username") or claims.get("cognito:username") or sub
    email = claims.get("email")
    role = claims.get("role")
    return Caller(
        sub=sub,
        username=str(username),
        email=email if isinstance(email, str) and email else None,
        role=role if isinstance(role, str) and role else None,
        groups=parse_groups(claims.get("cognito:groups")),
    )
