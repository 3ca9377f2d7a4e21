"""Cold start without the cyclic garbage collector: paused while a Lambda environment initializes, resumed (and the
heap frozen) when its first invocation ends.

Why: a cold start allocates a few hundred thousand objects (modules, botocore's service models, Powertools, the
X-Ray SDK) that live as long as the environment. CPython's collector is triggered by allocation counts, so it runs
dozens of times during init, and every full pass re-scans that growing, permanent heap: ~40 ms of post-confirmation's
on-demand cold-start CPU (docs/performance.md; under SnapStart that init runs once, before the snapshot). Pausing it
until the first answer is out, then ``gc.freeze()`` (what exists moves to a permanent generation that later
collections skip), removes that cost and makes warm collections cheaper.

The price is that reference cycles which became garbage during init are never freed: a few hundred kilobytes,
bounded, once per environment (the benchmark reports peak RSS). Nothing else changes: reference counting still
frees everything else immediately. Only in a Lambda execution environment (``LAMBDA_TASK_ROOT`` set, as Lambda
and the local stack's sandboxes set it); tests and tools keep the default collector.
"""

from __future__ import annotations

import gc
from collections.abc import Mapping

from common.config import environment

__all__ = ["is_paused", "pause_during_init", "resume_after_first_invocation"]

_state = {"paused": False}


def pause_during_init(values: Mapping[str, str] | None = None) -> bool:
    """Disable the collector for the rest of init, in Lambda only, and only if it is on. Returns whether it paused."""
    if _state["paused"] or not gc.isenabled() or not environment(values).text("LAMBDA_TASK_ROOT", ""):
        return False
    gc.disable()
    _state["paused"] = True
    return True


def resume_after_first_invocation() -> None:
    """Freeze what init built and turn the collector back on (a no-op unless :func:`pause_during_init` paused it).

    Called when every invocation ends; only the first one finds it paused."""
    if not _state["paused"]:
        return
    _state["paused"] = False
    gc.freeze()
    gc.enable()


def is_paused() -> bool:
    """Whether the collector is paused by this module (for tests and the benchmark's diagnostics)."""
    return _state["paused"]
