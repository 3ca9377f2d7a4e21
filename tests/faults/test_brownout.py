"""A brownout: every AWS call answers, but just under the client's read timeout (1.4 s against 1.5 s), so nothing
fails and no retry or timeout cuts it short. Only the functions' own deadlines keep the invocation inside Cognito's
5 s; a path that makes several calls in a row without one is where the time goes.

Slow tier: each case sleeps through the injected latency.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from moto import mock_aws

from tests.faults.aws_stack import FakeStack, build_stack
from tests.faults.injector import install
from tests.faults.scenarios import EMAIL, SCENARIOS, World, answer, plant_stale_claim

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning")]

BOUND_SECONDS = 4.5
LATENCY_SECONDS = 1.4


@pytest.fixture(scope="module")
def fake_aws() -> Iterator[FakeStack]:
    with mock_aws():
        yield build_stack()


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_every_flow_stays_inside_the_budget_when_aws_is_slow(
    scenario: object, fake_aws: FakeStack, monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    world = World(monkeypatch, tmp_path, fake_aws)
    scenario.prepare(world)  # type: ignore[attr-defined]
    install(monkeypatch).latency = LATENCY_SECONDS
    started = time.monotonic()
    outcome = scenario.attempt(world)  # type: ignore[attr-defined]
    elapsed = time.monotonic() - started
    world.quiesce()
    assert elapsed < BOUND_SECONDS, f"{elapsed:.2f} s"
    # A refusal must be a "try again" one: a failure (INTERNAL_ERROR) or the budget stopping before a call that
    # could not finish in time (SERVICE_UNAVAILABLE, pre-sign-up's stale-claim path at this latency).
    assert outcome[0] == "answered" or outcome[1].code in {"INTERNAL_ERROR", "SERVICE_UNAVAILABLE"}, outcome


def test_sign_up_over_a_stale_claim_stops_before_a_call_that_cannot_finish_in_time(
    fake_aws: FakeStack, monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    """The pre-sign-up path with the most calls in a row: the address is held by an old pending claim whose user no
    longer exists, so the gate writes (refused), checks the holder in Cognito, and would take the claim over. With
    every call taking 1.4 s, 1.7 s of the invocation's 4.5 s budget are left after the lookup: less than one more
    attempt may take (common/signup/budget.py), so it answers "try again" at once instead of finishing at ~4.2 s,
    a hair from Cognito's timeout and its retries. Nothing changed hands: the old claim is still in place."""
    world = World(monkeypatch, tmp_path, fake_aws)
    stale = plant_stale_claim(world)
    injector = install(monkeypatch)
    injector.latency = LATENCY_SECONDS
    started = time.monotonic()
    outcome = answer(lambda: world.invoke("pre_signup", world.sign_up_event("new-user")))
    elapsed = time.monotonic() - started
    assert injector.calls == ["dynamodb:PutItem", "cognito-idp:AdminGetUser"]
    assert outcome[0] == "refused" and outcome[1].code == "SERVICE_UNAVAILABLE", outcome
    assert elapsed < BOUND_SECONDS, f"{elapsed:.2f} s for {len(injector.calls)} calls in a row"
    injector.latency = 0
    item = fake_aws.dynamodb.get_item(TableName=fake_aws.email_claims_table, Key={"email": {"S": EMAIL}})["Item"]
    assert item == stale


def test_the_same_sign_up_takes_the_stale_claim_over_when_aws_answers_in_time(
    fake_aws: FakeStack, monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    """The counterpart: the same three calls at 0.3 s each fit the budget, and the address changes hands."""
    world = World(monkeypatch, tmp_path, fake_aws)
    plant_stale_claim(world)
    injector = install(monkeypatch)
    injector.latency = 0.3
    outcome = answer(lambda: world.invoke("pre_signup", world.sign_up_event("new-user")))
    assert injector.calls == ["dynamodb:PutItem", "cognito-idp:AdminGetUser", "dynamodb:PutItem"]
    assert outcome[0] == "answered", outcome
    injector.latency = 0
    item = fake_aws.dynamodb.get_item(TableName=fake_aws.email_claims_table, Key={"email": {"S": EMAIL}})["Item"]
    assert (item["userName"], item["status"]) == ({"S": "new-user"}, {"S": "PENDING"})
