"""The parts of a pre-token-generation event the claims depend on, read defensively into one typed value.

The event shape is detected from the event itself, not from configuration: the pool may be switched between
``V1_0``, ``V2_0`` and ``V3_0`` without redeploying the function, and answering a V2 event in the V1 shape silently
loses the access-token claims. Cognito puts the response key it expects on the input (``claimsOverrideDetails``
for V1, ``claimsAndScopeOverrideDetails`` for V2/V3, both ``null``); the ``version`` field ("1", "2", "3") is the
fallback. Powertools' ``PreTokenGenerationTriggerEvent`` classes are not used here: they raise ``KeyError`` on a
null ``groupConfiguration`` (V3 machine-to-machine events) and would add a copy per access on the hot path.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

__all__ = ["CLIENT_CREDENTIALS", "EventShape", "TokenRequest", "UnrecognizedEventError", "read_request"]

CLIENT_CREDENTIALS = "TokenGeneration_ClientCredentials"


class UnrecognizedEventError(ValueError):
    """The event says neither which response shape Cognito expects nor a known version."""


class EventShape(Enum):
    """The response object Cognito reads back."""

    V1 = "claimsOverrideDetails"
    V2 = "claimsAndScopeOverrideDetails"  # V2 and V3 share it (V3 adds machine-to-machine access tokens)


@dataclass(frozen=True)
class TokenRequest:
    """What a pre-token-generation event tells us about the token being issued."""

    shape: EventShape
    version: str
    trigger_source: str
    user_id: str | None
    attributes: Mapping[str, str]
    groups: tuple[str, ...]
    group_configuration: Mapping[str, Any] | None
    scopes: tuple[str, ...]

    @property
    def is_machine(self) -> bool:
        """A V3 client-credentials grant: an app client, no user behind the token."""
        return self.trigger_source == CLIENT_CREDENTIALS

    @property
    def user_status(self) -> str | None:
        return self.attributes.get("cognito:user_status")


def detect_shape(event: Mapping[str, Any]) -> EventShape:
    """The response shape Cognito expects for this event (see the module docstring)."""
    response = event.get("response")
    if isinstance(response, Mapping):
        if EventShape.V2.value in response:
            return EventShape.V2
        if EventShape.V1.value in response:
            return EventShape.V1
    version = str(event.get("version", ""))
    if version == "1":
        return EventShape.V1
    if version in {"2", "3"}:
        return EventShape.V2
    raise UnrecognizedEventError(f"pre-token-generation event of unknown version {version[:8]!r}")


def read_request(event: Mapping[str, Any]) -> TokenRequest:
    """Read the event into a :class:`TokenRequest`; malformed optional parts read as empty (Cognito sends attribute
    values as strings; anything else is dropped rather than trusted or crashed on)."""
    request = event.get("request")
    request = request if isinstance(request, Mapping) else {}
    raw_attributes = request.get("userAttributes")
    attributes: Mapping[str, str] = (
        {name: value for name, value in raw_attributes.items() if isinstance(name, str) and isinstance(value, str)}
        if isinstance(raw_attributes, Mapping)
        else {}
    )
    configuration = request.get("groupConfiguration")
    configuration = configuration if isinstance(configuration, Mapping) else None
    groups = _strings(configuration.get("groupsToOverride")) if configuration is not None else ()
    sub = attributes.get("sub")
    return TokenRequest(
        shape=detect_shape(event),
        version=str(event.get("version", "")),
        trigger_source=str(event.get("triggerSource", "")),
        user_id=sub if isinstance(sub, str) and sub else None,
        attributes=attributes,
        groups=groups,
        group_configuration=configuration,
        scopes=_strings(request.get("scopes")),
    )


def _strings(value: object) -> tuple[str, ...]:
    if not isinstance(value, list | tuple):
        return ()
    return tuple(item for item in value if isinstance(item, str))
