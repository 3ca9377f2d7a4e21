"""Minimal reproductions of reliability bugs found by the fault suite in code it does not own.

Each is ``xfail(strict=True)``: main stays green, the bug stays visible, and the fix turns it into an XPASS that
fails until the mark is removed.
"""

from __future__ import annotations

import pytest
from moto import mock_aws

from common.profiles import post_confirmation
from tests.faults.scenarios import World, answer

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning")


@pytest.mark.xfail(
    strict=True,
    reason="common/profiles/post_confirmation.py PostConfirmationFunction.from_env takes the whole process age "
    "(/proc) as the cold start's cost and subtracts it from the first invocation's budget. In an environment "
    "initialized long before its first request (provisioned concurrency, a pre-warmed or long-lived worker) the age "
    "is minutes, the budget 0 s, and the first ConfirmSignUp of that environment answers INTERNAL_ERROR although "
    "every write would succeed. Expected: the event answered (cold start measured from the init phase, or capped)",
)
def test_first_confirmation_in_an_environment_initialized_long_ago_is_answered(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    with mock_aws():
        world = World(monkeypatch, tmp_path)
        world.pending_claim()
        # Provisioned concurrency: the environment was initialized ten minutes before its first request.
        monkeypatch.setattr(post_confirmation, "process_age_seconds", lambda: 600.0)
        outcome = answer(lambda: world.invoke("post_confirmation", world.confirm_event()))
        world.quiesce()
    assert outcome[0] == "answered", outcome
