"""Email addresses: the canonical form that identifies a mailbox, and syntax validation.

``canonical_email`` is pure and cheap (no third-party import): post-confirmation, the profile store and the API
call it on the raw ``email`` attribute to get exactly the key the pre-sign-up gate claimed. ``check_syntax``
delegates to ``email-validator`` (imported lazily: its import compiles large regexes, ~20 ms, which only the
pre-sign-up function should pay, and only on its first sign-up).
"""

from __future__ import annotations

import unicodedata

from common.signup.settings import WILDCARD, SignupSettings

__all__ = ["canonical_email", "check_syntax", "email_domain"]


def _applies(domains: frozenset[str], domain: str) -> bool:
    return WILDCARD in domains or domain in domains


def canonical_email(address: str, settings: SignupSettings) -> str:
    """The form of ``address`` that two sign-ups must not share.

    Trims, NFC-normalizes, lower-cases the domain (and, per setting, the local part), maps domain aliases
    (``googlemail.com`` → ``gmail.com``), drops a ``+tag`` and dots in the local part for the domains configured to
    ignore them. An address without ``@`` is returned trimmed and normalized (validation refuses it separately).
    """
    text = unicodedata.normalize("NFC", address.strip())
    local, at, domain = text.rpartition("@")
    if not at:
        return text
    domain = domain.lower().rstrip(".")
    domain = settings.domain_aliases.get(domain, domain)
    if settings.lowercase_local_part:
        local = local.lower()
    if _applies(settings.fold_plus_domains, domain):
        head, plus, _tag = local.partition("+")
        if plus and head:
            local = head
    if _applies(settings.fold_dots_domains, domain):
        local = local.replace(".", "") or local
    return f"{local}@{domain}"


def email_domain(canonical: str) -> str:
    """The domain part of a canonical address (empty when there is none)."""
    _local, at, domain = canonical.rpartition("@")
    return domain if at else ""


def check_syntax(address: str) -> bool:
    """Whether ``address`` is a syntactically valid, deliverable-looking email address (no DNS lookups).

    Rejects display names, quoted local parts, IP-literal domains and special-use domains, as email-validator
    does by default, and (``strict``) local parts over 64 characters; accepts internationalized addresses.
    """
    from email_validator import EmailNotValidError, validate_email  # noqa: PLC0415  (lazy: module docstring)

    try:
        validate_email(address.strip(), check_deliverability=False, strict=True)
    except EmailNotValidError:
        return False
    return True
