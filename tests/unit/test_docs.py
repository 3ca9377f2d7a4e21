"""The documents stay true: every test (or test constant) they cite exists, and every relative link resolves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])
TEST_REFERENCE = re.compile(r"`(tests/[\w/]+\.py)((?:::\w+)?)`")
LINK = re.compile(r"\]\((?!https?://|#)([^)#\s]+)")


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_cited_tests_exist(document: Path) -> None:
    text = document.read_text(encoding="utf-8")
    for path, name in TEST_REFERENCE.findall(text):
        source = ROOT / path
        assert source.is_file(), f"{document.name} cites missing {path}"
        if name:
            defined = re.compile(rf"^(?:def {name[2:]}\(|class {name[2:]}\b|{name[2:]}\s*[:=])", re.MULTILINE)
            assert defined.search(source.read_text(encoding="utf-8")), f"{document.name} cites {path}{name}"


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_relative_links_resolve(document: Path) -> None:
    for target in LINK.findall(document.read_text(encoding="utf-8")):
        assert (document.parent / target).exists(), f"{document.name} links to missing {target}"
