"""GET and PATCH /me through the handler: JWT claims from the authorizer, exact profile bodies, only name and
locale editable (Cognito attribute update, then the profile store), and the failures."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from moto import mock_aws

from common.errors import DependencyError
from common.profiles.dynamodb import DynamoDbProfileStore
from common.profiles.memory import InMemoryProfileStore
from common.profiles.model import Profile
from tests.handlers.api_helpers import (
    ORIGIN,
    POOL_ID,
    SECURITY_HEADERS,
    SUB,
    claims,
    english,
    error,
    http_event,
    invoke,
    stubbed_cognito,
)

PROFILE = Profile(
    user_id=SUB,
    email="jane.doe@example.com",
    email_verified=True,
    name="Jane",
    locale="en",
    role="user",
    created_at="2026-11-26T08:40:17Z",
    updated_at="2026-11-26T08:40:17Z",
)
PROFILE_BODY = {
    "user_id": SUB,
    "email": "jane.doe@example.com",
    "email_verified": True,
    "name": "Jane",
    "locale": "en",
    "role": "user",
    "created_at": "2026-11-26T08:40:17Z",
    "updated_at": "2026-11-26T08:40:17Z",
}


def store_with_profile() -> InMemoryProfileStore:
    store = InMemoryProfileStore()
    store.create(PROFILE)
    return store


def me(method: str = "GET", body: Any = None, **kwargs: Any) -> dict[str, Any]:
    return http_event(method, "/me", body=body, jwt=kwargs.pop("jwt", claims()), **kwargs)


def test_get_me() -> None:
    with stubbed_cognito(store_with_profile()):
        status, headers, body = invoke(me(headers={"origin": ORIGIN}))
    assert (status, body) == (200, PROFILE_BODY)
    assert headers == {
        "Content-Type": "application/json",
        "Access-Control-Allow-Origin": ORIGIN,
        "Access-Control-Allow-Headers": "Accept-Language,Authorization,Content-Type,X-Amz-Date,"
        "X-Amz-Security-Token,X-Api-Key",
        "Access-Control-Max-Age": "600",
        **SECURITY_HEADERS,
    }


def test_get_me_without_claims_is_refused() -> None:
    with stubbed_cognito(store_with_profile()):
        status, _, body = invoke(http_event("GET", "/me"))
    assert (status, body) == (401, error("UNAUTHENTICATED", english("api.error.unauthenticated")))


def test_get_me_without_profile() -> None:
    with stubbed_cognito(InMemoryProfileStore()):
        status, _, body = invoke(me())
    assert (status, body) == (404, error("PROFILE_NOT_FOUND", english("api.error.profile_not_found")))


def test_store_failure_is_503() -> None:
    store = store_with_profile()
    store.fail_with = DependencyError("DynamoDB GetItem on profiles failed: ProvisionedThroughputExceededException")
    with stubbed_cognito(store):
        status, _, body = invoke(me())
    assert (status, body) == (503, error("SERVICE_UNAVAILABLE", english("api.error.service_unavailable")))


def test_patch_me() -> None:
    store = store_with_profile()
    with stubbed_cognito(store) as stubber:
        stubber.add_response(
            "admin_update_user_attributes",
            {},
            {
                "UserPoolId": POOL_ID,
                "Username": SUB,
                "UserAttributes": [{"Name": "name", "Value": "지민"}, {"Name": "locale", "Value": "ko"}],
            },
        )
        status, _, body = invoke(me("PATCH", {"name": "지민", "locale": "ko"}))
    assert status == 200
    assert body == {**PROFILE_BODY, "name": "지민", "locale": "ko", "updated_at": body["updated_at"]}
    assert body["updated_at"] >= PROFILE.updated_at
    assert (store.items[SUB].name, store.items[SUB].locale) == ("지민", "ko")


@pytest.mark.parametrize(
    ("request_body", "fields"),
    [
        ({"role": "admin"}, [("role", "EXTRA_FORBIDDEN", "extra_forbidden")]),
        ({"email": "x@example.com", "name": "x"}, [("email", "EXTRA_FORBIDDEN", "extra_forbidden")]),
        ({}, [("body", "VALUE_ERROR", "invalid")]),
        ({"locale": "not a locale"}, [("locale", "STRING_PATTERN_MISMATCH", "pattern")]),
        ({"name": "x" * 257}, [("name", "STRING_TOO_LONG", "too_long")]),
        ({"name": "bell\x07"}, [("name", "STRING_PATTERN_MISMATCH", "pattern")]),
        ({"name": 7}, [("name", "STRING_TYPE", "type")]),
    ],
)
def test_patch_me_accepts_only_name_and_locale(
    request_body: dict[str, Any], fields: list[tuple[str, str, str]]
) -> None:
    store = store_with_profile()
    with stubbed_cognito(store):
        status, _, body = invoke(me("PATCH", request_body))
    assert status == 400
    expected = [{"field": f, "code": c, "message": english(f"api.validation.{k}")} for f, c, k in fields]
    assert body == error("VALIDATION_FAILED", english("api.error.validation_failed"), expected)
    assert store.items[SUB] == PROFILE


def test_patch_me_for_a_deleted_user() -> None:
    with stubbed_cognito(store_with_profile()) as stubber:
        stubber.add_client_error("admin_update_user_attributes", "UserNotFoundException", "User does not exist.")
        status, _, body = invoke(me("PATCH", {"name": "x"}))
    assert (status, body) == (401, error("UNAUTHENTICATED", english("api.error.unauthenticated")))


@mock_aws
def test_me_on_the_dynamodb_store() -> None:
    """The same routes on the production store (moto), so the item layout and conditions are exercised."""
    dynamodb = boto3.client("dynamodb", region_name="us-east-1")
    dynamodb.create_table(
        TableName="profiles",
        AttributeDefinitions=[{"AttributeName": "userId", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "userId", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )
    store = DynamoDbProfileStore("profiles", dynamodb)
    assert store.create(PROFILE)
    with stubbed_cognito(store) as stubber:
        stubber.add_response("admin_update_user_attributes", {})
        assert invoke(me())[::2] == (200, PROFILE_BODY)
        status, _, body = invoke(me("PATCH", {"locale": "ko"}))
    assert (status, body["locale"], body["name"]) == (200, "ko", "Jane")
    item = dynamodb.get_item(TableName="profiles", Key={"userId": {"S": SUB}})["Item"]
    assert (item["locale"], item["name"], item["role"]) == ({"S": "ko"}, {"S": "Jane"}, {"S": "user"})
