"""Cognito's clock for one invocation: how much of its 5 s is left, and how much an on-demand cold start's init
(the process's age when the handler module's import ends) has already used. Both time-budgeted triggers
(post-confirmation's writes, pre-sign-up's extra calls) start from :func:`cognito_seconds_left`.

Cognito's clock starts before the Lambda sandbox does, and the handler only runs after the runtime has started and
our modules are imported (boto3, Powertools, the X-Ray SDK: most of a second on a small Lambda). Read when the
handler module's import ends, the process's age (from ``/proc``) is that init time, measured without anything having
to run first. (Read later it would also count however long the environment then waited for its first request.)
"""

from __future__ import annotations

import os
from pathlib import Path

from common.config import Environment, environment

__all__ = [
    "COGNITO_TIMEOUT_SECONDS",
    "SAFETY_MARGIN_SECONDS",
    "cognito_seconds_left",
    "init_on_request_clock",
    "process_age_seconds",
]

#: How long Cognito waits for a trigger, cold start included.
COGNITO_TIMEOUT_SECONDS = 5.0
#: Time kept back for logging, flushing metrics and answering Cognito.
SAFETY_MARGIN_SECONDS = 0.5


def cognito_seconds_left(remaining_millis: int | None, spent_before_seconds: float = 0.0) -> float:
    """What an invocation starting now may spend: Cognito's 5 s minus the margin, minus the time its clock already
    ran before the handler (an on-demand init), never past what Lambda says is left of the function's own timeout
    (``remaining_millis``, from the context), and never negative."""
    seconds = COGNITO_TIMEOUT_SECONDS - SAFETY_MARGIN_SECONDS - max(0.0, spent_before_seconds)
    if remaining_millis is not None:
        seconds = min(seconds, remaining_millis / 1000 - SAFETY_MARGIN_SECONDS)
    return max(0.0, seconds)


def init_on_request_clock(env: Environment | None = None) -> bool:
    """Whether this environment's init ran on a request's clock: Lambda names the kind of init, and only an
    ``on-demand`` one does (SnapStart and provisioned concurrency initialize ahead of any request)."""
    return (env or environment()).optional("AWS_LAMBDA_INITIALIZATION_TYPE") == "on-demand"


_START_TIME_FIELD = 19  # field 22 of /proc/<pid>/stat, counted after the ")" that ends the command name


def process_age_seconds(proc: Path = Path("/proc")) -> float | None:
    """Seconds since this process started, or ``None`` where ``/proc`` cannot tell (not Linux)."""
    try:
        stat = (proc / "self" / "stat").read_text(encoding="ascii")
        uptime = float((proc / "uptime").read_text(encoding="ascii").split()[0])
        start_ticks = int(stat.rpartition(")")[2].split()[_START_TIME_FIELD])
        ticks_per_second = os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None
    return max(0.0, uptime - start_ticks / ticks_per_second)
