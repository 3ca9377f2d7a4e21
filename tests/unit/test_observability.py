from __future__ import annotations

import logging

import pytest

from common.observability import PiiScrubber, logger, mask_email, mask_phone, scrub


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("jane.doe@Example.COM", "j***@example.com"),
        ("x@y.kr", "x***@y.kr"),
        ("", "***"),
        (None, "***"),
        ("nope", "***"),
    ],
)
def test_mask_email(address: str | None, masked: str) -> None:
    assert mask_email(address) == masked


def test_mask_phone() -> None:
    assert mask_phone("+821012345678") == "+82********78"
    assert mask_phone("123") == "***"


def test_scrub_masks_emails_phones_and_tokens() -> None:
    token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXBhcnQ"
    text = f"user jane.doe@example.com phone +821012345678 token {token}"
    assert scrub(text) == "user j***@example.com phone +82********78 token [token]"


def test_scrubber_filter_masks_messages_and_arguments() -> None:
    record = logging.LogRecord("t", logging.INFO, __file__, 1, "sent to %s", ("minsu@example.co.kr",), None)
    assert PiiScrubber().filter(record) is True
    assert record.getMessage() == "sent to m***@example.co.kr"


def test_logger_output_never_contains_a_raw_email(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        logger.info("signed up jane.doe@example.com")
    assert caplog.records[-1].getMessage() == "signed up j***@example.com"
    assert "jane.doe" not in caplog.text
