"""The benchmark's statistics: exact values on known samples (no timing is measured here)."""

from __future__ import annotations

import pytest

from bench.stats import delta, median, percentile, ratio, summarize


def test_percentile_is_nearest_rank_and_always_an_observed_value() -> None:
    values = list(range(1, 101))  # 1..100
    assert percentile(values, 99) == 99.0
    assert percentile(values, 50) == 50.0
    assert percentile(values, 100) == 100.0
    assert percentile(values, 0) == 1.0
    assert percentile([5.0, 1.0, 3.0], 99) == 5.0


def test_percentile_of_1000_samples_is_the_990th_smallest() -> None:
    values = [float(v) for v in reversed(range(1000))]  # 0..999, unsorted
    assert percentile(values, 99) == 989.0


def test_percentile_rejects_empty_input_and_bad_q() -> None:
    with pytest.raises(ValueError, match="no values"):
        percentile([], 50)
    with pytest.raises(ValueError, match="within"):
        percentile([1.0], 101)


def test_median_of_odd_and_even_counts() -> None:
    assert median([3.0, 1.0, 2.0]) == 2.0
    assert median([4.0, 1.0, 3.0, 2.0]) == 2.5
    with pytest.raises(ValueError):
        median([])


def test_summarize_converts_nanoseconds_to_milliseconds() -> None:
    samples = [1_000_000, 2_000_000, 3_000_000, 4_000_000, 100_000_000]
    assert summarize(samples) == {"n": 5, "median": 3.0, "p99": 100.0, "min": 1.0, "max": 100.0}


def test_summarize_rounds_to_a_tenth_of_a_microsecond() -> None:
    assert summarize([123_456]) == {"n": 1, "median": 0.1235, "p99": 0.1235, "min": 0.1235, "max": 0.1235}


def test_ratio_and_delta() -> None:
    assert ratio(230.0, 200.0) == 1.15
    assert ratio(1.0, 3.0) == 0.333
    assert ratio(None, 200.0) is None
    assert ratio(200.0, 0.0) is None
    assert ratio(200.0, None) is None
    assert delta(85.5, 25.25) == 60.25
    assert delta(None, 1.0) is None
