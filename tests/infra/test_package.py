"""The deployment package ships our code only."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.infra

ALLOWED_TOP_LEVEL = {"common", "triggers", "api"}


def test_zip_holds_only_our_code(package_names: dict[str, list[str]]) -> None:
    assert package_names, "serverless package produced no zip"
    for zip_name, names in package_names.items():
        tops = {name.split("/", 1)[0] for name in names}
        assert tops <= ALLOWED_TOP_LEVEL, f"{zip_name} ships {sorted(tops - ALLOWED_TOP_LEVEL)}"
        assert not [n for n in names if n.endswith((".pyc", ".md")) or "__pycache__" in n or "/tests/" in n]
        assert "triggers/pre_signup.py" in names or "api/app.py" in names
