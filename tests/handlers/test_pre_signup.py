"""The PreSignUp Lambda handler in-process: realistic events for all three sources, moto for DynamoDB and the
user pool, exact response objects and exact DynamoDB items. Covers racing sign-ups, abandoned claims and
retried invocations."""

from __future__ import annotations

import copy
import dataclasses
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.stub import Stubber
from moto import mock_aws

import triggers.pre_signup as trigger
from common.aws import cognito_client, dynamodb_client, reset_clients
from common.config import Environment
from common.errors import UserFacingError
from common.signup.directory import CognitoDirectory
from common.signup.email_claims import DynamoDbEmailClaims
from common.signup.service import SignupDependencies
from common.signup.settings import SignupSettings
from tests.events import load_event
from tests.lambda_context import FakeLambdaContext
from tests.profiles_support import create_table

TABLE = "claims-pre-signup-test"
T0 = 1_795_682_417.0
T0_ISO = "2026-11-26T08:40:17Z"
GOOGLE = "Google_104857361928374650192"
UNAVAILABLE = (
    "This email address can't be used to create an account. Try signing in, or use a different address. "
    "[EMAIL_UNAVAILABLE]"
)
UNAVAILABLE_KO = "이 이메일 주소로는 계정을 만들 수 없습니다. 로그인하거나 다른 주소를 사용하세요. [EMAIL_UNAVAILABLE]"
NOTHING = {"autoConfirmUser": False, "autoVerifyEmail": False, "autoVerifyPhone": False}


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


@dataclasses.dataclass
class Stack:
    pool_id: str
    dynamodb: Any
    cognito: Any
    clock: Clock
    monkeypatch: pytest.MonkeyPatch

    def configure(self, directory: Any = None, **values: str) -> None:
        """Settings as the deployer would set them (plus the table), wired like the real handler."""
        settings = SignupSettings.from_env(Environment({"EMAIL_CLAIMS_TABLE_NAME": TABLE, **values}))
        deps = SignupDependencies(
            DynamoDbEmailClaims(settings.require_claims_table()), directory or CognitoDirectory(), self.clock
        )
        self.monkeypatch.setattr(trigger, "SETTINGS", settings)
        self.monkeypatch.setattr(trigger, "dependencies", lambda: deps)

    def create_user(self, email: str, *, confirmed: bool = True) -> str:
        """A user in the pool, as Cognito would hold it after an earlier sign-up; returns its userName.
        ``confirmed=False``: a self-service sign-up that never entered its code (status UNCONFIRMED)."""
        if not confirmed:
            client_id = self.cognito.create_user_pool_client(UserPoolId=self.pool_id, ClientName="web")[
                "UserPoolClient"
            ]["ClientId"]
            return str(self.cognito.sign_up(ClientId=client_id, Username=email, Password="Correct-Horse-9")["UserSub"])
        user = self.cognito.admin_create_user(
            UserPoolId=self.pool_id,
            Username=email,
            UserAttributes=[{"Name": "email", "Value": email}],
            MessageAction="SUPPRESS",
        )["User"]
        self.cognito.admin_set_user_password(
            UserPoolId=self.pool_id, Username=user["Username"], Password="Correct-Horse-9", Permanent=True
        )
        return str(user["Username"])

    def items(self) -> list[dict[str, Any]]:
        return sorted(self.dynamodb.scan(TableName=TABLE)["Items"], key=lambda item: item["email"]["S"])


@pytest.fixture
def stack(monkeypatch: pytest.MonkeyPatch) -> Iterator[Stack]:
    with mock_aws():
        reset_clients()
        dynamodb, cognito = dynamodb_client(), cognito_client()
        create_table(dynamodb, "EmailClaimsTable", TABLE)
        pool_id = cognito.create_user_pool(PoolName="test", UsernameAttributes=["email"])["UserPool"]["Id"]
        built = Stack(pool_id, dynamodb, cognito, Clock(), monkeypatch)
        built.configure()
        yield built
        reset_clients()


def event(stack: Stack, name: str, user_name: str | None = None, **attributes: str) -> dict[str, Any]:
    loaded = load_event(name)
    loaded["userPoolId"] = stack.pool_id
    if user_name is not None:
        loaded["userName"] = user_name
    loaded["request"]["userAttributes"].update(attributes)
    return loaded


def invoke(evt: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = trigger.handler(evt, FakeLambdaContext())
    return result


def refusal(evt: dict[str, Any]) -> str:
    with pytest.raises(UserFacingError) as caught:
        invoke(evt)
    return str(caught.value)


def pending_item(email: str, user: str, created: str = T0_ISO, expires: int = int(T0) + 172_800) -> dict[str, Any]:
    return {
        "email": {"S": email},
        "userName": {"S": user},
        "status": {"S": "PENDING"},
        "source": {"S": "PreSignUp_SignUp"},
        "createdAt": {"S": created},
        "expiresAt": {"N": str(expires)},
    }


def confirmed_item(email: str, user: str, source: str) -> dict[str, Any]:
    return {
        "email": {"S": email},
        "userName": {"S": user},
        "status": {"S": "CONFIRMED"},
        "source": {"S": source},
        "createdAt": {"S": T0_ISO},
        "confirmedAt": {"S": T0_ISO},
    }


# ---------------------------------------------------------------- the three sources


def test_sign_up_is_accepted_and_claims_the_canonical_address(stack: Stack) -> None:
    evt = event(stack, "pre-signup.sign-up", email=" Jane.Doe@Example.COM")
    expected = copy.deepcopy(evt)
    expected["response"] = NOTHING
    result = invoke(evt)
    assert result is evt
    assert result == expected
    assert stack.items() == [pending_item("jane.doe@example.com", "6f5e4d3c-2b1a-4098-8765-43210fedcba9")]


def test_admin_created_user_gets_a_permanent_claim_and_optional_verification(stack: Stack) -> None:
    stack.configure(SIGNUP_AUTO_VERIFY_ADMIN_CREATED="true")
    evt = event(stack, "pre-signup.admin-create-user")
    expected = copy.deepcopy(evt)
    expected["response"] = {"autoConfirmUser": True, "autoVerifyEmail": True, "autoVerifyPhone": False}
    assert invoke(evt) == expected
    assert stack.items() == [
        confirmed_item("minsu.kim@example.co.kr", "6f5e4d3c-2b1a-4098-8765-43210fedcba9", "PreSignUp_AdminCreateUser")
    ]


def test_first_federated_sign_in_gets_a_permanent_claim(stack: Stack) -> None:
    evt = event(stack, "pre-signup.external-provider")
    expected = copy.deepcopy(evt)
    expected["response"] = NOTHING
    assert invoke(evt) == expected
    assert stack.items() == [confirmed_item("jane.doe@example.com", GOOGLE, "PreSignUp_ExternalProvider")]


def test_federated_sign_in_onto_a_native_account_is_linked_through_cognito(stack: Stack) -> None:
    """moto has no AdminLinkProviderForUser: the exact request is checked with botocore's Stubber."""
    native = stack.create_user("jane.doe@example.com")
    stack.configure(SIGNUP_AUTO_CONFIRM_DOMAINS="example.com")
    invoke(event(stack, "pre-signup.sign-up", native, email="jane.doe@example.com"))

    client = cognito_client()
    stubber = Stubber(client)
    stubber.add_response(
        "admin_link_provider_for_user",
        {},
        {
            "UserPoolId": stack.pool_id,
            "DestinationUser": {"ProviderName": "Cognito", "ProviderAttributeValue": native},
            "SourceUser": {
                "ProviderName": "Google",
                "ProviderAttributeName": "Cognito_Subject",
                "ProviderAttributeValue": "104857361928374650192",
            },
        },
    )
    stack.configure(CognitoDirectory(client), SIGNUP_LINK_PROVIDERS="Google")
    with stubber:
        assert refusal(event(stack, "pre-signup.external-provider", email="JANE.DOE@example.com")) == (
            "Your sign-in has been connected to your existing account. Please sign in again. [ACCOUNT_LINKED]"
        )
        stubber.assert_no_pending_responses()
    assert stack.items() == [confirmed_item("jane.doe@example.com", native, "PreSignUp_SignUp")]


# ---------------------------------------------------------------- uniqueness


def test_duplicate_in_different_case_is_refused_in_the_users_language(stack: Stack) -> None:
    invoke(event(stack, "pre-signup.sign-up", email="jane.doe@example.com"))
    again = event(stack, "pre-signup.sign-up", "0a1b2c3d-0000-4000-8000-000000000001", email="JANE.Doe@example.com")
    assert refusal(again) == UNAVAILABLE
    again["request"]["clientMetadata"] = {"locale": "ko-KR"}
    assert refusal(again) == UNAVAILABLE_KO
    assert stack.items() == [pending_item("jane.doe@example.com", "6f5e4d3c-2b1a-4098-8765-43210fedcba9")]


def test_two_racing_sign_ups_for_one_address_produce_one_claim(stack: Stack) -> None:
    racers = 8
    barrier = threading.Barrier(racers)
    outcomes: dict[str, str] = {}

    def sign_up(index: int) -> None:
        user = f"00000000-0000-4000-8000-{index:012d}"
        evt = event(stack, "pre-signup.sign-up", user, email="Race@Example.com" if index % 2 else "race@example.com")
        barrier.wait()
        try:
            invoke(evt)
            outcomes[user] = "accepted"
        except UserFacingError as exc:
            outcomes[user] = exc.code

    threads = [threading.Thread(target=sign_up, args=(i,)) for i in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [user for user, outcome in outcomes.items() if outcome == "accepted"]
    assert len(winners) == 1
    assert sorted(outcomes.values()) == ["EMAIL_UNAVAILABLE"] * (racers - 1) + ["accepted"]
    assert stack.items() == [pending_item("race@example.com", winners[0])]


def test_abandoned_sign_up_frees_its_address_after_the_configured_time(stack: Stack) -> None:
    stack.configure(SIGNUP_UNCONFIRMED_CLAIM_SECONDS="900")
    first = stack.create_user("jane.doe@example.com", confirmed=False)  # never confirmed: expiry frees it
    invoke(event(stack, "pre-signup.sign-up", first, email="jane.doe@example.com"))
    second = "0a1b2c3d-0000-4000-8000-000000000001"
    stack.clock.now = T0 + 900
    assert refusal(event(stack, "pre-signup.sign-up", second, email="Jane.Doe@example.com")) == UNAVAILABLE
    stack.clock.now = T0 + 901
    evt = event(stack, "pre-signup.sign-up", second, email="Jane.Doe@example.com")
    assert invoke(evt)["response"] == NOTHING
    assert stack.items() == [
        pending_item("jane.doe@example.com", second, "2026-11-26T08:55:18Z", int(T0) + 901 + 900),
    ]


def test_an_expired_claim_of_a_confirmed_account_is_repaired_not_freed(stack: Stack) -> None:
    """Post-confirmation never confirmed the claim (it failed): the confirmed account keeps its address."""
    stack.configure(SIGNUP_UNCONFIRMED_CLAIM_SECONDS="900")
    owner = stack.create_user("jane.doe@example.com")  # CONFIRMED in the pool
    invoke(event(stack, "pre-signup.sign-up", owner, email="jane.doe@example.com"))
    stack.clock.now = T0 + 901
    assert refusal(event(stack, "pre-signup.sign-up", "0a1b2c3d-0000-4000-8000-000000000001")) == UNAVAILABLE
    assert stack.items() == [
        {
            "email": {"S": "jane.doe@example.com"},
            "userName": {"S": owner},
            "status": {"S": "CONFIRMED"},
            "source": {"S": "PreSignUp_SignUp"},
            "createdAt": {"S": T0_ISO},
            "confirmedAt": {"S": "2026-11-26T08:55:18Z"},
        }
    ]


def test_a_claim_whose_account_was_deleted_is_taken_over(stack: Stack) -> None:
    gone = stack.create_user("jane.doe@example.com")
    stack.configure(SIGNUP_AUTO_CONFIRM_DOMAINS="example.com")
    invoke(event(stack, "pre-signup.sign-up", gone, email="jane.doe@example.com"))
    stack.cognito.admin_delete_user(UserPoolId=stack.pool_id, Username=gone)
    stack.configure()
    stack.clock.now = T0 + 3600
    successor = "0a1b2c3d-0000-4000-8000-000000000001"
    assert invoke(event(stack, "pre-signup.sign-up", successor))["response"] == NOTHING
    assert stack.items() == [
        pending_item("jane.doe@example.com", successor, "2026-11-26T09:40:17Z", int(T0) + 3600 + 172_800)
    ]


def test_a_claim_whose_account_exists_is_kept_however_old(stack: Stack) -> None:
    owner = stack.create_user("jane.doe@example.com")
    stack.configure(SIGNUP_AUTO_CONFIRM_DOMAINS="example.com")
    invoke(event(stack, "pre-signup.sign-up", owner, email="jane.doe@example.com"))
    stack.clock.now = T0 + 365 * 86_400
    assert refusal(event(stack, "pre-signup.sign-up", "0a1b2c3d-0000-4000-8000-000000000001")) == UNAVAILABLE
    assert stack.items() == [confirmed_item("jane.doe@example.com", owner, "PreSignUp_SignUp")]


def test_a_retried_invocation_succeeds_with_the_same_answer_and_item(stack: Stack) -> None:
    first = invoke(event(stack, "pre-signup.sign-up"))
    stack.clock.now = T0 + 4  # Cognito retries after a timeout
    retry = invoke(event(stack, "pre-signup.sign-up"))
    assert retry == first
    assert stack.items() == [pending_item("jane.doe@example.com", "6f5e4d3c-2b1a-4098-8765-43210fedcba9")]


# ---------------------------------------------------------------- policy refusals through the handler


@pytest.mark.parametrize("name", ["pre-signup.sign-up", "pre-signup.admin-create-user", "pre-signup.external-provider"])
@pytest.mark.parametrize(
    ("attributes", "expected"),
    [
        (
            {"email": "throwaway@mailinator.com"},
            "Temporary or disposable email addresses can't be used. Use a permanent address. [DISPOSABLE_EMAIL]",
        ),
        (
            {"custom:role": "admin"},
            "This sign-up contains information that can't be set. Remove it and try again. [ATTRIBUTE_NOT_ALLOWED]",
        ),
        ({"email": "jane.doe@@example.com"}, "Enter a valid email address. [EMAIL_INVALID]"),
    ],
)
def test_policy_refusals_for_every_source_write_nothing(
    stack: Stack, name: str, attributes: dict[str, str], expected: str
) -> None:
    evt = event(stack, name, **attributes)
    evt["request"]["clientMetadata"] = {"locale": "en"}
    assert refusal(evt) == expected
    assert stack.items() == []


def test_denied_domain_is_refused_in_korean(stack: Stack) -> None:
    stack.configure(SIGNUP_DENIED_DOMAINS="example.co.kr")
    assert refusal(event(stack, "pre-signup.admin-create-user")) == (
        "이 도메인의 이메일 주소로는 가입할 수 없습니다. [DOMAIN_BLOCKED]"
    )


def _logged(caplog: pytest.LogCaptureFixture) -> str:
    """Every record with its extra fields, as one text to search."""
    return "\n".join(f"{record.getMessage()} {record.__dict__}" for record in caplog.records)


def test_an_unavailable_table_is_masked_as_an_internal_error(stack: Stack, caplog: pytest.LogCaptureFixture) -> None:
    settings = SignupSettings.from_env(Environment({"EMAIL_CLAIMS_TABLE_NAME": "missing"}))
    stack.monkeypatch.setattr(
        trigger, "dependencies", lambda: SignupDependencies(DynamoDbEmailClaims("missing"), CognitoDirectory())
    )
    stack.monkeypatch.setattr(trigger, "SETTINGS", settings)
    assert refusal(event(stack, "pre-signup.sign-up")) == (
        "Something went wrong on our side. Please try again in a moment. [INTERNAL_ERROR]"
    )
    assert "trigger failed" in _logged(caplog)
    assert "jane.doe@example.com" not in _logged(caplog)


def test_logs_never_carry_the_address(stack: Stack, caplog: pytest.LogCaptureFixture) -> None:
    invoke(event(stack, "pre-signup.sign-up"))
    refusal(event(stack, "pre-signup.sign-up", "0a1b2c3d-0000-4000-8000-000000000001"))
    refused = [r for r in caplog.records if r.getMessage() == "sign-up refused"]
    assert [(r.reason, r.trigger_source, r.email) for r in refused] == [  # type: ignore[attr-defined]
        ("EMAIL_UNAVAILABLE", "PreSignUp_SignUp", "j***@example.com")
    ]
    assert "jane.doe@example.com" not in _logged(caplog)


def test_real_wiring_builds_the_stores_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(trigger, "SETTINGS", SignupSettings(claims_table_name="from-env"))
    trigger.dependencies.cache_clear()
    try:
        deps = trigger.dependencies()
        assert isinstance(deps.claims, DynamoDbEmailClaims)
        assert deps.claims._table == "from-env"
        assert isinstance(deps.directory, CognitoDirectory)
        assert trigger.dependencies() is deps
    finally:
        trigger.dependencies.cache_clear()


def test_the_first_invocation_is_charged_the_init_time_even_when_its_event_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An on-demand cold start's init ran on Cognito's clock: the first invocation's budget leaves it out, and only
    the first, whatever happens to its event (here the contract wrapper refuses it before the use case runs)."""
    monkeypatch.setattr(trigger, "_init_on_request_clock", [1.2])
    refused = load_event("pre-signup.sign-up")
    refused["triggerSource"] = "PostConfirmation_ConfirmSignUp"
    with pytest.raises(UserFacingError):
        trigger.handler(refused, FakeLambdaContext())
    assert trigger._init_on_request_clock == [0.0]
    assert trigger._current_budget[0].seconds_left() == pytest.approx(4.5 - 1.2, abs=0.05)
    budget = trigger.invocation_budget(FakeLambdaContext())  # the next invocation: nothing left to charge
    assert budget.seconds_left() == pytest.approx(4.5, abs=0.05)
