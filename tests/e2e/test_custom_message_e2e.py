"""Custom messages through the local stack: real boto3 calls, the real handler, the delivered email."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

PASSWORD = "Correct-Horse-9-Battery"


def sign_up(stack: Any, email: str, name: str, locale: str, **extra: Any) -> str:
    response = stack.cognito().sign_up(
        ClientId=stack.client_id,
        Username=email,
        Password=PASSWORD,
        SecretHash=stack.secret_hash(email),
        UserAttributes=[{"Name": "name", "Value": name}, {"Name": "locale", "Value": locale}],
        **extra,
    )
    sub: str = response["UserSub"]
    return sub


def paragraphs(body: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", p) for p in re.findall(r"<p\b[^>]*>(.*?)</p>", body, re.DOTALL)]


def test_a_user_with_locale_ko_gets_the_korean_email(local_stack: Any, unique_email: str) -> None:
    sign_up(local_stack, unique_email, "김민수", "ko")

    [message] = local_stack.outbox.messages(unique_email)
    code = message["code"]
    assert message["trigger_source"] == "CustomMessage_SignUp"
    assert message["subject"] == "[Cognito Users] 이메일 인증 코드"
    assert '<html lang="ko">' in message["body"]
    assert paragraphs(message["body"]) == [
        "김민수님, 안녕하세요.",
        "Cognito Users에 가입해 주셔서 감사합니다. 아래 인증 코드를 입력하면 이메일 인증과 가입이 완료됩니다.",
        "인증 코드",
        code,  # Cognito put the real code where the handler left {####}
        "이 코드는 24시간 동안 유효합니다.",
        "Cognito Users에 가입한 적이 없다면 이 메일을 무시하셔도 됩니다.",
        "이 메일은 Cognito Users에서 자동으로 발송된 발신 전용 메일입니다.",
    ]
    assert "{####}" not in message["body"]


def test_the_korean_code_confirms_the_sign_up_and_the_reset_email_is_korean(
    local_stack: Any, unique_email: str
) -> None:
    cognito = local_stack.cognito()
    sign_up(local_stack, unique_email, "김민수", "ko")
    cognito.confirm_sign_up(
        ClientId=local_stack.client_id,
        Username=unique_email,
        ConfirmationCode=local_stack.outbox.latest_code(unique_email),
        SecretHash=local_stack.secret_hash(unique_email),
    )
    cognito.forgot_password(
        ClientId=local_stack.client_id, Username=unique_email, SecretHash=local_stack.secret_hash(unique_email)
    )

    reset = local_stack.outbox.messages(unique_email)[-1]
    assert reset["trigger_source"] == "CustomMessage_ForgotPassword"
    assert reset["subject"] == "[Cognito Users] 비밀번호 재설정 코드"
    assert "이 코드는 1시간 동안 유효합니다." in paragraphs(reset["body"])
    assert reset["code"] in paragraphs(reset["body"])


@pytest.mark.parametrize(
    ("locale", "metadata", "subject"),
    [
        ("en", {"locale": "ko-KR"}, "[Cognito Users] 이메일 인증 코드"),  # the front end's choice wins
        ("fr", None, "Your Cognito Users verification code"),  # unsupported: English
    ],
)
def test_language_choice_end_to_end(
    local_stack: Any, unique_email: str, locale: str, metadata: dict[str, str] | None, subject: str
) -> None:
    extra = {"ClientMetadata": metadata} if metadata else {}
    sign_up(local_stack, unique_email, "Jane Doe", locale, **extra)
    [message] = local_stack.outbox.messages(unique_email)
    assert message["subject"] == subject


def test_a_script_in_the_name_arrives_escaped(local_stack: Any, unique_email: str) -> None:
    sign_up(local_stack, unique_email, "<script>alert(1)</script>", "en")
    [message] = local_stack.outbox.messages(unique_email)
    assert "Hello &lt;script&gt;alert(1)&lt;/script&gt;," in message["body"]
    assert "<script" not in message["body"]


def test_a_korean_invitation_shows_the_username_and_temporary_password(local_stack: Any, unique_email: str) -> None:
    local_stack.cognito().admin_create_user(
        UserPoolId=local_stack.pool_id,
        Username=unique_email,
        TemporaryPassword="Temporary-Pass-1!",
        UserAttributes=[{"Name": "name", "Value": "김민수"}, {"Name": "locale", "Value": "ko"}],
    )
    [message] = local_stack.outbox.messages(unique_email)
    assert message["trigger_source"] == "CustomMessage_AdminCreateUser"
    assert message["subject"] == "[Cognito Users] 계정이 준비되었습니다"
    shown = paragraphs(message["body"])
    assert shown[:2] == [
        "김민수님, 안녕하세요.",
        "회원님의 계정이 생성되었습니다. 아래 사용자 이름과 임시 비밀번호로 로그인한 뒤 새 비밀번호를 설정해 주세요.",
    ]
    assert shown[2:6] == ["사용자 이름", unique_email, "임시 비밀번호", "Temporary-Pass-1!"]
    assert "{username}" not in message["body"] and "{####}" not in message["body"]
