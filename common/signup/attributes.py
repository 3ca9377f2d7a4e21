"""Privileged attributes: attributes a user must never set on themselves at sign-up.

Roles and tenancy are server-owned (groups, the profile table). An attribute that looks like one is refused
whatever its prefix (``role``, ``custom:role``, ``dev:custom:tenant``), so is any name configured as server-owned,
and any ``custom:`` attribute not explicitly allowed: a new custom attribute in the pool is closed by default.
Cognito's own markers (``cognito:email_alias`` in federated events, ``sub``) are not user input and pass.
"""

from __future__ import annotations

from collections.abc import Iterable

from common.signup.settings import BUILT_IN_PRIVILEGED_ATTRIBUTES, SignupSettings

__all__ = ["privileged_attributes"]

_COGNITO_OWNED_PREFIX = "cognito:"


def _base_name(name: str) -> str:
    """``dev:custom:Tenant-ID`` → ``tenant_id``."""
    return name.removeprefix("dev:").removeprefix("custom:").lower().replace("-", "_")


def privileged_attributes(names: Iterable[str], settings: SignupSettings) -> tuple[str, ...]:
    """The attribute names in ``names`` a sign-up may not carry (empty when the sign-up is acceptable)."""
    refused: list[str] = []
    for name in names:
        if name.startswith(_COGNITO_OWNED_PREFIX):
            continue
        custom = name.startswith(("custom:", "dev:"))
        if (
            _base_name(name) in BUILT_IN_PRIVILEGED_ATTRIBUTES
            or name in settings.server_owned_attributes
            or (custom and name not in settings.allowed_custom_attributes)
        ):
            refused.append(name)
    return tuple(sorted(refused))
