"""Decide and write the claims of one pre-token-generation event.

Order of work, cheapest first: read the event; if the groups name a role, answer from the event alone (no
network). Otherwise read the profile once (bounded by a deadline), create it if it is missing and the user is
confirmed (self-repair after a failed post-confirmation), and fall back to the group-derived answer (no role) when
the table is slow or failing, so sign-in never fails because of claims.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from common.claims.profile_source import GuardedProfileStore, LookupOutcome
from common.claims.request import TokenRequest, read_request
from common.claims.response import ClaimsDecision, render
from common.claims.roles import cap_role, role_from_groups
from common.claims.settings import ClaimsSettings
from common.observability import logger, metrics
from common.profiles.clock import utc_now
from common.profiles.model import profile_from_attributes

__all__ = ["REPAIRABLE_STATUSES", "ClaimsIssuer", "utc_now"]

# Post-confirmation ran (or should have) for these users; federated users never get a post-confirmation call, so
# their first token is where their profile is made. UNCONFIRMED / FORCE_CHANGE_PASSWORD users get no profile here.
REPAIRABLE_STATUSES = frozenset({"CONFIRMED", "EXTERNAL_PROVIDER"})


class ClaimsIssuer:
    """Writes ``response`` of pre-token-generation events. One instance per process (built at cold start)."""

    def __init__(
        self,
        settings: ClaimsSettings,
        profiles: GuardedProfileStore | None,
        canonical_email: Callable[[str], str],
        clock: Callable[[], str] = utc_now,
    ) -> None:
        self._settings = settings
        self._profiles = profiles
        self._canonical_email = canonical_email
        self._clock = clock
        self._policy = settings.scope_policy

    def issue(self, event: dict[str, Any]) -> None:
        """Set the claims response on ``event`` (only ``event["response"]`` changes)."""
        request = read_request(event)
        if request.is_machine:
            # A V3 client-credentials token has no user: no role, and its scopes are the app client's own
            # (configured by an administrator). The response is left as Cognito sent it: no change.
            return
        decision = self.decide(request)
        event["response"][request.shape.value] = render(request, decision, self._settings.claims_max_bytes)

    def decide(self, request: TokenRequest) -> ClaimsDecision:
        """The claims for one request (see ``common.claims.roles`` for the rule)."""
        settings = self._settings
        role = role_from_groups(request.groups, settings.role_order)
        if role is None:
            role = self._role_from_profile(request)
        suppress = self._planted(request.attributes)
        if role is None:
            suppress = (*suppress, settings.role_claim)
        claims = {settings.role_claim: role} if role is not None else {}
        scopes = self._policy.changes(
            role,
            request.scopes,
            suppress_self_service=settings.suppress_self_service_scope,
        )
        return ClaimsDecision(claims=claims, suppress=suppress, scopes=scopes)

    def _planted(self, attributes: Mapping[str, str]) -> tuple[str, ...]:
        """Claims a user could have put in their own token: every custom attribute not declared trusted (the app
        client's write permissions are not visible here, so any custom attribute is presumed user-writable),
        plus the configured extra names."""
        trusted = self._settings.trusted_custom_attributes
        planted = [name for name in attributes if name.startswith("custom:") and name not in trusted]
        if planted:
            metrics.add_metric(name="PlantedClaimsSuppressed", unit="Count", value=len(planted))
        return (*planted, *self._settings.extra_suppressed_claims)

    def _role_from_profile(self, request: TokenRequest) -> str | None:
        if self._profiles is None or request.user_id is None:
            return None
        settings = self._settings
        lookup = self._profiles.get(request.user_id)
        if lookup.outcome is LookupOutcome.UNAVAILABLE:
            return None
        if lookup.profile is not None:
            role = cap_role(lookup.profile.role, settings.role_order, settings.profile_max_role)
            if role != lookup.profile.role:
                logger.warning("profile role not honoured", extra={"profile_role": lookup.profile.role[:32]})
                metrics.add_metric(name="ProfileRoleCapped", unit="Count", value=1)
            return role
        return self._repair(request)

    def _repair(self, request: TokenRequest) -> str | None:
        """Create the missing profile (conditional write: retries and races create it once)."""
        attributes = request.attributes
        email = attributes.get("email")
        if request.user_status not in REPAIRABLE_STATUSES or not email or self._profiles is None:
            logger.info("no profile and not repairable", extra={"user_status": str(request.user_status)[:32]})
            return None
        role = self._settings.default_role
        profile = profile_from_attributes(
            attributes,
            now=self._clock(),
            role=role,
            canonical_email=self._canonical_email(email),
        )
        created = self._profiles.create(profile)
        if created is None:
            metrics.add_metric(name="ProfileRepairFailed", unit="Count", value=1)
            return None
        if created:
            logger.info("profile repaired", extra={"trigger_source": request.trigger_source})
            metrics.add_metric(name="ProfileRepaired", unit="Count", value=1)
        return cap_role(role, self._settings.role_order, self._settings.profile_max_role)
