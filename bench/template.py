"""Discover the functions to measure from the packaged CloudFormation template (what actually deploys).

Each ``AWS::Lambda::Function`` gives its handler, memory size, SnapStart setting, artifact and environment. The
environment's intrinsic functions are resolved to fake but realistic values (a table's own ``TableName`` when the
template spells it, otherwise ``bench-<LogicalId>``), so each function reads the same variables it reads in Lambda.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["FunctionSpec", "discover_functions", "function_key", "load_template", "resolve_value"]

FAKE_ACCOUNT = "000000000000"
FAKE_REGION = "us-east-1"
_FAKE_BY_TYPE = {
    "AWS::Cognito::UserPool": "us-east-1_Bench0000",
    "AWS::Cognito::UserPoolClient": "benchclient0000000000000000",
}
_NAME_PROPERTY = {
    "AWS::DynamoDB::Table": "TableName",
    "AWS::Cognito::UserPool": None,
    "AWS::SQS::Queue": "QueueName",
    "AWS::SNS::Topic": "TopicName",
}


@dataclass(frozen=True)
class FunctionSpec:
    """One Lambda function as the template declares it."""

    key: str  # the serverless.yml function name (``preSignUp``)
    logical_id: str
    handler: str  # ``triggers/pre_signup.handler``
    memory_mb: int | None
    snap_start: bool
    artifact: str | None  # zip file name inside the package directory
    environment: dict[str, str] = field(default_factory=dict)

    @property
    def module(self) -> str:
        """``triggers/pre_signup.handler`` → ``triggers.pre_signup``."""
        path, _, _attr = self.handler.rpartition(".")
        return path.replace("/", ".")

    @property
    def attribute(self) -> str:
        return self.handler.rpartition(".")[2]

    def module_file(self, root: Path) -> Path:
        """Where the handler module lives in the source tree (a package's ``__init__.py`` also counts)."""
        base = root / Path(*self.module.split("."))
        as_file = base.with_suffix(".py")
        return as_file if as_file.exists() or not (base / "__init__.py").exists() else base / "__init__.py"


def load_template(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _fake_name(logical_id: str, resources: dict[str, Any]) -> str:
    resource = resources.get(logical_id) or {}
    kind = resource.get("Type", "")
    if kind in _FAKE_BY_TYPE:
        return _FAKE_BY_TYPE[kind]
    prop = _NAME_PROPERTY.get(kind)
    if prop:
        name = (resource.get("Properties") or {}).get(prop)
        if isinstance(name, str):
            return name
    return f"bench-{logical_id}"


def _resolve_intrinsic(name: str, arg: Any, resources: dict[str, Any]) -> str:
    if name == "Ref":
        pseudo = {"AWS::Region": FAKE_REGION, "AWS::AccountId": FAKE_ACCOUNT}
        return pseudo.get(str(arg)) or _fake_name(str(arg), resources)
    if name == "Fn::GetAtt":
        parts = arg if isinstance(arg, list) else str(arg).split(".", 1)
        logical, attribute = str(parts[0]), str(parts[1]) if len(parts) > 1 else "Arn"
        return f"arn:aws:bench:{FAKE_REGION}:{FAKE_ACCOUNT}:{logical}/{attribute}"
    if name == "Fn::Join" and isinstance(arg, list) and len(arg) == 2:
        separator, parts = arg
        return str(separator).join(resolve_value(part, resources) for part in parts)
    if name == "Fn::Sub" and isinstance(arg, str):
        return arg.replace("${AWS::Region}", FAKE_REGION).replace("${AWS::AccountId}", FAKE_ACCOUNT)
    return "bench-unresolved"


def resolve_value(value: Any, resources: dict[str, Any]) -> str:
    """Resolve a template value (a string or a simple intrinsic) to a string a function can read."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict) and len(value) == 1:
        ((name, arg),) = value.items()
        return _resolve_intrinsic(str(name), arg, resources)
    return "bench-unresolved"


def function_key(logical_id: str, properties: dict[str, Any]) -> str:
    """The serverless.yml name: the part of ``FunctionName`` after ``<service>-<stage>-``, else the logical id
    without its ``LambdaFunction`` suffix."""
    name = properties.get("FunctionName")
    if isinstance(name, str) and "-" in name:
        return name.rsplit("-", 1)[1]
    key = logical_id.removesuffix("LambdaFunction")
    return key[:1].lower() + key[1:]


def discover_functions(template: dict[str, Any]) -> list[FunctionSpec]:
    """Every zip-packaged Python function of the template, in template order."""
    resources: dict[str, Any] = template.get("Resources") or {}
    specs: list[FunctionSpec] = []
    for logical_id, resource in resources.items():
        if resource.get("Type") != "AWS::Lambda::Function":
            continue
        properties = resource.get("Properties") or {}
        handler = properties.get("Handler")
        if not isinstance(handler, str) or not str(properties.get("Runtime", "python")).startswith("python"):
            continue
        variables = ((properties.get("Environment") or {}).get("Variables")) or {}
        s3_key = (properties.get("Code") or {}).get("S3Key")
        artifact = s3_key.rsplit("/", 1)[-1] if isinstance(s3_key, str) else None
        memory = properties.get("MemorySize")
        specs.append(
            FunctionSpec(
                key=function_key(logical_id, properties),
                logical_id=logical_id,
                handler=handler,
                memory_mb=int(memory) if isinstance(memory, int | str) and str(memory).isdigit() else None,
                snap_start=(properties.get("SnapStart") or {}).get("ApplyOn") == "PublishedVersions",
                artifact=artifact,
                environment={name: resolve_value(value, resources) for name, value in variables.items()},
            )
        )
    return specs
