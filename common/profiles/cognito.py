"""The Cognito calls the profile package makes (the only module here that talks to Cognito).

* :class:`CognitoGroups` adds a user to a group (post-confirmation's default group). ``AdminAddUserToGroup`` is
  idempotent in Cognito: adding a member again succeeds and changes nothing, so a retried trigger is harmless.
* :class:`CognitoUserDirectory` pages through one pool for ``reconcile``: ``ListUsers`` and ``ListUsersInGroup``
  (both in Cognito's UserList quota category, 30 requests/s per account and region, which cannot be raised; the
  caller rate-limits).

AWS failures become :class:`common.errors.DependencyError` naming the operation and the AWS error code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from common.errors import DependencyError
from common.profiles.dynamodb import error_code

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient

__all__ = ["MAX_PAGE_SIZE", "CognitoGroups", "CognitoUserDirectory", "DirectoryUser", "Page"]

#: The largest ``Limit`` ListUsers and ListUsersInGroup accept.
MAX_PAGE_SIZE = 60


@dataclass(frozen=True)
class DirectoryUser:
    """One user as ListUsers returns it. ``attributes`` is the flat ``{name: value}`` map (``sub``, ``email``...)."""

    username: str
    status: str
    enabled: bool
    attributes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Page:
    """One page of a listing and the token of the next one (``None`` on the last page)."""

    users: tuple[DirectoryUser, ...]
    next_token: str | None


def _user(raw: Mapping[str, Any]) -> DirectoryUser:
    attributes = {a["Name"]: a.get("Value", "") for a in raw.get("Attributes", [])}
    return DirectoryUser(
        username=str(raw.get("Username", "")),
        status=str(raw.get("UserStatus", "UNKNOWN")),
        enabled=bool(raw.get("Enabled", True)),
        attributes=attributes,
    )


class _CognitoCaller:
    def __init__(self, client: CognitoIdentityProviderClient | None) -> None:
        self._client = client

    @property
    def client(self) -> CognitoIdentityProviderClient:
        if self._client is None:
            from common.aws import cognito_client  # noqa: PLC0415  (boto3 only when a call is made)

            self._client = cognito_client()
        return self._client

    @staticmethod
    def _fail(operation: str, exc: Exception) -> DependencyError:
        return DependencyError(f"Cognito {operation} failed: {error_code(exc)}")


class CognitoGroups(_CognitoCaller):
    """Group membership writes. The pool id comes from each call (the trigger event carries it), so the function
    needs no pool id in its environment, which would be a circular reference in the stack."""

    def __init__(self, client: CognitoIdentityProviderClient | None = None) -> None:
        super().__init__(client)

    def add_to_group(self, pool_id: str, username: str, group: str) -> None:
        try:
            self.client.admin_add_user_to_group(UserPoolId=pool_id, Username=username, GroupName=group)
        except (ClientError, BotoCoreError) as exc:
            raise self._fail("AdminAddUserToGroup", exc) from exc


class CognitoUserDirectory(_CognitoCaller):
    """Read one pool page by page, and repair group memberships, for ``reconcile``."""

    def __init__(self, pool_id: str, client: CognitoIdentityProviderClient | None = None) -> None:
        super().__init__(client)
        if not pool_id:
            raise ValueError("pool_id is required")
        self.pool_id = pool_id

    def list_users(self, token: str | None, limit: int = MAX_PAGE_SIZE) -> Page:
        kwargs: dict[str, Any] = {"UserPoolId": self.pool_id, "Limit": limit}
        if token:
            kwargs["PaginationToken"] = token
        try:
            response = self.client.list_users(**kwargs)
        except (ClientError, BotoCoreError) as exc:
            raise self._fail("ListUsers", exc) from exc
        users = tuple(_user(raw) for raw in response.get("Users", []))
        return Page(users=users, next_token=response.get("PaginationToken") or None)

    def list_group_members(self, group: str, token: str | None, limit: int = MAX_PAGE_SIZE) -> Page:
        kwargs: dict[str, Any] = {"UserPoolId": self.pool_id, "GroupName": group, "Limit": limit}
        if token:
            kwargs["NextToken"] = token
        try:
            response = self.client.list_users_in_group(**kwargs)
        except (ClientError, BotoCoreError) as exc:
            raise self._fail("ListUsersInGroup", exc) from exc
        users = tuple(_user(raw) for raw in response.get("Users", []))
        return Page(users=users, next_token=response.get("NextToken") or None)

    def add_to_group(self, username: str, group: str) -> None:
        CognitoGroups(self.client).add_to_group(self.pool_id, username, group)
