"""Access-token scopes derived from the role: the documented mapping, and which requested scopes to take away.

Scopes are cumulative down the role order: a role gets its own scopes plus those of every less privileged role
(an ``admin`` can do what a ``user`` can). Every scope under one of our resource-server prefixes (``profile/``,
``admin/``) is *managed*: a token carries one only if the role grants it, whatever the client asked for, so an app
client that was allowed ``admin/users`` in the console still cannot hand it to a plain user.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

__all__ = ["DEFAULT_ROLE_SCOPES", "SELF_SERVICE_SCOPE", "ScopeChanges", "ScopePolicy"]

DEFAULT_ROLE_SCOPES: Mapping[str, tuple[str, ...]] = {
    "user": ("profile/read", "profile/write"),
    "admin": ("admin/users",),
}
# Lets the bearer call Cognito's self-service APIs (GetUser, UpdateUserAttributes, ChangePassword, TOTP set-up...)
SELF_SERVICE_SCOPE = "aws.cognito.signin.user.admin"


@dataclass(frozen=True)
class ScopeChanges:
    """What to ask Cognito to add to and remove from the access token's ``scope`` claim."""

    add: tuple[str, ...]
    suppress: tuple[str, ...]


class ScopePolicy:
    """The role → scopes mapping for one role order."""

    def __init__(self, role_order: tuple[str, ...], role_scopes: Mapping[str, tuple[str, ...]]) -> None:
        self._order = role_order
        self._own = role_scopes

    @cached_property
    def granted(self) -> Mapping[str, tuple[str, ...]]:
        """Every role's scopes, its own first, then those inherited from less privileged roles (no duplicates)."""
        result: dict[str, tuple[str, ...]] = {}
        for index, role in enumerate(self._order):
            merged: dict[str, None] = {}
            for lower in self._order[index:]:
                for scope in self._own.get(lower, ()):
                    merged.setdefault(scope, None)
            result[role] = tuple(merged)
        return result

    @cached_property
    def managed_prefixes(self) -> tuple[str, ...]:
        """Resource-server prefixes whose scopes only the role may grant (``admin/``, ``profile/``). Our default
        resource servers stay managed even when the configured roles leave one unused (no ``admin`` role must not
        mean that a client may hand out ``admin/users`` freely)."""
        mappings = (*self._own.values(), *DEFAULT_ROLE_SCOPES.values())
        prefixes = {scope.split("/", 1)[0] + "/" for scopes in mappings for scope in scopes if "/" in scope}
        return tuple(sorted(prefixes))

    def changes(self, role: str | None, requested: Iterable[str], *, suppress_self_service: bool) -> ScopeChanges:
        """Scopes to add for ``role`` (those not already requested) and requested scopes to suppress (managed
        scopes the role does not grant, and optionally the self-service scope)."""
        requested = tuple(requested)
        granted = self.granted.get(role, ()) if role is not None else ()
        add = tuple(scope for scope in granted if scope not in requested)
        suppress = tuple(
            scope
            for scope in requested
            if (scope.startswith(self.managed_prefixes) and scope not in granted)
            or (suppress_self_service and scope == SELF_SERVICE_SCOPE)
        )
        return ScopeChanges(add=add, suppress=suppress)

    def worst_case_bytes(self, role_claim: str) -> int:
        """The most bytes our additions can take for any role (claims in both tokens plus added scopes): what the
        size budget must cover."""
        worst = 0
        for role in self._order:
            claims = len(json.dumps({role_claim: role}, separators=(",", ":")).encode())
            scopes = len(" ".join(self.granted[role]).encode())
            worst = max(worst, 2 * claims + scopes)
        return worst
