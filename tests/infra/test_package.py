"""Each function's deployment zip ships exactly its own code: everything its handler can import, and no tests,
virtualenv, node_modules, docs or bytecode."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.import_graph import ROOT, import_closure

pytestmark = pytest.mark.infra

ALLOWED_TOP_LEVEL = {"common", "triggers", "api"}


def _functions(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Lambda function properties by zip name (the zip is named after the function key)."""
    found = {}
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::Lambda::Function":
            key = resource["Properties"]["Code"]["S3Key"].rsplit("/", 1)[1]
            found[key] = resource["Properties"]
    return found


def test_every_function_is_packaged_individually(template: dict[str, Any], package_names: dict[str, list[str]]) -> None:
    assert set(_functions(template)) == set(package_names)
    packaged = {path.name for path in (ROOT / ".serverless").glob("*.zip")}
    assert packaged == set(package_names) | {"emailValidation.zip"}, "a zip no resource deploys"


def test_zip_holds_only_our_code(package_names: dict[str, list[str]]) -> None:
    for zip_name, names in package_names.items():
        tops = {name.split("/", 1)[0] for name in names}
        assert tops <= ALLOWED_TOP_LEVEL, f"{zip_name} ships {sorted(tops - ALLOWED_TOP_LEVEL)}"
        assert not [n for n in names if n.endswith((".pyc", ".pyo", ".md")) or "__pycache__" in n]


def test_zip_holds_every_module_its_handler_can_import(
    template: dict[str, Any], package_names: dict[str, list[str]]
) -> None:
    for zip_name, function in _functions(template).items():
        module = function["Handler"].rsplit(".", 1)[0].replace("/", ".")
        needed = {str(path.relative_to(ROOT)) for path in import_closure(module)}
        missing = needed - set(package_names[zip_name])
        assert not missing, f"{zip_name} lacks {sorted(missing)}"


def test_zip_holds_no_other_functions_handler(template: dict[str, Any], package_names: dict[str, list[str]]) -> None:
    handlers = {zip_name: f["Handler"].rsplit(".", 1)[0] + ".py" for zip_name, f in _functions(template).items()}
    for zip_name, names in package_names.items():
        others = {h for z, h in handlers.items() if z != zip_name and not h.startswith("api/")}
        assert not others & set(names), f"{zip_name} ships another function's handler"


FAKE_BY_TYPE = {
    "AWS::Cognito::UserPool": "us-east-1_EXAMPLE11",
    "AWS::Cognito::UserPoolClient": "3n4b5urk1ft4fl3mg5e62d9ado",
    "AWS::DynamoDB::Table": "example-table",
}


def _fake_value(template: dict[str, Any], value: Any) -> str:
    """A realistic stand-in for a ``Ref`` (what CloudFormation would put in the variable)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Ref" in value and value["Ref"] in template["Resources"]:
        return FAKE_BY_TYPE.get(template["Resources"][value["Ref"]]["Type"], "example")
    if isinstance(value, dict) and "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return str(separator).join(_fake_value(template, part) for part in parts)
    return "example"


@pytest.mark.parametrize(
    "zip_name", ["preSignUp.zip", "postConfirmation.zip", "preTokenGeneration.zip", "customMessage.zip", "api.zip"]
)
def test_handler_imports_from_its_zip_alone(template: dict[str, Any], zip_name: str, tmp_path: Path) -> None:
    """Unzipped alone (like /var/task), with only installed packages beside it, the handler imports."""
    function = _functions(template)[zip_name]
    zipfile.ZipFile(ROOT / ".serverless" / zip_name).extractall(tmp_path)
    module = function["Handler"].rsplit(".", 1)[0].replace("/", ".")
    variables = {
        name: value if isinstance(value, str) else _fake_value(template, value)
        for name, value in function["Environment"]["Variables"].items()
    }
    # -I: no current directory, PYTHONPATH or user site on sys.path; only the zip and installed packages.
    script = (
        "import sys, json; sys.path.insert(0, sys.argv[1]); "
        f"import {module} as handler; print(json.dumps(handler.__file__))"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", script, str(tmp_path)],
        cwd=tmp_path,
        env={**{k: v for k, v in os.environ.items() if k.startswith(("PATH", "AWS_"))}, **variables},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert Path(json.loads(result.stdout)).is_relative_to(tmp_path)
