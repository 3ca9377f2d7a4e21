"""Settings of the pre-token-generation function, read once at cold start and validated there.

Every variable is optional with a safe default, so the function (and its tests) start with no ``CLAIMS_*``
variables set; what *is* set is checked strictly, and a value that could make Cognito reject tokens (a reserved
claim, a role missing from the order, a budget the worst case would exceed) fails the deploy at start-up.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from common.claims.reserved import validate_claim_name
from common.claims.scopes import DEFAULT_ROLE_SCOPES, ScopePolicy
from common.config import Environment, environment
from common.errors import ConfigurationError

__all__ = ["ClaimsSettings"]

_ROLE = re.compile(r"[a-z][a-z0-9_\-]{0,31}")
_CUSTOM_ATTRIBUTE = re.compile(r"custom:[A-Za-z0-9_\-]{1,20}")


@dataclass(frozen=True)
class ClaimsSettings:
    """What the claims depend on.

    ``role_order`` lists roles from the most to the least privileged; each role is also the name of the Cognito
    group that grants it. ``profile_max_role`` is the highest role the profile table alone may grant when the
    user is in no role group (by default the least privileged role: privilege beyond it needs a group membership,
    which only an administrator can give). ``claims_max_bytes`` bounds what we add to both tokens.
    """

    role_order: tuple[str, ...] = ("admin", "user")
    role_claim: str = "role"
    profile_table_name: str | None = None
    profile_timeout_seconds: float = 0.5
    profile_max_role: str = "user"
    trusted_custom_attributes: frozenset[str] = frozenset()
    extra_suppressed_claims: tuple[str, ...] = ()
    suppress_self_service_scope: bool = False
    claims_max_bytes: int = 512
    role_scopes: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_ROLE_SCOPES))

    def __post_init__(self) -> None:
        self._check_roles()
        validate_claim_name(self.role_claim, "ROLE_CLAIM_NAME")
        for name in self.extra_suppressed_claims:
            validate_claim_name(name, "CLAIMS_TO_SUPPRESS")
            if name == self.role_claim:
                raise ConfigurationError(f"CLAIMS_TO_SUPPRESS must not name the role claim {name!r}: we add it")
        self._check_trusted_attributes()
        if not 0 < self.profile_timeout_seconds <= 2.0:
            raise ConfigurationError("PROFILE_TIMEOUT_SECONDS must be within (0, 2]: Cognito allows 5 s in total")
        worst = self.scope_policy.worst_case_bytes(self.role_claim)
        if worst > self.claims_max_bytes:
            raise ConfigurationError(
                f"CLAIMS_MAX_BYTES={self.claims_max_bytes} is below the {worst} bytes the configured roles and "
                "scopes can add to a token pair: raise the budget or shorten the role names and scopes",
            )

    def _check_roles(self) -> None:
        if not self.role_order:
            raise ConfigurationError("ROLE_GROUP_ORDER must name at least one role")
        for role in self.role_order:
            if not _ROLE.fullmatch(role):
                raise ConfigurationError(
                    f"ROLE_GROUP_ORDER has an invalid role {role!r}: lower-case letters, digits, '_' or '-', "
                    "at most 32 characters",
                )
        if self.profile_max_role not in self.role_order:
            raise ConfigurationError(
                f"PROFILE_MAX_ROLE={self.profile_max_role!r} is not one of ROLE_GROUP_ORDER "
                f"({', '.join(self.role_order)})",
            )
        unknown = sorted(set(self.role_scopes) - set(self.role_order))
        if unknown:
            raise ConfigurationError(f"scopes are mapped to roles missing from ROLE_GROUP_ORDER: {unknown}")

    def _check_trusted_attributes(self) -> None:
        for name in self.trusted_custom_attributes:
            if not _CUSTOM_ATTRIBUTE.fullmatch(name):
                raise ConfigurationError(
                    f"TRUSTED_CUSTOM_ATTRIBUTES has {name!r}: list custom attributes as 'custom:<name>' "
                    "(at most 20 characters after the prefix)",
                )
            suffix = name.split(":", 1)[1].lower()
            if suffix in {self.role_claim.lower(), "role", "roles", "groups", "scope", "scopes", "admin"}:
                raise ConfigurationError(
                    f"TRUSTED_CUSTOM_ATTRIBUTES must not include {name!r}: an attribute named like an "
                    "authorization claim is always suppressed",
                )

    @property
    def default_role(self) -> str:
        """The least privileged role: what a repaired profile gets."""
        return self.role_order[-1]

    @property
    def scope_policy(self) -> ScopePolicy:
        return ScopePolicy(self.role_order, self.role_scopes)

    @classmethod
    def from_env(cls, env: Environment | None = None) -> ClaimsSettings:
        """Build the settings from the environment (see docs/authorization.md for every variable)."""
        env = env or environment()
        order = env.items("ROLE_GROUP_ORDER", ("admin", "user"))
        return cls(
            role_order=order,
            role_claim=env.text("ROLE_CLAIM_NAME", "role"),
            profile_table_name=env.optional("PROFILE_TABLE_NAME"),
            profile_timeout_seconds=env.number("PROFILE_TIMEOUT_SECONDS", 0.5),
            profile_max_role=env.text("PROFILE_MAX_ROLE", order[-1] if order else "user"),
            trusted_custom_attributes=frozenset(env.items("TRUSTED_CUSTOM_ATTRIBUTES")),
            extra_suppressed_claims=env.items("CLAIMS_TO_SUPPRESS"),
            suppress_self_service_scope=env.flag("SUPPRESS_SELF_SERVICE_SCOPE", default=False),
            claims_max_bytes=env.integer("CLAIMS_MAX_BYTES", 512, minimum=64, maximum=4096),
            role_scopes={role: scopes for role, scopes in DEFAULT_ROLE_SCOPES.items() if role in order},
        )
