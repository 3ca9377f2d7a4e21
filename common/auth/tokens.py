"""Reading (not verifying) a JWT's claims.

The API only ever reads claims this way in two places, neither of which grants anything:

* the ID token Cognito just returned to us over TLS, to tell the client its internal username;
* an ID token a client sends with a refresh request, only to choose the username for ``SecretHash``. Cognito
  verifies the refresh token and checks that ``SecretHash`` matches the token's own user, so a forged ID token
  just makes the refresh fail.

Authorization never relies on this: protected routes get claims verified by the HTTP API's JWT authorizer.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from common.auth.errors import AuthError

__all__ = ["unverified_claims", "username_from_id_token"]


def unverified_claims(token: str) -> dict[str, Any]:
    """The payload of a compact JWS, or ``AuthError("INVALID_TOKEN")`` if it is not one."""
    parts = token.split(".")
    if len(parts) != 3:
        raise AuthError("INVALID_TOKEN", field="id_token")
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload.encode("ascii")))
    except (binascii.Error, UnicodeError, ValueError):
        raise AuthError("INVALID_TOKEN", field="id_token") from None
    if not isinstance(claims, dict):
        raise AuthError("INVALID_TOKEN", field="id_token")
    return claims


def username_from_id_token(token: str) -> str:
    """``cognito:username`` from an ID token: the internal username REFRESH_TOKEN_AUTH's SecretHash needs."""
    username = unverified_claims(token).get("cognito:username")
    if not isinstance(username, str) or not username:
        raise AuthError("INVALID_TOKEN", field="id_token")
    return username
