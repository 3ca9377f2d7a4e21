"""Logs carry no personal data: every log line the functions write, in-process, across their normal paths, their
refusals and their failures (AWS faults make them log errors and tracebacks), holds no email address, phone number,
password, code or token. The end-to-end twin (tests/e2e/test_logs_no_pii_e2e.py) reads the local stack's logs.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from moto import mock_aws

from tests.events import event_names, load_event
from tests.faults.aws_stack import FakeStack, build_stack
from tests.faults.injector import install
from tests.faults.pii import captured_logs, find_pii
from tests.faults.scenarios import EMAIL, SCENARIOS, World, answer
from tests.lambda_context import FakeLambdaContext

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning")

PHONE = "+821012345678"
SECRETS = [EMAIL, "jane.doe", PHONE, "Correct-Horse-9!", "246810"]


@pytest.fixture(scope="module")
def fake_aws() -> Iterator[FakeStack]:
    with mock_aws():
        yield build_stack()


def test_trigger_flows_clean_and_failing_log_no_pii(
    fake_aws: FakeStack, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    with captured_logs() as lines:
        for scenario in SCENARIOS:
            for fault in (None, "internal_error_500", "lost_response"):
                for operation in sorted(set(scenario.operations)) if fault else [""]:
                    with pytest.MonkeyPatch.context() as patch:
                        world = World(patch, tmp_path, fake_aws)
                        scenario.prepare(world)
                        injector = install(patch)
                        if fault:
                            injector.arm(operation, fault)
                        scenario.attempt(world)
                        injector.heal()
                        world.quiesce()
    assert any('"level":"ERROR"' in line for line in lines), "the failures were not logged at all"
    assert find_pii(lines, SECRETS) == []


def _with_pii(event: dict[str, Any]) -> dict[str, Any]:
    event = copy.deepcopy(event)
    attributes = event["request"].setdefault("userAttributes", {})
    attributes["email"] = EMAIL
    attributes["phone_number"] = PHONE
    return event


def test_every_sample_event_and_its_refusals_log_no_pii(
    fake_aws: FakeStack, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    world = World(monkeypatch, tmp_path, fake_aws)
    modules = {
        "pre-signup": "pre_signup",
        "post-confirmation": "post_confirmation",
        "pre-token-generation": "pre_token_generation",
        "custom-message": "custom_message",
    }
    with captured_logs() as lines:
        for prefix, module in modules.items():
            for name in event_names(prefix):
                event = _with_pii(load_event(name))
                event["userPoolId"] = fake_aws.pool_id
                answer(lambda event=event, module=module: world.invoke(module, event))
                # The same event refused: an attribute nobody may set, a disposable domain, a bad address.
                for attribute, value in (
                    ("custom:role", "admin"),
                    ("email", "jane@mailinator.com"),
                    ("email", "jane@"),
                ):
                    refused = copy.deepcopy(event)
                    refused["request"]["userAttributes"][attribute] = value
                    answer(lambda refused=refused, module=module: world.invoke(module, refused))
        world.quiesce()
    assert lines, "nothing was logged: the capture is broken"
    assert find_pii(lines, [*SECRETS, "jane@mailinator.com"]) == []


def test_the_capture_sees_what_a_careless_log_line_would_leak() -> None:
    """The net itself: a line with an email, a phone number or a token is caught; masked forms are not."""
    from common.observability import logger, mask_email, mask_phone  # noqa: PLC0415

    with captured_logs() as lines:
        logger.info(
            "careless", extra={"email": EMAIL, "phone": PHONE, "token": "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln"}
        )
        logger.info("careful", extra={"email": mask_email(EMAIL), "phone": mask_phone(PHONE)})
    careless, careful = lines
    assert len(find_pii([careless])) == 3
    assert find_pii([careless], [EMAIL]) != []
    assert find_pii([careful], SECRETS) == []
    assert FakeLambdaContext  # the handlers above run with the test context
