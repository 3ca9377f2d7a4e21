"""Add the Lambda runtime's bytecode to deployment zips: one checked-hash ``.pyc`` per ``.py``, in ``__pycache__``.

Lambda's ``/var/task`` and ``/opt`` are read-only, so without this every on-demand cold start compiles every module
it imports from source (~10 KB of source per millisecond of CPU: ~10 ms for the pre-sign-up layer's email-validator
and idna, docs/performance.md). Bytecode compiled by the runtime's own Python version is loaded instead. The pycs are
*checked-hash* (PEP 552): they carry a hash of their source, not a timestamp, so they are reproducible and a pyc that
does not match its source is ignored rather than trusted.

Run by ``serverless-plugins/runtime-bytecode.js`` after osls has built the zips, with an interpreter of the
runtime's version (``scripts/add-runtime-bytecode`` finds one); idempotent: a zip that already has them is unchanged.
"""

from __future__ import annotations

import argparse
import py_compile
import sys
import tempfile
import zipfile
from pathlib import Path, PurePosixPath


def pyc_name(source_name: str, cache_tag: str) -> str:
    """``common/aws.py`` → ``common/__pycache__/aws.cpython-313.pyc`` (where the import system looks)."""
    path = PurePosixPath(source_name)
    return str(path.parent / "__pycache__" / f"{path.stem}.{cache_tag}.pyc")


def add_bytecode(zip_path: Path) -> int:
    """Compile every ``.py`` of ``zip_path`` and append the pycs it lacks; returns how many were added."""
    cache_tag = sys.implementation.cache_tag
    with zipfile.ZipFile(zip_path) as archive:
        entries = archive.infolist()
        present = {entry.filename for entry in entries}
        sources = [(entry, archive.read(entry)) for entry in entries if entry.filename.endswith(".py")]
    missing = [(entry, data) for entry, data in sources if pyc_name(entry.filename, cache_tag) not in present]
    if not missing:
        return 0
    with tempfile.TemporaryDirectory() as scratch, zipfile.ZipFile(zip_path, "a", zipfile.ZIP_DEFLATED) as archive:
        source_file, compiled_file = Path(scratch) / "module.py", Path(scratch) / "module.pyc"
        for entry, data in missing:
            source_file.write_bytes(data)
            py_compile.compile(
                str(source_file),
                cfile=str(compiled_file),
                dfile=entry.filename,
                doraise=True,
                invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH,
            )
            info = zipfile.ZipInfo(pyc_name(entry.filename, cache_tag), date_time=entry.date_time)
            info.external_attr = entry.external_attr
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, compiled_file.read_bytes())
    return len(missing)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runtime", required=True, help="the Lambda runtime, e.g. python3.13")
    parser.add_argument("zips", nargs="+", type=Path)
    args = parser.parse_args(argv)
    expected = args.runtime.removeprefix("python")
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    if running != expected:
        print(f"add-runtime-bytecode: this is Python {running}, the runtime is {args.runtime}", file=sys.stderr)
        return 2
    for zip_path in args.zips:
        added = add_bytecode(zip_path)
        print(f"add-runtime-bytecode: {zip_path.name}: {added} {sys.implementation.cache_tag} pycs added")
    return 0


if __name__ == "__main__":
    sys.exit(main())
