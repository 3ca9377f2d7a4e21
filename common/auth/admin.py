"""Administrator operations, for callers the HTTP layer has already checked hold the admin role.

One rule of our own: an administrator cannot disable themselves or leave the admin group through the API (the
last admin would lock everyone out); another administrator has to do it.
"""

from __future__ import annotations

from common.auth.claims import Caller
from common.auth.errors import AuthError
from common.auth.gateway import CognitoGateway
from common.auth.model import UserPage

__all__ = ["AdminService"]


class AdminService:
    """List users, enable or disable them, manage group membership."""

    def __init__(self, gateway: CognitoGateway, admin_group: str) -> None:
        self._gateway = gateway
        self._admin_group = admin_group

    def list_users(self, limit: int, pagination_token: str | None) -> UserPage:
        return self._gateway.list_users(limit, pagination_token)

    def set_enabled(self, caller: Caller, username: str, enabled: bool) -> None:
        if not enabled and caller.is_same_user(username):
            raise AuthError("SELF_LOCKOUT")
        self._gateway.set_enabled(username, enabled)

    def add_to_group(self, username: str, group: str) -> None:
        self._gateway.add_to_group(username, group)

    def remove_from_group(self, caller: Caller, username: str, group: str) -> None:
        if group == self._admin_group and caller.is_same_user(username):
            raise AuthError("SELF_LOCKOUT")
        self._gateway.remove_from_group(username, group)
