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
    *ROOT.glob("serverless-plugins/*.js"),
    ROOT / "scripts" / "add_runtime_bytecode.py",
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
        subprocess.run([str(ROOT / "scripts" / "package")], cwd=ROOT, check=True, capture_output=True)
    loaded: dict[str, Any] = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture(scope="session")
def resources(template: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = template["Resources"]
    return found


def _artifacts(template: dict[str, Any], resource_type: str, code_property: str) -> dict[str, list[str]]:
    """The file list of every zip the template's resources of ``resource_type`` deploy, by zip name."""
    names = [
        resource["Properties"][code_property]["S3Key"].rsplit("/", 1)[1]
        for resource in template["Resources"].values()
        if resource["Type"] == resource_type
    ]
    return {name: zipfile.ZipFile(ROOT / ".serverless" / name).namelist() for name in names}


@pytest.fixture(scope="session")
def package_names(template: dict[str, Any]) -> dict[str, list[str]]:
    """Every function's deployment zip's file list, by zip name."""
    return _artifacts(template, "AWS::Lambda::Function", "Code")


@pytest.fixture(scope="session")
def layer_names(template: dict[str, Any]) -> dict[str, list[str]]:
    """Every Lambda layer's zip's file list, by zip name."""
    return _artifacts(template, "AWS::Lambda::LayerVersion", "Content")
