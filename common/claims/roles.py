"""Which role a token carries, from server-owned data only.

The rule (also in docs/authorization.md):

1. **Groups decide when they can.** If the user belongs to any group named in ``ROLE_GROUP_ORDER``, the role is
   the most privileged of them. Group membership is in the event, so this path makes no network call; every
   confirmed user is in the ``user`` group (post-confirmation adds it), so it is the common case.
2. **The profile is a fallback, capped.** Only when the groups say nothing is the profile table read. Its ``role``
   counts only if it is a configured role, and never above ``PROFILE_MAX_ROLE`` (by default the least privileged
   role): anything more needs a group membership, which only an administrator (IAM) can grant.
3. **Nothing else counts.** User attributes (``custom:role`` and friends) are never read for authorization.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["cap_role", "role_from_groups"]


def role_from_groups(groups: Iterable[str], order: tuple[str, ...]) -> str | None:
    """The most privileged role among ``groups`` (``order`` lists roles from most to least privileged)."""
    member_of = set(groups)
    for role in order:
        if role in member_of:
            return role
    return None


def cap_role(role: str | None, order: tuple[str, ...], ceiling: str) -> str | None:
    """``role`` lowered to ``ceiling`` if it ranks above it; ``None`` for a role that is not configured."""
    if role is None or role not in order:
        return None
    return ceiling if order.index(role) < order.index(ceiling) else role
