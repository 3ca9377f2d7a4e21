"""The sign-up gate end to end: real boto3 SignUp calls over HTTP to the local stack, which runs the packaged
PreSignUp (and PostConfirmation) functions in their own sandboxes with the template's environment.

Two stacks: the default one (the template as packaged), and a variant whose template a deployer could have
written: a short unconfirmed-claim lifetime, plus-address folding for example.com, and a pool that (wrongly)
lets clients write ``custom:role``, so the gate's own refusal is what the test sees.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.exceptions import ClientError

from common.errors import ParsedTriggerError, parse_trigger_error
from tests.e2e.conftest import packaged_template

pytestmark = pytest.mark.e2e

PASSWORD = "Correct-Horse-9-Battery"
CLAIM_SECONDS = 2
UNAVAILABLE = "This email address can't be used to create an account. Try signing in, or use a different address."


def sign_up(stack: Any, email: str, *attributes: tuple[str, str], locale: str = "en") -> dict[str, Any]:
    response: dict[str, Any] = stack.cognito().sign_up(
        ClientId=stack.client_id,
        Username=email,
        Password=PASSWORD,
        SecretHash=stack.secret_hash(email),
        UserAttributes=[{"Name": "name", "Value": "Jane Doe"}, *({"Name": n, "Value": v} for n, v in attributes)],
        ClientMetadata={"locale": locale},
    )
    return response


def refused(stack: Any, email: str, *attributes: tuple[str, str], locale: str = "en") -> ParsedTriggerError:
    with pytest.raises(ClientError) as caught:
        sign_up(stack, email, *attributes, locale=locale)
    error = caught.value.response["Error"]
    assert error["Code"] == "UserLambdaValidationException", error
    parsed = parse_trigger_error(error["Message"])
    assert parsed is not None, error["Message"]
    return parsed


def claims(stack: Any) -> dict[str, dict[str, Any]]:
    items = stack.dynamodb().scan(TableName=stack.email_claims_table, ConsistentRead=True)["Items"]
    return {item["email"]["S"]: item for item in items}


def users_with_email(stack: Any, email: str) -> list[str]:
    """Pool users whose email is ``email`` in any case (a test-only ListUsers; the gate never calls it)."""
    users = stack.cognito().list_users(UserPoolId=stack.pool_id)["Users"]
    found = []
    for user in users:
        attributes = {a["Name"]: a["Value"] for a in user["Attributes"]}
        if attributes.get("email", "").lower() == email.lower():
            found.append(user["Username"])
    return found


def assert_pending_claim(item: dict[str, Any], email: str, user: str, lifetime: int) -> None:
    created = datetime.strptime(item["createdAt"]["S"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert item == {
        "email": {"S": email},
        "userName": {"S": user},
        "status": {"S": "PENDING"},
        "source": {"S": "PreSignUp_SignUp"},
        "createdAt": item["createdAt"],
        "expiresAt": {"N": str(int(created.timestamp()) + lifetime)},
    }
    assert abs(created.timestamp() - time.time()) < 120


@pytest.fixture(scope="module")
def variant_stack(stack_from_template: Any) -> Iterator[Any]:
    document = packaged_template()
    resources = document["Resources"]
    for function in ("PreSignUpLambdaFunction", "PostConfirmationLambdaFunction"):
        variables = resources[function]["Properties"]["Environment"]["Variables"]
        variables["SIGNUP_FOLD_PLUS_DOMAINS"] = "example.com"
    pre = resources["PreSignUpLambdaFunction"]["Properties"]["Environment"]["Variables"]
    pre["SIGNUP_UNCONFIRMED_CLAIM_SECONDS"] = str(CLAIM_SECONDS)
    # The trap from the Cognito facts: a custom attribute in the schema that the app client may write.
    pool = resources["CognitoUserPoolMain"]["Properties"]
    pool["Schema"].append({"Name": "role", "AttributeDataType": "String", "Mutable": True})
    resources["CognitoUserPoolClientApi"]["Properties"]["WriteAttributes"].append("custom:role")
    yield stack_from_template(document)


def test_a_duplicate_in_different_case_is_refused(local_stack: Any, unique_email: str) -> None:
    sub = sign_up(local_stack, unique_email)["UserSub"]
    shouted = unique_email.upper()
    assert refused(local_stack, shouted) == ParsedTriggerError("PreSignUp", "EMAIL_UNAVAILABLE", UNAVAILABLE)
    assert refused(local_stack, shouted.capitalize(), locale="ko") == ParsedTriggerError(
        "PreSignUp",
        "EMAIL_UNAVAILABLE",
        "이 이메일 주소로는 계정을 만들 수 없습니다. 로그인하거나 다른 주소를 사용하세요.",
    )
    assert users_with_email(local_stack, unique_email) == [sub]
    assert_pending_claim(claims(local_stack)[unique_email], unique_email, sub, 172_800)


def test_a_disposable_domain_is_refused(local_stack: Any) -> None:
    address = f"throwaway-{uuid.uuid4().hex[:8]}@mailinator.com"
    assert refused(local_stack, address) == ParsedTriggerError(
        "PreSignUp",
        "DISPOSABLE_EMAIL",
        "Temporary or disposable email addresses can't be used. Use a permanent address.",
    )
    assert users_with_email(local_stack, address) == []
    assert address not in claims(local_stack)


def test_a_sign_up_carrying_a_privileged_attribute_is_refused(variant_stack: Any, unique_email: str) -> None:
    assert refused(variant_stack, unique_email, ("custom:role", "admin")) == ParsedTriggerError(
        "PreSignUp",
        "ATTRIBUTE_NOT_ALLOWED",
        "This sign-up contains information that can't be set. Remove it and try again.",
    )
    assert users_with_email(variant_stack, unique_email) == []
    assert unique_email not in claims(variant_stack)
    sub = sign_up(variant_stack, unique_email)["UserSub"]  # the same sign-up without it goes through
    assert users_with_email(variant_stack, unique_email) == [sub]


@pytest.mark.parametrize("spelling", ["case", "plus"])
def test_racing_sign_ups_for_one_address_produce_one_account(variant_stack: Any, spelling: str) -> None:
    base = f"racer-{uuid.uuid4().hex[:10]}"
    racers = 6
    if spelling == "case":  # Cognito's own username check and the gate race each other
        addresses = [f"{base}@example.com".upper() if i % 2 else f"{base}@example.com" for i in range(racers)]
    else:  # distinct usernames to Cognito, one canonical address to the gate
        addresses = [f"{base}+{i}@example.com" for i in range(racers)]
    barrier = threading.Barrier(racers)
    results: dict[int, Any] = {}

    def race(index: int) -> None:
        barrier.wait()
        try:
            results[index] = sign_up(variant_stack, addresses[index])["UserSub"]
        except ClientError as exc:
            results[index] = exc.response["Error"]

    threads = [threading.Thread(target=race, args=(i,)) for i in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    winners = [r for r in results.values() if isinstance(r, str)]
    losers = [r for r in results.values() if not isinstance(r, str)]
    assert len(winners) == 1, results
    for error in losers:
        if error["Code"] == "UserLambdaValidationException":
            assert parse_trigger_error(error["Message"]) == ParsedTriggerError(
                "PreSignUp", "EMAIL_UNAVAILABLE", UNAVAILABLE
            )
        else:  # the exact same username, refused by Cognito before the trigger ran
            assert error["Code"] == "UsernameExistsException", error
    if spelling == "plus":
        assert all(e["Code"] == "UserLambdaValidationException" for e in losers)
    canonical = f"{base}@example.com"
    every_spelling = {a.lower() for a in addresses}
    accounts = [u for address in every_spelling for u in users_with_email(variant_stack, address)]
    assert accounts == winners
    assert_pending_claim(claims(variant_stack)[canonical], canonical, winners[0], CLAIM_SECONDS)


def test_an_abandoned_sign_up_frees_its_address_after_the_configured_time(variant_stack: Any) -> None:
    base = f"abandoned-{uuid.uuid4().hex[:10]}"
    canonical = f"{base}@example.com"
    first = sign_up(variant_stack, canonical)["UserSub"]  # never confirmed
    later = f"{base}+again@example.com"
    assert refused(variant_stack, later).code == "EMAIL_UNAVAILABLE"

    # Wait out the configured lifetime (the functions run on the real clock); the claim's own expiry says when.
    expires = int(claims(variant_stack)[canonical]["expiresAt"]["N"])
    time.sleep(max(0.0, expires + 1.1 - time.time()))

    second = sign_up(variant_stack, later)["UserSub"]
    assert second != first
    assert_pending_claim(claims(variant_stack)[canonical], canonical, second, CLAIM_SECONDS)

    # Confirming the new account makes its claim permanent (post-confirmation calls DynamoDbEmailClaims.confirm).
    cognito = variant_stack.cognito()
    cognito.confirm_sign_up(
        ClientId=variant_stack.client_id,
        Username=later,
        ConfirmationCode=variant_stack.outbox.latest_code(later),
        SecretHash=variant_stack.secret_hash(later),
    )
    item = claims(variant_stack)[canonical]
    assert (item["userName"], item["status"], "expiresAt" in item) == ({"S": second}, {"S": "CONFIRMED"}, False)

    # ...and now the first, abandoned account can no longer take it back by signing up again under a new spelling.
    time.sleep(CLAIM_SECONDS + 1)
    assert refused(variant_stack, f"{base}+third@example.com").code == "EMAIL_UNAVAILABLE"
