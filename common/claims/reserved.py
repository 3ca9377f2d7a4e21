"""Claim names Cognito owns, and the checks that keep our configuration away from them.

Cognito never lets a pre-token-generation trigger add, override or suppress these claims (Cognito developer guide,
"Pre token generation Lambda trigger"; listed in shared/docs/cognito-facts.md). Depending on the claim it either
ignores the request silently or fails the sign-in, so a configuration naming one is refused at start-up instead.
The ``cognito:`` namespace is Cognito's too (groups travel through ``groupOverrideDetails``), and ``custom:`` /
``dev:`` names are user-pool attributes, i.e. data a user may be able to write: never a claim we mint.
"""

from __future__ import annotations

import re

from common.errors import ConfigurationError

__all__ = ["RESERVED_CLAIMS", "RESERVED_PREFIXES", "is_reserved", "validate_claim_name"]

RESERVED_CLAIMS = frozenset(
    {
        "acr",
        "amr",
        "aud",
        "at_hash",
        "auth_time",
        "azp",
        "cognito:username",
        "exp",
        "iat",
        "identities",
        "iss",
        "jti",
        "nbf",
        "nonce",
        "origin_jti",
        "sub",
        "token_use",
    },
)
RESERVED_PREFIXES = ("cognito:",)
_ATTRIBUTE_PREFIXES = ("custom:", "dev:")
_CLAIM_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]{0,63}")


def is_reserved(name: str) -> bool:
    """True for a claim Cognito does not let a trigger touch (exact names and the ``cognito:`` namespace)."""
    return name in RESERVED_CLAIMS or name.startswith(RESERVED_PREFIXES)


def validate_claim_name(name: str, variable: str) -> str:
    """Return ``name`` if our configuration may add or suppress it; otherwise raise a ConfigurationError that names
    the environment ``variable`` and the reason, so a bad deploy fails at cold start, not at a user's sign-in."""
    if is_reserved(name):
        raise ConfigurationError(
            f"{variable} names the claim {name!r}, which Cognito reserves: a pre-token-generation trigger can "
            f"never add, override or suppress it (reserved: {', '.join(sorted(RESERVED_CLAIMS))}, and every "
            "'cognito:' claim)",
        )
    if name.startswith(_ATTRIBUTE_PREFIXES):
        raise ConfigurationError(
            f"{variable} names {name!r}, a user-pool attribute name: claims we mint must not share a name with "
            "an attribute a user may be able to write",
        )
    if not _CLAIM_NAME.fullmatch(name):
        raise ConfigurationError(
            f"{variable} has an invalid claim name {name!r}: use a letter followed by letters, digits, '_', '.' "
            "or '-' (at most 64 characters)",
        )
    return name
