"""Domain policy: deny-list, allow-list, the bundled disposable list (data, loaded once), subdomain matching."""

from __future__ import annotations

import pytest
from disposable_email_domains import blocklist

from common.config import Environment
from common.signup import domains
from common.signup.domains import DomainVerdict, disposable_domains, domain_verdict, matches
from common.signup.settings import SignupSettings


def settings(**values: str) -> SignupSettings:
    return SignupSettings.from_env(Environment(values))


def test_matches_the_domain_and_its_subdomains_only() -> None:
    listed = frozenset({"example.com"})
    assert matches("example.com", listed)
    assert matches("mail.eu.example.com", listed)
    assert not matches("badexample.com", listed)
    assert not matches("example.com.evil.org", listed)
    assert not matches("example.com", frozenset())


def test_bundled_disposable_list_is_the_data_file() -> None:
    loaded = disposable_domains()
    lines = domains.DISPOSABLE_DOMAINS_FILE.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# Disposable-email domains, generated from disposable-email-domains==0.0.293")
    assert len(loaded) == len(lines) - 2 == 10_181
    assert {"mailinator.com", "guerrillamail.com", "10minutemail.com"} <= loaded
    assert not {"gmail.com", "example.com", "naver.com", "outlook.com"} & loaded
    assert all(d == d.strip().lower() and not d.startswith("#") for d in loaded)


def test_bundled_list_is_read_once() -> None:
    assert disposable_domains() is disposable_domains()


def test_bundled_list_matches_the_pinned_package() -> None:
    assert disposable_domains() == frozenset(d.lower() for d in blocklist)


@pytest.mark.parametrize(
    ("domain", "verdict"),
    [
        ("example.com", DomainVerdict.ALLOWED),
        ("mailinator.com", DomainVerdict.DISPOSABLE),
        ("MAILINATOR.COM.", DomainVerdict.DISPOSABLE),
        ("inbox.mailinator.com", DomainVerdict.DISPOSABLE),
        ("spam.example", DomainVerdict.DENIED),
        ("eu.spam.example", DomainVerdict.DENIED),
    ],
)
def test_default_policy(domain: str, verdict: DomainVerdict) -> None:
    assert domain_verdict(domain, settings(SIGNUP_DENIED_DOMAINS="spam.example")) is verdict


def test_disposable_check_can_be_turned_off() -> None:
    assert domain_verdict("mailinator.com", settings(SIGNUP_BLOCK_DISPOSABLE="false")) is DomainVerdict.ALLOWED


@pytest.mark.parametrize(
    ("domain", "verdict"),
    [
        ("corp.example", DomainVerdict.ALLOWED),
        ("eu.corp.example", DomainVerdict.ALLOWED),
        ("gmail.com", DomainVerdict.NOT_ALLOWED),
        ("mailinator.com", DomainVerdict.ALLOWED),  # explicitly allowed wins over the disposable list
        ("legacy.corp.example", DomainVerdict.DENIED),  # the deny-list wins over the allow-list
    ],
)
def test_allow_list(domain: str, verdict: DomainVerdict) -> None:
    configured = settings(
        SIGNUP_ALLOWED_DOMAINS="corp.example,mailinator.com", SIGNUP_DENIED_DOMAINS="legacy.corp.example"
    )
    assert domain_verdict(domain, configured) is verdict
