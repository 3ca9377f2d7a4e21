from __future__ import annotations

import pytest

from common.errors import UserFacingError, parse_trigger_error


def test_user_facing_error_wire_form() -> None:
    error = UserFacingError("EMAIL_INVALID", "Enter a valid email address.")
    assert str(error) == "Enter a valid email address. [EMAIL_INVALID]"
    assert (error.code, error.message) == ("EMAIL_INVALID", "Enter a valid email address.")


@pytest.mark.parametrize("code", ["lower", "X", "HAS SPACE", "A" * 65])
def test_codes_are_stable_identifiers(code: str) -> None:
    with pytest.raises(ValueError, match="error code must match"):
        UserFacingError(code, "text")


def test_parse_korean_message_without_prefix() -> None:
    parsed = parse_trigger_error("사용할 수 없는 이메일 주소입니다. [EMAIL_NOT_ALLOWED]")
    assert parsed is not None
    assert (parsed.trigger, parsed.code, parsed.message) == (
        None,
        "EMAIL_NOT_ALLOWED",
        "사용할 수 없는 이메일 주소입니다.",
    )


def test_parse_rejects_untagged_text() -> None:
    assert parse_trigger_error("PostConfirmation failed with error Unhandled.") is None
