"""Test helpers for the profile tests: tables built from the real stack definition (so the key schema lives in
one place, serverless.yml) and a recorder for the Powertools metrics a call emitted."""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path
from typing import Any

import yaml

SERVERLESS_YML = Path(__file__).resolve().parent.parent / "serverless.yml"


class _TaggedLoader(yaml.SafeLoader):
    """Reads CloudFormation short-form tags (!Ref, !GetAtt, !Join...) as plain values."""


def _construct_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_TaggedLoader.add_multi_constructor("!", _construct_tag)


@cache
def stack_resources() -> dict[str, Any]:
    document = yaml.load(SERVERLESS_YML.read_text(encoding="utf-8"), Loader=_TaggedLoader)
    resources: dict[str, Any] = document["resources"]["Resources"]
    return resources


def create_table(client: Any, logical_id: str, table_name: str) -> None:
    """Create ``table_name`` with the key schema of ``logical_id`` in serverless.yml."""
    properties = stack_resources()[logical_id]["Properties"]
    client.create_table(
        TableName=table_name,
        AttributeDefinitions=properties["AttributeDefinitions"],
        KeySchema=properties["KeySchema"],
        BillingMode=properties["BillingMode"],
    )


def emitted_metrics(metrics: Any) -> dict[str, list[float]]:
    """Metric name -> values added since the last flush (Powertools keeps them in ``metric_set``)."""
    return {name: list(entry["Value"]) for name, entry in metrics.metric_set.items()}


class Ticking:
    """A clock that moves one second per reading, so a second write or a retry would show a different createdAt."""

    def __init__(self) -> None:
        self.second = 17
        self._lock = threading.Lock()

    def __call__(self) -> str:
        with self._lock:
            self.second += 1
            return f"2026-11-26T08:40:{self.second - 1:02d}Z"
