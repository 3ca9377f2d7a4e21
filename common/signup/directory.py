"""The two Cognito calls the sign-up gate may make, both off the hot path.

* ``user_status`` (AdminGetUser): only when an address is held by an expired claim or one older than a grace
  period, to free claims whose account was abandoned, deleted or never created, and to repair the claim of an
  account that is confirmed although its claim is still pending (UserRead quota, not ListUsers).
* ``link_provider`` (AdminLinkProviderForUser): only for a federated sign-in onto an existing native account,
  when the provider is allow-listed for linking.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from common.aws import aws_error_code
from common.errors import DependencyError

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient

__all__ = ["CognitoDirectory", "UserDirectory"]

#: The provider attribute Cognito uses for a federated user's id at the provider (OIDC ``sub``, SAML NameID).
SUBJECT_ATTRIBUTE = "Cognito_Subject"


class UserDirectory(Protocol):
    """What the sign-up gate asks the user pool."""

    def user_status(self, pool_id: str, user_name: str) -> str | None:
        """The user's Cognito ``UserStatus`` (``UNCONFIRMED``, ``CONFIRMED``, ``EXTERNAL_PROVIDER``,
        ``FORCE_CHANGE_PASSWORD``...), or ``None`` when the pool has no such user."""
        ...

    def link_provider(self, pool_id: str, native_user_name: str, provider: str, subject: str) -> bool:
        """Link the federated identity ``provider``/``subject`` onto the native user. ``False`` when the native
        user no longer exists."""
        ...


class CognitoDirectory:
    """:class:`UserDirectory` on the Cognito Identity Provider API."""

    def __init__(self, client: CognitoIdentityProviderClient | None = None) -> None:
        self._client_override = client

    @property
    def _client(self) -> CognitoIdentityProviderClient:
        if self._client_override is not None:
            return self._client_override
        from common.aws import cognito_client  # noqa: PLC0415  (boto3 only when a call is needed)

        return cognito_client()

    def user_status(self, pool_id: str, user_name: str) -> str | None:
        try:
            user = self._client.admin_get_user(UserPoolId=pool_id, Username=user_name)
        except Exception as exc:
            if aws_error_code(exc) == "UserNotFoundException":
                return None
            raise DependencyError(f"AdminGetUser failed: {type(exc).__name__}") from exc
        return str(user.get("UserStatus", "UNKNOWN"))

    def link_provider(self, pool_id: str, native_user_name: str, provider: str, subject: str) -> bool:
        try:
            self._client.admin_link_provider_for_user(
                UserPoolId=pool_id,
                DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": native_user_name},
                SourceUser={
                    "ProviderName": provider,
                    "ProviderAttributeName": SUBJECT_ATTRIBUTE,
                    "ProviderAttributeValue": subject,
                },
            )
        except Exception as exc:
            if aws_error_code(exc) == "UserNotFoundException":
                return False
            raise DependencyError(f"AdminLinkProviderForUser failed: {type(exc).__name__}") from exc
        return True
