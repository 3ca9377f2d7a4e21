"""Real network faults, not simulated ones: each trigger's AWS endpoint is a local socket that accepts connections
and never answers (a hung dependency), or a port where nothing listens (refused). botocore's own connect/read
timeouts and retries (``common.aws.AwsTimeouts``) and the functions' deadlines must bring every invocation back
well inside Cognito's 5 s, with the documented outcome.

Slow tier: a hung endpoint costs each invocation its full timeout budget (~3 s).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.events import load_event
from tests.faults.aws_stack import load_handler
from tests.fuzz.safety import assert_user_safe
from tests.lambda_context import FakeLambdaContext

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning")]

BOUND_SECONDS = 4.5


@pytest.fixture
def hung_endpoint() -> Iterator[str]:
    """http://127.0.0.1:<port> that accepts every connection, reads the request, and never answers."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            held.append(connection)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=2)
        for connection in held:
            connection.close()
        server.close()


@pytest.fixture
def refused_endpoint() -> str:
    """http://127.0.0.1:<port> where nothing listens (the port was free a moment ago)."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return f"http://127.0.0.1:{port}"


CASES = {
    # module: (sample event, groups in the token event, the documented outcome)
    "pre_signup": ("pre-signup.sign-up", "refused"),
    "post_confirmation": ("post-confirmation.confirm-sign-up", "refused"),
    "pre_token_generation": ("pre-token-generation.authentication", "degraded"),
}


def _invoke(module: str, endpoint: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Any, float]:
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    handler = load_handler(module, monkeypatch).handler
    event = load_event(CASES[module][0])
    if module == "pre_token_generation":
        event["request"]["groupConfiguration"]["groupsToOverride"] = []  # the role must come from the profile
    started = time.monotonic()
    try:
        result = handler(event, FakeLambdaContext())
        outcome: tuple[str, Any] = ("answered", result["response"])
    except Exception as error:
        outcome = ("refused", error)
    return outcome[0], outcome[1], time.monotonic() - started


@pytest.mark.parametrize("module", sorted(CASES))
@pytest.mark.parametrize("endpoint_kind", ["hung", "refused"])
def test_a_dead_dependency_is_answered_within_cognitos_budget(
    module: str, endpoint_kind: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    from common.errors import UserFacingError  # noqa: PLC0415

    endpoint = request.getfixturevalue(f"{endpoint_kind}_endpoint")
    kind, value, elapsed = _invoke(module, endpoint, monkeypatch)
    assert elapsed < BOUND_SECONDS, f"{module} took {elapsed:.2f} s against a {endpoint_kind} endpoint"
    expected = CASES[module][1]
    if expected == "refused":
        assert kind == "refused", value
        assert isinstance(value, UserFacingError), repr(value)
        assert value.code == "INTERNAL_ERROR"
        assert_user_safe(value)
    else:
        assert kind == "answered", value
        id_token = value["claimsAndScopeOverrideDetails"]["idTokenGeneration"]
        assert "role" not in (id_token.get("claimsToAddOrOverride") or {})
        assert "role" in id_token["claimsToSuppress"]
