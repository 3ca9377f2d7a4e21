"""SignupSettings: defaults are the safe ones, every variable is parsed, bad values fail with a clear message."""

from __future__ import annotations

from types import MappingProxyType

import pytest

from common.config import Environment
from common.errors import ConfigurationError
from common.signup.settings import SignupSettings


def settings(**values: str) -> SignupSettings:
    return SignupSettings.from_env(Environment(values))


def test_defaults_are_conservative() -> None:
    assert settings() == SignupSettings(
        claims_table_name=None,
        lowercase_local_part=True,
        fold_plus_domains=frozenset(),
        fold_dots_domains=frozenset(),
        domain_aliases=MappingProxyType({}),
        allowed_domains=frozenset(),
        denied_domains=frozenset(),
        block_disposable=True,
        auto_confirm_domains=frozenset(),
        auto_verify_admin_created=False,
        server_owned_attributes=frozenset(),
        allowed_custom_attributes=frozenset(),
        reveal_existing_accounts=False,
        unconfirmed_claim_seconds=172_800,
        verify_stale_claims=True,
        link_providers=(),
    )


def test_every_variable_is_read() -> None:
    parsed = settings(
        EMAIL_CLAIMS_TABLE_NAME="claims",
        SIGNUP_LOWERCASE_LOCAL_PART="false",
        SIGNUP_FOLD_PLUS_DOMAINS="*",
        SIGNUP_FOLD_DOTS_DOMAINS="Gmail.com, googlemail.com.",
        SIGNUP_DOMAIN_ALIASES="googlemail.com=gmail.com",
        SIGNUP_ALLOWED_DOMAINS="@Example.com,corp.example.org",
        SIGNUP_DENIED_DOMAINS="bad.example",
        SIGNUP_BLOCK_DISPOSABLE="no",
        SIGNUP_AUTO_CONFIRM_DOMAINS="corp.example.org",
        SIGNUP_AUTO_VERIFY_ADMIN_CREATED="yes",
        SIGNUP_SERVER_OWNED_ATTRIBUTES="custom:plan,custom:credits",
        SIGNUP_ALLOWED_CUSTOM_ATTRIBUTES="custom:newsletter",
        SIGNUP_REVEAL_EXISTING_ACCOUNTS="true",
        SIGNUP_UNCONFIRMED_CLAIM_SECONDS="3600",
        SIGNUP_VERIFY_STALE_CLAIMS="off",
        SIGNUP_LINK_PROVIDERS="Google, SignInWithApple",
    )
    assert parsed == SignupSettings(
        claims_table_name="claims",
        lowercase_local_part=False,
        fold_plus_domains=frozenset({"*"}),
        fold_dots_domains=frozenset({"gmail.com", "googlemail.com"}),
        domain_aliases=MappingProxyType({"googlemail.com": "gmail.com"}),
        allowed_domains=frozenset({"example.com", "corp.example.org"}),
        denied_domains=frozenset({"bad.example"}),
        block_disposable=False,
        auto_confirm_domains=frozenset({"corp.example.org"}),
        auto_verify_admin_created=True,
        server_owned_attributes=frozenset({"custom:plan", "custom:credits"}),
        allowed_custom_attributes=frozenset({"custom:newsletter"}),
        reveal_existing_accounts=True,
        unconfirmed_claim_seconds=3600,
        verify_stale_claims=False,
        link_providers=("Google", "SignInWithApple"),
    )
    assert parsed.require_claims_table() == "claims"


def test_settings_are_immutable() -> None:
    parsed = settings(SIGNUP_DOMAIN_ALIASES="googlemail.com=gmail.com")
    with pytest.raises(AttributeError):
        parsed.block_disposable = False  # type: ignore[misc]
    with pytest.raises(TypeError):
        parsed.domain_aliases["x.com"] = "y.com"  # type: ignore[index]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"SIGNUP_ALLOWED_DOMAINS": "not a domain"},
            "SIGNUP_ALLOWED_DOMAINS has an invalid domain name: 'not a domain'",
        ),
        ({"SIGNUP_DENIED_DOMAINS": "x@y.com"}, "SIGNUP_DENIED_DOMAINS has an invalid domain name: 'x@y.com'"),
        ({"SIGNUP_ALLOWED_DOMAINS": "*"}, "SIGNUP_ALLOWED_DOMAINS has an invalid domain name: '*'"),
        ({"SIGNUP_FOLD_PLUS_DOMAINS": "-bad.com"}, "SIGNUP_FOLD_PLUS_DOMAINS has an invalid domain name: '-bad.com'"),
        (
            {"SIGNUP_ALLOWED_DOMAINS": "a.com,b.com", "SIGNUP_DENIED_DOMAINS": "b.com"},
            "SIGNUP_ALLOWED_DOMAINS and SIGNUP_DENIED_DOMAINS both list: b.com",
        ),
        (
            {"SIGNUP_AUTO_CONFIRM_DOMAINS": "b.com", "SIGNUP_DENIED_DOMAINS": "b.com"},
            "SIGNUP_AUTO_CONFIRM_DOMAINS lists denied domains: b.com",
        ),
        (
            {"SIGNUP_DOMAIN_ALIASES": "googlemail.com"},
            "SIGNUP_DOMAIN_ALIASES entries must look like alias.com=target.com",
        ),
        ({"SIGNUP_DOMAIN_ALIASES": "a.com=a.com"}, "SIGNUP_DOMAIN_ALIASES entries must look like alias.com=target.com"),
        (
            {"SIGNUP_ALLOWED_CUSTOM_ATTRIBUTES": "plan"},
            "SIGNUP_ALLOWED_CUSTOM_ATTRIBUTES entries must be custom:<name>",
        ),
        (
            {"SIGNUP_ALLOWED_CUSTOM_ATTRIBUTES": "custom:Role"},
            "SIGNUP_ALLOWED_CUSTOM_ATTRIBUTES cannot allow the privileged attribute custom:Role",
        ),
        (
            {"SIGNUP_ALLOWED_CUSTOM_ATTRIBUTES": "custom:plan", "SIGNUP_SERVER_OWNED_ATTRIBUTES": "custom:plan"},
            "SIGNUP_ALLOWED_CUSTOM_ATTRIBUTES and SIGNUP_SERVER_OWNED_ATTRIBUTES both list: custom:plan",
        ),
        ({"SIGNUP_BLOCK_DISPOSABLE": "maybe"}, "SIGNUP_BLOCK_DISPOSABLE must be true or false, not 'maybe'"),
        ({"SIGNUP_UNCONFIRMED_CLAIM_SECONDS": "0"}, "SIGNUP_UNCONFIRMED_CLAIM_SECONDS must be within [1, 31622400]"),
        ({"SIGNUP_UNCONFIRMED_CLAIM_SECONDS": "2d"}, "SIGNUP_UNCONFIRMED_CLAIM_SECONDS must be an integer, not '2d'"),
        ({"SIGNUP_LINK_PROVIDERS": "_Google"}, "SIGNUP_LINK_PROVIDERS has an invalid provider name: '_Google'"),
    ],
)
def test_invalid_values_fail_with_the_variable_named(values: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        settings(**values)
    assert message in str(caught.value)


def test_the_claims_table_is_required_only_by_those_who_ask() -> None:
    with pytest.raises(ConfigurationError, match="EMAIL_CLAIMS_TABLE_NAME is required"):
        settings().require_claims_table()


def test_reads_the_process_environment_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIGNUP_DENIED_DOMAINS", "spam.example")
    assert SignupSettings.from_env().denied_domains == frozenset({"spam.example"})
