"""Email claims: who holds each canonical email address, and the store interface every backend implements.

One item per canonical address. A sign-up that will be confirmed later (``PreSignUp_SignUp``) holds a *pending*
claim that expires, so an abandoned sign-up frees its address; post-confirmation makes it *confirmed* (no expiry).
Sign-ups that never pass through post-confirmation (admin-created users, federated sign-ins, auto-confirmed
users) are confirmed at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Protocol

__all__ = ["ClaimOutcome", "ClaimResult", "ClaimStatus", "ConfirmResult", "EmailClaim", "EmailClaims"]


class ClaimStatus(StrEnum):
    """``PENDING`` expires at ``expires_at``; ``CONFIRMED`` is held until the account is gone."""

    PENDING = "PENDING"
    CONFIRMED = "CONFIRMED"


@dataclass(frozen=True)
class EmailClaim:
    """One claim item. ``user_name`` is the Cognito ``userName`` of the holder (the ``sub`` in this pool, whose
    usernames are email aliases; ``<Provider>_<id>`` for a federated user). Times: ISO-8601 UTC strings, except
    ``expires_at``, which is epoch seconds because DynamoDB TTL reads only that."""

    email: str
    user_name: str
    status: ClaimStatus
    source: str
    created_at: str
    expires_at: int | None = None
    confirmed_at: str | None = None

    def expired(self, now_epoch: int) -> bool:
        """A pending claim past its expiry (DynamoDB deletes expired items lazily, so the item may still exist)."""
        return self.expires_at is not None and self.expires_at < now_epoch


class ClaimResult(Enum):
    """What :meth:`EmailClaims.claim` did."""

    CLAIMED = "claimed"  # written: the address was free, expired, or taken over
    ALREADY_HELD = "already_held"  # the same user already holds it (a retried invocation): nothing written
    TAKEN = "taken"  # another user holds it: nothing written; ``holder`` says who


@dataclass(frozen=True)
class ClaimOutcome:
    result: ClaimResult
    holder: EmailClaim | None = None


class ConfirmResult(Enum):
    """What :meth:`EmailClaims.try_confirm` did."""

    CONFIRMED = "confirmed"  # the claim is now (or already was) confirmed for this user
    CONFLICT = "conflict"  # another user's confirmed claim holds the address: nothing written


class EmailClaims(Protocol):
    """Race-safe uniqueness of canonical email addresses. Implementations raise
    :class:`common.errors.DependencyError` when the backend fails; a lost race is a result, not an exception."""

    def get(self, email: str) -> EmailClaim | None:
        """The claim on ``email`` (strongly consistent), or ``None``."""
        ...

    def claim(
        self, claim: EmailClaim, *, now_epoch: int, take_over_expired: bool = True, take_over_pending: bool = False
    ) -> ClaimOutcome:
        """Write ``claim`` unless another user holds the address. An expired claim does not hold it when
        ``take_over_expired`` (the caller may prefer to look at the holder first); a pending claim does not when
        ``take_over_pending``. A claim already held by ``claim.user_name`` is left as it is."""
        ...

    def take_over(self, claim: EmailClaim, *, stale: EmailClaim) -> bool:
        """Replace ``stale`` (exactly that holder and creation time) with ``claim``. ``False`` if it changed."""
        ...

    def try_confirm(self, email: str, user_id: str, *, now: str) -> ConfirmResult:
        """Make ``user_id``'s claim on ``email`` permanent (creating it if it expired and vanished, taking over
        another user's pending claim). Idempotent."""
        ...

    def confirm(self, canonical: str, user_id: str) -> None:
        """:meth:`try_confirm` at the current time; a conflict is logged and counted, not raised (the user is
        already confirmed in Cognito by then, and failing post-confirmation would only lose their profile)."""
        ...
