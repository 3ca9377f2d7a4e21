from __future__ import annotations

import pytest

from common.config import environment
from common.errors import ConfigurationError


def test_text_required_and_default() -> None:
    env = environment({"A": "  value ", "EMPTY": "   "})
    assert env.text("A") == "value"
    assert env.text("EMPTY", "fallback") == "fallback"
    with pytest.raises(ConfigurationError, match="environment variable MISSING is required"):
        env.text("MISSING")
    assert env.optional("EMPTY") is None


@pytest.mark.parametrize(
    ("raw", "expected"), [("true", True), ("YES", True), ("1", True), ("off", False), ("0", False), ("", False)]
)
def test_flag(raw: str, expected: bool) -> None:
    assert environment({"F": raw}).flag("F") is expected


def test_flag_unset_uses_default_and_garbage_fails() -> None:
    assert environment({}).flag("F", default=True) is True
    with pytest.raises(ConfigurationError, match="F must be true or false, not 'maybe'"):
        environment({"F": "maybe"}).flag("F")


def test_integer_bounds() -> None:
    env = environment({"N": "42", "BAD": "4x", "BIG": "100"})
    assert env.integer("N", 1) == 42
    assert env.integer("UNSET", 7) == 7
    with pytest.raises(ConfigurationError, match="BAD must be an integer"):
        env.integer("BAD", 1)
    with pytest.raises(ConfigurationError, match=r"BIG must be within \[0, 10\]"):
        env.integer("BIG", 1, minimum=0, maximum=10)


def test_number() -> None:
    assert environment({"T": "0.25"}).number("T", 1.0) == 0.25
    with pytest.raises(ConfigurationError, match=r"T must be at least 0\.0"):
        environment({"T": "-1"}).number("T", 1.0)


def test_items_trims_dedupes_and_keeps_order() -> None:
    assert environment({"L": " b, a ,, b ,c"}).items("L") == ("b", "a", "c")
    assert environment({"L": "  "}).items("L", ("x",)) == ("x",)
