"""The pure sign-up decision: every rule, for each trigger source, on the realistic sample events."""

from __future__ import annotations

from typing import Any

import pytest

from common.config import Environment
from common.signup.policy import Decision, SignupRequest, decide
from common.signup.refusals import Refusal, SignupRefused
from common.signup.settings import SignupSettings
from tests.events import load_event


def settings(**values: str) -> SignupSettings:
    return SignupSettings.from_env(Environment(values))


def request(name: str, **attributes: str) -> SignupRequest:
    event = load_event(name)
    event["request"]["userAttributes"].update(attributes)
    return SignupRequest.from_event(event)


def refusal_of(req: SignupRequest, configured: SignupSettings) -> Refusal:
    with pytest.raises(SignupRefused) as caught:
        decide(req, configured)
    return caught.value.refusal


def test_request_from_event() -> None:
    req = SignupRequest.from_event(load_event("pre-signup.external-provider"))
    assert req == SignupRequest(
        source="PreSignUp_ExternalProvider",
        user_name="Google_104857361928374650192",
        pool_id="us-east-1_EXAMPLE11",
        attributes={
            "email": "jane.doe@example.com",
            "email_verified": "true",
            "name": "Jane Doe",
            "cognito:email_alias": "",
            "cognito:phone_number_alias": "",
        },
    )
    assert req.email_verified_by_provider is True


def test_request_tolerates_missing_and_null_parts() -> None:
    event: dict[str, Any] = {"triggerSource": "PreSignUp_SignUp", "request": {"userAttributes": None}}
    assert SignupRequest.from_event(event) == SignupRequest("PreSignUp_SignUp", "", "", {})


def test_only_an_external_provider_can_vouch_for_an_email() -> None:
    assert request("pre-signup.sign-up", email_verified="true").email_verified_by_provider is False
    assert request("pre-signup.external-provider", email_verified="false").email_verified_by_provider is False


@pytest.mark.parametrize(
    ("name", "decision"),
    [
        ("pre-signup.sign-up", Decision("jane.doe@example.com", permanent_claim=False)),
        ("pre-signup.admin-create-user", Decision("minsu.kim@example.co.kr", permanent_claim=True)),
        ("pre-signup.external-provider", Decision("jane.doe@example.com", permanent_claim=True)),
    ],
)
def test_default_decision_confirms_nothing(name: str, decision: Decision) -> None:
    assert decide(request(name), SignupSettings()) == decision


def test_canonical_address_follows_the_settings() -> None:
    configured = settings(SIGNUP_FOLD_PLUS_DOMAINS="gmail.com", SIGNUP_FOLD_DOTS_DOMAINS="gmail.com")
    assert (
        decide(request("pre-signup.sign-up", email=" Jane.Doe+x@GMail.com"), configured).canonical
        == "janedoe@gmail.com"
    )


def test_trusted_domain_sign_up_is_confirmed_and_verified_now() -> None:
    configured = settings(SIGNUP_AUTO_CONFIRM_DOMAINS="example.com")
    assert decide(request("pre-signup.sign-up", email="Jane@EU.Example.com"), configured) == Decision(
        "jane@eu.example.com", permanent_claim=True, auto_confirm_user=True, auto_verify_email=True
    )
    assert decide(request("pre-signup.sign-up", email="jane@other.org"), configured) == Decision(
        "jane@other.org", permanent_claim=False
    )


def test_admin_created_users_are_verified_only_when_configured() -> None:
    configured = settings(SIGNUP_AUTO_VERIFY_ADMIN_CREATED="true")
    assert decide(request("pre-signup.admin-create-user"), configured) == Decision(
        "minsu.kim@example.co.kr", permanent_claim=True, auto_confirm_user=True, auto_verify_email=True
    )
    trusted = settings(SIGNUP_AUTO_CONFIRM_DOMAINS="example.co.kr")
    assert decide(request("pre-signup.admin-create-user"), trusted).auto_verify_email is True


def test_external_sign_ins_are_never_auto_flagged() -> None:
    configured = settings(SIGNUP_AUTO_CONFIRM_DOMAINS="example.com", SIGNUP_AUTO_VERIFY_ADMIN_CREATED="true")
    assert decide(request("pre-signup.external-provider"), configured) == Decision(
        "jane.doe@example.com", permanent_claim=True
    )


@pytest.mark.parametrize("name", ["pre-signup.sign-up", "pre-signup.admin-create-user", "pre-signup.external-provider"])
@pytest.mark.parametrize(
    ("attributes", "configured", "refusal"),
    [
        ({"email": ""}, {}, Refusal.EMAIL_REQUIRED),
        ({"email": "   "}, {}, Refusal.EMAIL_REQUIRED),
        ({"email": "jane@"}, {}, Refusal.EMAIL_INVALID),
        ({"email": "Jane <jane@example.com>"}, {}, Refusal.EMAIL_INVALID),
        ({"custom:role": "admin"}, {}, Refusal.ATTRIBUTE_NOT_ALLOWED),
        ({"role": "admin"}, {}, Refusal.ATTRIBUTE_NOT_ALLOWED),
        ({"custom:tenant": "acme"}, {}, Refusal.ATTRIBUTE_NOT_ALLOWED),
        (
            {"custom:plan": "pro"},
            {"SIGNUP_ALLOWED_CUSTOM_ATTRIBUTES": "custom:newsletter"},
            Refusal.ATTRIBUTE_NOT_ALLOWED,
        ),
        ({"nickname": "x"}, {"SIGNUP_SERVER_OWNED_ATTRIBUTES": "nickname"}, Refusal.ATTRIBUTE_NOT_ALLOWED),
        ({"email": "jane@mailinator.com"}, {}, Refusal.DISPOSABLE_EMAIL),
        ({"email": "jane@x.spam.example"}, {"SIGNUP_DENIED_DOMAINS": "spam.example"}, Refusal.DOMAIN_BLOCKED),
        ({"email": "jane@gmail.com"}, {"SIGNUP_ALLOWED_DOMAINS": "corp.example"}, Refusal.DOMAIN_NOT_ALLOWED),
    ],
)
def test_refusals_for_every_source(
    name: str, attributes: dict[str, str], configured: dict[str, str], refusal: Refusal
) -> None:
    assert refusal_of(request(name, **attributes), settings(**configured)) is refusal


def test_allowed_custom_attribute_passes() -> None:
    configured = settings(SIGNUP_ALLOWED_CUSTOM_ATTRIBUTES="custom:newsletter")
    assert decide(request("pre-signup.sign-up", **{"custom:newsletter": "yes"}), configured).canonical == (
        "jane.doe@example.com"
    )


def test_a_self_sign_up_cannot_verify_itself() -> None:
    assert refusal_of(request("pre-signup.sign-up", email_verified="true"), SignupSettings()) is (
        Refusal.ATTRIBUTE_NOT_ALLOWED
    )
    assert refusal_of(request("pre-signup.sign-up", phone_number_verified="True"), SignupSettings()) is (
        Refusal.ATTRIBUTE_NOT_ALLOWED
    )
    # An administrator (or a provider) may state it.
    assert decide(request("pre-signup.admin-create-user", email_verified="true"), SignupSettings()).permanent_claim


def test_cheapest_check_is_reported_first() -> None:
    """A privileged attribute is reported before a bad address, a bad address before its domain."""
    req = request("pre-signup.sign-up", email="jane@mailinator.com", **{"custom:role": "admin"})
    assert refusal_of(req, SignupSettings()) is Refusal.ATTRIBUTE_NOT_ALLOWED
    assert refusal_of(request("pre-signup.sign-up", email="jane@@mailinator.com"), SignupSettings()) is (
        Refusal.EMAIL_INVALID
    )
