"""The local endpoint: ``python -m local.server [--port N] [--template PATH] [--state-dir DIR]``.

One process on 127.0.0.1. AWS JSON-protocol calls are routed by ``X-Amz-Target``: the Cognito operations
with trigger behaviour go through our emulation (local/emulation/), everything else (DynamoDB, the rest of
Cognito, the JWKS document) goes to moto, running in this same process. Requests that are not AWS calls and
match an ``httpApi`` route of the template are served as API Gateway HTTP API (payload 2.0) events.
``/_local/...`` exposes the outbox, the trigger invocations and the stack's identifiers.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import os
import re
import signal
import sys
import tempfile
import threading
import traceback
import urllib.parse
import uuid
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response

from local.bootstrap import provision
from local.cloudformation import list_stack_resources
from local.emulation.context import Emulation
from local.emulation.operations import OPERATIONS
from local.errors import AwsError
from local.http_api import HttpApi
from local.moto_bridge import Moto
from local.outbox import Outbox
from local.recorder import Recorder
from local.stack import LocalStack
from local.template import load_template
from local.triggers import TriggerInvoker
from local.workers import SandboxPool

__all__ = ["LocalServer", "RunningStack", "main", "serve"]

log = logging.getLogger("local.server")
JSON_TYPE = "application/x-amz-json-1.1"
_SERVICE_PREFIXES = {"AWSCognitoIdentityProviderService": "cognito-idp", "DynamoDB_20120810": "dynamodb"}
_REGION_IN_SCOPE = re.compile(r"(Credential=[^/]+/\d{8}/)[a-z0-9-]+(/)")
_KEEP_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV", "SYSTEMROOT")


@cache
def _operation_names(service: str) -> frozenset[str]:
    import botocore.session  # noqa: PLC0415

    return frozenset(botocore.session.get_session().get_service_model(service).operation_names)


def _json_response(payload: Any, status: int = 200, content_type: str = "application/json") -> Response:
    return Response(json.dumps(payload, default=str), status=status, content_type=content_type)


def _aws_error(error: AwsError) -> Response:
    response = Response(error.body(), status=error.status, content_type=JSON_TYPE)
    response.headers["x-amzn-ErrorType"] = error.code
    response.headers["x-amzn-RequestId"] = str(uuid.uuid4())
    return response


class LocalServer:
    """The WSGI application and everything behind it."""

    def __init__(self, state_dir: Path, template_path: Path | None, region: str, endpoint: str) -> None:
        self.state_dir = state_dir
        self.endpoint = endpoint
        self.moto = Moto(region)
        template = load_template(template_path)
        self.stack: LocalStack
        self.stack, resolver = provision(self.moto, template, region, endpoint)
        self.template, self.resolver = template, resolver
        self.recorder = Recorder(state_dir / "invocations.jsonl")
        self.outbox = Outbox(state_dir / "outbox")
        self.sandboxes = SandboxPool(self.stack.functions, self._function_env(), state_dir / "logs")
        self.emulation = Emulation(
            self.moto, self.stack, TriggerInvoker(self.stack, self.sandboxes, self.recorder), self.outbox
        )
        self.http_api = HttpApi.from_template(template, resolver, self.stack, self.sandboxes, self.recorder)

    def _function_env(self) -> dict[str, str]:
        env = {key: os.environ[key] for key in _KEEP_ENV if key in os.environ}
        env.update(
            {
                "AWS_ACCESS_KEY_ID": "local",
                "AWS_SECRET_ACCESS_KEY": "local",
                "AWS_REGION": self.stack.region,
                "AWS_DEFAULT_REGION": self.stack.region,
                "AWS_ENDPOINT_URL": self.endpoint,
                "POWERTOOLS_TRACE_DISABLED": "true",
            }
        )
        return env

    def describe(self) -> dict[str, Any]:
        """What a client needs to talk to the stack."""
        client = self.stack.main_client() if self.stack.clients else None
        return {
            "endpoint_url": self.endpoint,
            "region": self.stack.region,
            "pool_id": self.stack.pool_id,
            "pool_arn": self.stack.pool_arn,
            "client_id": client.client_id if client else None,
            "client_secret": client.secret if client else None,
            "clients": {
                c.logical_id: {"client_id": c.client_id, "client_secret": c.secret} for c in self.stack.clients.values()
            },
            "tables": self.stack.tables,
            "functions": {k: v.name for k, v in self.stack.functions.items()},
            "triggers": self.stack.triggers,
            "pre_token_generation_version": self.stack.pre_token_version,
            "api_url": self.endpoint,
            "routes": [f"{r.method} {r.path}" for r in self.stack.routes],
            "issuer": f"https://cognito-idp.{self.stack.region}.amazonaws.com/{self.stack.pool_id}",
            "jwks_url": f"{self.endpoint}/{self.stack.pool_id}/.well-known/jwks.json",
            "state_dir": str(self.state_dir),
        }

    # ------------------------------------------------------------------ WSGI
    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        try:
            response = self._dispatch(request, environ)
        except AwsError as error:
            response = _aws_error(error)
        except Exception:
            log.error("unexpected error\n%s", traceback.format_exc())
            response = _aws_error(
                AwsError("InternalErrorException", "Internal error in the local stack (see its log)", 500)
            )
        response.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin", "*")
        response.headers["Access-Control-Expose-Headers"] = "*"
        result: Iterable[bytes] = response(environ, start_response)
        return result

    def _dispatch(self, request: Request, environ: dict[str, Any]) -> Response:
        target = request.headers.get("X-Amz-Target")
        if target:
            return self._aws_json(request, environ, target)
        if request.method == "OPTIONS":
            return self._preflight(request)
        path = request.path
        if path.startswith("/_local/"):
            return self._local(request)
        if request.method == "POST" and _query_action(request) == "ListStackResources":
            return Response(list_stack_resources(self.template, self.resolver), content_type="text/xml")
        well_known = "/.well-known/" in path
        if well_known or request.headers.get("Authorization", "").startswith("AWS4-"):
            if well_known:  # the pool's JWKS / OpenID configuration, served by moto's Cognito
                environ["HTTP_HOST"] = f"cognito-idp.{self.stack.region}.amazonaws.com"
            return self._forward(environ, request.get_data(cache=True), None)
        served = self.http_api.serve(request)
        return served if served is not None else _json_response({"message": "Not Found"}, 404)

    @staticmethod
    def _preflight(request: Request) -> Response:
        """Permissive CORS for a local front end (the wildcard does not cover Authorization: echo the list)."""
        response = Response(status=204)
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = request.headers.get("Access-Control-Request-Headers", "*")
        response.headers["Access-Control-Max-Age"] = "600"
        return response

    def _aws_json(self, request: Request, environ: dict[str, Any], target: str) -> Response:
        prefix, _, operation = target.rpartition(".")
        raw = request.get_data(cache=True)
        service = _SERVICE_PREFIXES.get(prefix)
        if service is not None:
            if operation not in _operation_names(service):
                raise AwsError("UnknownOperationException", f"Unknown operation {operation}")
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                raise AwsError(
                    "SerializationException", "Start of structure or map found where not expected."
                ) from None
            if not isinstance(body, dict):
                raise AwsError("SerializationException", "Start of structure or map found where not expected.")
            handler = OPERATIONS.get(operation) if service == "cognito-idp" else None
            if handler is not None:
                return _json_response(handler(self.emulation, body), content_type=JSON_TYPE)
        return self._forward(environ, raw, service)

    def _forward(self, environ: dict[str, Any], raw: bytes, service: str | None) -> Response:
        """Hand the request to moto and make sure what comes back is an AWS-shaped answer."""
        forwarded = dict(environ)
        forwarded["wsgi.input"] = io.BytesIO(raw)
        forwarded["CONTENT_LENGTH"] = str(len(raw))
        auth = forwarded.get("HTTP_AUTHORIZATION")
        if auth:
            # One region behind the endpoint, whatever region the client signed for.
            forwarded["HTTP_AUTHORIZATION"] = _REGION_IN_SCOPE.sub(rf"\g<1>{self.stack.region}\g<2>", auth)
        elif service is not None:
            # Unsigned call (Cognito's public operations, or a hand-made request): tell moto which service.
            forwarded["HTTP_AUTHORIZATION"] = (
                f"AWS4-HMAC-SHA256 Credential=local/20260101/{self.stack.region}/{service}/aws4_request, "
                "SignedHeaders=host, Signature=local"
            )
        captured: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
            captured["status"], captured["headers"] = int(status.split(" ", 1)[0]), headers

        chunks = self.moto.forward(forwarded, start_response)
        payload = b"".join(chunks)
        close = getattr(chunks, "close", None)
        if close is not None:
            close()
        status = captured.get("status", 500)
        if service is not None and (status >= 500 or not _is_json(payload)):
            raise AwsError(
                "InternalFailure", f"The local stack could not serve this request (moto answered {status})", 500
            )
        response = Response(payload, status=status)
        for name, value in captured.get("headers", []):
            if name.lower() not in ("content-length", "transfer-encoding", "connection", "server", "date"):
                response.headers[name] = value
        return response

    def _local(self, request: Request) -> Response:
        args = request.args
        routes: dict[str, Any] = {
            "/_local/health": lambda: {"status": "ok"},
            "/_local/stack": self.describe,
            "/_local/outbox": lambda: {"messages": self.outbox.messages(args.get("to"))},
            "/_local/invocations": lambda: {
                "invocations": self.recorder.query(args.get("trigger"), args.get("user"), args.get("source"))
            },
        }
        if request.path == "/_local/clock" and request.method == "POST":
            return _json_response(self._advance_clock(request))
        route = routes.get(request.path)
        if route is None or request.method != "GET":
            return _json_response({"message": "Not Found"}, 404)
        return _json_response(route())

    def _advance_clock(self, request: Request) -> dict[str, float]:
        try:
            seconds = float((request.get_json(force=True, silent=True) or {}).get("advance_seconds", 0))
        except (TypeError, ValueError, AttributeError):
            raise AwsError("InvalidParameterException", "advance_seconds must be a number") from None
        self.emulation.codes.offset += seconds
        return {"offset_seconds": self.emulation.codes.offset}

    def close(self) -> None:
        self.sandboxes.close()


def _query_action(request: Request) -> str | None:
    """The ``Action`` of an AWS query-protocol call (read from the cached body: the stream stays usable)."""
    if request.mimetype != "application/x-www-form-urlencoded":
        return None
    values = urllib.parse.parse_qs(request.get_data(cache=True).decode(errors="replace")).get("Action")
    return values[0] if values else None


def _is_json(payload: bytes) -> bool:
    if not payload.strip():
        return True
    try:
        json.loads(payload)
    except ValueError:
        return False
    return True


class RunningStack:
    """A started stack: the HTTP server in a background thread and the application behind it."""

    def __init__(self, port: int, template: Path | None, state_dir: Path, region: str, host: str = "127.0.0.1") -> None:
        state_dir.mkdir(parents=True, exist_ok=True)
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log: the invocation log says more
        # Bind first: the functions need the endpoint URL in their environment before anything runs.
        holder: dict[str, LocalServer] = {}

        def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
            return holder["app"](environ, start_response)

        self.server: BaseWSGIServer = make_server(host, port, app, threaded=True)
        self.endpoint = f"http://{host}:{self.server.server_port}"
        try:
            self.app = LocalServer(state_dir, template, region, self.endpoint)
        except BaseException:
            self.server.server_close()
            raise
        holder["app"] = self.app
        self.description = self.app.describe()
        (state_dir / "stack.json").write_text(json.dumps(self.description, indent=2))
        self._thread = threading.Thread(target=self.server.serve_forever, name="local-stack", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and stop every Lambda sandbox."""
        self.server.shutdown()
        self.server.server_close()
        self.app.close()


def serve(port: int, template: Path | None, state_dir: Path, region: str, host: str = "127.0.0.1") -> None:
    """Start, print one ``LOCAL_STACK_READY {json}`` line, and serve until SIGTERM/SIGINT."""
    running = RunningStack(port, template, state_dir, region, host)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda signum, frame: stopped.set())
    signal.signal(signal.SIGINT, lambda signum, frame: stopped.set())
    print("LOCAL_STACK_READY " + json.dumps(running.description), flush=True)  # noqa: T201
    while not stopped.wait(0.5):
        pass
    running.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m local.server", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOCAL_STACK_PORT", "4577")))
    parser.add_argument(
        "--template", type=Path, default=None, help="packaged CloudFormation template (default: package the stack)"
    )
    parser.add_argument(
        "--state-dir", type=Path, default=None, help="outbox, invocation log, function logs (default: a temp dir)"
    )
    parser.add_argument("--region", default="us-east-1")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    state_dir = args.state_dir or Path(tempfile.mkdtemp(prefix="local-stack-"))
    try:
        serve(args.port, args.template, state_dir, args.region)
    except OSError as exc:
        sys.exit(f"local stack: cannot listen on 127.0.0.1:{args.port}: {exc.strerror or exc}")


if __name__ == "__main__":
    main()
