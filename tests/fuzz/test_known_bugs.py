"""Minimal reproductions of bugs the fuzzers found in code this suite does not own.

Each is ``xfail(strict=True)``: main stays green, the bug stays visible, and the day it is fixed the test
XPASSes (fails strictly) so the mark is removed and the property test stops skipping that input
(``test_trigger_fuzz.known_bug``).
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


@pytest.mark.xfail(
    strict=True,
    raises=TypeError,
    reason="common/trigger.py wrapper: `source not in sources` raises TypeError (unhashable type: 'list') for a "
    "list/dict triggerSource, outside the try that masks errors; expected UserFacingError UNSUPPORTED_REQUEST",
)
@pytest.mark.parametrize("source", [["PreSignUp_SignUp"], {"a": 1}])
def test_unhashable_trigger_source_is_refused(source: Any) -> None:
    event = load_event("custom-message.sign-up")
    event["triggerSource"] = source
    assert _refusal("custom_message", event).code == "UNSUPPORTED_REQUEST"


@pytest.mark.xfail(
    strict=True,
    raises=AttributeError,
    reason="common/trigger.py event_language passes a non-string clientMetadata.locale / userAttributes.locale to "
    "common/i18n.py negotiate_language, whose candidate.strip() raises AttributeError before the error mask; "
    "expected the event answered (language falls back to English)",
)
@pytest.mark.parametrize("holder", ["clientMetadata", "userAttributes"])
@pytest.mark.parametrize("locale", [True, 7, ["ko"], {"x": "ko"}])
def test_non_string_locale_falls_back_to_english(holder: str, locale: Any) -> None:
    event = load_event("custom-message.sign-up")
    event["request"].pop("clientMetadata", None)  # it comes first: the attribute would never be read
    event["request"].setdefault(holder, {})["locale"] = locale
    result = importlib.import_module("triggers.custom_message").handler(event, FakeLambdaContext())
    assert result is event
    assert event["response"]["emailSubject"] is not None
