"""Small, exact statistics for the benchmark (pure functions, unit-tested)."""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = ["Summary", "delta", "median", "percentile", "ratio", "summarize"]

Summary = dict[str, float | int]


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank percentile (``q`` in 0..100): always one of the observed values, so a p99 over 1,000
    runs is the 990th smallest and never an interpolation between two runs."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError("q must be within [0, 100]")
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return float(ordered[rank - 1])


def median(values: Sequence[float]) -> float:
    """The middle value (the mean of the two middle values for an even count)."""
    if not values:
        raise ValueError("median of no values")
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def summarize(values_ns: Sequence[int | float], *, scale: float = 1e6) -> Summary:
    """Median, p99, min, max and count of nanosecond samples, in milliseconds (``scale`` = ns per unit)."""
    if not values_ns:
        raise ValueError("summary of no values")
    scaled = [value / scale for value in values_ns]
    return {
        "n": len(scaled),
        "median": round(median(scaled), 4),
        "p99": round(percentile(scaled, 99), 4),
        "min": round(min(scaled), 4),
        "max": round(max(scaled), 4),
    }


def ratio(measured: float | None, floor: float | None) -> float | None:
    """``measured / floor`` rounded to 3 places; ``None`` when either is unknown or the floor is not positive."""
    if measured is None or floor is None or floor <= 0:
        return None
    return round(measured / floor, 3)


def delta(measured: float | None, floor: float | None) -> float | None:
    """``measured - floor`` rounded to 3 places; ``None`` when either is unknown."""
    if measured is None or floor is None:
        return None
    return round(measured - floor, 3)
