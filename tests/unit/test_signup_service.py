"""The pre-sign-up use case with the in-memory claims store and a fake user directory (no AWS)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import pytest

from common.config import Environment
from common.errors import UserFacingError
from common.signup.budget import Budget
from common.signup.claim_model import ClaimStatus, ConfirmResult, EmailClaim
from common.signup.clock import iso
from common.signup.memory_claims import InMemoryEmailClaims
from common.signup.service import STALE_CLAIM_GRACE_SECONDS, SignupDependencies, pre_sign_up
from common.signup.settings import SignupSettings
from tests.events import load_event

T0 = 1_795_682_417.0  # 2026-11-26T08:40:17Z
T0_ISO = "2026-11-26T08:40:17Z"
JANE = "6f5e4d3c-2b1a-4098-8765-43210fedcba9"
OTHER = "0a1b2c3d-0000-4000-8000-000000000001"
GOOGLE = "Google_104857361928374650192"
UNAVAILABLE_EN = (
    "This email address can't be used to create an account. Try signing in, or use a different address. "
    "[EMAIL_UNAVAILABLE]"
)


@dataclass
class FakeDirectory:
    users: dict[str, str] = field(default_factory=dict)  # userName -> Cognito UserStatus
    calls: list[tuple[Any, ...]] = field(default_factory=list)

    def user_status(self, pool_id: str, user_name: str) -> str | None:
        self.calls.append(("user_status", pool_id, user_name))
        return self.users.get(user_name)

    def link_provider(self, pool_id: str, native_user_name: str, provider: str, subject: str) -> bool:
        self.calls.append(("link_provider", pool_id, native_user_name, provider, subject))
        return native_user_name in self.users


class Clock:
    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@dataclass
class World:
    claims: InMemoryEmailClaims
    directory: FakeDirectory
    clock: Clock

    def deps(self) -> SignupDependencies:
        return SignupDependencies(self.claims, self.directory, self.clock)


@pytest.fixture
def world() -> World:
    clock = Clock()
    return World(InMemoryEmailClaims(clock), FakeDirectory(), clock)


def settings(**values: str) -> SignupSettings:
    return SignupSettings.from_env(Environment(values))


def run(world: World, event: dict[str, Any], configured: SignupSettings | None = None, language: str = "en") -> None:
    pre_sign_up(event, language, configured or SignupSettings(), world.deps())


def sign_up(user_name: str = JANE, email: str = "jane.doe@example.com", **attributes: str) -> dict[str, Any]:
    event = load_event("pre-signup.sign-up")
    event["userName"] = user_name
    event["request"]["userAttributes"].update(email=email, **attributes)
    return event


def refused(world: World, event: dict[str, Any], configured: SignupSettings | None = None, language: str = "en") -> str:
    with pytest.raises(UserFacingError) as caught:
        run(world, event, configured, language)
    return str(caught.value)


def pending(email: str, user: str, at: float = T0, ttl: int = 172_800) -> EmailClaim:
    return EmailClaim(email, user, ClaimStatus.PENDING, "PreSignUp_SignUp", _iso(at), int(at) + ttl)


def confirmed(email: str, user: str, source: str = "PreSignUp_SignUp", at: float = T0) -> EmailClaim:
    return EmailClaim(email, user, ClaimStatus.CONFIRMED, source, _iso(at), None, _iso(at))


def _iso(at: float) -> str:
    return iso(at)


def test_sign_up_claims_the_address_for_two_days_and_confirms_nothing(world: World) -> None:
    event = sign_up()
    before = copy.deepcopy(event)
    run(world, event)
    assert world.claims.items == {
        "jane.doe@example.com": EmailClaim(
            "jane.doe@example.com", JANE, ClaimStatus.PENDING, "PreSignUp_SignUp", T0_ISO, 1_795_855_217
        )
    }
    before["response"] = {"autoConfirmUser": False, "autoVerifyEmail": False, "autoVerifyPhone": False}
    assert event == before
    assert world.directory.calls == []


def test_a_retried_invocation_succeeds_and_keeps_the_first_claim(world: World) -> None:
    run(world, sign_up())
    world.clock.now += 3
    event = sign_up()
    run(world, event)
    assert world.claims.items["jane.doe@example.com"] == pending("jane.doe@example.com", JANE)
    assert event["response"] == {"autoConfirmUser": False, "autoVerifyEmail": False, "autoVerifyPhone": False}


def test_a_duplicate_in_different_case_is_refused_neutrally(world: World) -> None:
    run(world, sign_up())
    assert refused(world, sign_up(OTHER, "JANE.DOE@Example.COM")) == UNAVAILABLE_EN
    assert refused(world, sign_up(OTHER, "Jane.Doe@example.com"), language="ko") == (
        "이 이메일 주소로는 계정을 만들 수 없습니다. 로그인하거나 다른 주소를 사용하세요. [EMAIL_UNAVAILABLE]"
    )
    assert world.claims.items["jane.doe@example.com"].user_name == JANE
    assert world.directory.calls == []  # a young claim is never looked up


def test_revealing_duplicates_is_a_setting(world: World) -> None:
    run(world, sign_up())
    assert refused(world, sign_up(OTHER), settings(SIGNUP_REVEAL_EXISTING_ACCOUNTS="true")) == (
        "An account with this email address already exists. Sign in instead. [EMAIL_TAKEN]"
    )


def test_plus_folding_makes_tagged_addresses_duplicates(world: World) -> None:
    configured = settings(SIGNUP_FOLD_PLUS_DOMAINS="gmail.com", SIGNUP_FOLD_DOTS_DOMAINS="gmail.com")
    run(world, sign_up(email="jane.doe@gmail.com"), configured)
    assert refused(world, sign_up(OTHER, "JaneDoe+promo@gmail.com"), configured) == UNAVAILABLE_EN
    assert set(world.claims.items) == {"janedoe@gmail.com"}


def test_an_abandoned_sign_up_frees_its_address_after_the_configured_time(world: World) -> None:
    configured = settings(SIGNUP_UNCONFIRMED_CLAIM_SECONDS="600")
    world.directory.users[JANE] = "UNCONFIRMED"  # never confirmed: once expired, an abandoned sign-up
    run(world, sign_up(), configured)
    world.clock.now = T0 + 600
    assert refused(world, sign_up(OTHER), configured) == UNAVAILABLE_EN  # not yet: expiry is exclusive
    world.clock.now = T0 + 601
    run(world, sign_up(OTHER), configured)
    assert world.claims.items["jane.doe@example.com"] == pending("jane.doe@example.com", OTHER, T0 + 601, 600)
    assert world.directory.calls == [
        ("user_status", "us-east-1_EXAMPLE11", JANE),  # T0 + 600: old enough to look up, but not expired
        ("user_status", "us-east-1_EXAMPLE11", JANE),
    ]


def test_an_expired_claim_of_a_confirmed_user_is_repaired_not_taken(world: World) -> None:
    """Post-confirmation failed to confirm the claim: the address still belongs to the confirmed user."""
    world.directory.users[JANE] = "CONFIRMED"
    run(world, sign_up())
    world.clock.now = T0 + 172_801
    assert refused(world, sign_up(OTHER, "Jane.Doe@example.com")) == UNAVAILABLE_EN
    assert world.claims.items["jane.doe@example.com"] == EmailClaim(
        "jane.doe@example.com", JANE, ClaimStatus.CONFIRMED, "PreSignUp_SignUp", T0_ISO, None, iso(T0 + 172_801)
    )
    world.clock.now += 86_400 * 365
    assert refused(world, sign_up(OTHER)) == UNAVAILABLE_EN


def test_a_live_pending_claim_of_a_confirmed_user_is_repaired_too(world: World) -> None:
    world.directory.users[JANE] = "CONFIRMED"
    run(world, sign_up())
    world.clock.now = T0 + STALE_CLAIM_GRACE_SECONDS
    assert refused(world, sign_up(OTHER)) == UNAVAILABLE_EN
    assert world.claims.items["jane.doe@example.com"].status is ClaimStatus.CONFIRMED


def test_an_expired_claim_whose_user_is_gone_is_taken_over(world: World) -> None:
    run(world, sign_up())
    world.clock.now = T0 + 172_801
    run(world, sign_up(OTHER))
    assert world.claims.items["jane.doe@example.com"] == pending("jane.doe@example.com", OTHER, T0 + 172_801)


def test_without_verification_an_expired_claim_is_taken_blindly(world: World) -> None:
    configured = settings(SIGNUP_VERIFY_STALE_CLAIMS="false", SIGNUP_UNCONFIRMED_CLAIM_SECONDS="60")
    world.directory.users[JANE] = "CONFIRMED"
    run(world, sign_up(), configured)
    world.clock.now = T0 + 61
    run(world, sign_up(OTHER), configured)
    assert world.claims.items["jane.doe@example.com"] == pending("jane.doe@example.com", OTHER, T0 + 61, 60)
    assert world.directory.calls == []


def test_an_old_claim_whose_user_is_gone_is_taken_over(world: World) -> None:
    world.claims.items["jane.doe@example.com"] = confirmed("jane.doe@example.com", JANE, at=T0 - 86_400)
    run(world, sign_up(OTHER))
    assert world.directory.calls == [("user_status", "us-east-1_EXAMPLE11", JANE)]
    assert world.claims.items["jane.doe@example.com"] == pending("jane.doe@example.com", OTHER)


def test_an_old_claim_whose_user_exists_is_kept(world: World) -> None:
    world.directory.users[JANE] = "CONFIRMED"
    world.claims.items["jane.doe@example.com"] = confirmed("jane.doe@example.com", JANE, at=T0 - 86_400)
    assert refused(world, sign_up(OTHER)) == UNAVAILABLE_EN
    assert world.claims.items["jane.doe@example.com"] == confirmed("jane.doe@example.com", JANE, at=T0 - 86_400)


def test_a_claim_inside_the_grace_period_is_not_looked_up(world: World) -> None:
    young = confirmed("jane.doe@example.com", JANE, at=T0 - STALE_CLAIM_GRACE_SECONDS + 1)
    world.claims.items["jane.doe@example.com"] = young
    assert refused(world, sign_up(OTHER)) == UNAVAILABLE_EN
    assert world.directory.calls == []


def test_stale_claim_verification_can_be_turned_off(world: World) -> None:
    world.claims.items["jane.doe@example.com"] = confirmed("jane.doe@example.com", JANE, at=T0 - 86_400)
    assert refused(world, sign_up(OTHER), settings(SIGNUP_VERIFY_STALE_CLAIMS="false")) == UNAVAILABLE_EN
    assert world.directory.calls == []


def test_trusted_domain_is_auto_confirmed_with_a_permanent_claim(world: World) -> None:
    event = sign_up(email="jane@corp.example")
    run(world, event, settings(SIGNUP_AUTO_CONFIRM_DOMAINS="corp.example"))
    assert event["response"] == {"autoConfirmUser": True, "autoVerifyEmail": True, "autoVerifyPhone": False}
    assert world.claims.items["jane@corp.example"] == confirmed("jane@corp.example", JANE)


def test_admin_created_user_gets_a_permanent_claim(world: World) -> None:
    event = load_event("pre-signup.admin-create-user")
    run(world, event, settings(SIGNUP_AUTO_VERIFY_ADMIN_CREATED="true"))
    assert event["response"] == {"autoConfirmUser": True, "autoVerifyEmail": True, "autoVerifyPhone": False}
    assert world.claims.items == {
        "minsu.kim@example.co.kr": confirmed("minsu.kim@example.co.kr", JANE, "PreSignUp_AdminCreateUser")
    }


def test_policy_refusals_write_nothing(world: World) -> None:
    assert refused(world, sign_up(email="jane@mailinator.com"), language="ko") == (
        "임시 또는 일회용 이메일 주소는 사용할 수 없습니다. 계속 사용하는 주소를 입력하세요. [DISPOSABLE_EMAIL]"
    )
    assert refused(world, sign_up(**{"custom:role": "admin"})) == (
        "This sign-up contains information that can't be set. Remove it and try again. [ATTRIBUTE_NOT_ALLOWED]"
    )
    assert world.claims.items == {}


# ---------------------------------------------------------------- federated sign-in


def external(email: str = "jane.doe@example.com", verified: str = "true") -> dict[str, Any]:
    event = load_event("pre-signup.external-provider")
    event["request"]["userAttributes"].update(email=email, email_verified=verified)
    return event


LINKING = {"SIGNUP_LINK_PROVIDERS": "Google"}


def test_first_federated_sign_in_claims_the_address_permanently(world: World) -> None:
    event = external()
    run(world, event, settings(**LINKING))
    assert event["response"] == {"autoConfirmUser": False, "autoVerifyEmail": False, "autoVerifyPhone": False}
    assert world.claims.items == {
        "jane.doe@example.com": confirmed("jane.doe@example.com", GOOGLE, "PreSignUp_ExternalProvider")
    }


def test_federated_sign_in_onto_a_native_account_links_it(world: World) -> None:
    world.directory.users[JANE] = "CONFIRMED"
    world.claims.items["jane.doe@example.com"] = confirmed("jane.doe@example.com", JANE)
    assert refused(world, external("Jane.Doe@Example.com"), settings(**LINKING)) == (
        "Your sign-in has been connected to your existing account. Please sign in again. [ACCOUNT_LINKED]"
    )
    assert world.directory.calls == [("link_provider", "us-east-1_EXAMPLE11", JANE, "Google", "104857361928374650192")]
    assert world.claims.items["jane.doe@example.com"] == confirmed("jane.doe@example.com", JANE)


def test_provider_names_match_case_insensitively(world: World) -> None:
    world.directory.users[JANE] = "CONFIRMED"
    world.claims.items["jane.doe@example.com"] = confirmed("jane.doe@example.com", JANE)
    event = external()
    event["userName"] = "google_104857361928374650192"
    assert refused(world, event, settings(**LINKING)).endswith("[ACCOUNT_LINKED]")
    assert world.directory.calls[0] == ("link_provider", "us-east-1_EXAMPLE11", JANE, "Google", "104857361928374650192")


@pytest.mark.parametrize(
    ("configured", "verified", "holder"),
    [
        ({}, "true", confirmed("jane.doe@example.com", JANE)),  # linking off
        ({"SIGNUP_LINK_PROVIDERS": "Facebook"}, "true", confirmed("jane.doe@example.com", JANE)),  # not this IdP
        (LINKING, "false", confirmed("jane.doe@example.com", JANE)),  # the provider does not vouch for the email
        (LINKING, "true", confirmed("jane.doe@example.com", "Facebook_1", "PreSignUp_ExternalProvider")),  # not native
    ],
)
def test_federated_sign_in_that_may_not_link_is_refused(
    world: World, configured: dict[str, str], verified: str, holder: EmailClaim
) -> None:
    world.directory.users.update({JANE: "CONFIRMED", "Facebook_1": "EXTERNAL_PROVIDER"})
    world.claims.items["jane.doe@example.com"] = holder
    assert refused(world, external(verified=verified), settings(**configured)) == UNAVAILABLE_EN
    assert world.claims.items["jane.doe@example.com"] == holder
    assert [c for c in world.directory.calls if c[0] == "link_provider"] == []


def test_a_verified_federated_email_outranks_an_unconfirmed_sign_up(world: World) -> None:
    """Never link onto an unconfirmed (possibly squatted) account; the provider-verified owner takes the address."""
    world.claims.items["jane.doe@example.com"] = pending("jane.doe@example.com", JANE)
    run(world, external(), settings(**LINKING))
    assert world.directory.calls == []
    assert world.claims.items["jane.doe@example.com"] == confirmed(
        "jane.doe@example.com", GOOGLE, "PreSignUp_ExternalProvider"
    )


def test_an_unverified_federated_email_does_not_take_over_a_pending_claim(world: World) -> None:
    world.claims.items["jane.doe@example.com"] = pending("jane.doe@example.com", JANE)
    assert refused(world, external(verified="false"), settings(**LINKING)) == UNAVAILABLE_EN


def test_linking_onto_a_deleted_native_user_falls_back_to_taking_the_stale_claim(world: World) -> None:
    world.claims.items["jane.doe@example.com"] = confirmed("jane.doe@example.com", JANE, at=T0 - 3600)
    run(world, external(), settings(**LINKING))
    assert world.directory.calls == [
        ("link_provider", "us-east-1_EXAMPLE11", JANE, "Google", "104857361928374650192"),
        ("user_status", "us-east-1_EXAMPLE11", JANE),
    ]
    assert world.claims.items["jane.doe@example.com"].user_name == GOOGLE


# ---------------------------------------------------------------- confirmation (post-confirmation's call)


def test_confirm_makes_the_own_claim_permanent_and_is_idempotent(world: World) -> None:
    run(world, sign_up())
    world.clock.now = T0 + 60
    world.claims.confirm("jane.doe@example.com", JANE)
    world.clock.now = T0 + 120
    world.claims.confirm("jane.doe@example.com", JANE)
    assert world.claims.items["jane.doe@example.com"] == EmailClaim(
        "jane.doe@example.com", JANE, ClaimStatus.CONFIRMED, "PreSignUp_SignUp", T0_ISO, None, _iso(T0 + 60)
    )


def test_confirm_recreates_a_vanished_claim_and_outranks_pending_ones(world: World) -> None:
    assert world.claims.try_confirm("a@example.com", JANE, now=T0_ISO) is ConfirmResult.CONFIRMED
    world.claims.items["b@example.com"] = pending("b@example.com", OTHER)
    assert world.claims.try_confirm("b@example.com", JANE, now=T0_ISO) is ConfirmResult.CONFIRMED
    assert world.claims.items["a@example.com"] == confirmed("a@example.com", JANE, "PostConfirmation_ConfirmSignUp")
    assert world.claims.items["b@example.com"] == confirmed("b@example.com", JANE, "PostConfirmation_ConfirmSignUp")


def test_confirm_never_takes_another_confirmed_claim(world: World) -> None:
    world.claims.items["a@example.com"] = confirmed("a@example.com", OTHER)
    assert world.claims.try_confirm("a@example.com", JANE, now=T0_ISO) is ConfirmResult.CONFLICT
    world.claims.confirm("a@example.com", JANE)
    assert world.claims.items["a@example.com"] == confirmed("a@example.com", OTHER)


# ---------------------------------------------------------------------------------------- the time budget
BUSY_EN = "We are busy right now and could not finish. Please try again in a moment. [SERVICE_UNAVAILABLE]"


class SlowDirectory(FakeDirectory):
    """A directory whose every call takes ``seconds`` of the budget's clock."""

    def __init__(self, clock: Clock, seconds: float) -> None:
        super().__init__()
        self.clock, self.seconds = clock, seconds

    def user_status(self, pool_id: str, user_name: str) -> str | None:
        self.clock.now += self.seconds
        return super().user_status(pool_id, user_name)


def run_within(world: World, event: dict[str, Any], seconds: float, configured: SignupSettings | None = None) -> None:
    budget = Budget(world.clock() + seconds, world.clock)
    pre_sign_up(event, "en", configured or SignupSettings(), world.deps(), budget)


def test_the_common_sign_up_needs_no_budget_for_extra_calls(world: World) -> None:
    run_within(world, sign_up(), seconds=0.0)  # the claim write itself is never skipped
    assert world.claims.items["jane.doe@example.com"] == pending("jane.doe@example.com", JANE)


def test_no_time_for_the_holder_lookup_answers_try_again_and_changes_nothing(world: World) -> None:
    old = confirmed("jane.doe@example.com", JANE, at=T0 - 86_400)
    world.claims.items["jane.doe@example.com"] = old
    with pytest.raises(UserFacingError) as caught:
        run_within(world, sign_up(OTHER), seconds=1.99)
    assert str(caught.value) == BUSY_EN
    assert world.directory.calls == []
    assert world.claims.items["jane.doe@example.com"] == old


def test_no_time_left_for_the_take_over_after_a_slow_lookup_answers_try_again(world: World) -> None:
    old = confirmed("jane.doe@example.com", JANE, at=T0 - 86_400)
    world.claims.items["jane.doe@example.com"] = old
    world.directory = SlowDirectory(world.clock, seconds=1.5)
    with pytest.raises(UserFacingError) as caught:
        run_within(world, sign_up(OTHER), seconds=3.0)  # 2.0 s left for the lookup, 1.5 s after it
    assert (caught.value.code, world.directory.calls) == ("SERVICE_UNAVAILABLE", [("user_status", *_LOOKUP)])
    assert world.claims.items["jane.doe@example.com"] == old  # the address is not taken over half-way


def test_with_time_for_both_calls_the_stale_claim_is_taken_over(world: World) -> None:
    world.claims.items["jane.doe@example.com"] = confirmed("jane.doe@example.com", JANE, at=T0 - 86_400)
    world.directory = SlowDirectory(world.clock, seconds=1.5)
    run_within(world, sign_up(OTHER), seconds=3.5)  # 2.0 s still left after the lookup
    assert world.claims.items["jane.doe@example.com"] == pending("jane.doe@example.com", OTHER)


def test_a_repair_without_time_left_is_skipped_but_the_answer_stands(world: World) -> None:
    stale = pending("jane.doe@example.com", JANE, at=T0 - 86_400, ttl=60)
    world.claims.items["jane.doe@example.com"] = stale
    world.directory = SlowDirectory(world.clock, seconds=1.5)
    world.directory.users[JANE] = "CONFIRMED"
    with pytest.raises(UserFacingError) as caught:
        run_within(world, sign_up(OTHER), seconds=3.0)
    assert str(caught.value) == UNAVAILABLE_EN
    assert world.claims.items["jane.doe@example.com"] == stale  # repaired by a later sign-up with time to spare


def test_no_time_to_link_a_federated_identity_answers_try_again(world: World) -> None:
    world.directory.users[JANE] = "CONFIRMED"
    world.claims.items["jane.doe@example.com"] = confirmed("jane.doe@example.com", JANE)
    with pytest.raises(UserFacingError) as caught:
        run_within(world, external("Jane.Doe@Example.com"), seconds=1.0, configured=settings(**LINKING))
    assert caught.value.code == "SERVICE_UNAVAILABLE"
    assert world.directory.calls == []


def test_the_try_again_answer_is_localized(world: World) -> None:
    world.claims.items["jane.doe@example.com"] = confirmed("jane.doe@example.com", JANE, at=T0 - 86_400)
    with pytest.raises(UserFacingError) as caught:
        pre_sign_up(sign_up(OTHER), "ko", SignupSettings(), world.deps(), Budget(world.clock(), world.clock))
    assert (
        str(caught.value)
        == "지금은 요청이 많아 처리를 마치지 못했습니다. 잠시 후 다시 시도해 주세요. [SERVICE_UNAVAILABLE]"
    )


_LOOKUP = ("us-east-1_EXAMPLE11", JANE)
