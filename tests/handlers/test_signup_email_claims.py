"""The DynamoDB email-claims store on moto: exact items, conditional outcomes, retries, expiry, confirmation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from common.aws import dynamodb_client, reset_clients
from common.errors import DependencyError
from common.signup.claim_model import ClaimOutcome, ClaimResult, ClaimStatus, ConfirmResult, EmailClaim
from common.signup.email_claims import DynamoDbEmailClaims, claim_from_item, claim_to_item
from tests.profiles_support import create_table

TABLE = "claims-store-test"
T0 = 1_795_682_417
T0_ISO = "2026-11-26T08:40:17Z"
LATER_ISO = "2026-11-26T09:00:00Z"
JANE = "6f5e4d3c-2b1a-4098-8765-43210fedcba9"
OTHER = "0a1b2c3d-0000-4000-8000-000000000001"


def pending(email: str = "jane@example.com", user: str = JANE, expires: int = T0 + 600) -> EmailClaim:
    return EmailClaim(email, user, ClaimStatus.PENDING, "PreSignUp_SignUp", T0_ISO, expires)


def permanent(email: str = "jane@example.com", user: str = JANE, source: str = "PreSignUp_SignUp") -> EmailClaim:
    return EmailClaim(email, user, ClaimStatus.CONFIRMED, source, T0_ISO, None, T0_ISO)


@pytest.fixture
def client() -> Iterator[Any]:
    with mock_aws():
        reset_clients()
        ddb = dynamodb_client()
        create_table(ddb, "EmailClaimsTable", TABLE)
        yield ddb
        reset_clients()


@pytest.fixture
def store(client: Any) -> DynamoDbEmailClaims:
    return DynamoDbEmailClaims(TABLE, clock=lambda: T0 + 3600)


def items(client: Any) -> list[dict[str, Any]]:
    return sorted(client.scan(TableName=TABLE)["Items"], key=lambda item: item["email"]["S"])


def test_item_format() -> None:
    assert claim_to_item(pending()) == {
        "email": {"S": "jane@example.com"},
        "userName": {"S": JANE},
        "status": {"S": "PENDING"},
        "source": {"S": "PreSignUp_SignUp"},
        "createdAt": {"S": T0_ISO},
        "expiresAt": {"N": str(T0 + 600)},
    }
    assert claim_to_item(permanent()) == {
        "email": {"S": "jane@example.com"},
        "userName": {"S": JANE},
        "status": {"S": "CONFIRMED"},
        "source": {"S": "PreSignUp_SignUp"},
        "createdAt": {"S": T0_ISO},
        "confirmedAt": {"S": T0_ISO},
    }
    assert claim_from_item(claim_to_item(pending())) == pending()
    assert claim_from_item(claim_to_item(permanent())) == permanent()


def test_claim_on_a_free_address_writes_the_item(store: DynamoDbEmailClaims, client: Any) -> None:
    assert store.claim(pending(), now_epoch=T0) == ClaimOutcome(ClaimResult.CLAIMED)
    assert items(client) == [claim_to_item(pending())]
    assert store.get("jane@example.com") == pending()
    assert store.get("nobody@example.com") is None


def test_a_retry_by_the_same_user_writes_nothing(store: DynamoDbEmailClaims, client: Any) -> None:
    store.claim(pending(), now_epoch=T0)
    retry = pending(expires=T0 + 9999)
    assert store.claim(retry, now_epoch=T0 + 2) == ClaimOutcome(ClaimResult.ALREADY_HELD, pending())
    assert items(client) == [claim_to_item(pending())]


def test_another_user_loses_and_learns_who_holds_it(store: DynamoDbEmailClaims, client: Any) -> None:
    store.claim(pending(), now_epoch=T0)
    assert store.claim(pending(user=OTHER), now_epoch=T0 + 1) == ClaimOutcome(ClaimResult.TAKEN, pending())
    assert items(client) == [claim_to_item(pending())]


def test_an_expired_claim_is_taken_over_before_ttl_deletes_it(store: DynamoDbEmailClaims, client: Any) -> None:
    store.claim(pending(), now_epoch=T0)
    assert store.claim(pending(user=OTHER), now_epoch=T0 + 600).result is ClaimResult.TAKEN  # expiry is exclusive
    newer = pending(user=OTHER, expires=T0 + 1201)
    assert store.claim(newer, now_epoch=T0 + 601) == ClaimOutcome(ClaimResult.CLAIMED)
    assert items(client) == [claim_to_item(newer)]


def test_a_permanent_claim_never_expires(store: DynamoDbEmailClaims, client: Any) -> None:
    store.claim(permanent(), now_epoch=T0)
    later = T0 + 10 * 365 * 86_400
    assert store.claim(pending(user=OTHER), now_epoch=later) == ClaimOutcome(ClaimResult.TAKEN, permanent())
    assert store.claim(pending(user=OTHER), now_epoch=later, take_over_pending=True).result is ClaimResult.TAKEN


def test_take_over_pending_replaces_only_pending_claims(store: DynamoDbEmailClaims, client: Any) -> None:
    store.claim(pending(), now_epoch=T0)
    federated = permanent(user="Google_1", source="PreSignUp_ExternalProvider")
    assert store.claim(federated, now_epoch=T0, take_over_pending=True) == ClaimOutcome(ClaimResult.CLAIMED)
    assert items(client) == [claim_to_item(federated)]


def test_take_over_is_conditional_on_the_exact_stale_holder(store: DynamoDbEmailClaims, client: Any) -> None:
    store.claim(permanent(), now_epoch=T0)
    replacement = pending(user=OTHER)
    assert store.take_over(replacement, stale=pending(user="someone-else")) is False
    assert store.take_over(replacement, stale=permanent()) is True
    assert store.take_over(pending(user="third"), stale=permanent()) is False  # it changed meanwhile
    assert items(client) == [claim_to_item(replacement)]


def test_confirm_makes_a_pending_claim_permanent_idempotently(store: DynamoDbEmailClaims, client: Any) -> None:
    store.claim(pending(), now_epoch=T0)
    store.confirm("jane@example.com", JANE)
    assert store.try_confirm("jane@example.com", JANE, now=LATER_ISO) is ConfirmResult.CONFIRMED
    assert items(client) == [
        {
            "email": {"S": "jane@example.com"},
            "userName": {"S": JANE},
            "status": {"S": "CONFIRMED"},
            "source": {"S": "PreSignUp_SignUp"},
            "createdAt": {"S": T0_ISO},
            "confirmedAt": {"S": "2026-11-26T09:40:17Z"},
        }
    ]


def test_confirm_recreates_a_claim_that_expired_and_vanished(store: DynamoDbEmailClaims, client: Any) -> None:
    assert store.try_confirm("jane@example.com", JANE, now=LATER_ISO) is ConfirmResult.CONFIRMED
    assert items(client) == [
        {
            "email": {"S": "jane@example.com"},
            "userName": {"S": JANE},
            "status": {"S": "CONFIRMED"},
            "source": {"S": "PostConfirmation_ConfirmSignUp"},
            "createdAt": {"S": LATER_ISO},
            "confirmedAt": {"S": LATER_ISO},
        }
    ]


def test_a_confirmed_account_outranks_another_users_pending_claim(store: DynamoDbEmailClaims, client: Any) -> None:
    store.claim(pending(user=OTHER), now_epoch=T0)
    assert store.try_confirm("jane@example.com", JANE, now=LATER_ISO) is ConfirmResult.CONFIRMED
    assert items(client) == [
        {
            "email": {"S": "jane@example.com"},
            "userName": {"S": JANE},
            "status": {"S": "CONFIRMED"},
            "source": {"S": "PostConfirmation_ConfirmSignUp"},
            "createdAt": {"S": LATER_ISO},
            "confirmedAt": {"S": LATER_ISO},
        }
    ]


def test_confirm_never_takes_another_confirmed_claim(store: DynamoDbEmailClaims, client: Any) -> None:
    store.claim(permanent(user=OTHER), now_epoch=T0)
    assert store.try_confirm("jane@example.com", JANE, now=LATER_ISO) is ConfirmResult.CONFLICT
    store.confirm("jane@example.com", JANE)  # logged and counted, not raised
    assert items(client) == [claim_to_item(permanent(user=OTHER))]


class WithoutOldItem:
    """A client whose ConditionalCheckFailed errors carry no item (endpoints without
    ReturnValuesOnConditionCheckFailure): the store must fall back to a consistent read."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.gets = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def get_item(self, **kwargs: Any) -> Any:
        self.gets += 1
        return self._client.get_item(**kwargs)

    def put_item(self, **kwargs: Any) -> Any:
        try:
            return self._client.put_item(**kwargs)
        except ClientError as exc:
            exc.response.pop("Item", None)
            raise


class CountingGets(WithoutOldItem):
    def put_item(self, **kwargs: Any) -> Any:
        return self._client.put_item(**kwargs)


def test_a_lost_race_is_read_from_the_failed_write_itself(client: Any) -> None:
    counting = CountingGets(client)
    store = DynamoDbEmailClaims(TABLE, counting)  # type: ignore[arg-type]
    store.claim(pending(), now_epoch=T0)
    assert store.claim(pending(user=OTHER), now_epoch=T0) == ClaimOutcome(ClaimResult.TAKEN, pending())
    assert counting.gets == 0  # one request: ReturnValuesOnConditionCheckFailure carried the holder


def test_a_lost_race_is_read_back_when_the_error_has_no_item(client: Any) -> None:
    wrapped = WithoutOldItem(client)
    store = DynamoDbEmailClaims(TABLE, wrapped)  # type: ignore[arg-type]
    store.claim(pending(), now_epoch=T0)
    assert store.claim(pending(user=OTHER), now_epoch=T0) == ClaimOutcome(ClaimResult.TAKEN, pending())
    assert wrapped.gets == 1


def test_backend_failures_become_dependency_errors(client: Any) -> None:
    store = DynamoDbEmailClaims("no-such-table")
    for call in (
        lambda: store.claim(pending(), now_epoch=T0),
        lambda: store.get("jane@example.com"),
        lambda: store.take_over(pending(), stale=permanent()),
        lambda: store.try_confirm("jane@example.com", JANE, now=T0_ISO),
    ):
        with pytest.raises(DependencyError) as caught:
            call()
        assert isinstance(caught.value.__cause__, ClientError)
        assert "jane" not in str(caught.value)


def test_an_expired_claim_can_be_kept_for_the_caller_to_judge(store: DynamoDbEmailClaims, client: Any) -> None:
    store.claim(pending(), now_epoch=T0)
    later = T0 + 601
    assert store.claim(pending(user=OTHER), now_epoch=later, take_over_expired=False) == ClaimOutcome(
        ClaimResult.TAKEN, pending()
    )
    assert store.claim(pending(), now_epoch=later, take_over_expired=False).result is ClaimResult.ALREADY_HELD
    assert items(client) == [claim_to_item(pending())]
