"""Privileged attributes: role, tenant, configured server-owned names, unlisted custom attributes."""

from __future__ import annotations

import pytest

from common.config import Environment
from common.signup.attributes import privileged_attributes
from common.signup.settings import SignupSettings

CONFIGURED = SignupSettings.from_env(
    Environment(
        {
            "SIGNUP_SERVER_OWNED_ATTRIBUTES": "custom:plan,nickname",
            "SIGNUP_ALLOWED_CUSTOM_ATTRIBUTES": "custom:newsletter,custom:referrer",
        }
    )
)


@pytest.mark.parametrize(
    "names",
    [
        ["email", "name", "locale"],
        ["email", "custom:newsletter", "custom:referrer"],
        ["email", "email_verified", "cognito:email_alias", "cognito:phone_number_alias"],
        ["email", "phone_number", "given_name", "family_name", "picture"],
    ],
)
def test_ordinary_attributes_pass(names: list[str]) -> None:
    assert privileged_attributes(names, CONFIGURED) == ()


@pytest.mark.parametrize(
    ("names", "refused"),
    [
        (["email", "role"], ("role",)),
        (["email", "custom:role"], ("custom:role",)),
        (["email", "custom:Role"], ("custom:Role",)),
        (["custom:tenant", "custom:tenant-id", "tenant_id"], ("custom:tenant", "custom:tenant-id", "tenant_id")),
        (["dev:custom:groups"], ("dev:custom:groups",)),
        (["custom:is_admin", "custom:permissions"], ("custom:is_admin", "custom:permissions")),
        (["custom:plan"], ("custom:plan",)),
        (["nickname"], ("nickname",)),
        (["custom:favourite_colour"], ("custom:favourite_colour",)),
    ],
)
def test_privileged_attributes_are_refused(names: list[str], refused: tuple[str, ...]) -> None:
    assert privileged_attributes(names, CONFIGURED) == refused


def test_every_custom_attribute_is_refused_by_default() -> None:
    assert privileged_attributes(["custom:newsletter"], SignupSettings()) == ("custom:newsletter",)
