"""The event glue: language choice, reading the event, and the fail-safe that leaves Cognito's default."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from common.messages import cognito
from common.messages.cognito import FALLBACK_METRIC, context_from_event, customize_message, message_language
from common.messages.errors import MessageError
from common.messages.render import MessageContext
from common.messages.settings import MessageSettings
from common.observability import logger, metrics
from tests.events import load_event

SETTINGS = MessageSettings(app_name="Acme")


@pytest.fixture(autouse=True)
def clean_metrics() -> Iterator[None]:
    metrics.clear_metrics()
    yield
    metrics.clear_metrics()


def event(name: str = "sign-up", **request: Any) -> dict[str, Any]:
    return load_event(f"custom-message.{name}", **request)


def with_locale(metadata_locale: str | None, attribute_locale: str | None) -> dict[str, Any]:
    sample = event()
    sample["request"].pop("clientMetadata", None)
    sample["request"]["userAttributes"].pop("locale", None)
    if metadata_locale is not None:
        sample["request"]["clientMetadata"] = {"locale": metadata_locale}
    if attribute_locale is not None:
        sample["request"]["userAttributes"]["locale"] = attribute_locale
    return sample


@pytest.mark.parametrize(
    ("metadata_locale", "attribute_locale", "expected"),
    [
        ("ko", None, "ko"),
        ("ko-KR", None, "ko"),
        ("ko_KR", "en", "ko"),
        (None, "ko", "ko"),
        (None, "ko-KR", "ko"),
        ("en", "ko", "en"),  # the front end knows best
        ("fr", "ko", "ko"),  # an unsupported first choice falls through to the next
        ("fr", None, "en"),  # unknown language: English
        (None, "fr-FR", "en"),
        (None, None, "en"),
        ("", "  ", "en"),
    ],
)
def test_language_comes_from_client_metadata_then_the_locale_attribute_then_english(
    metadata_locale: str | None, attribute_locale: str | None, expected: str
) -> None:
    assert message_language(with_locale(metadata_locale, attribute_locale)) == expected


def test_context_is_read_from_the_event() -> None:
    assert context_from_event(event("admin-create-user"), "ko") == MessageContext(
        source="CustomMessage_AdminCreateUser",
        language="ko",
        code_parameter="{####}",
        username_parameter="{username}",
        user_name="6f5e4d3c-2b1a-4098-8765-43210fedcba9",
        display_name="김민수",
    )


@pytest.mark.parametrize(
    ("attributes", "expected"),
    [
        ({"name": "Jane Doe", "given_name": "Jane"}, "Jane Doe"),
        ({"name": "  ", "given_name": "Jane"}, "Jane"),
        ({"preferred_username": "jd"}, "jd"),
        ({"email": "jane@example.com"}, None),  # never greet someone by their email address
    ],
)
def test_display_name_falls_back_through_name_attributes(attributes: dict[str, str], expected: str | None) -> None:
    assert context_from_event(event(userAttributes=attributes), "en").display_name == expected


@pytest.mark.parametrize(
    ("request_changes", "message"),
    [({"codeParameter": None}, "the event has no codeParameter"), ({"codeParameter": ""}, "no codeParameter")],
)
def test_an_event_without_code_parameter_cannot_be_rendered(request_changes: dict[str, Any], message: str) -> None:
    with pytest.raises(MessageError, match=message):
        context_from_event(event(**request_changes), "en")


def test_customize_sets_exactly_the_three_response_fields() -> None:
    sample = event()
    before = copy.deepcopy(sample)
    message = customize_message(sample, SETTINGS)
    assert message is not None
    assert sample["response"] == {
        "emailSubject": "Your Acme verification code",
        "emailMessage": message.email_message,
        "smsMessage": "Acme: your verification code is {####}. It expires in 24 hours.",
    }
    assert {key: value for key, value in sample.items() if key != "response"} == {
        key: value for key, value in before.items() if key != "response"
    }
    assert metrics.metric_set == {}


@pytest.mark.parametrize(
    ("name", "request_changes"),
    [
        ("sign-up", {"codeParameter": None}),
        ("admin-create-user", {"usernameParameter": None}),
        ("sign-up", {"userAttributes": "not a mapping", "codeParameter": 1234}),
    ],
)
def test_a_message_that_cannot_be_rendered_leaves_cognitos_default(
    name: str, request_changes: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    logged: list[tuple[str, dict[str, str]]] = []
    monkeypatch.setattr(logger, "exception", lambda message, extra: logged.append((message, extra)))
    sample = event(name, **request_changes)
    before = copy.deepcopy(sample)
    assert customize_message(sample, SETTINGS) is None
    assert sample == before
    assert metrics.metric_set[FALLBACK_METRIC]["Value"] == [1.0]
    assert logged == [
        (
            "custom message not rendered; Cognito sends its default",
            {"trigger_source": sample["triggerSource"], "language": "ko" if name == "admin-create-user" else "en"},
        )
    ]


def test_even_an_unexpected_error_leaves_cognitos_default(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(context: MessageContext, settings: MessageSettings) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(cognito, "render_message", explode)
    sample = event()
    before = copy.deepcopy(sample)
    assert customize_message(sample, SETTINGS) is None
    assert sample == before
    assert metrics.metric_set[FALLBACK_METRIC]["Value"] == [1.0]
