"""Minimal reproductions of bugs the fuzzers found, kept as regression tests now that they are fixed.

Both were in the trigger wrapper, before its error mask: an unhashable ``triggerSource`` raised ``TypeError`` and
a non-string ``locale`` raised ``AttributeError``, so the raw exception text would have reached the user.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from common.errors import UserFacingError
from tests.events import load_event
from tests.fuzz.safety import assert_user_safe
from tests.lambda_context import FakeLambdaContext

pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning")


def _refusal(module: str, event: Any) -> UserFacingError:
    handler = importlib.import_module(f"triggers.{module}").handler
    with pytest.raises(UserFacingError) as caught:
        handler(event, FakeLambdaContext())
    assert_user_safe(caught.value)
    return caught.value


@pytest.mark.parametrize("source", [["PreSignUp_SignUp"], {"a": 1}])
def test_unhashable_trigger_source_is_refused(source: Any) -> None:
    event = load_event("custom-message.sign-up")
    event["triggerSource"] = source
    assert _refusal("custom_message", event).code == "UNSUPPORTED_REQUEST"


@pytest.mark.parametrize("holder", ["clientMetadata", "userAttributes"])
@pytest.mark.parametrize("locale", [True, 7, ["ko"], {"x": "ko"}])
def test_non_string_locale_falls_back_to_english(holder: str, locale: Any) -> None:
    event = load_event("custom-message.sign-up")
    event["request"].pop("clientMetadata", None)  # it comes first: the attribute would never be read
    event["request"].setdefault(holder, {})["locale"] = locale
    result = importlib.import_module("triggers.custom_message").handler(event, FakeLambdaContext())
    assert result is event
    assert event["response"]["emailSubject"] == "Your Cognito Users verification code"
