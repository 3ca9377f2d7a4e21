"""Typed readers for environment variables: the only place that reads ``os.environ``.

Each function has one settings object (a frozen dataclass with a ``from_env`` constructor) built once at
start-up from these readers. A missing or malformed value raises :class:`ConfigurationError` naming the variable,
so a bad deploy fails at cold start with a clear message instead of failing users one by one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from common.errors import ConfigurationError

__all__ = ["Environment", "environment"]

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})


class Environment:
    """Reads typed values from a mapping (``os.environ`` by default; a plain dict in tests)."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self._values = values

    def text(self, name: str, default: str | None = None) -> str:
        """A required string, or ``default`` when the variable is unset or empty."""
        value = self._values.get(name, "").strip()
        if value:
            return value
        if default is None:
            raise ConfigurationError(f"environment variable {name} is required")
        return default

    def optional(self, name: str) -> str | None:
        """A string that may be absent."""
        value = self._values.get(name, "").strip()
        return value or None

    def flag(self, name: str, default: bool = False) -> bool:
        """A boolean written as true/false, yes/no, on/off or 1/0."""
        raw = self._values.get(name)
        if raw is None:
            return default
        lowered = raw.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False if lowered else default
        raise ConfigurationError(f"environment variable {name} must be true or false, not {raw!r}")

    def integer(self, name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
        """An integer, optionally bounded."""
        raw = self._values.get(name, "").strip()
        if not raw:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise ConfigurationError(f"environment variable {name} must be an integer, not {raw!r}") from None
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            raise ConfigurationError(f"environment variable {name} must be within [{minimum}, {maximum}]")
        return value

    def number(self, name: str, default: float, *, minimum: float = 0.0) -> float:
        """A non-negative float (timeouts in seconds)."""
        raw = self._values.get(name, "").strip()
        if not raw:
            return default
        try:
            value = float(raw)
        except ValueError:
            raise ConfigurationError(f"environment variable {name} must be a number, not {raw!r}") from None
        if value < minimum:
            raise ConfigurationError(f"environment variable {name} must be at least {minimum}")
        return value

    def items(self, name: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        """A comma-separated list; blanks dropped, order kept, duplicates removed."""
        raw = self._values.get(name)
        if raw is None or not raw.strip():
            return default
        seen: dict[str, None] = {}
        for part in raw.split(","):
            item = part.strip()
            if item:
                seen.setdefault(item, None)
        return tuple(seen)


def environment(values: Mapping[str, str] | None = None) -> Environment:
    """The process environment (or ``values`` in tests) as an :class:`Environment`."""
    return Environment(os.environ if values is None else values)
