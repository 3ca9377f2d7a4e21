"""The packaged CloudFormation template, built by ``npx serverless package`` when missing or stale."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / ".serverless" / "cloudformation-template-update-stack.json"
SOURCES = [
    ROOT / "serverless.yml",
    *ROOT.glob("common/**/*.py"),
    *ROOT.glob("triggers/*.py"),
    *ROOT.glob("api/**/*.py"),
]


def _stale() -> bool:
    if not TEMPLATE.exists():
        return True
    built = TEMPLATE.stat().st_mtime
    return any(path.stat().st_mtime > built for path in SOURCES)


@pytest.fixture(scope="session")
def template() -> dict[str, Any]:
    if _stale():
        subprocess.run(
            ["npx", "serverless", "package", "--stage", "dev", "--region", "us-east-1"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
    loaded: dict[str, Any] = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture(scope="session")
def resources(template: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = template["Resources"]
    return found


@pytest.fixture(scope="session")
def package_names(template: dict[str, Any]) -> dict[str, list[str]]:
    """Every deployment zip's file list, by zip name."""
    del template  # ensures the package exists and is fresh
    return {path.name: zipfile.ZipFile(path).namelist() for path in (ROOT / ".serverless").glob("*.zip")}
