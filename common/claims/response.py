"""Render a claims decision into the response object Cognito expects, within the size budget.

V1 (``claimsOverrideDetails``) customizes the ID token only; V2/V3 (``claimsAndScopeOverrideDetails``) carry one
block per token plus the access token's scopes. The group configuration is copied back unchanged as
``groupOverrideDetails``: Cognito *replaces* ``cognito:groups`` with whatever that key holds, and copying the
request's value is the documented way to keep the groups as they are.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from common.claims.request import EventShape, TokenRequest
from common.claims.reserved import is_reserved
from common.claims.scopes import ScopeChanges
from common.errors import AppError

__all__ = ["ClaimsBudgetError", "ClaimsDecision", "added_bytes", "render"]


class ClaimsBudgetError(AppError):
    """What we would add exceeds ``CLAIMS_MAX_BYTES`` (start-up checks make this a programming error)."""


@dataclass(frozen=True)
class ClaimsDecision:
    """The claims to put in (or take out of) both tokens, and the access token's scope changes."""

    claims: Mapping[str, str]
    suppress: tuple[str, ...]
    scopes: ScopeChanges


def added_bytes(claims_blocks: list[Mapping[str, str]], scopes_to_add: tuple[str, ...]) -> int:
    """Bytes our additions cost across the token pair: each added-claims object as compact JSON plus the added
    scopes as they appear in the ``scope`` claim. The same measure bounds the configuration at start-up."""
    total = sum(len(json.dumps(block, separators=(",", ":")).encode()) for block in claims_blocks if block)
    return total + len(" ".join(scopes_to_add).encode())


def render(request: TokenRequest, decision: ClaimsDecision, budget: int) -> dict[str, Any]:
    """The value of ``response[<shape key>]`` for this request."""
    _check_reserved(decision)
    claims = dict(decision.claims)
    suppress = list(decision.suppress)
    if request.shape is EventShape.V1:
        _check_budget([claims], (), budget)
        details: dict[str, Any] = {"claimsToAddOrOverride": claims, "claimsToSuppress": suppress}
    else:
        _check_budget([claims, claims], decision.scopes.add, budget)
        details = {
            "idTokenGeneration": {"claimsToAddOrOverride": claims, "claimsToSuppress": suppress},
            "accessTokenGeneration": {
                "claimsToAddOrOverride": dict(claims),
                "claimsToSuppress": list(suppress),
                "scopesToAdd": list(decision.scopes.add),
                "scopesToSuppress": list(decision.scopes.suppress),
            },
        }
    if request.group_configuration is not None:
        details["groupOverrideDetails"] = {
            key: list(value) if isinstance(value, list) else value for key, value in request.group_configuration.items()
        }
    return details


def _check_reserved(decision: ClaimsDecision) -> None:
    touched = [name for name in (*decision.claims, *decision.suppress) if is_reserved(name)]
    if touched:
        raise ValueError(f"refusing to touch reserved claims {touched}")


def _check_budget(blocks: list[Mapping[str, str]], scopes: tuple[str, ...], budget: int) -> None:
    size = added_bytes(blocks, scopes)
    if size > budget:
        raise ClaimsBudgetError(f"claims would add {size} bytes, over the {budget}-byte budget")
