"""Rendering one Cognito message (email subject, HTML email, SMS) and checking it against Cognito's rules.

Rules (``shared/docs/cognito-facts.md``): every message keeps the request's ``codeParameter`` verbatim, the
AdminCreateUser invitation its ``usernameParameter`` too, the email body stays under 20,000 characters, subject and
SMS at most 140. A message that breaks them is rejected here (:class:`MessageRuleError`) so the trigger can leave
Cognito's default message in place: a template mistake must never block a sign-up.

``validate_language`` renders every source with worst-case values (longest escaped name and username, the
configured links) and applies the same rules: the test suite runs it for every shipped language, and the trigger
runs it once per language and process before the first message is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from string import Template
from urllib.parse import quote

from common.messages.catalog import (
    ADMIN_CREATE_USER,
    TEMPLATES,
    LanguageTemplates,
    Layout,
    SourceTemplates,
    load_language,
    load_layout,
)
from common.messages.errors import MessageRuleError
from common.messages.settings import MessageSettings
from common.messages.text import escape_html, has_control_characters, plain_text

__all__ = [
    "COGNITO_CODE_PARAMETER",
    "COGNITO_USERNAME_PARAMETER",
    "MAX_EMAIL_LENGTH",
    "MAX_NAME_LENGTH",
    "MAX_SMS_LENGTH",
    "MAX_SUBJECT_LENGTH",
    "MessageContext",
    "RenderedMessage",
    "check_message",
    "front_end_link",
    "render_message",
    "validate_language",
]

MAX_EMAIL_LENGTH = 20_000  # exclusive: "under 20,000 characters"
MAX_SUBJECT_LENGTH = 140
MAX_SMS_LENGTH = 140
MAX_NAME_LENGTH = 64  # a display name longer than this is cut with an ellipsis
# The values Cognito sends today; used only to validate templates ahead of any real event.
COGNITO_CODE_PARAMETER = "{####}"
COGNITO_USERNAME_PARAMETER = "{username}"


@dataclass(frozen=True)
class MessageContext:
    """What one message is about, taken from the Cognito event (see ``common.messages.cognito``)."""

    source: str
    language: str
    code_parameter: str
    username_parameter: str | None = None
    user_name: str = ""  # Cognito's userName, for the front-end link
    display_name: str | None = None  # user-supplied: sanitized and escaped here


@dataclass(frozen=True)
class RenderedMessage:
    """The three response fields of a CustomMessage trigger."""

    email_subject: str
    email_message: str
    sms_message: str


def render_message(context: MessageContext, settings: MessageSettings) -> RenderedMessage:
    """Render and check one message (raises :class:`MessageRuleError` or ``TemplateError``). The language's
    templates are validated with worst-case values first (once per process), so a broken template fails every
    message of its language in the same way instead of only the users with long names."""
    validate_language(context.language, settings)
    message = _render(load_language(context.language), load_layout(), context, settings)
    problems = check_message(message, context.source, context.code_parameter, context.username_parameter)
    if problems:
        raise MessageRuleError(problems)
    return message


def check_message(
    message: RenderedMessage, source: str, code_parameter: str, username_parameter: str | None
) -> list[str]:
    """Every way ``message`` breaks Cognito's rules (an empty list when it is fine)."""
    problems: list[str] = []
    required = [code_parameter]
    if source == ADMIN_CREATE_USER:
        if not username_parameter:
            problems.append("the AdminCreateUser event has no usernameParameter")
        else:
            required.append(username_parameter)
    fields = {"email": message.email_message, "sms": message.sms_message}
    for placeholder in required:
        problems += [f"{field} lacks {placeholder}" for field, text in fields.items() if placeholder not in text]
    if len(message.email_message) >= MAX_EMAIL_LENGTH:
        problems.append(f"email has {len(message.email_message)} characters (limit: under {MAX_EMAIL_LENGTH})")
    for field, text, limit in (
        ("subject", message.email_subject, MAX_SUBJECT_LENGTH),
        ("sms", message.sms_message, MAX_SMS_LENGTH),
    ):
        if len(text) > limit:
            problems.append(f"{field} has {len(text)} characters (limit: {limit})")
        if has_control_characters(text) or not text.strip():
            problems.append(f"{field} is empty or holds control characters")
    return problems


@cache
def validate_language(language: str, settings: MessageSettings, root: Path = TEMPLATES) -> None:
    """Render every source of ``language`` with worst-case values; raise :class:`MessageRuleError` naming every
    broken rule. Cached: a language is validated once per process and settings."""
    templates = load_language(language, root)
    layout = load_layout(root)
    problems: list[str] = []
    for source in sorted(templates.sources):
        context = MessageContext(
            source=source,
            language=language,
            code_parameter=COGNITO_CODE_PARAMETER,
            username_parameter=COGNITO_USERNAME_PARAMETER if source == ADMIN_CREATE_USER else None,
            user_name="%" * 128,  # the longest username, tripled by URL-quoting
            display_name='"' * MAX_NAME_LENGTH,  # the longest name, escaped to six characters each
        )
        message = _render(templates, layout, context, settings)
        found = check_message(message, source, context.code_parameter, context.username_parameter)
        problems += [f"{language} {source}: {problem}" for problem in found]
    if problems:
        raise MessageRuleError(problems)


def _render(
    templates: LanguageTemplates, layout: Layout, context: MessageContext, settings: MessageSettings
) -> RenderedMessage:
    source = templates.sources[context.source]
    expiry = _expiry(templates, context.source, settings)
    plain = {
        "app_name": plain_text(settings.app_name),
        "code": context.code_parameter,
        "expiry": expiry,
        "username": context.username_parameter or "",
    }
    subject = source.subject.substitute(plain)
    name = plain_text(context.display_name or "", MAX_NAME_LENGTH)
    html = {key: escape_html(value) for key, value in plain.items()}
    html["name"] = escape_html(name)
    html["support_email"] = (
        layout.mailto.substitute(address=escape_html(settings.support_email)) if settings.support_email else ""
    )
    email = layout.email.substitute(
        lang=escape_html(templates.language),
        title=escape_html(subject),
        app_name=html["app_name"],
        heading=source.heading.substitute(html),
        greeting=(templates.greeting if name else templates.greeting_anonymous).substitute(html),
        intro=_paragraphs(layout.paragraph, source.intro, html),
        codes=_codes(layout, source, html),
        button=_button(layout, source, context, settings, html),
        notes=_paragraphs(layout.paragraph, source.notes, html),
        support=layout.support.substitute(text=templates.support.substitute(html)) if settings.support_email else "",
        footer=templates.footer.substitute(html),
    )
    return RenderedMessage(email_subject=subject, email_message=email, sms_message=source.sms.substitute(plain))


def _paragraphs(paragraph: Template, texts: tuple[Template, ...], values: dict[str, str]) -> str:
    return "\n".join(paragraph.substitute(text=text.substitute(values)) for text in texts)


def _codes(layout: Layout, source: SourceTemplates, html: dict[str, str]) -> str:
    rows = []
    if source.username_label is not None:
        rows.append(layout.code.substitute(label=source.username_label.substitute(html), value=html["username"]))
    rows.append(layout.code.substitute(label=source.code_label.substitute(html), value=html["code"]))
    return "\n".join(rows)


def _button(
    layout: Layout, source: SourceTemplates, context: MessageContext, settings: MessageSettings, html: dict[str, str]
) -> str:
    url = front_end_link(context, settings)
    if url is None or source.link_label is None:
        return ""
    return layout.button.substitute(url=escape_html(url), label=source.link_label.substitute(html))


def front_end_link(context: MessageContext, settings: MessageSettings) -> str | None:
    """The front-end URL a button points to, or ``None`` when that link is not configured.

    Confirmation and reset links carry the code placeholder (Cognito replaces it in the whole message, links
    included) and the URL-quoted Cognito ``userName``; the invitation links to the sign-in page only, because a
    temporary password must never travel in a URL.
    """
    if context.source == ADMIN_CREATE_USER:
        return settings.sign_in_url
    base = {
        "CustomMessage_SignUp": settings.verification_link_url,
        "CustomMessage_ResendCode": settings.verification_link_url,
        "CustomMessage_ForgotPassword": settings.password_reset_link_url,
    }.get(context.source)
    if base is None:
        return None
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}code={context.code_parameter}&username={quote(context.user_name, safe='')}"


def _expiry(templates: LanguageTemplates, source: str, settings: MessageSettings) -> str:
    unit, amount = {
        "CustomMessage_ForgotPassword": ("hours", settings.password_reset_code_expiry_hours),
        "CustomMessage_Authentication": ("minutes", settings.sign_in_code_expiry_minutes),
        ADMIN_CREATE_USER: ("days", settings.temporary_password_validity_days),
    }.get(source, ("hours", settings.verification_code_expiry_hours))
    form = "one" if amount == 1 else "other"
    return templates.durations[f"{unit}_{form}"].substitute(n=str(amount))
