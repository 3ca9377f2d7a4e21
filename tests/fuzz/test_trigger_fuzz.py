"""Property: whatever event reaches a trigger, it answers with the same event (changed only under ``response``)
or a user-safe :class:`UserFacingError`; never another exception, a leak of internals, or a hang.

The handlers run against an in-process AWS (moto) built from the packaged template, so examples that pass the
shape checks go all the way through the business rules and the DynamoDB/Cognito calls. The default tier is
derandomized (the same examples every run, < 60 s for the four triggers); the ``slow`` tier explores further.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import hypothesis
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from moto import mock_aws

from common import cognito_events
from common.errors import UserFacingError
from tests.faults.aws_stack import FakeStack, build_stack, load_handler
from tests.fuzz.bounded import bounded
from tests.fuzz.safety import assert_honours_contract, assert_user_safe, without_response
from tests.fuzz.strategies import attribute_events, mutated_events, whole_events
from tests.lambda_context import FakeLambdaContext

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning")

Handler = Callable[[Any, Any], Any]

TRIGGERS = {
    "pre_signup": ("pre-signup", cognito_events.PRE_SIGN_UP_SOURCES),
    "post_confirmation": ("post-confirmation", cognito_events.POST_CONFIRMATION_SOURCES),
    "pre_token_generation": ("pre-token-generation", cognito_events.PRE_TOKEN_GENERATION_SOURCES),
    "custom_message": ("custom-message", cognito_events.CUSTOM_MESSAGE_SOURCES),
}

FAST = settings(
    max_examples=60,
    deadline=2000,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    database=None,
)
SLOW = settings(FAST, max_examples=1500, derandomize=False)


class Fixture:
    def __init__(self, stack: FakeStack, handlers: dict[str, Handler], username: str) -> None:
        self.stack = stack
        self.handlers = handlers
        self.username = username

    def rebase(self, event: Any) -> Any:
        """Point a (possibly mutated) event at the fake pool and its user, where the shape allows it."""
        if isinstance(event, dict):
            if isinstance(event.get("userPoolId"), str):
                event["userPoolId"] = self.stack.pool_id
            if event.get("userName") == "6f5e4d3c-2b1a-4098-8765-43210fedcba9":
                event["userName"] = self.username
        return event


@pytest.fixture(scope="module")
def fuzz() -> Iterator[Fixture]:
    with mock_aws(), pytest.MonkeyPatch.context() as monkeypatch:
        stack = build_stack()
        username = stack.create_user("jane.doe@example.com", groups=("user",))
        handlers = {module: load_handler(module, monkeypatch).handler for module in TRIGGERS}
        yield Fixture(stack, handlers, username)


def invoke_and_check(handler: Handler, event: Any) -> None:
    """The property itself."""
    before = without_response(event)
    try:
        result = bounded(lambda: handler(event, FakeLambdaContext()), seconds=5.0)
    except UserFacingError as error:
        assert_user_safe(error)
        hypothesis.event(f"refused: {error.code}")
        return
    assert_honours_contract(before, event, result)
    hypothesis.event("answered")


def _mutated(module: str) -> st.SearchStrategy[Any]:
    prefix, sources = TRIGGERS[module]
    return mutated_events(prefix, sources)


@pytest.mark.parametrize("module", sorted(TRIGGERS))
def test_mutated_events_end_in_the_event_or_a_user_safe_error(fuzz: Fixture, module: str) -> None:
    @FAST
    @given(event=_mutated(module))
    def prop(event: Any) -> None:
        invoke_and_check(fuzz.handlers[module], fuzz.rebase(event))

    prop()


@pytest.mark.parametrize("module", sorted(TRIGGERS))
def test_hostile_attribute_values_end_in_the_event_or_a_user_safe_error(fuzz: Fixture, module: str) -> None:
    @FAST
    @given(event=attribute_events(TRIGGERS[module][0]))
    def prop(event: Any) -> None:
        invoke_and_check(fuzz.handlers[module], fuzz.rebase(event))

    prop()


@pytest.mark.parametrize("module", sorted(TRIGGERS))
def test_events_that_are_not_objects_are_refused_safely(fuzz: Fixture, module: str) -> None:
    @settings(FAST, max_examples=25)
    @given(event=whole_events())
    def prop(event: Any) -> None:
        if isinstance(event, dict) and event:
            return  # objects are covered above
        with pytest.raises(UserFacingError) as caught:
            bounded(lambda: fuzz.handlers[module](event, FakeLambdaContext()))
        assert caught.value.code == "UNSUPPORTED_REQUEST"
        assert_user_safe(caught.value)

    prop()


@pytest.mark.slow
@pytest.mark.parametrize("module", sorted(TRIGGERS))
def test_mutated_events_deep_search(fuzz: Fixture, module: str) -> None:
    @SLOW
    @given(event=_mutated(module) | attribute_events(TRIGGERS[module][0]))
    def prop(event: Any) -> None:
        invoke_and_check(fuzz.handlers[module], fuzz.rebase(event))

    prop()
