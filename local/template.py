"""The packaged CloudFormation template: the one source of truth the local stack is built from.

``npx serverless package`` writes ``.serverless/cloudformation-template-update-stack.json``; we (re)run it when
the file is missing or older than ``serverless.yml``, then read resources from it and resolve the intrinsic
functions we meet (Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split) against the local resources.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["REPO_ROOT", "Resolver", "Template", "ensure_packaged", "load_template"]

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TEMPLATE = REPO_ROOT / ".serverless" / "cloudformation-template-update-stack.json"
LAST_GOOD = REPO_ROOT / ".local" / "last-packaged-template.json"


def ensure_packaged(template: Path = DEFAULT_TEMPLATE, region: str = "us-east-1", stage: str = "dev") -> Path:
    """Package the stack unless the template is already newer than serverless.yml.

    A failed packaging (serverless.yml mid-edit) empties ``.serverless/``; the last template that packaged is
    kept in ``.local/`` and used instead, with a warning.
    """
    source = REPO_ROOT / "serverless.yml"
    if template.exists() and template.stat().st_mtime >= source.stat().st_mtime:
        return _remember(template)
    # scripts/package: the layer's folder first, then `serverless package` asking AWS nothing
    done = subprocess.run(  # noqa: S603 (fixed argument list, no shell)
        [str(REPO_ROOT / "scripts" / "package"), "--stage", stage, "--region", region],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        output = (done.stdout + done.stderr).strip()[-2000:]
        if not LAST_GOOD.exists():
            raise RuntimeError(f"`npx serverless package` failed and there is no packaged template:\n{output}")
        # serverless.yml may be mid-edit: keep serving the last template that packaged, and say so.
        print(f"warning: `npx serverless package` failed; using {LAST_GOOD}.\n{output}", file=sys.stderr)  # noqa: T201
        return LAST_GOOD
    return _remember(template)


def _remember(template: Path) -> Path:
    """Keep a copy of a template that packaged (written atomically: several stacks may start at once)."""
    try:
        content = template.read_text()
        json.loads(content)
    except (OSError, ValueError):
        return template
    LAST_GOOD.parent.mkdir(exist_ok=True)
    scratch = LAST_GOOD.with_name(f"{LAST_GOOD.name}.{os.getpid()}")
    scratch.write_text(content)
    scratch.replace(LAST_GOOD)
    return template


class Template:
    """Read access to a template's resources."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self.resources: dict[str, dict[str, Any]] = dict(document.get("Resources", {}))

    def of_type(self, resource_type: str) -> dict[str, dict[str, Any]]:
        """Logical id → resource, for every resource of one type, in template order."""
        return {name: res for name, res in self.resources.items() if res.get("Type") == resource_type}

    def properties(self, logical_id: str) -> dict[str, Any]:
        """The Properties of one resource."""
        props: dict[str, Any] = self.resources[logical_id].get("Properties", {})
        return props


def load_template(path: Path | None = None) -> Template:
    """Load the packaged template (packaging it first when it is the default, stale one)."""
    target = path if path is not None else ensure_packaged()
    for _ in range(20):  # another process may be rewriting the file right now
        try:
            return Template(json.loads(target.read_text()))
        except ValueError:
            time.sleep(0.25)
    return Template(json.loads(target.read_text()))


class Resolver:
    """Resolves intrinsic functions against the locally provisioned resources.

    ``refs`` maps a logical id (or pseudo parameter) to its Ref value; ``attributes`` maps
    ``(logical id, attribute)`` to its Fn::GetAtt value.
    """

    def __init__(self, refs: dict[str, str], attributes: dict[tuple[str, str], str]) -> None:
        self.refs = refs  # shared, not copied: the bootstrap fills them in as it creates resources
        self.attributes = attributes

    def resolve(self, value: Any) -> Any:
        """Resolve every intrinsic inside ``value`` (unknown references resolve to their logical id)."""
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, arg),) = value.items()
            handler = self._intrinsics().get(key)
            if handler is not None:
                return handler(arg)
        return {key: self.resolve(item) for key, item in value.items()}

    def _intrinsics(self) -> dict[str, Any]:
        return {
            "Ref": lambda arg: self.refs.get(str(arg), str(arg)),
            "Fn::GetAtt": self._get_att,
            "Fn::Join": lambda arg: str(self.resolve(arg[0])).join(str(self.resolve(p)) for p in self.resolve(arg[1])),
            "Fn::Sub": self._sub,
            "Fn::Select": lambda arg: self.resolve(arg[1])[int(self.resolve(arg[0]))],
            "Fn::Split": lambda arg: str(self.resolve(arg[1])).split(str(self.resolve(arg[0]))),
        }

    def _get_att(self, arg: Any) -> str:
        logical, attribute = arg.split(".", 1) if isinstance(arg, str) else (arg[0], arg[1])
        return self.attributes.get((logical, attribute), f"{logical}.{attribute}")

    def _sub(self, arg: Any) -> str:
        text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], self.resolve(arg[1]))

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in variables:
                return str(variables[name])
            if "." in name:
                return self._get_att(name)
            return self.refs.get(name, name)

        return re.sub(r"\$\{([^}!][^}]*)\}", replace, text)
