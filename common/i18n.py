"""Localized user-facing text.

Catalogs are data: ``common/locales/<language>/*.json`` files, each a flat ``{"key": "text"}`` object, merged
per language. Adding a language means adding a folder of files, not code. English is the fallback for a missing
language or key; a key missing from English is a programming error caught by the catalog tests.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

__all__ = ["DEFAULT_LANGUAGE", "catalog", "languages", "negotiate_language", "translate"]

DEFAULT_LANGUAGE = "en"
_LOCALES = Path(__file__).with_name("locales")


@cache
def languages() -> frozenset[str]:
    """The languages that ship a catalog folder."""
    return frozenset(p.name for p in _LOCALES.iterdir() if p.is_dir())


@cache
def catalog(language: str) -> dict[str, str]:
    """Every key of one language, merged from all its files (read once per process)."""
    merged: dict[str, str] = {}
    folder = _LOCALES / language
    if not folder.is_dir():
        return merged
    for path in sorted(folder.glob("*.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def negotiate_language(*candidates: object) -> str:
    """The first supported language among ``candidates`` (``"ko-KR"``, ``"ko_KR"``, ``"ko"``...), else English."""
    supported = languages()
    for candidate in candidates:
        if not isinstance(candidate, str) or not candidate:  # events are untrusted input: a locale may be anything
            continue
        primary = candidate.strip().replace("_", "-").split("-", 1)[0].lower()
        if primary in supported:
            return primary
    return DEFAULT_LANGUAGE


def translate(key: str, language: str = DEFAULT_LANGUAGE, **params: object) -> str:
    """The text for ``key`` in ``language`` (English fallback) with ``{name}`` parameters filled in."""
    text = catalog(language).get(key) or catalog(DEFAULT_LANGUAGE).get(key)
    if text is None:
        raise KeyError(f"no message for {key!r}")
    return text.format(**params) if params else text
