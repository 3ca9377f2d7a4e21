"""Run a call with a wall-clock bound, so a hang fails the test instead of stalling the suite."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

_T = TypeVar("_T")


class HangError(BaseException):
    """Raised inside a call that ran past its bound. A BaseException, so the trigger wrapper (which masks every
    Exception as INTERNAL_ERROR) cannot swallow it."""


@contextmanager
def wall_clock_limit(seconds: float) -> Iterator[None]:
    def expire(signum: int, frame: Any) -> None:
        raise HangError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def bounded(call: Callable[[], _T], seconds: float = 5.0) -> _T:
    with wall_clock_limit(seconds):
        return call()
