"""What the bootstrap provisioned: the facts every other part of the local stack needs."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["ClientInfo", "FunctionSpec", "LocalStack", "Route"]


@dataclass(frozen=True)
class FunctionSpec:
    """One Lambda function of the template, as the local runtime needs it."""

    logical_id: str
    name: str
    handler: str  # "triggers/pre_signup.handler"
    environment: dict[str, str]
    timeout_seconds: float
    memory_mb: int


@dataclass(frozen=True)
class ClientInfo:
    """An app client of the pool."""

    logical_id: str
    client_id: str
    secret: str | None


@dataclass(frozen=True)
class Route:
    """One HTTP API route: ``GET /users/{id}`` → function, optionally behind the JWT authorizer."""

    method: str  # "GET", or "ANY"
    path: str  # "/users/{id}" or "$default"
    function: str  # logical id
    issuer: str | None = None
    audience: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ()

    @property
    def authorized(self) -> bool:
        return self.issuer is not None


@dataclass
class LocalStack:
    """The provisioned stack."""

    region: str
    pool_id: str = ""
    pool_arn: str = ""
    clients: dict[str, ClientInfo] = field(default_factory=dict)
    tables: dict[str, str] = field(default_factory=dict)  # logical id → table name
    functions: dict[str, FunctionSpec] = field(default_factory=dict)  # logical id → spec
    triggers: dict[str, str] = field(default_factory=dict)  # "PreSignUp" → function logical id
    pre_token_version: str = "1"  # noqa: S105 (an event version, not a secret)
    routes: list[Route] = field(default_factory=list)

    def main_client(self) -> ClientInfo:
        """The first client (the API client in our template)."""
        return next(iter(self.clients.values()))
