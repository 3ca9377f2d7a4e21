"""scripts/render-emails: every email of every language written to files a person can open."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from common.messages.preview import SAMPLE_CODE, SAMPLE_USERNAME, main, render_previews
from common.messages.settings import MessageSettings

EXPECTED_FILES = sorted(
    f"{language}/{name}.html"
    for language in ("en", "ko")
    for name in (
        "AdminCreateUser",
        "Authentication",
        "ForgotPassword",
        "ResendCode",
        "SignUp",
        "UpdateUserAttribute",
        "VerifyUserAttribute",
    )
)


def test_writes_every_email_of_every_language_and_an_index(tmp_path: Path) -> None:
    assert main(["--out", str(tmp_path)]) == 0
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.html"))
    assert written == sorted([*EXPECTED_FILES, "index.html"])
    korean = (tmp_path / "ko" / "SignUp.html").read_text(encoding="utf-8")
    assert korean.startswith("<!DOCTYPE html>") and "김민수님, 안녕하세요." in korean
    assert SAMPLE_CODE in korean and "{####}" not in korean
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert sorted(re.findall(r'<a href="([^"]+)"', index)) == EXPECTED_FILES


def test_placeholders_can_be_kept_as_cognito_receives_them() -> None:
    previews = render_previews(MessageSettings(), placeholders=True)
    invitation = next(p for p in previews if p.filename == "en/AdminCreateUser.html")
    assert "{####}" in invitation.message.email_message and "{username}" in invitation.message.email_message
    filled = next(p for p in render_previews(MessageSettings()) if p.filename == "en/AdminCreateUser.html")
    assert SAMPLE_USERNAME in filled.message.sms_message and SAMPLE_CODE in filled.message.sms_message


def test_the_example_in_the_docs_is_what_the_templates_render_today() -> None:
    settings = MessageSettings(
        app_name="Acme",
        support_email="help@acme.example",
        verification_link_url="https://app.acme.example/confirm",
        password_reset_link_url="https://app.acme.example/reset",
        sign_in_url="https://app.acme.example/sign-in",
    )
    example = Path(__file__).resolve().parents[2] / "docs" / "messages" / "example-ko-signup.html"
    rendered = next(p for p in render_previews(settings) if p.filename == "ko/SignUp.html")
    # After a template change: re-run scripts/render-emails with these settings and copy the file (docs/messages.md).
    assert example.read_text(encoding="utf-8") == rendered.message.email_message


def test_the_documented_command_runs(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    completed = subprocess.run(
        [str(root / "scripts" / "render-emails"), "--out", str(tmp_path)],
        env={**os.environ, "APP_NAME": "Acme"},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert completed.stdout == f"wrote 14 emails; open {tmp_path / 'index.html'}\n"
    assert "<title>Your Acme verification code</title>" in (tmp_path / "en" / "SignUp.html").read_text()
