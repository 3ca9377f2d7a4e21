"""Token issuance (InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge) with PreTokenGeneration, and
RevokeToken.

moto authenticates and mints the tokens; we run the trigger with the pool's configured event version, apply its
response to the claims, re-sign with moto's key, and swap the new tokens into moto's token registry (so GetUser
and friends still accept them).
"""

from __future__ import annotations

from typing import Any

from local import tokens
from local.cognito_events import event, event_attributes
from local.emulation.context import Emulation, require, secret_hash
from local.errors import AwsError

__all__ = [
    "admin_initiate_auth",
    "admin_respond_to_auth_challenge",
    "admin_user_global_sign_out",
    "initiate_auth",
    "respond_to_auth_challenge",
    "revoke_token",
]

_REFRESH = ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN")
_PASSWORD = ("USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH")


def _params(body: dict[str, Any], key: str) -> dict[str, Any]:
    value = body.get(key) or {}
    if not isinstance(value, dict):
        raise AwsError("InvalidParameterException", f"{key} must be a map")
    return value


def _refresh_owner(em: Emulation, pool: Any, client_id: str, refresh_token: Any) -> Any:
    """The user a refresh token belongs to (NotAuthorizedException if unknown, revoked or another client's)."""
    if not isinstance(refresh_token, str) or refresh_token not in pool.refresh_tokens:
        raise AwsError("NotAuthorizedException", "Invalid Refresh Token")
    entry = pool.refresh_tokens[refresh_token]
    if entry is None:
        raise AwsError("NotAuthorizedException", "Refresh Token has been revoked")
    if entry[0] != client_id:
        raise AwsError("NotAuthorizedException", "Invalid Refresh Token")
    user = em.find_user(pool, entry[1])
    if user is None:
        raise AwsError("NotAuthorizedException", "Invalid Refresh Token")
    return user


def _check_flow_secret(em: Emulation, pool: Any, client_id: str, flow: str, params: dict[str, Any]) -> None:
    if flow in _REFRESH:
        user = _refresh_owner(em, pool, client_id, params.get("REFRESH_TOKEN"))
        # The SecretHash of a refresh uses the internal username (the sub in an email-username pool).
        em.check_secret_hash(pool, client_id, user.username, params.get("SECRET_HASH"))
        client = pool.clients[client_id]
        if client.generate_secret:
            # moto checks it too, against the name the user signed in with: hand it the hash it expects.
            login_name = pool.refresh_tokens[params["REFRESH_TOKEN"]][1]
            params["SECRET_HASH"] = secret_hash(client.secret, login_name, client_id)
    elif flow in _PASSWORD:
        require(params, "USERNAME")
        em.check_secret_hash(pool, client_id, str(params["USERNAME"]), params.get("SECRET_HASH"))


_FLOW_SETTINGS = {
    "USER_PASSWORD_AUTH": ("ALLOW_USER_PASSWORD_AUTH", "USER_PASSWORD_AUTH"),
    "ADMIN_USER_PASSWORD_AUTH": ("ALLOW_ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"),
    "ADMIN_NO_SRP_AUTH": ("ALLOW_ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"),
    "USER_SRP_AUTH": ("ALLOW_USER_SRP_AUTH",),
    "CUSTOM_AUTH": ("ALLOW_CUSTOM_AUTH", "CUSTOM_AUTH_FLOW_ONLY"),
    "REFRESH_TOKEN_AUTH": ("ALLOW_REFRESH_TOKEN_AUTH",),
    "REFRESH_TOKEN": ("ALLOW_REFRESH_TOKEN_AUTH",),
}
_DEFAULT_FLOWS = ("ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")


def _check_flow_enabled(em: Emulation, pool: Any, client_id: str, flow: str) -> None:
    """InvalidParameterException unless the client's ExplicitAuthFlows allow ``flow`` (moto does not check)."""
    enabled = em.client_config(pool, client_id).get("ExplicitAuthFlows") or _DEFAULT_FLOWS
    needed = _FLOW_SETTINGS.get(flow)
    if needed is not None and not set(needed).intersection(enabled):
        raise AwsError("InvalidParameterException", "Auth flow not enabled for this client")


def _check_user(em: Emulation, pool: Any, client_id: str, flow: str, params: dict[str, Any]) -> None:
    """With PreventUserExistenceErrors, an unknown user looks like a wrong password."""
    if flow not in _PASSWORD:
        return
    user = em.find_user(pool, str(params.get("USERNAME", "")))
    if user is None and not em.prevents_existence_errors(pool, client_id):
        raise AwsError("UserNotFoundException", "User does not exist.")
    if user is None or (user.enabled and user.password != params.get("PASSWORD")):
        raise AwsError("NotAuthorizedException", "Incorrect username or password.")


def _groups(pool: Any, user: Any) -> list[str]:
    groups = sorted(user.groups, key=lambda g: (g.precedence if g.precedence is not None else 1 << 30, g.group_name))
    return [g.group_name for g in groups]


def _roles(user: Any) -> list[str]:
    return [g.role_arn for g in user.groups if getattr(g, "role_arn", None)]


def _register(pool: Any, auth: dict[str, Any], client_id: str, user: Any) -> None:
    """Key the new tokens by the internal username, not the sign-in name (which an email change breaks)."""
    owner = (client_id, user.username)
    pool.access_tokens[auth["AccessToken"]] = owner
    pool.id_tokens[auth["IdToken"]] = owner
    refresh = auth.get("RefreshToken")
    entry = pool.refresh_tokens.get(refresh) if refresh else None
    if entry is not None:
        pool.refresh_tokens[refresh] = (entry[0], user.username, entry[2])


def _pre_token(
    em: Emulation, pool: Any, result: dict[str, Any], *, source: str, client_id: str, metadata: dict[str, Any] | None
) -> dict[str, Any]:
    auth = result.get("AuthenticationResult")
    if not isinstance(auth, dict):
        return result
    id_claims, access_claims = tokens.decode(auth["IdToken"]), tokens.decode(auth["AccessToken"])
    user = em.find_user(pool, str(access_claims["username"]))
    _register(pool, auth, client_id, user)
    if not em.triggers.configured("PreTokenGeneration"):
        return result
    version = em.stack.pre_token_version
    request: dict[str, Any] = {
        "userAttributes": event_attributes(user, alias_email=False),
        "groupConfiguration": {
            "groupsToOverride": _groups(pool, user),
            "iamRolesToOverride": _roles(user),
            "preferredRole": None,
        },
    }
    if version != "1":
        request["scopes"] = [s for s in str(access_claims.get("scope", "")).split() if s]
    if metadata is not None:
        request["clientMetadata"] = metadata
    response: dict[str, Any] = {"claimsOverrideDetails" if version == "1" else "claimsAndScopeOverrideDetails": None}
    returned = em.triggers.invoke(
        "PreTokenGeneration",
        event(
            version=version,
            source=source,
            region=em.stack.region,
            pool_id=pool.id,
            username=user.username,
            client_id=client_id,
            request=request,
            response=response,
        ),
    )
    tokens.apply_response(version, returned["response"], id_claims, access_claims)
    new_id, new_access = tokens.sign(id_claims), tokens.sign(access_claims)
    pool.access_tokens.pop(auth["AccessToken"], None)
    pool.id_tokens.pop(auth["IdToken"], None)
    auth["IdToken"], auth["AccessToken"] = new_id, new_access
    _register(pool, auth, client_id, user)
    return result


def _token_source(flow: str) -> str:
    return "TokenGeneration_RefreshTokens" if flow in _REFRESH else "TokenGeneration_Authentication"


def initiate_auth(em: Emulation, body: dict[str, Any]) -> dict[str, Any]:
    require(body, "AuthFlow", "ClientId")
    client_id, flow = str(body["ClientId"]), str(body["AuthFlow"])
    pool = em.pool_for_client(client_id)
    params = _params(body, "AuthParameters")
    _check_flow_enabled(em, pool, client_id, flow)
    _check_flow_secret(em, pool, client_id, flow, params)
    _check_user(em, pool, client_id, flow, params)
    result = em.moto.cognito("InitiateAuth", {k: v for k, v in body.items() if k != "ClientMetadata"})
    return _pre_token(em, pool, result, source=_token_source(flow), client_id=client_id, metadata=None)


def admin_initiate_auth(em: Emulation, body: dict[str, Any]) -> dict[str, Any]:
    require(body, "UserPoolId", "ClientId", "AuthFlow")
    client_id, flow = str(body["ClientId"]), str(body["AuthFlow"])
    pool = em.pool(str(body["UserPoolId"]))
    if client_id not in pool.clients:
        raise AwsError("ResourceNotFoundException", f"User pool client {client_id} does not exist.")
    params = _params(body, "AuthParameters")
    _check_flow_enabled(em, pool, client_id, flow)
    _check_flow_secret(em, pool, client_id, flow, params)
    _check_user(em, pool, client_id, flow, params)
    result = em.moto.cognito("AdminInitiateAuth", {k: v for k, v in body.items() if k != "ClientMetadata"})
    return _pre_token(em, pool, result, source=_token_source(flow), client_id=client_id, metadata=None)


def _respond(em: Emulation, body: dict[str, Any], operation: str, pool: Any) -> dict[str, Any]:
    client_id, challenge = str(body["ClientId"]), str(body["ChallengeName"])
    responses = _params(body, "ChallengeResponses")
    username = responses.get("USERNAME")
    if challenge not in ("SOFTWARE_TOKEN_MFA", "SMS_MFA") and isinstance(username, str):
        em.check_secret_hash(pool, client_id, username, responses.get("SECRET_HASH"))
    result = em.moto.cognito(operation, {k: v for k, v in body.items() if k != "ClientMetadata"})
    source = (
        "TokenGeneration_NewPasswordChallenge"
        if challenge == "NEW_PASSWORD_REQUIRED"
        else "TokenGeneration_Authentication"
    )
    metadata = body.get("ClientMetadata") if isinstance(body.get("ClientMetadata"), dict) else None
    return _pre_token(em, pool, result, source=source, client_id=client_id, metadata=metadata)


def respond_to_auth_challenge(em: Emulation, body: dict[str, Any]) -> dict[str, Any]:
    require(body, "ClientId", "ChallengeName")
    return _respond(em, body, "RespondToAuthChallenge", em.pool_for_client(str(body["ClientId"])))


def admin_respond_to_auth_challenge(em: Emulation, body: dict[str, Any]) -> dict[str, Any]:
    require(body, "UserPoolId", "ClientId", "ChallengeName")
    return _respond(em, body, "AdminRespondToAuthChallenge", em.pool(str(body["UserPoolId"])))


def revoke_token(em: Emulation, body: dict[str, Any]) -> dict[str, Any]:
    """Revoke a refresh token and the access tokens minted from it."""
    require(body, "Token", "ClientId")
    client_id, token = str(body["ClientId"]), str(body["Token"])
    pool = em.pool_for_client(client_id)
    client = pool.clients[client_id]
    if client.generate_secret and body.get("ClientSecret") != client.secret:
        raise AwsError("NotAuthorizedException", "Client secret is not valid")
    if em.client_config(pool, client_id).get("EnableTokenRevocation") is False:
        raise AwsError("UnsupportedOperationException", "Token revocation is not enabled for this client")
    entry = pool.refresh_tokens.get(token)
    if entry is None:
        return {}
    if entry[0] != client_id:
        raise AwsError("UnauthorizedException", "The token was not issued to this client")
    origin = entry[2]
    pool.refresh_tokens[token] = None
    for access in list(pool.access_tokens):
        if tokens.decode(access).get("origin_jti") == origin:
            pool.access_tokens.pop(access, None)
    return {}


def admin_user_global_sign_out(em: Emulation, body: dict[str, Any]) -> dict[str, Any]:
    """Sign the user out everywhere, whichever name (email alias or internal username) the call uses."""
    require(body, "UserPoolId", "Username")
    pool = em.pool(str(body["UserPoolId"]))
    user = em.find_user(pool, str(body["Username"]))
    if user is None:
        raise AwsError("UserNotFoundException", "User does not exist.")
    pool.sign_out(user.username)
    return {}
