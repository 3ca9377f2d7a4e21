"""Sanitizing user-supplied text for HTML, subjects and SMS."""

from __future__ import annotations

import html

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.messages.text import ELLIPSIS, escape_html, has_control_characters, plain_text


@given(st.text())
def test_escape_html_matches_the_standard_library(value: str) -> None:
    assert escape_html(value) == html.escape(value, quote=True)


def test_escape_html_neutralizes_a_script_tag() -> None:
    assert escape_html("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert escape_html("\"'&") == "&quot;&#x27;&amp;"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Jane Doe", "Jane Doe"),
        ("  Jane \t\n Doe  ", "Jane Doe"),
        ("Jane\r\nBcc: victim@example.com", "Jane Bcc: victim@example.com"),
        ("Jane\x1b[31mRed\x07", "Jane [31mRed"),
        ("\u202eevil\u202c", "evil"),  # right-to-left override dropped
        ("zero\u200bwidth", "zerowidth"),
        ("line\u2028separator\u2029end", "line separator end"),
        ("\x00\x85", ""),
        ("김민수", "김민수"),
    ],
)
def test_plain_text_keeps_one_line_of_printable_text(raw: str, expected: str) -> None:
    assert plain_text(raw) == expected


def test_plain_text_cuts_long_values_with_an_ellipsis() -> None:
    assert plain_text("a" * 70, 64) == "a" * 63 + ELLIPSIS
    assert plain_text("a" * 64, 64) == "a" * 64
    assert plain_text("word " * 20, 10) == "word word" + ELLIPSIS


@given(st.text(), st.integers(min_value=2, max_value=80))
def test_plain_text_never_returns_control_characters_or_too_much(value: str, limit: int) -> None:
    cleaned = plain_text(value, limit)
    assert not has_control_characters(cleaned)
    assert len(cleaned) <= limit
    assert "\n" not in cleaned and "\r" not in cleaned


@pytest.mark.parametrize(("value", "expected"), [("plain", False), ("a\nb", True), ("a\u200eb", True), ("한글", False)])
def test_has_control_characters(value: str, expected: bool) -> None:
    assert has_control_characters(value) is expected
