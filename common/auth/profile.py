"""``/me``: the caller's own profile, and the only two fields they may change (``name`` and ``locale``).

An edit goes to Cognito first (``AdminUpdateUserAttributes``, so tokens and messages see it), then to the profile
table through :class:`ProfileStore.update`, which itself refuses any other field. If the table write fails after
Cognito succeeded, repeating the request converges: both writes are idempotent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from common.auth.claims import Caller
from common.auth.errors import AuthError
from common.auth.gateway import CognitoGateway
from common.profiles.clock import utc_now
from common.profiles.model import EDITABLE, Profile, ProfileStore

__all__ = ["EDITABLE", "ProfileService", "utc_now"]


class ProfileService:
    """Read and edit the caller's own profile."""

    def __init__(self, gateway: CognitoGateway, store: ProfileStore, clock: Callable[[], str] = utc_now) -> None:
        self._gateway = gateway
        self._store = store
        self._clock = clock

    def get(self, caller: Caller) -> Profile:
        profile = self._store.get(caller.sub)
        if profile is None:
            raise AuthError("PROFILE_NOT_FOUND")
        return profile

    def update(self, caller: Caller, changes: Mapping[str, str]) -> Profile:
        edits = {name: changes[name] for name in EDITABLE if name in changes}
        if not edits or len(edits) != len(changes):
            raise AuthError("INVALID_REQUEST")
        self._gateway.update_attributes(caller.username, edits)
        profile = self._store.update(caller.sub, edits, self._clock())
        if profile is None:
            raise AuthError("PROFILE_NOT_FOUND")
        return profile
