"""API Gateway HTTP API (payload 2.0) in front of the template's functions (filled in below)."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Request, Response

from local.recorder import Recorder
from local.stack import LocalStack
from local.template import Resolver, Template
from local.workers import SandboxPool

__all__ = ["HttpApi"]


class HttpApi:
    """Routes requests to functions; dormant when the template declares no httpApi routes."""

    def __init__(self, stack: LocalStack, sandboxes: SandboxPool, recorder: Recorder) -> None:
        self.stack = stack
        self.sandboxes = sandboxes
        self.recorder = recorder

    @classmethod
    def from_template(
        cls, template: Template, resolver: Resolver, stack: LocalStack, sandboxes: SandboxPool, recorder: Recorder
    ) -> HttpApi:
        return cls(stack, sandboxes, recorder)

    def serve(self, request: Request) -> Response | None:
        _ = request
        return None

    def _unused(self) -> Any:
        return None
