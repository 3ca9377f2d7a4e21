"""Cognito's ``SecretHash``: proof that the caller knows the app client's secret, bound to one username.

``SecretHash = Base64(HMAC-SHA256(key=client secret, message=username + client id))``. The classic mistake (and the
blog post this project grew from) is to send the raw secret instead. The username must be the one the flow names
the user by: the sign-in identifier (email) for sign-up, confirmation, sign-in and password reset, the internal
username (``cognito:username``, the ``sub`` in an email-username pool) for ``REFRESH_TOKEN_AUTH``, and
``USER_ID_FOR_SRP`` for challenge answers.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

__all__ = ["secret_hash"]


def secret_hash(username: str, client_id: str, client_secret: str) -> str:
    """The ``SecretHash`` value Cognito expects for ``username`` on the client ``client_id``."""
    digest = hmac.new(
        client_secret.encode("utf-8"),
        (username + client_id).encode("utf-8"),
        hashlib.sha256,
    ).digest()
    return base64.b64encode(digest).decode("ascii")
