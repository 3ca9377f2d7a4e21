"""The sign-up decision as a pure function: no AWS, no clock, no I/O beyond the bundled domain list.

Given one PreSignUp request and the settings it either refuses (raising :class:`SignupRefused` with the reason)
or says which canonical address to claim, whether that claim is permanent at once, and which auto-confirm /
auto-verify flags to answer. Checks run cheapest first; the first failing check is the one reported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from common.signup.attributes import privileged_attributes
from common.signup.domains import DomainVerdict, domain_verdict, matches
from common.signup.email import canonical_email, check_syntax, email_domain
from common.signup.refusals import Refusal, SignupRefused
from common.signup.settings import SignupSettings

__all__ = ["ADMIN_CREATE_USER", "EXTERNAL_PROVIDER", "SIGN_UP", "Decision", "SignupRequest", "decide"]

SIGN_UP = "PreSignUp_SignUp"
ADMIN_CREATE_USER = "PreSignUp_AdminCreateUser"
EXTERNAL_PROVIDER = "PreSignUp_ExternalProvider"

_VERIFICATION_FLAGS = ("email_verified", "phone_number_verified")
_DOMAIN_REFUSALS = {
    DomainVerdict.DENIED: Refusal.DOMAIN_BLOCKED,
    DomainVerdict.NOT_ALLOWED: Refusal.DOMAIN_NOT_ALLOWED,
    DomainVerdict.DISPOSABLE: Refusal.DISPOSABLE_EMAIL,
}


@dataclass(frozen=True)
class SignupRequest:
    """The parts of a PreSignUp event the policy reads."""

    source: str
    user_name: str
    pool_id: str
    attributes: Mapping[str, str]

    @classmethod
    def from_event(cls, event: Mapping[str, Any]) -> SignupRequest:
        request = event.get("request") or {}
        attributes = request.get("userAttributes") or {}
        return cls(
            source=str(event.get("triggerSource", "")),
            user_name=str(event.get("userName", "")),
            pool_id=str(event.get("userPoolId", "")),
            attributes={str(k): str(v) for k, v in attributes.items() if v is not None},
        )

    @property
    def email(self) -> str:
        return self.attributes.get("email", "").strip()

    @property
    def email_verified_by_provider(self) -> bool:
        """A federated sign-in whose identity provider asserts the address is verified."""
        return self.source == EXTERNAL_PROVIDER and self.attributes.get("email_verified", "").lower() == "true"


@dataclass(frozen=True)
class Decision:
    """What an accepted sign-up gets: the address to claim and the response flags."""

    canonical: str
    permanent_claim: bool
    auto_confirm_user: bool = False
    auto_verify_email: bool = False


def _check_attributes(request: SignupRequest, settings: SignupSettings) -> None:
    if privileged_attributes(request.attributes, settings):
        raise SignupRefused(Refusal.ATTRIBUTE_NOT_ALLOWED)
    if request.source == SIGN_UP and any(request.attributes.get(f, "").lower() == "true" for f in _VERIFICATION_FLAGS):
        # A self-service sign-up never verifies itself.
        raise SignupRefused(Refusal.ATTRIBUTE_NOT_ALLOWED)


def decide(request: SignupRequest, settings: SignupSettings) -> Decision:
    """Accept or refuse one sign-up (see the module docstring)."""
    _check_attributes(request, settings)
    if not request.email:
        raise SignupRefused(Refusal.EMAIL_REQUIRED)
    if not check_syntax(request.email):
        raise SignupRefused(Refusal.EMAIL_INVALID)
    canonical = canonical_email(request.email, settings)
    domain = email_domain(canonical)
    verdict = domain_verdict(domain, settings)
    if verdict is not DomainVerdict.ALLOWED:
        raise SignupRefused(_DOMAIN_REFUSALS[verdict])

    trusted = matches(domain, settings.auto_confirm_domains)
    if request.source == SIGN_UP:
        # A trusted-domain sign-up is confirmed now; otherwise its claim waits for post-confirmation.
        return Decision(canonical, permanent_claim=trusted, auto_confirm_user=trusted, auto_verify_email=trusted)
    if request.source == ADMIN_CREATE_USER:
        # Post-confirmation never runs for admin-created users: their claim is permanent from the start.
        verify = trusted or settings.auto_verify_admin_created
        return Decision(canonical, permanent_claim=True, auto_confirm_user=verify, auto_verify_email=verify)
    # Federated users are created confirmed and never pass through post-confirmation either.
    return Decision(canonical, permanent_claim=True)
