"""How much of Cognito's 5 seconds one pre-sign-up invocation has left, so that an optional AWS call is only
started when it can still finish.

The common sign-up makes one DynamoDB write. An address that is already claimed can need two more calls in a row
(look the holder up in Cognito, then take the claim over, or link a federated identity), and under a brownout
three slow calls add up past Cognito's timeout: Cognito then retries the whole trigger and the user waits three
times as long for the same failure. So before each of those extra calls the use case asks the budget whether one
more attempt fits; when it does not, it answers "try again in a moment" at once (docs/signup-policy.md).

The budget starts from Cognito's 5 s, minus a safety margin for the answer's way back, minus the init phase when
this is an on-demand cold start (Cognito's clock was already running while the runtime started and our modules
were imported), and never exceeds what Lambda says is left of the function's own timeout.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from common.aws import AwsTimeouts
from common.startup import COGNITO_TIMEOUT_SECONDS, SAFETY_MARGIN_SECONDS, cognito_seconds_left

__all__ = ["COGNITO_TIMEOUT_SECONDS", "SAFETY_MARGIN_SECONDS", "STEP_SECONDS", "UNBOUNDED", "Budget"]

#: The most one attempt of a call can take: connecting plus reading. Starting a call with less left than this risks
#: an answer Cognito never reads (its retry, if the attempt times out, can still overrun: docs/signup-policy.md).
STEP_SECONDS = AwsTimeouts.connect_seconds + AwsTimeouts.read_seconds


@dataclass(frozen=True)
class Budget:
    """A deadline on the monotonic clock."""

    expires_at: float
    clock: Callable[[], float] = field(default=time.monotonic, compare=False)

    @classmethod
    def for_invocation(
        cls,
        remaining_millis: int | None,
        spent_before_seconds: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> Budget:
        """The budget of an invocation that starts now. ``spent_before_seconds`` is Cognito's time already used
        before the handler ran (an on-demand cold start's init); ``remaining_millis`` is the Lambda context's."""
        return cls(clock() + cognito_seconds_left(remaining_millis, spent_before_seconds), clock)

    def seconds_left(self) -> float:
        return max(0.0, self.expires_at - self.clock())

    def fits_another_call(self) -> bool:
        """Whether one more attempt of an AWS call can run to its timeouts and still be answered in time. A rule for
        starting a call, not a bound on it: botocore may still retry a timed-out attempt (docs/signup-policy.md)."""
        return self.seconds_left() >= STEP_SECONDS


#: No deadline: for callers outside a Lambda invocation (scripts, tests of the policy itself).
UNBOUNDED = Budget(float("inf"))
