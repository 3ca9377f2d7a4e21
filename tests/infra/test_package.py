"""The deployment package ships our code only."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.infra

ALLOWED_TOP_LEVEL = {"common", "triggers", "api"}
# Zips that also carry vendored runtime dependencies (checked in test_signup_package.py).
VENDORED = {"preSignUp.zip": "build/deps-layer/python/"}


def test_zip_holds_only_our_code(package_names: dict[str, list[str]]) -> None:
    assert package_names, "serverless package produced no zip"
    for zip_name, all_names in package_names.items():
        names = [n for n in all_names if not n.startswith(VENDORED.get(zip_name, "\0"))]
        tops = {name.split("/", 1)[0] for name in names}
        assert tops <= ALLOWED_TOP_LEVEL, f"{zip_name} ships {sorted(tops - ALLOWED_TOP_LEVEL)}"
        assert not [n for n in names if n.endswith((".pyc", ".md")) or "__pycache__" in n or "/tests/" in n]
        assert "triggers/pre_signup.py" in names or "api/app.py" in names
