"""The role rule, the role → scope mapping, version detection and the response renderer."""

from __future__ import annotations

from typing import Any

import pytest

from common.claims.request import EventShape, UnrecognizedEventError, detect_shape, read_request
from common.claims.response import ClaimsBudgetError, ClaimsDecision, added_bytes, render
from common.claims.roles import cap_role, role_from_groups
from common.claims.scopes import DEFAULT_ROLE_SCOPES, ScopeChanges, ScopePolicy
from tests.events import load_event

ORDER = ("admin", "user")
POLICY = ScopePolicy(ORDER, DEFAULT_ROLE_SCOPES)


@pytest.mark.parametrize(
    ("groups", "role"),
    [
        (["user"], "user"),
        (["admin"], "admin"),
        (["user", "admin"], "admin"),
        (["admin", "user"], "admin"),
        (["us-east-1_EXAMPLE11_Google", "user"], "user"),
        (["editors"], None),
        ([], None),
    ],
)
def test_the_most_privileged_group_wins(groups: list[str], role: str | None) -> None:
    assert role_from_groups(groups, ORDER) == role


def test_the_order_is_configuration_not_list_position() -> None:
    assert role_from_groups(["admin", "user"], ("user", "admin")) == "user"


@pytest.mark.parametrize(
    ("role", "ceiling", "expected"),
    [("admin", "user", "user"), ("user", "user", "user"), ("admin", "admin", "admin"), ("root", "user", None)],
)
def test_profile_roles_are_capped_and_unknown_ones_dropped(role: str, ceiling: str, expected: str | None) -> None:
    assert cap_role(role, ORDER, ceiling) == expected
    assert cap_role(None, ORDER, ceiling) is None


def test_scopes_are_cumulative_down_the_order() -> None:
    assert dict(POLICY.granted) == {
        "admin": ("admin/users", "profile/read", "profile/write"),
        "user": ("profile/read", "profile/write"),
    }
    assert POLICY.managed_prefixes == ("admin/", "profile/")


def test_a_user_gets_profile_scopes_and_loses_a_requested_admin_scope() -> None:
    changes = POLICY.changes(
        "user",
        ["openid", "profile/read", "admin/users", "admin/anything", "aws.cognito.signin.user.admin"],
        suppress_self_service=False,
    )
    assert changes == ScopeChanges(add=("profile/write",), suppress=("admin/users", "admin/anything"))


def test_our_resource_servers_stay_managed_when_a_role_is_not_configured() -> None:
    only_users = ScopePolicy(("user",), {"user": ("profile/read",)})
    assert only_users.changes("user", ["admin/users"], suppress_self_service=False) == ScopeChanges(
        add=("profile/read",),
        suppress=("admin/users",),
    )


def test_no_role_means_no_managed_scope_at_all() -> None:
    changes = POLICY.changes(None, ["profile/read", "email"], suppress_self_service=False)
    assert changes == ScopeChanges(add=(), suppress=("profile/read",))


def test_the_self_service_scope_is_suppressed_only_when_configured() -> None:
    requested = ["aws.cognito.signin.user.admin"]
    assert POLICY.changes("admin", requested, suppress_self_service=True) == ScopeChanges(
        add=("admin/users", "profile/read", "profile/write"),
        suppress=("aws.cognito.signin.user.admin",),
    )


def test_worst_case_bytes() -> None:
    # {"role":"admin"} (16 bytes) in both tokens + "admin/users profile/read profile/write" (38 bytes)
    assert POLICY.worst_case_bytes("role") == 70
    assert ScopePolicy(("user",), {}).worst_case_bytes("r") == 2 * len('{"r":"user"}')


def test_shape_comes_from_the_response_key_first() -> None:
    assert detect_shape({"version": "1", "response": {"claimsAndScopeOverrideDetails": None}}) is EventShape.V2
    assert detect_shape({"version": "2", "response": {"claimsOverrideDetails": None}}) is EventShape.V1


@pytest.mark.parametrize(("version", "shape"), [("1", EventShape.V1), ("2", EventShape.V2), ("3", EventShape.V2)])
def test_shape_falls_back_on_the_version(version: str, shape: EventShape) -> None:
    assert detect_shape({"version": version, "response": {}}) is shape


def test_an_event_of_no_known_version_is_refused() -> None:
    with pytest.raises(UnrecognizedEventError, match="unknown version '9'"):
        detect_shape({"version": "9", "response": {}})


def test_read_request_of_a_real_event() -> None:
    request = read_request(load_event("pre-token-generation.authentication"))
    assert request.shape is EventShape.V2
    assert request.version == "2"
    assert request.trigger_source == "TokenGeneration_Authentication"
    assert request.user_id == "6f5e4d3c-2b1a-4098-8765-43210fedcba9"
    assert request.groups == ("admin", "user")
    assert request.scopes == ("aws.cognito.signin.user.admin",)
    assert request.user_status == "CONFIRMED"
    assert request.is_machine is False


def test_read_request_tolerates_missing_and_malformed_parts() -> None:
    request = read_request(
        {
            "version": "3",
            "triggerSource": "TokenGeneration_ClientCredentials",
            "request": {"groupConfiguration": None, "scopes": ["a/b", 7], "userAttributes": "x"},
            "response": {"claimsAndScopeOverrideDetails": None},
        },
    )
    assert (request.user_id, request.groups, request.group_configuration) == (None, (), None)
    assert request.scopes == ("a/b",)
    assert request.attributes == {}
    assert request.is_machine is True


def test_non_string_attributes_are_dropped() -> None:
    event = load_event("pre-token-generation.hosted-auth")
    event["request"]["userAttributes"].update({"cognito:user_status": ["CONFIRMED"], "email": None, "custom:x": 1})
    request = read_request(event)
    assert request.user_status is None
    assert set(request.attributes) == {"sub", "email_verified", "name", "locale"}


USER = ClaimsDecision(
    claims={"role": "user"},
    suppress=("custom:role",),
    scopes=ScopeChanges(add=("profile/read", "profile/write"), suppress=("admin/users",)),
)


def test_render_v1() -> None:
    request = read_request(load_event("pre-token-generation.authentication.v1"))
    assert render(request, USER, 512) == {
        "claimsToAddOrOverride": {"role": "user"},
        "claimsToSuppress": ["custom:role"],
        "groupOverrideDetails": {"groupsToOverride": ["user"], "iamRolesToOverride": [], "preferredRole": None},
    }


def test_render_v2_without_group_configuration() -> None:
    event: dict[str, Any] = load_event("pre-token-generation.hosted-auth", groupConfiguration=None)
    assert render(read_request(event), USER, 512) == {
        "idTokenGeneration": {"claimsToAddOrOverride": {"role": "user"}, "claimsToSuppress": ["custom:role"]},
        "accessTokenGeneration": {
            "claimsToAddOrOverride": {"role": "user"},
            "claimsToSuppress": ["custom:role"],
            "scopesToAdd": ["profile/read", "profile/write"],
            "scopesToSuppress": ["admin/users"],
        },
    }


def test_the_group_override_is_a_copy_not_the_request_object() -> None:
    event = load_event("pre-token-generation.hosted-auth")
    details = render(read_request(event), USER, 512)
    details["groupOverrideDetails"]["groupsToOverride"].append("admin")
    assert event["request"]["groupConfiguration"]["groupsToOverride"] == ["user"]


def test_render_refuses_reserved_claims_whatever_the_decision() -> None:
    request = read_request(load_event("pre-token-generation.hosted-auth"))
    forged = ClaimsDecision(claims={"sub": "someone-else"}, suppress=(), scopes=ScopeChanges((), ()))
    with pytest.raises(ValueError, match=r"refusing to touch reserved claims \['sub'\]"):
        render(request, forged, 512)
    with pytest.raises(ValueError, match=r"\['cognito:groups'\]"):
        render(request, ClaimsDecision({}, ("cognito:groups",), ScopeChanges((), ())), 512)


def test_added_bytes_counts_both_tokens_and_the_scopes() -> None:
    assert added_bytes([{"role": "user"}, {"role": "user"}], ("profile/read", "profile/write")) == 15 + 15 + 26
    assert added_bytes([{}, {}], ()) == 0


def test_the_budget_is_enforced_per_shape() -> None:
    v2 = read_request(load_event("pre-token-generation.hosted-auth"))
    v1 = read_request(load_event("pre-token-generation.authentication.v1"))
    assert render(v2, USER, 56)["idTokenGeneration"]["claimsToAddOrOverride"] == {"role": "user"}
    with pytest.raises(ClaimsBudgetError, match="claims would add 56 bytes, over the 55-byte budget"):
        render(v2, USER, 55)
    assert render(v1, USER, 15)["claimsToAddOrOverride"] == {"role": "user"}
    with pytest.raises(ClaimsBudgetError, match="claims would add 15 bytes, over the 14-byte budget"):
        render(v1, USER, 14)
