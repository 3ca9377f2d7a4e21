"""The floor for a function that talks to AWS: the least a hand-written handler can pay for the same work.

It creates the same boto3 clients at init (one shared session, the same timeouts and retries as
``common/aws.py``) and, per invocation, makes exactly the calls the measured function made, in the same order
and with the same parameters (recorded by the stub). Nothing else: no Powertools, no settings, no logging.
The benchmark passes the services and the calls through two environment variables.
"""

from __future__ import annotations

import json
import os
from typing import Any

import boto3
from botocore.config import Config

_SERVICES = [name for name in os.environ.get("BENCH_FLOOR_SERVICES", "").split(",") if name]
_CALLS_FILE = os.environ.get("BENCH_FLOOR_CALLS", "")
_CALLS: list[tuple[str, str, dict[str, Any]]] = []
if _CALLS_FILE:
    with open(_CALLS_FILE, encoding="utf-8") as calls_file:
        _CALLS = [(service, method, params) for service, method, params in json.load(calls_file)]

_session = boto3.session.Session()
_config = Config(
    connect_timeout=0.5,
    read_timeout=1.5,
    retries={"total_max_attempts": 2, "mode": "standard"},
    tcp_keepalive=True,
)
_clients = {service: _session.client(service, config=_config) for service in _SERVICES}  # type: ignore[call-overload]


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Make the recorded calls and return the event."""
    for service, method, params in _CALLS:
        getattr(_clients[service], method)(**params)
    return event
