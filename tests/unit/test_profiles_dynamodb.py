"""DynamoDbProfileStore: exact items, conditional writes as named outcomes, AWS failures as DependencyError.

moto runs in-process (no network, no account); the Stubber tests pin the exact requests, because moto would accept
a write without its condition and the condition is what makes retries and races safe.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ReadTimeoutError
from botocore.stub import Stubber
from moto import mock_aws

from common.errors import DependencyError
from common.profiles.dynamodb import DynamoDbProfileStore, item_from_profile, profile_from_item
from common.profiles.memory import InMemoryProfileStore
from common.profiles.model import Profile
from tests.profiles_support import create_table

TABLE = "profiles-test"
JANE = Profile(
    user_id="6f5e4d3c-2b1a-4098-8765-43210fedcba9",
    email="jane.doe@example.com",
    email_verified=True,
    name="Jane Doe",
    locale="en",
    role="user",
    created_at="2026-11-26T08:40:17Z",
    updated_at="2026-11-26T08:40:17Z",
)
JANE_ITEM = {
    "userId": {"S": "6f5e4d3c-2b1a-4098-8765-43210fedcba9"},
    "email": {"S": "jane.doe@example.com"},
    "emailVerified": {"BOOL": True},
    "name": {"S": "Jane Doe"},
    "locale": {"S": "en"},
    "role": {"S": "user"},
    "createdAt": {"S": "2026-11-26T08:40:17Z"},
    "updatedAt": {"S": "2026-11-26T08:40:17Z"},
}


@pytest.fixture
def client() -> Iterator[Any]:
    with mock_aws():
        dynamodb = boto3.client("dynamodb", region_name="us-east-1")
        create_table(dynamodb, "ProfilesTable", TABLE)
        yield dynamodb


@pytest.fixture
def store(client: Any) -> DynamoDbProfileStore:
    return DynamoDbProfileStore(TABLE, client)


def raw_item(client: Any, user_id: str) -> dict[str, Any] | None:
    item: dict[str, Any] | None = client.get_item(TableName=TABLE, Key={"userId": {"S": user_id}}).get("Item")
    return item


def test_create_writes_exactly_the_agreed_item(store: DynamoDbProfileStore, client: Any) -> None:
    assert store.create(JANE) is True
    assert raw_item(client, JANE.user_id) == JANE_ITEM


def test_create_twice_keeps_the_first_item_and_reports_it_existed(store: DynamoDbProfileStore, client: Any) -> None:
    assert store.create(JANE) is True
    later = Profile(**{**JANE.__dict__, "created_at": "2026-11-26T08:40:19Z", "updated_at": "2026-11-26T08:40:19Z"})
    assert store.create(later) is False
    assert store.create(later) is False
    assert raw_item(client, JANE.user_id) == JANE_ITEM
    assert client.scan(TableName=TABLE)["Count"] == 1


def test_optional_fields_are_absent_not_null(store: DynamoDbProfileStore, client: Any) -> None:
    bare = Profile(**{**JANE.__dict__, "name": None, "locale": None, "email_verified": False})
    store.create(bare)
    assert raw_item(client, JANE.user_id) == {
        "userId": {"S": JANE.user_id},
        "email": {"S": "jane.doe@example.com"},
        "emailVerified": {"BOOL": False},
        "role": {"S": "user"},
        "createdAt": {"S": "2026-11-26T08:40:17Z"},
        "updatedAt": {"S": "2026-11-26T08:40:17Z"},
    }
    assert store.get(JANE.user_id) == bare


def test_get_round_trips_and_returns_none_for_a_missing_user(store: DynamoDbProfileStore) -> None:
    assert store.get(JANE.user_id) is None
    store.create(JANE)
    assert store.get(JANE.user_id) == JANE


def test_record_password_reset_sets_only_the_two_timestamps(store: DynamoDbProfileStore, client: Any) -> None:
    store.create(JANE)
    assert store.record_password_reset(JANE.user_id, "2026-11-27T10:00:00Z") is True
    assert raw_item(client, JANE.user_id) == {
        **JANE_ITEM,
        "passwordResetAt": {"S": "2026-11-27T10:00:00Z"},
        "updatedAt": {"S": "2026-11-27T10:00:00Z"},
    }


def test_record_password_reset_without_a_profile_creates_nothing(store: DynamoDbProfileStore, client: Any) -> None:
    assert store.record_password_reset("no-such-user", "2026-11-27T10:00:00Z") is False
    assert client.scan(TableName=TABLE)["Count"] == 0


def test_update_sets_and_removes_editable_fields(store: DynamoDbProfileStore, client: Any) -> None:
    store.create(JANE)
    updated = store.update(JANE.user_id, {"name": "Jane Q. Doe", "locale": None}, "2026-11-28T09:00:00Z")
    expected = Profile(**{**JANE.__dict__, "name": "Jane Q. Doe", "locale": None, "updated_at": "2026-11-28T09:00:00Z"})
    assert updated == expected
    item = raw_item(client, JANE.user_id)
    assert item is not None
    assert "locale" not in item
    assert item["name"] == {"S": "Jane Q. Doe"}


def test_update_of_a_missing_profile_returns_none_and_creates_nothing(store: DynamoDbProfileStore, client: Any) -> None:
    assert store.update("no-such-user", {"name": "X"}, "2026-11-28T09:00:00Z") is None
    assert client.scan(TableName=TABLE)["Count"] == 0


def test_update_refuses_fields_that_are_not_user_editable(store: DynamoDbProfileStore) -> None:
    store.create(JANE)
    with pytest.raises(ValueError, match="role"):
        store.update(JANE.user_id, {"role": "admin"}, "2026-11-28T09:00:00Z")
    assert store.get(JANE.user_id) == JANE


def test_behaves_like_the_in_memory_fake(store: DynamoDbProfileStore) -> None:
    fake = InMemoryProfileStore()
    for backend in (store, fake):
        assert backend.create(JANE) is True
        assert backend.create(JANE) is False
        assert backend.record_password_reset(JANE.user_id, "2026-11-27T10:00:00Z") is True
        assert backend.record_password_reset("ghost", "2026-11-27T10:00:00Z") is False
        assert backend.update("ghost", {"name": "X"}, "2026-11-28T09:00:00Z") is None
        backend.update(JANE.user_id, {"locale": "ko"}, "2026-11-28T09:00:00Z")
    assert store.get(JANE.user_id) == fake.get(JANE.user_id)


def test_extra_attributes_round_trip_and_cannot_shadow_fields() -> None:
    profile = Profile(**{**JANE.__dict__, "extra": {"plan": "free"}})
    item = item_from_profile(profile)
    assert item["plan"] == {"S": "free"}
    assert profile_from_item(item) == profile
    with pytest.raises(ValueError, match="role"):
        item_from_profile(Profile(**{**JANE.__dict__, "extra": {"role": "admin"}}))


# ----------------------------------------------------------------- exact requests and failures (Stubber)


def stubbed() -> tuple[DynamoDbProfileStore, Stubber]:
    client = boto3.client("dynamodb", region_name="us-east-1")
    return DynamoDbProfileStore(TABLE, client), Stubber(client)


def test_create_is_a_put_guarded_by_attribute_not_exists() -> None:
    store, stub = stubbed()
    stub.add_response(
        "put_item",
        {},
        {"TableName": TABLE, "Item": JANE_ITEM, "ConditionExpression": "attribute_not_exists(userId)"},
    )
    with stub:
        assert store.create(JANE) is True
    stub.assert_no_pending_responses()


def test_password_reset_is_an_update_guarded_by_attribute_exists() -> None:
    store, stub = stubbed()
    stub.add_response(
        "update_item",
        {},
        {
            "TableName": TABLE,
            "Key": {"userId": {"S": JANE.user_id}},
            "UpdateExpression": "SET passwordResetAt = :at, updatedAt = :at",
            "ConditionExpression": "attribute_exists(userId)",
            "ExpressionAttributeValues": {":at": {"S": "2026-11-27T10:00:00Z"}},
        },
    )
    with stub:
        assert store.record_password_reset(JANE.user_id, "2026-11-27T10:00:00Z") is True
    stub.assert_no_pending_responses()


@pytest.mark.parametrize(
    ("operation", "call"),
    [
        ("put_item", lambda s: s.create(JANE)),
        ("update_item", lambda s: s.record_password_reset(JANE.user_id, "2026-11-27T10:00:00Z")),
        ("get_item", lambda s: s.get(JANE.user_id)),
        ("update_item", lambda s: s.update(JANE.user_id, {"name": "X"}, "2026-11-28T09:00:00Z")),
    ],
)
def test_a_throttled_call_becomes_a_dependency_error_with_the_code_and_no_item_data(operation: str, call: Any) -> None:
    store, stub = stubbed()
    stub.add_client_error(
        operation,
        service_error_code="ProvisionedThroughputExceededException",
        service_message="The level of configured provisioned throughput for the table was exceeded.",
        http_status_code=400,
    )
    with stub, pytest.raises(DependencyError) as caught:
        call(store)
    name = {"put_item": "PutItem", "update_item": "UpdateItem", "get_item": "GetItem"}[operation]
    assert str(caught.value) == f"DynamoDB {name} on {TABLE} failed: ProvisionedThroughputExceededException"
    assert "jane" not in str(caught.value).lower()


def test_a_network_timeout_becomes_a_dependency_error() -> None:
    client = boto3.client("dynamodb", region_name="us-east-1")

    def time_out(**_: Any) -> None:
        raise ReadTimeoutError(endpoint_url="https://dynamodb.us-east-1.amazonaws.com")

    client.meta.events.register("before-send.dynamodb.PutItem", time_out)
    with pytest.raises(DependencyError) as caught:
        DynamoDbProfileStore(TABLE, client).create(JANE)
    assert str(caught.value) == f"DynamoDB PutItem on {TABLE} failed: ReadTimeoutError"
