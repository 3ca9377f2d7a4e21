"""The main job, end to end, on this machine: ``./scripts/demo`` (or ``python -m local.demo``).

Boots the local stack from the packaged template, signs a user up, reads the code from the outbox, confirms,
signs in, decodes the tokens, reads the profile from DynamoDB and calls the API's ``GET /me`` (when the template
has that route), printing each step. ``--serve`` keeps the stack running for a front end instead.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import secrets
import signal
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from local.server import RunningStack
from local.tokens import decode

__all__ = ["main"]

PASSWORD = "Demo-Passw0rd-" + "!"
BOLD, DIM, GREEN, RED, RESET = "\033[1m", "\033[2m", "\033[32m", "\033[31m", "\033[0m"


class Demo:
    """The flow, one printed step at a time."""

    def __init__(self, running: RunningStack, colour: bool) -> None:
        import boto3  # noqa: PLC0415

        self.running = running
        self.info = running.description
        self.colour = colour
        self.step = 0
        self.failures = 0
        kwargs: dict[str, Any] = {
            "endpoint_url": running.endpoint,
            "region_name": self.info["region"],
            "aws_access_key_id": "local",
            "aws_secret_access_key": "local",
        }
        self.cognito = boto3.session.Session().client("cognito-idp", **kwargs)
        self.dynamodb = boto3.session.Session().client("dynamodb", **kwargs)
        self.email = f"demo-{secrets.token_hex(4)}@example.com"

    # ------------------------------------------------------------------ printing
    def _c(self, code: str, text: str) -> str:
        return f"{code}{text}{RESET}" if self.colour else text

    def title(self, text: str) -> None:
        self.step += 1
        print(f"\n{self._c(BOLD, f'{self.step}. {text}')}")

    def show(self, label: str, value: Any) -> None:
        rendered = value if isinstance(value, str) else json.dumps(value, indent=2, ensure_ascii=False, default=str)
        lines = rendered.splitlines() or [""]
        print(f"   {label}: {lines[0]}")
        for line in lines[1:]:
            print(f"   {' ' * len(label)}  {line}")

    def ok(self, text: str) -> None:
        print(f"   {self._c(GREEN, 'ok')} {text}")

    def fail(self, text: str) -> None:
        self.failures += 1
        print(f"   {self._c(RED, 'FAILED')} {text}")

    def triggers(self, since: int) -> None:
        for record in self.running.app.recorder.query()[since:]:
            outcome = "error: " + record["error"]["message"] if "error" in record else "ok"
            timing = f"{record.get('duration_ms', 0):.0f} ms{' (cold start)' if record.get('cold_start') else ''}"
            source = record["event"].get("triggerSource", record["trigger"])
            print(f"   {self._c(DIM, 'trigger')} {source}: {outcome}, {timing}")

    def attempt(self, action: Callable[[], Any]) -> Any:
        """Run one AWS call; print a failure instead of stopping the demo."""
        before = len(self.running.app.recorder.query())
        try:
            return action()
        except Exception as exc:
            error = getattr(exc, "response", {}).get("Error", {})
            self.fail(f"{error.get('Code', type(exc).__name__)}: {error.get('Message', exc)}")
            return None
        finally:
            self.triggers(before)

    # ------------------------------------------------------------------ the flow
    def secret_hash(self, username: str) -> str:
        secret, client = self.info["client_secret"] or "", self.info["client_id"]
        return base64.b64encode(
            hmac.new(secret.encode(), (username + client).encode(), hashlib.sha256).digest()
        ).decode()

    def run(self) -> int:
        self.boot()
        sub = self.sign_up()
        code = self.read_code()
        if code:
            self.confirm(code)
        tokens = self.sign_in()
        if tokens:
            self.decode_tokens(tokens)
        self.profile(sub)
        if tokens:
            self.me(tokens)
        print()
        return 1 if self.failures else 0

    def boot(self) -> None:
        self.title("Local stack, provisioned from the packaged CloudFormation template")
        self.show("endpoint", self.info["endpoint_url"])
        self.show("user pool", self.info["pool_id"])
        self.show("app client", self.info["client_id"] + (" (with secret)" if self.info["client_secret"] else ""))
        self.show("tables", ", ".join(self.info["tables"].values()))
        self.show("triggers", ", ".join(f"{k} → {self.info['functions'][v]}" for k, v in self.info["triggers"].items()))
        routes = self.info["routes"]
        self.show("API routes", f"{len(routes)} ({', '.join(routes[:4])}{', ...' if len(routes) > 4 else ''})")

    def sign_up(self) -> str | None:
        self.title(f"Sign up {self.email}")
        response = self.attempt(
            lambda: self.cognito.sign_up(
                ClientId=self.info["client_id"],
                Username=self.email,
                Password=PASSWORD,
                SecretHash=self.secret_hash(self.email),
                UserAttributes=[{"Name": "name", "Value": "Demo User"}, {"Name": "locale", "Value": "en"}],
                ClientMetadata={"locale": "en"},
            )
        )
        if response is None:
            return None
        self.show("user sub", response["UserSub"])
        self.show("confirmed", str(response["UserConfirmed"]))
        if "CodeDeliveryDetails" in response:
            self.show("code sent to", response["CodeDeliveryDetails"]["Destination"])
        sub: str = response["UserSub"]
        return sub

    def read_code(self) -> str | None:
        self.title("Read the confirmation code from the local outbox")
        messages = self.running.app.outbox.messages(self.email)
        if not messages:
            self.fail("no message in the outbox")
            return None
        message = messages[-1]
        self.show("subject", message["subject"])
        text = message["text"]
        self.show("text", text[:400] + (" ..." if len(text) > 400 else ""))
        self.show("code", message["code"])
        self.show("file", str(Path(self.info["state_dir"]) / "outbox"))
        code: str = message["code"]
        return code

    def confirm(self, code: str) -> None:
        self.title("Confirm the sign-up with the code")
        done = self.attempt(
            lambda: self.cognito.confirm_sign_up(
                ClientId=self.info["client_id"],
                Username=self.email,
                ConfirmationCode=code,
                SecretHash=self.secret_hash(self.email),
            )
        )
        if done is not None:
            self.ok("user confirmed")

    def sign_in(self) -> dict[str, Any] | None:
        self.title("Sign in (USER_PASSWORD_AUTH)")
        result = self.attempt(
            lambda: self.cognito.initiate_auth(
                ClientId=self.info["client_id"],
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={
                    "USERNAME": self.email,
                    "PASSWORD": PASSWORD,
                    "SECRET_HASH": self.secret_hash(self.email),
                },
            )
        )
        if result is None:
            return None
        tokens: dict[str, Any] = result["AuthenticationResult"]
        self.ok(f"got ID, access and refresh tokens (expire in {tokens['ExpiresIn']} s)")
        return tokens

    def decode_tokens(self, tokens: dict[str, Any]) -> None:
        self.title("Decode the tokens")
        from joserfc import jwt  # noqa: PLC0415
        from joserfc.jwk import KeySet  # noqa: PLC0415

        with urllib.request.urlopen(self.info["jwks_url"], timeout=10) as response:  # noqa: S310 (local endpoint)
            keys = KeySet.import_key_set(json.loads(response.read()))
        for name in ("IdToken", "AccessToken"):
            jwt.decode(tokens[name], keys, algorithms=["RS256"])
            self.show(f"{name} claims", decode(tokens[name]))
        self.ok("both tokens verify against the local JWKS")

    def profile(self, sub: str | None) -> None:
        self.title("Read the profile from DynamoDB")
        table = self.info["tables"].get("ProfilesTable")
        if not sub or not table:
            self.fail("no user or no profiles table")
            return
        item = self.attempt(lambda: self.dynamodb.get_item(TableName=table, Key={"userId": {"S": sub}}).get("Item"))
        if item:
            self.show(table, {key: next(iter(value.values())) for key, value in item.items()})
        elif item is None:
            pass
        else:
            self.fail("no profile item")

    def me(self, tokens: dict[str, Any]) -> None:
        if "GET /me" not in self.info["routes"]:
            self.title("GET /me: the template has no such route yet (skipped)")
            return
        self.title("Call the API: GET /me with the access token")
        request = urllib.request.Request(  # noqa: S310 (the local endpoint, http only)
            self.info["api_url"] + "/me", headers={"Authorization": f"Bearer {tokens['AccessToken']}"}
        )
        before = len(self.running.app.recorder.query())
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (local endpoint)
                self.show(f"HTTP {response.status}", json.loads(response.read()))
        except urllib.error.HTTPError as error:
            self.fail(f"HTTP {error.code}: {error.read().decode(errors='replace')}")
        self.triggers(before)


def print_serving(running: RunningStack) -> None:
    info = running.description
    print(f"\nThe local stack is running at {info['endpoint_url']} (Ctrl-C to stop).\n")
    print("Point the AWS SDKs, the AWS CLI or `npx serverless invoke local` at it:")
    print(f"  export AWS_ENDPOINT_URL={info['endpoint_url']}")
    print(f"  export AWS_REGION={info['region']} AWS_DEFAULT_REGION={info['region']}")
    print("  export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local")
    print("\nFor a front end:")
    print(f"  USER_POOL_ID={info['pool_id']}")
    print(f"  USER_POOL_CLIENT_ID={info['client_id']}")
    print(f"  API_URL={info['api_url']}")
    print(f"  COGNITO_ENDPOINT={info['endpoint_url']}")
    print("\nLocal extras:")
    print(f"  outbox:       {info['endpoint_url']}/_local/outbox?to=<email>   (files in {info['state_dir']}/outbox)")
    print(f"  invocations:  {info['endpoint_url']}/_local/invocations")
    print(f"  stack:        {info['endpoint_url']}/_local/stack")
    print(f"  function logs: {info['state_dir']}/logs/", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/demo", description=__doc__.splitlines()[0])
    parser.add_argument("--serve", action="store_true", help="keep the stack running for a front end")
    parser.add_argument("--port", type=int, default=None, help="port (default: 4577 with --serve, else a free one)")
    parser.add_argument("--state-dir", type=Path, default=None)
    parser.add_argument("--template", type=Path, default=None)
    args = parser.parse_args(argv)
    port = args.port if args.port is not None else (4577 if args.serve else 0)
    state_dir = args.state_dir or Path(tempfile.mkdtemp(prefix="local-stack-"))
    started = time.monotonic()
    try:
        running = RunningStack(port, args.template, state_dir, "us-east-1")
    except OSError as exc:
        print(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc} (try --port N)", file=sys.stderr)
        return 2
    try:
        if args.serve:
            print_serving(running)
            stopped = threading.Event()
            signal.signal(signal.SIGTERM, lambda signum, frame: stopped.set())
            signal.signal(signal.SIGINT, lambda signum, frame: stopped.set())
            while not stopped.wait(0.5):
                pass
            return 0
        status = Demo(running, sys.stdout.isatty()).run()
        verdict = "done" if status == 0 else "finished with failures"
        print(f"Demo {verdict} in {time.monotonic() - started:.1f} s (state: {state_dir}).")
        return status
    finally:
        running.stop()


if __name__ == "__main__":
    sys.exit(main())
