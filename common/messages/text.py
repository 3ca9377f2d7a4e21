"""Making user-supplied text safe for each channel.

A display name is whatever the user typed at sign-up (up to 2,048 bytes). In an HTML email it must not become
markup; in an SMS or a subject line it must not carry line breaks, terminal escapes or bidirectional overrides
that reorder what the reader sees ("Trojan Source" tricks). So every value is first reduced to one line of
printable text, then HTML-escaped where it lands in HTML.

``escape_html`` is ``html.escape(value, quote=True)`` without importing the ``html`` package (whose entity table
costs ~2.5 ms of cold start in a function that must stay close to bare Python); the unit tests hold the two
equal.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["ELLIPSIS", "escape_html", "has_control_characters", "plain_text"]

ELLIPSIS = "…"
# Cc: C0/C1 controls (NUL, ESC, CR, LF, TAB...) and Zl/Zp: line and paragraph separators break lines, so they
# become spaces; Cf: format characters (bidi overrides, zero-width) and Cs: lone surrogates are dropped.
_BREAKING = frozenset({"Cc", "Zl", "Zp"})
_INVISIBLE = frozenset({"Cf", "Cs"})
_UNSAFE_CATEGORIES = _BREAKING | _INVISIBLE
_SPACES = re.compile(r"\s+")
_HTML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def has_control_characters(value: str) -> bool:
    """Whether ``value`` holds any character that ``plain_text`` would remove or replace."""
    if value.isprintable():  # fast path in C: printable text has none of these categories
        return False
    return any(unicodedata.category(char) in _UNSAFE_CATEGORIES for char in value)


def plain_text(value: str, max_length: int | None = None) -> str:
    """One line of printable text: control characters become spaces, format characters vanish, runs of spaces
    collapse, the ends are trimmed and, past ``max_length`` characters, the text is cut and ends with an ellipsis."""
    cleaned = value if value.isprintable() else "".join(_clean_char(char) for char in value)
    cleaned = _SPACES.sub(" ", cleaned).strip()
    if max_length is not None and len(cleaned) > max_length:
        cleaned = cleaned[: max_length - 1].rstrip() + ELLIPSIS
    return cleaned


def _clean_char(char: str) -> str:
    category = unicodedata.category(char)
    if category in _BREAKING:
        return " "
    return "" if category in _INVISIBLE else char


def escape_html(value: str) -> str:
    """``value`` as HTML text or attribute content (the five characters ``& < > " '`` escaped)."""
    return value.translate(_HTML_ESCAPES)
