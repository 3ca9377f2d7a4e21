"""Apply a pre-token-generation response to moto's tokens and re-sign them with moto's own key.

The key is moto's ``jwks-private.json`` (same ``kid``), so the rewritten tokens still verify against the
pool's local JWKS endpoint.
"""

from __future__ import annotations

import base64
import json
from functools import cache
from typing import Any

from joserfc import jwt
from joserfc.jwk import RSAKey

__all__ = ["PROTECTED_CLAIMS", "apply_response", "decode", "sign"]

# Written out here on purpose rather than imported from common/claims/reserved.py: the emulator enforces
# Cognito's rule independently, so a wrong list in the project's own claims code cannot go unnoticed locally.
PROTECTED_CLAIMS = frozenset(
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
    }
)


@cache
def _key() -> tuple[Any, str]:
    from moto.utilities.utils import load_resource  # noqa: PLC0415

    jwk = load_resource("cognitoidp/resources/jwks-private.json")
    return RSAKey.import_key(jwk), str(jwk.get("kid", "dummy"))


def decode(token: str) -> dict[str, Any]:
    """The claims of one of our own tokens (we issued it: no verification needed here)."""
    segment = token.split(".")[1]
    claims: dict[str, Any] = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    return claims


def sign(claims: dict[str, Any]) -> str:
    """Sign claims with the pool's key (moto's key and ``kid``: the local JWKS verifies the result)."""
    key, kid = _key()
    return jwt.encode({"alg": "RS256", "kid": kid}, claims, key)


def _claims(target: dict[str, Any], details: Any, dropped: list[str]) -> None:
    if not isinstance(details, dict):
        return
    for name in details.get("claimsToSuppress") or []:
        if name in PROTECTED_CLAIMS:
            dropped.append(name)
        else:
            target.pop(name, None)
    for name, value in (details.get("claimsToAddOrOverride") or {}).items():
        if name in PROTECTED_CLAIMS:
            dropped.append(name)
        else:
            target[name] = value


def _scopes(access: dict[str, Any], details: Any) -> None:
    if not isinstance(details, dict):
        return
    scopes = [s for s in str(access.get("scope", "")).split() if s]
    suppressed = set(details.get("scopesToSuppress") or [])
    scopes = [s for s in scopes if s not in suppressed]
    for scope in details.get("scopesToAdd") or []:
        if scope not in scopes:
            scopes.append(scope)
    if scopes:
        access["scope"] = " ".join(scopes)
    else:
        access.pop("scope", None)


def _groups(tokens: list[dict[str, Any]], details: Any) -> None:
    if not isinstance(details, dict):
        return
    groups = details.get("groupsToOverride")
    for claims in tokens:
        if groups is not None:
            if groups:
                claims["cognito:groups"] = list(groups)
            else:
                claims.pop("cognito:groups", None)
    roles = details.get("iamRolesToOverride")
    if roles:
        tokens[0]["cognito:roles"] = list(roles)
    if details.get("preferredRole"):
        tokens[0]["cognito:preferred_role"] = details["preferredRole"]


def apply_response(version: str, response: Any, id_claims: dict[str, Any], access_claims: dict[str, Any]) -> list[str]:
    """Apply the trigger's response in place; returns the protected claims it tried to touch (ignored)."""
    dropped: list[str] = []
    if not isinstance(response, dict):
        return dropped
    if version == "1":
        details = response.get("claimsOverrideDetails")
        if isinstance(details, dict):
            _claims(id_claims, details, dropped)
            _groups([id_claims, access_claims], details.get("groupOverrideDetails"))
        return dropped
    details = response.get("claimsAndScopeOverrideDetails")
    if isinstance(details, dict):
        _claims(id_claims, details.get("idTokenGeneration"), dropped)
        access_details = details.get("accessTokenGeneration")
        _claims(access_claims, access_details, dropped)
        _scopes(access_claims, access_details)
        _groups([id_claims, access_claims], details.get("groupOverrideDetails"))
    return dropped
