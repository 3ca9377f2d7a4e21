"""Loading the template files: ``templates/<language>/messages.json`` (words) and ``templates/_layout/*.html``
(markup shared by every language).

Translators touch only words; markup lives in one place. A language exists when its folder holds a
``messages.json``, so adding one is adding a file. Files are read on first use of each language and cached for the
life of the process (a warm invocation never touches the disk), and are checked while loading: every source is
present with its fields, and each field uses only the variables it may use (user-supplied ``$name`` never in a
subject or an SMS, ``$username`` only in the AdminCreateUser invitation).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from string import Template
from typing import Any

from common.cognito_events import CUSTOM_MESSAGE_SOURCES
from common.messages.errors import TemplateError
from common.messages.text import escape_html

__all__ = [
    "ADMIN_CREATE_USER",
    "DURATION_UNITS",
    "LINKED_SOURCES",
    "TEMPLATES",
    "LanguageTemplates",
    "Layout",
    "SourceTemplates",
    "load_language",
    "load_layout",
    "message_languages",
]

TEMPLATES = Path(__file__).with_name("templates")
ADMIN_CREATE_USER = "CustomMessage_AdminCreateUser"
# Sources whose email can carry a button to the front end (see MessageSettings): they need a link_label.
LINKED_SOURCES = frozenset(
    {"CustomMessage_SignUp", "CustomMessage_ResendCode", "CustomMessage_ForgotPassword", ADMIN_CREATE_USER}
)
DURATION_UNITS = ("minutes", "hours", "days")

_PLAIN_VARIABLES = frozenset({"app_name", "code", "expiry"})  # subject and SMS: configuration and placeholders only
_EMAIL_VARIABLES = _PLAIN_VARIABLES | {"name", "support_email"}
_LAYOUT_VARIABLES = {
    "email": {"lang", "title", "app_name", "heading", "greeting", "intro", "codes", "button", "notes", "support"}
    | {"footer"},
    "paragraph": {"text"},
    "code": {"label", "value"},
    "button": {"url", "label"},
    "support": {"text"},
    "mailto": {"address"},
}


@dataclass(frozen=True)
class SourceTemplates:
    """One trigger source in one language. Email fields are stored HTML-escaped, ready for escaped values."""

    subject: Template
    sms: Template
    heading: Template
    intro: tuple[Template, ...]
    code_label: Template
    notes: tuple[Template, ...]
    username_label: Template | None
    link_label: Template | None


@dataclass(frozen=True)
class LanguageTemplates:
    """Every template of one language."""

    language: str
    greeting: Template
    greeting_anonymous: Template
    support: Template
    footer: Template
    durations: Mapping[str, Template]
    sources: Mapping[str, SourceTemplates]


@dataclass(frozen=True)
class Layout:
    """The HTML shared by every language (trusted markup with ``$variables`` for escaped content)."""

    email: Template
    paragraph: Template
    code: Template
    button: Template
    support: Template
    mailto: Template


@cache
def message_languages(root: Path = TEMPLATES) -> frozenset[str]:
    """The languages that ship a ``messages.json`` (``root`` is another template folder in tests)."""
    return frozenset(p.parent.name for p in root.glob("*/messages.json"))


@cache
def load_layout(root: Path = TEMPLATES) -> Layout:
    """The shared HTML partials, each checked for unknown variables."""
    parts: dict[str, Template] = {}
    for name, allowed in _LAYOUT_VARIABLES.items():
        path = root / "_layout" / f"{name}.html"
        try:
            text = path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise TemplateError(f"layout {path.name} cannot be read: {exc}") from exc
        parts[name] = _template(text, allowed, f"_layout/{name}.html")
    return Layout(**parts)


@cache
def load_language(language: str, root: Path = TEMPLATES) -> LanguageTemplates:
    """Every template of ``language``, structurally checked (raises :class:`TemplateError`)."""
    if language not in message_languages(root):
        raise TemplateError(f"no message templates for language {language!r}")
    where = f"{language}/messages.json"
    try:
        data = json.loads((root / language / "messages.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise TemplateError(f"{where} cannot be read: {exc}") from exc
    common = _section(data, "common", where)
    durations = _section(data, "durations", where)
    sources = _section(data, "sources", where)
    unknown = set(sources) - CUSTOM_MESSAGE_SOURCES
    if unknown:
        raise TemplateError(f"{where}: unknown sources {sorted(unknown)}")
    return LanguageTemplates(
        language=language,
        greeting=_email(common, "greeting", _EMAIL_VARIABLES, where),
        greeting_anonymous=_email(common, "greeting_anonymous", _EMAIL_VARIABLES - {"name"}, where),
        support=_email(common, "support", _EMAIL_VARIABLES, where),
        footer=_email(common, "footer", _EMAIL_VARIABLES - {"name"}, where),
        durations={
            f"{unit}_{form}": _template(_text(durations, f"{unit}_{form}", where), {"n"}, f"{where} durations")
            for unit in DURATION_UNITS
            for form in ("one", "other")
        },
        sources={source: _source(sources, source, where) for source in sorted(CUSTOM_MESSAGE_SOURCES)},
    )


def _source(sources: Mapping[str, Any], source: str, where: str) -> SourceTemplates:
    section = _section(sources, source, where)
    where = f"{where} {source}"
    plain = _PLAIN_VARIABLES | ({"username"} if source == ADMIN_CREATE_USER else set())
    email = _EMAIL_VARIABLES | ({"username"} if source == ADMIN_CREATE_USER else set())
    return SourceTemplates(
        subject=_template(_text(section, "subject", where), plain, f"{where}.subject"),
        sms=_template(_text(section, "sms", where), plain, f"{where}.sms"),
        heading=_email(section, "heading", email, where),
        intro=_paragraphs(section, "intro", email, where),
        code_label=_email(section, "code_label", email, where),
        notes=_paragraphs(section, "notes", email, where),
        username_label=_email(section, "username_label", email, where) if source == ADMIN_CREATE_USER else None,
        link_label=_email(section, "link_label", email, where) if source in LINKED_SOURCES else None,
    )


def _section(data: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, Mapping):
        raise TemplateError(f"{where}: {key!r} must be an object")
    return value


def _text(section: Mapping[str, Any], key: str, where: str) -> str:
    value = section.get(key)
    if not isinstance(value, str) or not value.strip():
        raise TemplateError(f"{where}: {key!r} must be a non-empty string")
    return value


def _email(section: Mapping[str, Any], key: str, allowed: frozenset[str] | set[str], where: str) -> Template:
    return _template(escape_html(_text(section, key, where)), allowed, f"{where}.{key}")


def _paragraphs(section: Mapping[str, Any], key: str, allowed: frozenset[str], where: str) -> tuple[Template, ...]:
    value = section.get(key)
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise TemplateError(f"{where}: {key!r} must be a list of non-empty strings")
    return tuple(_template(escape_html(item), allowed, f"{where}.{key}") for item in value)


def _template(text: str, allowed: frozenset[str] | set[str], where: str) -> Template:
    template = Template(text)
    if not template.is_valid():
        raise TemplateError(f"{where}: a '$' not followed by a variable name (write '$$' for a dollar sign)")
    used = set(template.get_identifiers())
    if not used <= allowed:
        raise TemplateError(f"{where}: variables {sorted(used - allowed)} are not allowed here")
    return template
