"""The deployment package: build it with ``serverless package`` and measure what would be uploaded."""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path
from typing import Any

from bench.template import FunctionSpec

__all__ = ["baseline_zip_bytes", "inspect_package", "inspect_zip", "package_stack"]


def package_stack(root: Path) -> str | None:
    """``scripts/package`` (the stack, offline, into the checkout's ``.serverless/``); returns an error message, or
    ``None`` on success. osls builds there whatever ``--package`` says, so it is also what the tests read."""
    target = root / ".serverless"
    try:
        completed = subprocess.run(
            [str(root / "scripts" / "package")], cwd=root, capture_output=True, timeout=240, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"serverless package failed: {exc}"
    output = (completed.stdout + completed.stderr).decode(errors="replace").strip()
    if completed.returncode != 0:
        return f"serverless package exited with {completed.returncode}: {output[-800:]}"
    if not (target / "cloudformation-template-update-stack.json").exists():
        return f"serverless package wrote no template to {target}: {output[-800:]}"
    return None


def inspect_zip(path: Path, top: int = 5) -> dict[str, Any]:
    """Size on disk, file count, uncompressed size and the largest members of one artifact."""
    with zipfile.ZipFile(path) as archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
    largest = sorted(members, key=lambda info: info.compress_size, reverse=True)[:top]
    return {
        "file": path.name,
        "bytes": path.stat().st_size,
        "files": len(members),
        "uncompressed_bytes": sum(info.file_size for info in members),
        "names": sorted(info.filename for info in members),
        "largest": [{"name": info.filename, "compressed_bytes": info.compress_size} for info in largest],
    }


def _packages_with_bytecode(names: list[str]) -> set[str]:
    """Top-level packages a zip ships compiled pycs for (``python/idna/__pycache__/core.cpython-313.pyc`` in a
    layer, ``common/__pycache__/aws.cpython-313.pyc`` in a function's zip)."""
    found = set()
    for name in names:
        if name.endswith(".pyc") and "/__pycache__/" in name:
            parts = name.removeprefix("python/").split("/")
            found.add(parts[0])
    return found


def baseline_zip_bytes(source: Path) -> int:
    """The size of a zip holding only the bare baseline handler: the smallest package a function can have."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.write(source, arcname="handler.py")
    return len(buffer.getvalue())


def inspect_package(package_dir: Path, specs: list[FunctionSpec]) -> dict[str, Any]:
    """Every zip in the package directory, and for each function whether its handler file is inside its zip."""
    zips = {path.name: inspect_zip(path) for path in sorted(package_dir.glob("*.zip"))}
    artifacts = {spec.artifact for spec in specs}
    for name, entry in zips.items():
        # the package holds the functions' zips and the layers' zips (a layer is never a function's artifact)
        entry["kind"] = "function" if name in artifacts else "layer"
    functions = []
    for spec in specs:
        handler_file = spec.module.replace(".", "/") + ".py"
        artifact = zips.get(spec.artifact or "")
        functions.append(
            {
                "key": spec.key,
                "artifact": spec.artifact,
                "bytes": artifact["bytes"] if artifact else None,
                "handler_in_zip": bool(artifact) and handler_file in artifact["names"],
            }
        )
    bytecode_packages = sorted(
        {package for entry in zips.values() for package in _packages_with_bytecode(entry["names"])}
    )
    for entry in zips.values():
        del entry["names"]
    baseline = baseline_zip_bytes(Path(__file__).resolve().parent / "baselines" / "bare.py")
    return {
        "dir": str(package_dir),
        "zips": list(zips.values()),
        "functions": functions,
        "baseline_zip_bytes": baseline,
        "bytecode_packages": bytecode_packages,
    }
