"""How long this process has been alive, to measure the init phase: the part of Cognito's 5 s an on-demand cold
start has already used.

Cognito's clock starts before the Lambda sandbox does, and the handler only runs after the runtime has started and
our modules are imported (boto3, Powertools, the X-Ray SDK: most of a second on a small Lambda). Read when the
handler module's import ends, the process's age (from ``/proc``) is that init time, measured without anything having
to run first. (Read later it would also count however long the environment then waited for its first request.)
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["process_age_seconds"]

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
