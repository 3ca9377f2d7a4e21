"""Logs carry no personal data, end to end: every line the functions write in the local stack (each sandbox's
stdout and stderr, where Powertools logs and metrics go, as in CloudWatch) holds no email address, phone number,
password, code or token.

Two nets. A full journey of our own (sign-up, confirm, sign-in, refresh, profile, forgot and reset password, a
wrong password, refusals, sign-out) checked for the exact secrets it used; and, at the end of the session, every log
line of the whole end-to-end suite checked for any unmasked email address, E.164 phone number or JWT.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from tests.e2e.conftest import LocalStackHandle
from tests.e2e.test_attacks_e2e import call
from tests.faults.pii import find_pii

pytestmark = pytest.mark.e2e

PASSWORD = "Correct-Horse-9-Battery"
NEW_PASSWORD = "Staple-Battery-7-Horse!"
WRONG_PASSWORD = "Wrong-Horse-1-Battery!"


def log_lines(stack: LocalStackHandle) -> list[str]:
    """Every line every function has logged so far (plus the server's own stderr)."""
    files = [*sorted((stack.state_dir / "logs").glob("*.log")), stack.state_dir / "server.log"]
    return [line for path in files if path.exists() for line in Path(path).read_text(errors="replace").splitlines()]


@pytest.fixture(scope="session")
def session_logs_checked(local_stack: LocalStackHandle) -> Iterator[None]:
    """At the very end of the session, after every end-to-end test has run: no PII anywhere in the logs."""
    yield
    problems = find_pii(log_lines(local_stack))
    assert problems == [], f"{len(problems)} log lines carry personal data, e.g. {problems[:3]}"


def test_a_full_journey_logs_no_pii(
    local_stack: LocalStackHandle, unique_email: str, session_logs_checked: None
) -> None:
    stack, email = local_stack, unique_email
    secrets = [email, email.split("@")[0], PASSWORD, NEW_PASSWORD, WRONG_PASSWORD]

    assert call(stack, "POST", "/auth/sign-up", {"email": email, "password": PASSWORD})[0] == 202
    code = stack.outbox.latest_code(email)
    assert call(stack, "POST", "/auth/confirm", {"email": email, "code": code})[0] == 200
    status, body = call(stack, "POST", "/auth/sign-in", {"email": email, "password": PASSWORD})
    assert status == 200, body
    tokens = body["tokens"]
    assert call(stack, "GET", "/me", token=tokens["access_token"])[0] == 200
    assert call(stack, "PATCH", "/me", {"name": "Jane Q. Doe"}, token=tokens["access_token"])[0] == 200
    refreshed = call(
        stack, "POST", "/auth/refresh", {"refresh_token": tokens["refresh_token"], "id_token": tokens["id_token"]}
    )
    assert refreshed[0] == 200, refreshed
    assert call(stack, "GET", "/admin/users", token=tokens["access_token"])[0] == 403
    assert call(stack, "POST", "/auth/sign-in", {"email": email, "password": WRONG_PASSWORD})[0] == 401
    assert call(stack, "POST", "/auth/forgot-password", {"email": email})[0] == 202
    reset_code = stack.outbox.latest_code(email)
    reset = {"email": email, "code": reset_code, "password": NEW_PASSWORD}
    assert call(stack, "POST", "/auth/reset-password", reset)[0] == 200
    status, body = call(stack, "POST", "/auth/sign-in", {"email": email, "password": NEW_PASSWORD})
    assert status == 200, body
    assert call(stack, "POST", "/auth/sign-out", {"refresh_token": body["tokens"]["refresh_token"]})[0] in (200, 204)

    # Refusals log too: a disposable address, and an attribute nobody may set.
    disposable = "jane.doe@mailinator.com"
    assert call(stack, "POST", "/auth/sign-up", {"email": disposable, "password": PASSWORD})[0] in (400, 403, 422)
    with pytest.raises(ClientError):
        stack.cognito().sign_up(
            ClientId=stack.client_id,
            Username="mallory-" + email,
            Password=PASSWORD,
            SecretHash=stack.secret_hash("mallory-" + email),
            UserAttributes=[{"Name": "custom:role", "Value": "admin"}],
        )
    secrets += [code, reset_code, disposable, "mallory-" + email]
    secrets += [tokens["access_token"], tokens["id_token"], tokens["refresh_token"]]
    secrets += list(refreshed[1]["tokens"].values()) + list(body["tokens"].values())

    lines = log_lines(stack)
    assert any('"service":"pre-signup"' in line for line in lines), "the functions' logs were not found"
    assert find_pii(lines, [s for s in secrets if isinstance(s, str)]) == []
