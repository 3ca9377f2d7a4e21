"""The one place that owns the Logger, Metrics and Tracer instances, and the PII rules for logs.

Every function imports ``logger``/``metrics``/``tracer`` from here, so service name, namespace and masking are
configured once (through the standard ``POWERTOOLS_*`` environment variables set in ``serverless.yml``). Events
are never logged whole (``POWERTOOLS_LOGGER_LOG_EVENT`` stays off): they carry emails, phone numbers and codes.
A scrubbing filter is a second line of defence for anything that slips into a message by mistake.
"""

from __future__ import annotations

import logging
import re

from aws_lambda_powertools import Logger, Metrics, Tracer

from common.config import environment

__all__ = ["PiiScrubber", "logger", "mask_email", "mask_phone", "metrics", "scrub", "tracer"]

_EMAIL = re.compile(r"([A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]*@([A-Za-z0-9.\-]+\.[A-Za-z]{2,})")
_PHONE = re.compile(r"\+\d{6,15}")
_JWT = re.compile(r"eyJ[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]*")


def mask_email(address: str | None) -> str:
    """``jane.doe@example.com`` → ``j***@example.com``: enough to debug a domain policy, not to identify anyone."""
    if not address or "@" not in address:
        return "***"
    local, _, domain = address.rpartition("@")
    return f"{local[:1]}***@{domain.lower()}"


def mask_phone(number: str | None) -> str:
    """``+821012345678`` → ``+82******78``."""
    if not number or len(number) < 6:
        return "***"
    return f"{number[:3]}{'*' * (len(number) - 5)}{number[-2:]}"


def scrub(text: str) -> str:
    """Mask every email address, E.164 phone number and JWT in free text."""
    text = _JWT.sub("[token]", text)
    text = _EMAIL.sub(lambda m: f"{m.group(1)}***@{m.group(2).lower()}", text)
    return _PHONE.sub(lambda m: mask_phone(m.group(0)), text)


class PiiScrubber(logging.Filter):
    """A logging filter that scrubs string messages and string arguments before they are formatted."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = scrub(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(scrub(a) if isinstance(a, str) else a for a in record.args)
        return True


logger = Logger(log_uncaught_exceptions=False)
logger.addFilter(PiiScrubber())
metrics = Metrics(namespace=environment().text("POWERTOOLS_METRICS_NAMESPACE", "CognitoUsers"))
tracer: Tracer  # created lazily by __getattr__ below
TRACED_MODULES = ("botocore",)


def __getattr__(name: str) -> Tracer:
    """``tracer`` is built on first import of the name: constructing a Tracer imports the X-Ray SDK and botocore's
    session machinery, which a function making no AWS call (custom message) must not pay.

    Only botocore is patched: without ``patch_modules`` the Tracer calls the SDK's ``patch_all``, which imports
    ``requests`` (and its charset, cookie and urllib machinery) plus a dozen database patchers just to find them
    missing, ~20 ms of cold start for libraries no function here uses. botocore covers every boto3 client."""
    if name == "tracer":
        instance = Tracer(patch_modules=TRACED_MODULES)
        globals()["tracer"] = instance
        return instance
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
