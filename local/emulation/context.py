"""Shared state and helpers of the Cognito emulation: moto's pool and users, SecretHash, triggers, outbox."""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from local.codes import CodeStore
from local.errors import AwsError
from local.moto_bridge import Moto
from local.outbox import Outbox
from local.stack import LocalStack
from local.triggers import TriggerInvoker

__all__ = ["Emulation", "mask_destination", "moto_errors", "require", "secret_hash"]


@contextmanager
def moto_errors() -> Iterator[None]:
    """Turn an exception raised by a moto backend method into the AWS error it stands for."""
    try:
        yield
    except AwsError:
        raise
    except Exception as exc:
        code = getattr(exc, "error_type", None)
        if code is None:
            raise
        raise AwsError(
            str(code).split("#")[-1], str(getattr(exc, "message", exc)), int(getattr(exc, "code", 400))
        ) from None


def require(body: dict[str, Any], *names: str) -> None:
    """Reject a request that lacks a required member, with AWS's validation message."""
    missing = [name for name in names if body.get(name) in (None, "")]
    if missing:
        details = "; ".join(
            f"Value null at '{name[0].lower() + name[1:]}' failed to satisfy constraint: Member must not be null"
            for name in missing
        )
        count = len(missing)
        raise AwsError(
            "InvalidParameterException",
            f"{count} validation error{'s' if count > 1 else ''} detected: {details}",
        )
    for name in names:
        if name in body and not isinstance(body[name], str | dict | list | bool | int):
            raise AwsError("SerializationException", f"Unexpected value for {name}")


def mask_destination(email: str) -> str:
    """Cognito's masked destination: ``j***@e***``."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain[:1]}***"


def unknown_user_answer(em: Emulation, pool: Any, client_id: str, username: str) -> dict[str, Any]:
    """Cognito's answer to a code request for a user that does not exist: with PreventUserExistenceErrors a
    delivery that looks real (no enumeration), otherwise UserNotFoundException."""
    if em.prevents_existence_errors(pool, client_id):
        destination = mask_destination(username if "@" in username else username + "@x")
        return {
            "CodeDeliveryDetails": {"Destination": destination, "DeliveryMedium": "EMAIL", "AttributeName": "email"}
        }
    raise AwsError("UserNotFoundException", "Username/client id combination not found.")


def secret_hash(secret: str, username: str, client_id: str) -> str:
    """Base64(HMAC-SHA256(key=client secret, message=username + client id))."""
    digest = hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


@dataclass
class Emulation:
    """Everything an emulated operation needs."""

    moto: Moto
    stack: LocalStack
    triggers: TriggerInvoker
    outbox: Outbox
    codes: CodeStore = field(default_factory=CodeStore)
    pending_email: dict[str, str] = field(default_factory=dict)

    # ------------------------------------------------------------------ moto state
    def pool(self, pool_id: str | None = None) -> Any:
        pools = self.moto.cognito_backend().user_pools
        wanted = pool_id or self.stack.pool_id
        if wanted not in pools:
            raise AwsError("ResourceNotFoundException", f"User pool {wanted} does not exist.")
        return pools[wanted]

    def pool_for_client(self, client_id: str) -> Any:
        for pool in self.moto.cognito_backend().user_pools.values():
            if client_id in pool.clients:
                return pool
        raise AwsError("ResourceNotFoundException", "User pool client " + client_id + " does not exist.")

    def client_config(self, pool: Any, client_id: str) -> dict[str, Any]:
        config: dict[str, Any] = pool.clients[client_id].extended_config
        return config

    def find_user(self, pool: Any, username: str) -> Any:
        """A user by username, sub or alias, or None."""
        user = pool._get_user(username)
        if user is None:
            user = next((u for u in pool.users.values() if u.id == username), None)
        return user

    def email_is_username(self, pool: Any) -> bool:
        return "email" in (pool.extended_config.get("UsernameAttributes") or [])

    def email_is_alias(self, pool: Any) -> bool:
        config = pool.extended_config
        return self.email_is_username(pool) or "email" in (config.get("AliasAttributes") or [])

    def prevents_existence_errors(self, pool: Any, client_id: str) -> bool:
        return self.client_config(pool, client_id).get("PreventUserExistenceErrors") == "ENABLED"

    def rekey_user(self, pool: Any, user: Any, new_id: str) -> None:
        """Give a moto user the sub (and internal username) the triggers already saw."""
        old = user.username
        renamed = old == user.id
        user.id = new_id
        user.update_attributes([{"Name": "sub", "Value": new_id}])
        if renamed:
            pool.users.pop(old, None)
            user.username = new_id
            pool.users[new_id] = user

    @staticmethod
    def new_sub() -> str:
        return str(uuid.uuid4())

    # ------------------------------------------------------------------ SecretHash
    def check_secret_hash(self, pool: Any, client_id: str, username: str, given: Any) -> None:
        """NotAuthorizedException unless ``given`` is the client's SecretHash for ``username``."""
        client = pool.clients.get(client_id)
        if client is None or not client.generate_secret:
            return
        if not isinstance(given, str) or not given:
            raise AwsError(
                "NotAuthorizedException",
                f"Client {client_id} is configured with secret but SECRET_HASH was not received",
            )
        expected = secret_hash(client.secret, username, client_id)
        if not hmac.compare_digest(expected, given):
            raise AwsError("NotAuthorizedException", f"Unable to verify secret hash for client {client_id}")
