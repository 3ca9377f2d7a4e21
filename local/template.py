"""The packaged CloudFormation template: the one source of truth the local stack is built from.

``npx serverless package`` writes ``.serverless/cloudformation-template-update-stack.json``; we (re)run it when
the file is missing or older than ``serverless.yml``, then read resources from it and resolve the intrinsic
functions we meet (Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split) against the local resources.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["REPO_ROOT", "Resolver", "Template", "ensure_packaged", "load_template"]

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TEMPLATE = REPO_ROOT / ".serverless" / "cloudformation-template-update-stack.json"


def ensure_packaged(template: Path = DEFAULT_TEMPLATE, region: str = "us-east-1", stage: str = "dev") -> Path:
    """Package the stack unless the template is already newer than serverless.yml."""
    source = REPO_ROOT / "serverless.yml"
    if template.exists() and template.stat().st_mtime >= source.stat().st_mtime:
        return template
    subprocess.run(  # noqa: S603 (fixed argument list, no shell)
        ["npx", "serverless", "package", "--stage", stage, "--region", region],  # noqa: S607
        cwd=REPO_ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
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
