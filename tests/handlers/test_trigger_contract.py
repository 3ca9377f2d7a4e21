"""The invocation contract every trigger honours: all of its own sources accepted, the event returned whole,
anything else refused with a user-safe message."""

from __future__ import annotations

import importlib

import pytest

from common import cognito_events
from common.errors import UserFacingError, parse_trigger_error
from tests.events import event_names, load_event
from tests.lambda_context import FakeLambdaContext

TRIGGERS = {
    "pre-signup": "triggers.pre_signup",
    "post-confirmation": "triggers.post_confirmation",
    "pre-token-generation": "triggers.pre_token_generation",
    "custom-message": "triggers.custom_message",
}


@pytest.mark.parametrize("prefix", sorted(TRIGGERS))
def test_each_trigger_has_a_sample_event_for_every_source(prefix: str) -> None:

    sources = {
        "pre-signup": cognito_events.PRE_SIGN_UP_SOURCES,
        "post-confirmation": cognito_events.POST_CONFIRMATION_SOURCES,
        "pre-token-generation": cognito_events.PRE_TOKEN_GENERATION_SOURCES,
        "custom-message": cognito_events.CUSTOM_MESSAGE_SOURCES,
    }[prefix]
    covered = {load_event(name)["triggerSource"] for name in event_names(prefix)}
    assert covered == set(sources)


@pytest.mark.parametrize("prefix", sorted(TRIGGERS))
def test_unknown_trigger_source_is_refused_with_a_user_safe_message(prefix: str) -> None:
    handler = importlib.import_module(TRIGGERS[prefix]).handler
    event = load_event(event_names(prefix)[0], clientMetadata={"locale": "en"})
    event["triggerSource"] = "Something_Else"
    with pytest.raises(UserFacingError) as caught:
        handler(event, FakeLambdaContext())
    assert caught.value.code == "UNSUPPORTED_REQUEST"
    assert str(caught.value) == "This request is not supported. [UNSUPPORTED_REQUEST]"


def test_refusal_is_localized_from_client_metadata() -> None:
    handler = importlib.import_module("triggers.custom_message").handler
    event = load_event("custom-message.sign-up", clientMetadata={"locale": "ko-KR"})
    event["triggerSource"] = "CustomMessage_Unknown"
    with pytest.raises(UserFacingError) as caught:
        handler(event, FakeLambdaContext())
    assert caught.value.message == "지원하지 않는 요청입니다."


def test_wire_format_round_trips_through_cognitos_prefix() -> None:
    error = UserFacingError("EMAIL_TAKEN", "This email cannot be used.")
    parsed = parse_trigger_error(f"PreSignUp failed with error {error}.")
    assert parsed is not None
    assert (parsed.trigger, parsed.code, parsed.message) == ("PreSignUp", "EMAIL_TAKEN", "This email cannot be used.")
    assert parse_trigger_error("PreSignUp failed with error Task timed out after 5.00 seconds.") is None
