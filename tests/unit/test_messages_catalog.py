"""The template files: discovery of languages, structural checks, and broken templates failing loudly here."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from common.cognito_events import CUSTOM_MESSAGE_SOURCES
from common.messages.catalog import TEMPLATES, load_language, load_layout, message_languages
from common.messages.errors import MessageRuleError, TemplateError
from common.messages.render import validate_language
from common.messages.settings import MessageSettings


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    """A private copy of the shipped templates to break."""
    root = tmp_path / "templates"
    shutil.copytree(TEMPLATES, root)
    return root


def edit(root: Path, language: str, change: Callable[[dict[str, Any]], None]) -> None:
    path = root / language / "messages.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_the_shipped_languages_are_english_and_korean() -> None:
    assert message_languages() == frozenset({"en", "ko"})


@pytest.mark.parametrize("language", sorted(message_languages()))
def test_every_shipped_language_has_every_source(language: str) -> None:
    assert set(load_language(language).sources) == CUSTOM_MESSAGE_SOURCES


def test_adding_a_language_is_adding_a_file(templates: Path) -> None:
    (templates / "ja").mkdir()
    shutil.copy(templates / "en" / "messages.json", templates / "ja" / "messages.json")
    assert message_languages(templates) == frozenset({"en", "ja", "ko"})
    validate_language("ja", MessageSettings(), templates)


def test_a_folder_without_messages_is_not_a_language(templates: Path) -> None:
    (templates / "fr").mkdir()
    assert "fr" not in message_languages(templates)
    with pytest.raises(TemplateError, match="no message templates for language 'fr'"):
        load_language("fr", templates)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["sources"].pop("CustomMessage_Authentication"),
            "'CustomMessage_Authentication' must be an object",
        ),
        (lambda d: d["sources"].update(CustomMessage_Other={}), "unknown sources ['CustomMessage_Other']"),
        (lambda d: d["sources"]["CustomMessage_SignUp"].pop("subject"), "'subject' must be a non-empty string"),
        (lambda d: d["sources"]["CustomMessage_SignUp"].update(intro="text"), "'intro' must be a list"),
        (lambda d: d["sources"]["CustomMessage_SignUp"].pop("link_label"), "'link_label' must be a non-empty string"),
        (
            lambda d: d["sources"]["CustomMessage_AdminCreateUser"].pop("username_label"),
            "'username_label' must be a non-empty string",
        ),
        (lambda d: d["durations"].pop("hours_other"), "'hours_other' must be a non-empty string"),
        (
            lambda d: d["sources"]["CustomMessage_SignUp"].update(sms="Hi $name, code $code"),
            "CustomMessage_SignUp.sms: variables ['name'] are not allowed here",
        ),
        (
            lambda d: d["sources"]["CustomMessage_SignUp"].update(subject="Hi $name"),
            "CustomMessage_SignUp.subject: variables ['name'] are not allowed here",
        ),
        (
            lambda d: d["sources"]["CustomMessage_SignUp"].update(heading="$username"),
            "CustomMessage_SignUp.heading: variables ['username'] are not allowed here",
        ),
        (
            lambda d: d["sources"]["CustomMessage_SignUp"].update(heading="$password"),
            "CustomMessage_SignUp.heading: variables ['password'] are not allowed here",
        ),
        (
            lambda d: d["sources"]["CustomMessage_SignUp"].update(heading="Costs $ 5"),
            "a '$' not followed by a variable name",
        ),
        (lambda d: d["common"].update(footer="Bye $name"), "footer: variables ['name'] are not allowed here"),
    ],
)
def test_a_malformed_template_fails_to_load(
    templates: Path, change: Callable[[dict[str, Any]], None], message: str
) -> None:
    edit(templates, "ko", change)
    with pytest.raises(TemplateError) as caught:
        load_language("ko", templates)
    assert message in str(caught.value)
    assert str(caught.value).startswith("ko/messages.json")


def test_unreadable_json_fails_to_load(templates: Path) -> None:
    (templates / "en" / "messages.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"en/messages.json cannot be read"):
        load_language("en", templates)


def test_a_layout_with_an_unknown_variable_fails_to_load(templates: Path) -> None:
    (templates / "_layout" / "button.html").write_text('<a href="$url" onclick="$script">$label</a>', encoding="utf-8")
    with pytest.raises(TemplateError, match=r"_layout/button.html: variables \['script'\] are not allowed here"):
        load_layout(templates)


def test_a_missing_layout_fails_to_load(templates: Path) -> None:
    (templates / "_layout" / "code.html").unlink()
    with pytest.raises(TemplateError, match=r"layout code\.html cannot be read"):
        load_layout(templates)


@pytest.mark.parametrize(
    ("source", "field", "text", "problem"),
    [
        ("CustomMessage_SignUp", "sms", "$app_name: welcome!", "ko CustomMessage_SignUp: sms lacks {####}"),
        (
            "CustomMessage_AdminCreateUser",
            "sms",
            "[$app_name] 임시 비밀번호: $code",
            "ko CustomMessage_AdminCreateUser: sms lacks {username}",
        ),
        (
            "CustomMessage_ResendCode",
            "subject",
            "[$app_name] " + "가" * 130,
            "ko CustomMessage_ResendCode: subject has 146 characters (limit: 140)",
        ),
        (
            "CustomMessage_Authentication",
            "sms",
            "[$app_name] 코드 $code " + "가" * 120,
            "ko CustomMessage_Authentication: sms has 146 characters (limit: 140)",
        ),
        (
            "CustomMessage_ForgotPassword",
            "notes",
            ["가" * 10_000, "나" * 10_000],
            "ko CustomMessage_ForgotPassword: email has",
        ),
    ],
)
def test_a_template_breaking_cognitos_rules_fails_validation(
    templates: Path, source: str, field: str, text: object, problem: str
) -> None:
    edit(templates, "ko", lambda d: d["sources"][source].update({field: text}))
    with pytest.raises(MessageRuleError) as caught:
        validate_language("ko", MessageSettings(), templates)
    assert len(caught.value.problems) == 1
    assert caught.value.problems[0].startswith(problem)


def test_a_code_hidden_in_the_email_markup_only_is_still_required_in_the_email(templates: Path) -> None:
    (templates / "_layout" / "code.html").write_text("<p>$label</p>", encoding="utf-8")
    with pytest.raises(MessageRuleError) as caught:
        validate_language("en", MessageSettings(), templates)
    assert "en CustomMessage_SignUp: email lacks {####}" in caught.value.problems
    assert "en CustomMessage_AdminCreateUser: email lacks {username}" in caught.value.problems
