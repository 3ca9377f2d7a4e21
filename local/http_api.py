"""API Gateway HTTP API (payload format 2.0) in front of the template's functions.

Routes come from the template's ``AWS::ApiGatewayV2::Route`` resources (``RouteKey`` "GET /users/{id}", target
integration → function); routes with a JWT authorizer get the token verified against the local pool's JWKS,
issuer and audience, as API Gateway does (401 ``{"message":"Unauthorized"}`` when missing or invalid, 403 when
the route's scopes are not granted), and the claims and scopes land in ``requestContext.authorizer.jwt``.
Dormant when the template has no httpApi routes.
"""

from __future__ import annotations

import base64
import json
import re
import time
import uuid
from functools import cache
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from werkzeug.wrappers import Request, Response

from local.recorder import Recorder
from local.stack import LocalStack, Route
from local.template import Resolver, Template
from local.workers import InvocationError, SandboxPool

__all__ = ["HttpApi", "jwt_claims", "routes_from_template"]

_TEXT_TYPES = ("text/", "application/json", "application/x-www-form-urlencoded", "application/xml", "+json")


@cache
def _keys() -> KeySet:
    from moto.utilities.utils import load_resource  # noqa: PLC0415

    return KeySet.import_key_set(load_resource("cognitoidp/resources/jwks-public.json"))


def _function_of(integration: dict[str, Any], functions: dict[str, str]) -> str | None:
    uri = integration.get("IntegrationUri")
    if isinstance(uri, str):
        return next((logical for logical, arn in functions.items() if arn and arn in uri), None)
    return None


def routes_from_template(template: Template, resolver: Resolver) -> list[Route]:
    """Every HTTP API route of the template that reaches one of its functions."""
    functions = {
        logical: resolver.attributes.get((logical, "Arn"), "") for logical in template.of_type("AWS::Lambda::Function")
    }
    integrations = {
        logical: _function_of(resolver.resolve(template.properties(logical)), functions)
        for logical in template.of_type("AWS::ApiGatewayV2::Integration")
    }
    authorizers = {
        logical: resolver.resolve(template.properties(logical)).get("JwtConfiguration") or {}
        for logical in template.of_type("AWS::ApiGatewayV2::Authorizer")
    }
    routes: list[Route] = []
    for logical in template.of_type("AWS::ApiGatewayV2::Route"):
        props = resolver.resolve(template.properties(logical))
        target = str(props.get("Target", "")).rpartition("/")[2]
        function = integrations.get(target)
        if function is None:
            continue
        method, _, path = str(props.get("RouteKey", "")).partition(" ")
        jwt_config = (
            authorizers.get(str(props.get("AuthorizerId", ""))) if props.get("AuthorizationType") == "JWT" else None
        )
        audience = (jwt_config or {}).get("Audience") or []
        routes.append(
            Route(
                method=method if path else "ANY",
                path=path or method,
                function=function,
                issuer=str(jwt_config.get("Issuer")) if jwt_config is not None else None,
                audience=tuple(str(a) for a in audience),
                scopes=tuple(str(s) for s in props.get("AuthorizationScopes") or ()),
            )
        )
    return routes


def _pattern(path: str) -> re.Pattern[str]:
    parts = []
    for segment in path.strip("/").split("/"):
        greedy = re.fullmatch(r"\{(\w+)\+\}", segment)
        param = re.fullmatch(r"\{(\w+)\}", segment)
        if greedy:
            parts.append(f"(?P<{greedy.group(1)}>.+)")
        elif param:
            parts.append(f"(?P<{param.group(1)}>[^/]+)")
        else:
            parts.append(re.escape(segment))
    return re.compile("^/" + "/".join(parts) + "$")


def _specificity(route: Route) -> tuple[int, int, int, int]:
    greedy = route.path.count("+}")
    params = route.path.count("{") - greedy
    return (route.path == "$default", greedy, params, route.method == "ANY")


def _claim_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + " ".join(str(v) for v in value) + "]"
    return str(value)


def jwt_claims(token: str, route: Route, now: float | None = None) -> dict[str, Any] | None:
    """The verified claims of ``token`` for ``route``'s authorizer, or None (→ 401)."""
    try:
        decoded = jwt.decode(token, _keys(), algorithms=["RS256"])
    except (JoseError, ValueError):
        return None
    claims: dict[str, Any] = dict(decoded.claims)
    current = time.time() if now is None else now
    if claims.get("iss") != route.issuer or float(claims.get("exp", 0)) <= current:
        return None
    audiences = {claims.get("aud"), claims.get("client_id")}
    if route.audience and not audiences.intersection(route.audience):
        return None
    return claims


class HttpApi:
    """Routes requests to functions as payload-2.0 events."""

    def __init__(self, routes: list[Route], stack: LocalStack, sandboxes: SandboxPool, recorder: Recorder) -> None:
        self.routes = sorted(routes, key=_specificity)
        self.patterns = [(route, _pattern(route.path)) for route in self.routes if route.path != "$default"]
        self.default = next((r for r in self.routes if r.path == "$default"), None)
        self.stack = stack
        self.sandboxes = sandboxes
        self.recorder = recorder

    @classmethod
    def from_template(
        cls, template: Template, resolver: Resolver, stack: LocalStack, sandboxes: SandboxPool, recorder: Recorder
    ) -> HttpApi:
        routes = routes_from_template(template, resolver)
        stack.routes = routes
        return cls(routes, stack, sandboxes, recorder)

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        """The most specific route for a request (exact method before ANY), with its path parameters."""
        for route, pattern in self.patterns:
            if route.method not in (method, "ANY"):
                continue
            found = pattern.match(path)
            if found:
                return route, found.groupdict()
        return (self.default, {}) if self.default is not None else None

    def serve(self, request: Request) -> Response | None:
        """Serve the request if a route matches; None otherwise."""
        matched = self.match(request.method, request.path)
        if matched is None:
            return None
        route, parameters = matched
        authorizer: dict[str, Any] | None = None
        if route.authorized:
            header = request.headers.get("Authorization", "")
            token = header[7:] if header.lower().startswith("bearer ") else header
            claims = jwt_claims(token.strip(), route) if token.strip() else None
            if claims is None:
                return _message(401, "Unauthorized")
            scopes = [s for s in str(claims.get("scope", "")).split() if s] if "scope" in claims else None
            if route.scopes and not set(route.scopes).intersection(scopes or []):
                return _message(403, "Forbidden")
            authorizer = {"jwt": {"claims": {k: _claim_text(v) for k, v in claims.items()}, "scopes": scopes}}
        return self._invoke(route, parameters, request, authorizer)

    def _invoke(
        self, route: Route, parameters: dict[str, str], request: Request, authorizer: dict[str, Any] | None
    ) -> Response:
        event = build_event(route, parameters, request, authorizer)
        record: dict[str, Any] = {"trigger": "HttpApi", "function": route.function, "attempt": 1, "event": event}
        spec = self.stack.functions[route.function]
        try:
            outcome = self.sandboxes.invoke(route.function, event, min(spec.timeout_seconds, 30.0))
        except InvocationError as failure:
            record["error"] = {"kind": failure.kind, "type": failure.error_type, "message": failure.message}
            self.recorder.add(record)
            if failure.kind == "timeout":
                return _message(503, "Service Unavailable")
            return _message(500, "Internal Server Error")
        record.update(result=outcome.result, cold_start=outcome.cold_start, duration_ms=outcome.duration_ms)
        self.recorder.add(record)
        return to_response(outcome.result)


def _body(request: Request) -> tuple[str | None, bool]:
    """The body as text, or base64 for binary content (``isBase64Encoded``)."""
    raw = request.get_data(cache=True)
    if not raw:
        return None, True
    content_type = request.headers.get("Content-Type", "")
    if any(marker in content_type for marker in _TEXT_TYPES):
        try:
            return raw.decode(), True
        except UnicodeDecodeError:
            pass
    return base64.b64encode(raw).decode(), False


def _headers(request: Request) -> dict[str, str]:
    """Lower-cased header names, repeated headers joined with commas, cookies apart (as API Gateway does)."""
    headers: dict[str, str] = {}
    for name, value in request.headers.items():
        key = name.lower()
        if key != "cookie":
            headers[key] = f"{headers[key]},{value}" if key in headers else value
    return headers


def build_event(
    route: Route, parameters: dict[str, str], request: Request, authorizer: dict[str, Any] | None
) -> dict[str, Any]:
    """The API Gateway HTTP API payload-2.0 event for a request."""
    body, is_text = _body(request)
    headers = _headers(request)
    query: dict[str, str] = {key: ",".join(request.args.getlist(key)) for key in request.args}
    route_key = "$default" if route.path == "$default" else f"{route.method} {route.path}"
    now = time.time()
    host = request.host or "localhost"
    context: dict[str, Any] = {
        "accountId": "123456789012",
        "apiId": "local",
        "domainName": host,
        "domainPrefix": host.split(".")[0],
        "http": {
            "method": request.method,
            "path": request.path,
            "protocol": request.environ.get("SERVER_PROTOCOL", "HTTP/1.1"),
            "sourceIp": request.remote_addr or "127.0.0.1",
            "userAgent": request.headers.get("User-Agent", ""),
        },
        "requestId": str(uuid.uuid4()),
        "routeKey": route_key,
        "stage": "$default",
        "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
        "timeEpoch": int(now * 1000),
    }
    if authorizer is not None:
        context["authorizer"] = authorizer
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": request.path,
        "rawQueryString": request.query_string.decode(),
        "headers": headers,
        "requestContext": context,
        "isBase64Encoded": not is_text,
    }
    cookies = request.headers.get("Cookie")
    if cookies:
        event["cookies"] = [c.strip() for c in cookies.split(";") if c.strip()]
    if query:
        event["queryStringParameters"] = query
    if parameters:
        event["pathParameters"] = parameters
    if body is not None:
        event["body"] = body
    return event


def to_response(result: Any) -> Response:
    """A payload-2.0 function result as HTTP (a bare value becomes a 200 JSON response, as API Gateway does)."""
    if not isinstance(result, dict) or "statusCode" not in result:
        return Response(json.dumps(result), status=200, content_type="application/json")
    body = result.get("body") or ""
    data = base64.b64decode(body) if result.get("isBase64Encoded") else str(body).encode()
    response = Response(data, status=int(result["statusCode"]))
    response.headers.pop("Content-Type", None)
    for name, value in (result.get("headers") or {}).items():
        response.headers[str(name)] = str(value)
    for cookie in result.get("cookies") or []:
        response.headers.add("Set-Cookie", str(cookie))
    return response


def _message(status: int, message: str) -> Response:
    return Response(json.dumps({"message": message}), status=status, content_type="application/json")
