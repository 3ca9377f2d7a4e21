"""The API's settings and services, built once per process.

Settings are read when this module is imported (cold start), so a bad deploy fails before serving anyone. The
services are created on first use from the shared AWS clients (``common.aws``); tests replace them by clearing
the caches (``reset()``) after swapping the client factories, or by patching the service functions here.
"""

from __future__ import annotations

from functools import cache

from common import aws
from common.auth.account import AccountService
from common.auth.admin import AdminService
from common.auth.client_secret import ClientSecret
from common.auth.gateway import CognitoGateway
from common.auth.profile import ProfileService
from common.auth.settings import ApiSettings
from common.profiles.model import ProfileStore

__all__ = [
    "account_service",
    "admin_service",
    "gateway",
    "profile_service",
    "profile_store",
    "reset",
    "settings",
]

settings = ApiSettings.from_env()


@cache
def client_secret() -> ClientSecret:
    return ClientSecret(settings, aws.cognito_client)


@cache
def gateway() -> CognitoGateway:
    return CognitoGateway(
        aws.cognito_client(),
        user_pool_id=settings.user_pool_id,
        client_id=settings.client_id,
        secret=client_secret(),
    )


@cache
def profile_store() -> ProfileStore:
    from common.profiles.dynamodb import DynamoDbProfileStore  # noqa: PLC0415  (only /me needs DynamoDB)

    return DynamoDbProfileStore(settings.profile_table_name, aws.dynamodb_client())


def account_service() -> AccountService:
    return AccountService(gateway())


def profile_service() -> ProfileService:
    return ProfileService(gateway(), profile_store())


def admin_service() -> AdminService:
    return AdminService(gateway(), settings.admin_group)


def reset() -> None:
    """Forget every cached service (tests)."""
    client_secret.cache_clear()
    gateway.cache_clear()
    profile_store.cache_clear()
