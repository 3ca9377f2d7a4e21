"""Claims settings: defaults, parsing, and every configuration that must fail at start-up."""

from __future__ import annotations

import pytest

from common.claims.reserved import RESERVED_CLAIMS, is_reserved
from common.claims.settings import ClaimsSettings
from common.config import environment
from common.errors import ConfigurationError


def settings(**values: str) -> ClaimsSettings:
    return ClaimsSettings.from_env(environment(values))


def test_defaults_need_no_variables() -> None:
    result = settings()
    assert result == ClaimsSettings(
        role_order=("admin", "user"),
        role_claim="role",
        profile_table_name=None,
        profile_timeout_seconds=0.5,
        profile_max_role="user",
        trusted_custom_attributes=frozenset(),
        extra_suppressed_claims=(),
        suppress_self_service_scope=False,
        claims_max_bytes=512,
        role_scopes={"user": ("profile/read", "profile/write"), "admin": ("admin/users",)},
    )
    assert result.default_role == "user"


def test_every_variable_is_read() -> None:
    result = settings(
        ROLE_GROUP_ORDER="owner, admin ,user",
        ROLE_CLAIM_NAME="app_role",
        PROFILE_TABLE_NAME="profiles",
        PROFILE_TIMEOUT_SECONDS="0.25",
        PROFILE_MAX_ROLE="admin",
        TRUSTED_CUSTOM_ATTRIBUTES="custom:plan,custom:tenant",
        CLAIMS_TO_SUPPRESS="legacy_role,tier",
        SUPPRESS_SELF_SERVICE_SCOPE="true",
        CLAIMS_MAX_BYTES="300",
    )
    assert result.role_order == ("owner", "admin", "user")
    assert result.role_claim == "app_role"
    assert result.profile_table_name == "profiles"
    assert result.profile_timeout_seconds == 0.25
    assert result.profile_max_role == "admin"
    assert result.trusted_custom_attributes == frozenset({"custom:plan", "custom:tenant"})
    assert result.extra_suppressed_claims == ("legacy_role", "tier")
    assert result.suppress_self_service_scope is True
    assert result.claims_max_bytes == 300
    assert result.default_role == "user"
    # Roles without a mapping get no scopes of their own; the mapping keeps only configured roles.
    assert dict(result.role_scopes) == {"user": ("profile/read", "profile/write"), "admin": ("admin/users",)}


def test_profile_max_role_defaults_to_the_least_privileged_configured_role() -> None:
    assert settings(ROLE_GROUP_ORDER="admin,editor,viewer").profile_max_role == "viewer"


@pytest.mark.parametrize("name", sorted(RESERVED_CLAIMS))
def test_a_reserved_role_claim_fails_at_start_up(name: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        settings(ROLE_CLAIM_NAME=name)
    assert str(caught.value).startswith(f"ROLE_CLAIM_NAME names the claim {name!r}, which Cognito reserves")


@pytest.mark.parametrize("name", ["iss", "token_use", "cognito:groups", "cognito:preferred_role"])
def test_suppressing_a_reserved_claim_fails_at_start_up(name: str) -> None:
    with pytest.raises(ConfigurationError, match=r"^CLAIMS_TO_SUPPRESS names the claim .* which Cognito reserves"):
        settings(CLAIMS_TO_SUPPRESS=f"tier,{name}")


def test_the_reserved_list_is_the_documented_one() -> None:
    documented = "acr amr aud at_hash auth_time azp cognito:username exp iat identities iss jti nbf nonce origin_jti"
    assert frozenset(f"{documented} sub token_use".split()) == RESERVED_CLAIMS
    assert is_reserved("cognito:groups") is True
    assert is_reserved("role") is False


@pytest.mark.parametrize("name", ["custom:role", "dev:custom:role"])
def test_a_role_claim_named_like_an_attribute_fails(name: str) -> None:
    with pytest.raises(ConfigurationError, match="user-pool attribute name"):
        settings(ROLE_CLAIM_NAME=name)


def test_an_invalid_claim_name_fails() -> None:
    with pytest.raises(ConfigurationError, match="invalid claim name 'my role'"):
        settings(ROLE_CLAIM_NAME="my role")


def test_suppressing_our_own_role_claim_fails() -> None:
    with pytest.raises(ConfigurationError, match="must not name the role claim 'role'"):
        settings(CLAIMS_TO_SUPPRESS="role")


@pytest.mark.parametrize("order", ["Admin,user", "admin,user name", ",,"])
def test_an_invalid_role_order_fails(order: str) -> None:
    with pytest.raises(ConfigurationError, match="ROLE_GROUP_ORDER"):
        settings(ROLE_GROUP_ORDER=order)


def test_profile_max_role_must_be_a_configured_role() -> None:
    with pytest.raises(ConfigurationError, match=r"PROFILE_MAX_ROLE='owner' is not one of ROLE_GROUP_ORDER"):
        settings(PROFILE_MAX_ROLE="owner")


@pytest.mark.parametrize("value", ["0", "2.5"])
def test_profile_timeout_is_bounded(value: str) -> None:
    with pytest.raises(ConfigurationError, match="PROFILE_TIMEOUT_SECONDS"):
        settings(PROFILE_TIMEOUT_SECONDS=value)


@pytest.mark.parametrize("name", ["plan", "custom:", "custom:this-name-is-way-too-long"])
def test_trusted_attributes_must_be_custom_attribute_names(name: str) -> None:
    with pytest.raises(ConfigurationError, match="TRUSTED_CUSTOM_ATTRIBUTES has"):
        settings(TRUSTED_CUSTOM_ATTRIBUTES=name)


@pytest.mark.parametrize("name", ["custom:role", "custom:Roles", "custom:groups", "custom:scope", "custom:admin"])
def test_an_attribute_named_like_an_authorization_claim_can_never_be_trusted(name: str) -> None:
    with pytest.raises(ConfigurationError, match="named like an authorization claim"):
        settings(TRUSTED_CUSTOM_ATTRIBUTES=name)


def test_a_budget_below_the_worst_case_fails_at_start_up() -> None:
    # admin: {"role":"admin"} is 16 bytes, twice, plus "admin/users profile/read profile/write" (38 bytes) = 70.
    assert settings(CLAIMS_MAX_BYTES="70").claims_max_bytes == 70
    with pytest.raises(ConfigurationError) as caught:
        settings(CLAIMS_MAX_BYTES="69")
    assert str(caught.value) == (
        "CLAIMS_MAX_BYTES=69 is below the 70 bytes the configured roles and scopes can add to a token pair: "
        "raise the budget or shorten the role names and scopes"
    )


def test_scopes_for_unknown_roles_fail() -> None:
    with pytest.raises(ConfigurationError, match=r"missing from ROLE_GROUP_ORDER: \['owner'\]"):
        ClaimsSettings(role_scopes={"owner": ("admin/all",)})
