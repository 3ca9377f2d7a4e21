"""Regression tests for reliability bugs the fault suite found (and their owners fixed).

* The post-confirmation budget once subtracted the whole process age from the first invocation, so an environment
  initialized long before its first request (provisioned concurrency, a pre-warmed sandbox) answered its first
  ConfirmSignUp with INTERNAL_ERROR although every write would have succeeded (fixed in e3569b5: only an on-demand
  init counts, and only the init phase).
"""

from __future__ import annotations

import pytest
from moto import mock_aws

from tests.faults.scenarios import World, answer

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning")


@pytest.mark.parametrize("initialization", ["provisioned-concurrency", "snap-start"])
def test_first_confirmation_in_an_environment_initialized_ahead_of_time_is_answered(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object, initialization: str
) -> None:
    # This pytest process is minutes old: as old as a provisioned environment waiting for its first request.
    monkeypatch.setenv("AWS_LAMBDA_INITIALIZATION_TYPE", initialization)
    with mock_aws():
        world = World(monkeypatch, tmp_path)
        world.pending_claim()
        outcome = answer(lambda: world.invoke("post_confirmation", world.confirm_event()))
        world.quiesce()
        assert outcome[0] == "answered", outcome
        assert world.stack.groups_of(world.username) == ["user"]
