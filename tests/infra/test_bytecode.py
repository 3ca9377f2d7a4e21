"""The layer ships bytecode for the Lambda runtime's Python (serverless-plugins/runtime-bytecode.js): one checked-hash
pyc per module, which that Python loads instead of compiling the source at every cold start."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

pytestmark = pytest.mark.infra

ROOT = Path(__file__).resolve().parents[2]
LAYER_ZIP = ROOT / ".serverless" / "emailValidation.zip"
CHECKED_HASH_FLAGS = 0b11  # PEP 552: hash-based, checked


def _runtime_version(resources: dict[str, Any]) -> str:
    runtime = str(resources["PreSignUpLambdaFunction"]["Properties"]["Runtime"])
    assert runtime.startswith("python")
    return runtime.removeprefix("python")


def _interpreter(version: str) -> str | None:
    """An interpreter of the runtime's version, found the way scripts/add-runtime-bytecode finds one."""
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates = [os.environ.get("RUNTIME_PYTHON", ""), shutil.which(f"python{version}") or ""]
    candidates += [
        str(p / "bin" / f"python{version}") for p in sorted(root.glob(f"versions/{version}.*"), reverse=True)
    ]
    for candidate in filter(None, candidates):
        done = subprocess.run(
            [candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode == 0 and done.stdout.strip() == version:
            return candidate
    return None


def _pyc_for(source: str, cache_tag: str) -> str:
    path = PurePosixPath(source)
    return str(path.parent / "__pycache__" / f"{path.stem}.{cache_tag}.pyc")


def test_every_module_of_the_layer_has_exactly_its_runtime_pyc(
    layer_names: dict[str, list[str]], resources: dict[str, Any]
) -> None:
    version = _runtime_version(resources)
    names = layer_names[LAYER_ZIP.name]
    sources = [n for n in names if n.endswith(".py")]
    pycs = sorted(n for n in names if n.endswith(".pyc"))
    if _interpreter(version) is None:  # scripts/add-runtime-bytecode found none either: wholly source, never half
        assert pycs == [], f"no python{version} here, yet the layer has bytecode"
        return
    tag = f"cpython-{version.replace('.', '')}"
    assert pycs == sorted(_pyc_for(source, tag) for source in sources)
    with zipfile.ZipFile(LAYER_ZIP) as archive:
        for pyc in pycs:
            header = archive.read(pyc)[:16]
            assert int.from_bytes(header[4:8], "little") == CHECKED_HASH_FLAGS, pyc


def test_the_runtimes_python_loads_the_layer_without_compiling_it(resources: dict[str, Any], tmp_path: Path) -> None:
    """Extract the layer like Lambda (to /opt, read-only for us: bytecode writing off) and import what pre-sign-up
    imports, with the runtime's Python: no module of the layer may be compiled from source."""
    version = _runtime_version(resources)
    interpreter = _interpreter(version)
    if interpreter is None:
        pytest.skip(f"no python{version} on this machine")
    with zipfile.ZipFile(LAYER_ZIP) as archive:
        archive.extractall(tmp_path / "opt")
    code = (
        "import json, sys\n"
        "sys.dont_write_bytecode = True\n"
        f"sys.path.insert(0, {str(tmp_path / 'opt' / 'python')!r})\n"
        "from importlib._bootstrap_external import SourceLoader\n"
        "compiled = []\n"
        "original = SourceLoader.source_to_code\n"
        "def record(self, data, path, *args, **kwargs):\n"
        "    compiled.append(path)\n"
        "    return original(self, data, path, *args, **kwargs)\n"
        "SourceLoader.source_to_code = record\n"
        "import email_validator\n"
        "email_validator.validate_email('jane.doe@example.com', check_deliverability=False)\n"
        "email_validator.validate_email('jane@bücher.example', check_deliverability=False)\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('email_validator', 'idna'))\n"
        "print(json.dumps({'compiled': compiled, 'loaded': loaded, 'file': email_validator.__file__}))\n"
    )
    done = subprocess.run(
        [interpreter, "-S", "-c", code], capture_output=True, text=True, check=False, env={"PATH": "/usr/bin:/bin"}
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["file"] == str(tmp_path / "opt" / "python" / "email_validator" / "__init__.py")
    assert "idna.uts46data" in result["loaded"] and "email_validator.syntax" in result["loaded"]
    assert result["compiled"] == []
