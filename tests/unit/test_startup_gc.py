"""The cold-start GC pause (common/startup_gc.py): only in Lambda, only once, always resumed and frozen."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from common import startup_gc
from common.errors import UserFacingError
from common.trigger import cognito_trigger

ROOT = Path(__file__).resolve().parents[2]
IN_LAMBDA = {"LAMBDA_TASK_ROOT": "/var/task"}


@pytest.fixture(autouse=True)
def restore_collector() -> Iterator[None]:
    """Each test starts and ends with the collector on, nothing frozen and the module's state clear."""
    startup_gc._state["paused"] = False
    yield
    startup_gc._state["paused"] = False
    gc.unfreeze()
    gc.enable()


def test_outside_lambda_nothing_is_paused() -> None:
    assert startup_gc.pause_during_init({}) is False
    assert gc.isenabled() and not startup_gc.is_paused()


def test_in_lambda_init_pauses_the_collector_until_the_first_invocation_ends() -> None:
    assert startup_gc.pause_during_init(IN_LAMBDA) is True
    assert not gc.isenabled() and startup_gc.is_paused()
    assert gc.get_freeze_count() == 0

    startup_gc.resume_after_first_invocation()

    assert gc.isenabled() and not startup_gc.is_paused()
    assert gc.get_freeze_count() > 0  # what init built now lives in the permanent generation


def test_pausing_twice_is_one_pause_and_resuming_twice_is_harmless() -> None:
    assert startup_gc.pause_during_init(IN_LAMBDA) is True
    assert startup_gc.pause_during_init(IN_LAMBDA) is False
    startup_gc.resume_after_first_invocation()
    frozen = gc.get_freeze_count()
    startup_gc.resume_after_first_invocation()
    assert gc.isenabled() and gc.get_freeze_count() == frozen


def test_a_collector_someone_else_disabled_is_left_alone() -> None:
    gc.disable()
    assert startup_gc.pause_during_init(IN_LAMBDA) is False
    startup_gc.resume_after_first_invocation()
    assert not gc.isenabled() and gc.get_freeze_count() == 0


@cognito_trigger("PreSignUp", frozenset({"PreSignUp_SignUp"}))
def _failing_handler(event: dict[str, object], context: object) -> dict[str, object]:
    raise RuntimeError("boom")


def test_the_trigger_wrapper_resumes_even_when_the_first_invocation_fails() -> None:
    startup_gc.pause_during_init(IN_LAMBDA)
    event = {"triggerSource": "PreSignUp_SignUp", "request": {"userAttributes": {}}, "response": {}}
    with pytest.raises(UserFacingError):
        _failing_handler(event, None)
    assert gc.isenabled() and not startup_gc.is_paused()


def test_the_trigger_wrapper_resumes_when_it_refuses_the_event() -> None:
    startup_gc.pause_during_init(IN_LAMBDA)
    with pytest.raises(UserFacingError):
        _failing_handler({"triggerSource": "CustomMessage_SignUp", "request": {}}, None)
    assert gc.isenabled()


_LIFECYCLE = """
import gc, json, os, sys
sys.path.insert(0, {root!r})
from tests.lambda_context import FakeLambdaContext
{setup}
import {module} as module
paused_after_import = not gc.isenabled()
module.handler({event}, FakeLambdaContext())
print(json.dumps([paused_after_import, gc.isenabled(), gc.get_freeze_count() > 0]))
"""
_API_SETUP = "from tests.handlers.api_helpers import API_ENV, http_event; os.environ.update(API_ENV)"


@pytest.mark.parametrize(
    ("module", "setup", "event"),
    [
        ("triggers.custom_message", "", 'json.load(open("events/custom-message.sign-up.json"))'),
        ("api.app", _API_SETUP, 'http_event("GET", "/nowhere")'),
    ],
)
def test_a_lambda_cold_start_imports_paused_and_answers_resumed(module: str, setup: str, event: str) -> None:
    env = {**os.environ, "LAMBDA_TASK_ROOT": str(ROOT), "POWERTOOLS_TRACE_DISABLED": "true"}
    code = _LIFECYCLE.format(root=str(ROOT), setup=setup, module=module, event=event)
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [True, True, True]
