"""The pre-sign-up time budget (common/signup/budget.py): exact arithmetic on a fake monotonic clock."""

from __future__ import annotations

import pytest

from common.aws import AwsTimeouts
from common.signup.budget import (
    COGNITO_TIMEOUT_SECONDS,
    SAFETY_MARGIN_SECONDS,
    STEP_SECONDS,
    UNBOUNDED,
    Budget,
)


class Clock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_the_constants_are_cognitos_and_one_call_attempts() -> None:
    assert (COGNITO_TIMEOUT_SECONDS, SAFETY_MARGIN_SECONDS) == (5.0, 0.5)
    assert STEP_SECONDS == AwsTimeouts.connect_seconds + AwsTimeouts.read_seconds == 2.0


@pytest.mark.parametrize(
    ("remaining_millis", "spent_before", "expected_seconds"),
    [
        (None, 0.0, 4.5),  # Cognito's 5 s minus the margin
        (5000, 0.0, 4.5),  # Lambda's full timeout left: Cognito's budget binds
        (3000, 0.0, 2.5),  # less left of the Lambda timeout than of Cognito's: that binds
        (None, 0.8, 3.7),  # an on-demand cold start's init already used Cognito's clock
        (5000, 0.8, 3.7),
        (None, 9.0, 0.0),  # never negative
        (100, 0.0, 0.0),
    ],
)
def test_for_invocation(remaining_millis: int | None, spent_before: float, expected_seconds: float) -> None:
    clock = Clock()
    budget = Budget.for_invocation(remaining_millis, spent_before, clock)
    assert budget.expires_at == pytest.approx(1000.0 + expected_seconds)
    assert budget.seconds_left() == pytest.approx(expected_seconds)


def test_another_call_fits_while_one_attempt_does() -> None:
    clock = Clock()
    budget = Budget.for_invocation(None, 0.0, clock)  # 4.5 s
    assert budget.fits_another_call()
    clock.now += 2.5  # exactly 2.0 s left
    assert budget.fits_another_call()
    clock.now += 0.001
    assert not budget.fits_another_call()
    clock.now += 10
    assert budget.seconds_left() == 0.0


def test_unbounded_always_fits() -> None:
    assert UNBOUNDED.fits_another_call() and UNBOUNDED.seconds_left() == float("inf")
