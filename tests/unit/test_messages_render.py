"""Rendering every message in every shipped language, and Cognito's rules on the result."""

from __future__ import annotations

import re

import pytest

from common.cognito_events import CUSTOM_MESSAGE_SOURCES
from common.messages.catalog import ADMIN_CREATE_USER, message_languages
from common.messages.errors import MessageRuleError
from common.messages.render import (
    MAX_NAME_LENGTH,
    MessageContext,
    RenderedMessage,
    check_message,
    render_message,
    validate_language,
)
from common.messages.settings import MAX_URL_LENGTH, MessageSettings
from common.messages.text import has_control_characters

SETTINGS = MessageSettings(app_name="Acme")
SOURCES = sorted(CUSTOM_MESSAGE_SOURCES)
LANGUAGES = ["en", "ko"]

SUBJECTS = {
    ("en", "CustomMessage_SignUp"): "Your Acme verification code",
    ("en", "CustomMessage_ResendCode"): "Your new Acme verification code",
    ("en", "CustomMessage_ForgotPassword"): "Reset your Acme password",
    ("en", "CustomMessage_UpdateUserAttribute"): "Confirm your new Acme email address",
    ("en", "CustomMessage_VerifyUserAttribute"): "Verify your Acme email address",
    ("en", "CustomMessage_Authentication"): "Your Acme sign-in code",
    ("en", "CustomMessage_AdminCreateUser"): "Your Acme account is ready",
    ("ko", "CustomMessage_SignUp"): "[Acme] 이메일 인증 코드",
    ("ko", "CustomMessage_ResendCode"): "[Acme] 새 인증 코드",
    ("ko", "CustomMessage_ForgotPassword"): "[Acme] 비밀번호 재설정 코드",
    ("ko", "CustomMessage_UpdateUserAttribute"): "[Acme] 새 이메일 주소 인증",
    ("ko", "CustomMessage_VerifyUserAttribute"): "[Acme] 이메일 주소 인증 코드",
    ("ko", "CustomMessage_Authentication"): "[Acme] 로그인 인증 코드",
    ("ko", "CustomMessage_AdminCreateUser"): "[Acme] 계정이 준비되었습니다",
}
SMS = {
    ("en", "CustomMessage_SignUp"): "Acme: your verification code is {####}. It expires in 24 hours.",
    ("en", "CustomMessage_ResendCode"): "Acme: your new verification code is {####}. It expires in 24 hours.",
    ("en", "CustomMessage_ForgotPassword"): (
        "Acme: your password reset code is {####}. It expires in 1 hour. Not you? Ignore this message."
    ),
    ("en", "CustomMessage_UpdateUserAttribute"): "Acme: your verification code is {####}. It expires in 24 hours.",
    ("en", "CustomMessage_VerifyUserAttribute"): "Acme: your verification code is {####}. It expires in 24 hours.",
    (
        "en",
        "CustomMessage_Authentication",
    ): "Acme: your sign-in code is {####}. It expires in 3 minutes. Never share it.",
    ("en", "CustomMessage_AdminCreateUser"): (
        "Acme: your username is {username} and your temporary password is {####}. It expires in 7 days."
    ),
    ("ko", "CustomMessage_SignUp"): "[Acme] 인증 코드는 {####}입니다. 24시간 동안 유효합니다.",
    ("ko", "CustomMessage_ResendCode"): "[Acme] 새 인증 코드는 {####}입니다. 24시간 동안 유효합니다.",
    ("ko", "CustomMessage_ForgotPassword"): (
        "[Acme] 비밀번호 재설정 코드는 {####}입니다. 1시간 동안 유효합니다. 요청하지 않으셨다면 무시해 주세요."
    ),
    ("ko", "CustomMessage_UpdateUserAttribute"): "[Acme] 인증 코드는 {####}입니다. 24시간 동안 유효합니다.",
    ("ko", "CustomMessage_VerifyUserAttribute"): "[Acme] 인증 코드는 {####}입니다. 24시간 동안 유효합니다.",
    ("ko", "CustomMessage_Authentication"): (
        "[Acme] 로그인 코드는 {####}입니다. 3분 동안 유효합니다. 다른 사람에게 알려 주지 마세요."
    ),
    (
        "ko",
        "CustomMessage_AdminCreateUser",
    ): "[Acme] 사용자 이름: {username}, 임시 비밀번호: {####} (7일 동안 유효합니다)",
}
GREETINGS = {"en": "Hello {},", "ko": "{}님, 안녕하세요."}
EVERY_MESSAGE = [(language, source) for language in LANGUAGES for source in SOURCES]


def context(source: str, language: str = "en", **overrides: object) -> MessageContext:
    values: dict[str, object] = {
        "source": source,
        "language": language,
        "code_parameter": "{####}",
        "username_parameter": "{username}" if source == ADMIN_CREATE_USER else None,
        "user_name": "6f5e4d3c-2b1a-4098-8765-43210fedcba9",
        "display_name": "Jane Doe",
    }
    values.update(overrides)
    return MessageContext(**values)  # type: ignore[arg-type]


def paragraphs(email: str) -> list[str]:
    """The text of every <p> of an email, in order (markup removed)."""
    return [re.sub(r"<[^>]+>", "", p) for p in re.findall(r"<p\b[^>]*>(.*?)</p>", email, re.DOTALL)]


def test_english_and_korean_ship_and_the_tables_cover_every_message() -> None:
    assert {"en", "ko"} <= message_languages()
    assert set(SUBJECTS) == set(SMS) == set(EVERY_MESSAGE)


@pytest.mark.parametrize(("language", "source"), EVERY_MESSAGE)
def test_subject_and_sms_are_exact(language: str, source: str) -> None:
    message = render_message(context(source, language), SETTINGS)
    assert message.email_subject == SUBJECTS[language, source]
    assert message.sms_message == SMS[language, source]


@pytest.mark.parametrize(("language", "source"), EVERY_MESSAGE)
def test_every_message_keeps_cognitos_placeholders_and_limits(language: str, source: str) -> None:
    message = render_message(context(source, language), SETTINGS)
    assert message.email_message.count("{####}") == 1
    assert "{####}" in message.sms_message
    if source == ADMIN_CREATE_USER:
        assert message.email_message.count("{username}") == 1
        assert "{username}" in message.sms_message
    else:
        assert "{username}" not in message.email_message + message.sms_message
    assert len(message.email_message) < 20_000
    assert len(message.email_subject) <= 140
    assert len(message.sms_message) <= 140
    assert check_message(message, source, "{####}", "{username}") == []


@pytest.mark.parametrize(("language", "source"), EVERY_MESSAGE)
def test_email_is_a_localized_html_document(language: str, source: str) -> None:
    email = render_message(context(source, language), SETTINGS).email_message
    assert email.startswith("<!DOCTYPE html>\n")
    assert f'<html lang="{language}">' in email
    assert f"<title>{SUBJECTS[language, source]}</title>" in email
    assert GREETINGS[language].format("Jane Doe") in paragraphs(email)
    assert "$" not in email  # every variable was filled in


def test_placeholders_come_from_the_event_not_hard_coded() -> None:
    message = render_message(
        context(ADMIN_CREATE_USER, code_parameter="{CODE-1}", username_parameter="{USER-1}"), SETTINGS
    )
    assert "{CODE-1}" in message.email_message and "{CODE-1}" in message.sms_message
    assert "{USER-1}" in message.email_message and "{USER-1}" in message.sms_message
    assert "{####}" not in message.email_message + message.sms_message
    assert "{username}" not in message.email_message + message.sms_message


@pytest.mark.parametrize(("language", "source"), EVERY_MESSAGE)
def test_a_script_in_the_name_is_escaped_in_html_and_absent_from_subject_and_sms(language: str, source: str) -> None:
    message = render_message(context(source, language, display_name="<script>alert(1)</script>"), SETTINGS)
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert GREETINGS[language].format(escaped) in message.email_message
    assert "<script" not in message.email_message
    assert "alert(1)" not in message.email_subject + message.sms_message


@pytest.mark.parametrize(("language", "source"), EVERY_MESSAGE)
def test_control_characters_never_reach_any_channel(language: str, source: str) -> None:
    name = "Jane\r\nBcc: evil@example.com\x1b[2J\u202e\x00"
    message = render_message(context(source, language, display_name=name), SETTINGS)
    assert GREETINGS[language].format("Jane Bcc: evil@example.com [2J") in paragraphs(message.email_message)
    for text in (message.email_subject, message.sms_message):
        assert not has_control_characters(text)
    assert not has_control_characters(message.email_message.replace("\n", ""))


def test_attribute_quotes_and_ampersands_are_escaped() -> None:
    email = render_message(context("CustomMessage_SignUp", display_name="Tom & \"Jerry\" 'O'"), SETTINGS).email_message
    assert "Hello Tom &amp; &quot;Jerry&quot; &#x27;O&#x27;," in email


def test_a_long_name_is_cut_to_keep_the_email_small() -> None:
    email = render_message(context("CustomMessage_SignUp", display_name="가" * 500), SETTINGS).email_message
    assert f"Hello {'가' * (MAX_NAME_LENGTH - 1)}…," in paragraphs(email)


@pytest.mark.parametrize("name", [None, "", " \n\t "])
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_name_means_a_greeting_without_one(language: str, name: str | None) -> None:
    email = render_message(context("CustomMessage_SignUp", language, display_name=name), SETTINGS).email_message
    assert {"en": "Hello,", "ko": "안녕하세요."}[language] in paragraphs(email)


def test_korean_body_reads_naturally() -> None:
    email = render_message(context("CustomMessage_SignUp", "ko", display_name="김민수"), SETTINGS).email_message
    assert paragraphs(email) == [
        "김민수님, 안녕하세요.",
        "Acme에 가입해 주셔서 감사합니다. 아래 인증 코드를 입력하면 이메일 인증과 가입이 완료됩니다.",
        "인증 코드",
        "{####}",
        "이 코드는 24시간 동안 유효합니다.",
        "Acme에 가입한 적이 없다면 이 메일을 무시하셔도 됩니다.",
        "이 메일은 Acme에서 자동으로 발송된 발신 전용 메일입니다.",
    ]
    assert "<h1 " in email and ">이메일 주소를 인증해 주세요</h1>" in email


LINKED = MessageSettings(
    app_name="Acme",
    verification_link_url="https://app.acme.example/confirm",
    password_reset_link_url="https://app.acme.example/reset?from=email",
    sign_in_url="https://app.acme.example/sign-in",
)


@pytest.mark.parametrize(
    ("source", "href", "label"),
    [
        (
            "CustomMessage_SignUp",
            "https://app.acme.example/confirm?code={####}&amp;username=jane%2Bx%40example.com",
            "Confirm my email address",
        ),
        (
            "CustomMessage_ResendCode",
            "https://app.acme.example/confirm?code={####}&amp;username=jane%2Bx%40example.com",
            "Confirm my email address",
        ),
        (
            "CustomMessage_ForgotPassword",
            "https://app.acme.example/reset?from=email&amp;code={####}&amp;username=jane%2Bx%40example.com",
            "Choose a new password",
        ),
        ("CustomMessage_AdminCreateUser", "https://app.acme.example/sign-in", "Sign in"),
    ],
)
def test_configured_links_put_the_code_in_a_front_end_url(source: str, href: str, label: str) -> None:
    email = render_message(context(source, user_name="jane+x@example.com"), LINKED).email_message
    assert re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', email) == [(href, label)]


@pytest.mark.parametrize(
    "source",
    ["CustomMessage_UpdateUserAttribute", "CustomMessage_VerifyUserAttribute", "CustomMessage_Authentication"],
)
def test_sources_without_a_front_end_page_get_no_link(source: str) -> None:
    assert "<a " not in render_message(context(source), LINKED).email_message


@pytest.mark.parametrize("source", SOURCES)
def test_no_link_unless_configured(source: str) -> None:
    assert "<a " not in render_message(context(source), SETTINGS).email_message


def test_the_invitation_link_never_carries_the_temporary_password() -> None:
    email = render_message(context(ADMIN_CREATE_USER), LINKED).email_message
    (href,) = re.findall(r'<a href="([^"]+)"', email)
    assert "{####}" not in href and "{username}" not in href


@pytest.mark.parametrize(("language", "text"), [("en", "Need help? Write to us at help@acme.example."), ("ko", "")])
def test_support_address_is_a_mailto_link_when_configured(language: str, text: str) -> None:
    settings = MessageSettings(app_name="Acme", support_email="help@acme.example")
    email = render_message(context("CustomMessage_SignUp", language), settings).email_message
    assert '<a href="mailto:help@acme.example" style="color:#1f6feb;">help@acme.example</a>' in email
    expected = text or "도움이 필요하시면 언제든지 문의해 주세요: help@acme.example"
    assert expected in paragraphs(email)
    assert "mailto:" not in render_message(context("CustomMessage_SignUp", language), SETTINGS).email_message


@pytest.mark.parametrize(
    ("language", "source", "settings", "expiry"),
    [
        ("en", "CustomMessage_ForgotPassword", MessageSettings(password_reset_code_expiry_hours=2), "2 hours"),
        ("en", "CustomMessage_SignUp", MessageSettings(verification_code_expiry_hours=1), "1 hour"),
        ("en", "CustomMessage_Authentication", MessageSettings(sign_in_code_expiry_minutes=1), "1 minute"),
        ("en", ADMIN_CREATE_USER, MessageSettings(temporary_password_validity_days=1), "1 day"),
        ("en", ADMIN_CREATE_USER, MessageSettings(temporary_password_validity_days=3), "3 days"),
        ("ko", ADMIN_CREATE_USER, MessageSettings(temporary_password_validity_days=3), "3일"),
        ("ko", "CustomMessage_Authentication", MessageSettings(sign_in_code_expiry_minutes=5), "5분"),
    ],
)
def test_expiry_is_worded_per_language_from_the_settings(
    language: str, source: str, settings: MessageSettings, expiry: str
) -> None:
    message = render_message(context(source, language), settings)
    assert expiry in message.sms_message
    assert expiry in message.email_message


def longest_settings() -> MessageSettings:
    url = "https://app.example/" + "x" * (MAX_URL_LENGTH - len("https://app.example/"))
    return MessageSettings(
        app_name="W" * 40,
        support_email="support-" + "x" * 200 + "@example.com",
        verification_link_url=url,
        password_reset_link_url=url,
        sign_in_url=url,
        verification_code_expiry_hours=720,
        password_reset_code_expiry_hours=720,
        sign_in_code_expiry_minutes=60,
        temporary_password_validity_days=365,
    )


@pytest.mark.parametrize(
    "settings",
    [MessageSettings(), SETTINGS, LINKED, longest_settings()],
    ids=["defaults", "acme", "links", "longest-values"],
)
@pytest.mark.parametrize("language", sorted(message_languages()))
def test_every_shipped_language_passes_validation_with_any_valid_settings(
    language: str, settings: MessageSettings
) -> None:
    validate_language(language, settings)  # raises MessageRuleError naming each broken rule


def test_check_message_names_every_broken_rule() -> None:
    broken = RenderedMessage(email_subject="S" * 141, email_message="x" * 20_000, sms_message="line\nbreak")
    assert check_message(broken, ADMIN_CREATE_USER, "{####}", "{username}") == [
        "email lacks {####}",
        "sms lacks {####}",
        "email lacks {username}",
        "sms lacks {username}",
        "email has 20000 characters (limit: under 20000)",
        "subject has 141 characters (limit: 140)",
        "sms is empty or holds control characters",
    ]


def test_an_admin_invitation_without_a_username_parameter_is_refused() -> None:
    with pytest.raises(MessageRuleError) as caught:
        render_message(context(ADMIN_CREATE_USER, username_parameter=None), SETTINGS)
    assert caught.value.problems == ("the AdminCreateUser event has no usernameParameter",)
