"""The AWS stub: target parsing, canned answers, and one real round trip on 127.0.0.1."""

from __future__ import annotations

import http.client
import json

from bench.stub_aws import PROFILE_ITEM, RecordedCall, canned_response, parse_target, running_stub


def test_parse_target() -> None:
    assert parse_target("DynamoDB_20120810.GetItem") == ("dynamodb", "GetItem")
    assert parse_target("AWSCognitoIdentityProviderService.AdminAddUserToGroup") == (
        "cognito-idp",
        "AdminAddUserToGroup",
    )
    assert parse_target("Kinesis_20131202.PutRecord") is None
    assert parse_target("DynamoDB_20120810.") is None
    assert parse_target(None) is None


def test_profile_reads_find_a_profile_and_other_reads_find_nothing() -> None:
    key = {"userId": {"S": "u-1"}}
    assert canned_response("dynamodb", "GetItem", {"TableName": "p", "Key": key}) == {
        "Item": {**PROFILE_ITEM, "userId": {"S": "u-1"}}
    }
    assert canned_response("dynamodb", "GetItem", {"TableName": "c", "Key": {"email": {"S": "a@b.c"}}}) == {}
    assert canned_response("dynamodb", "PutItem", {"TableName": "c"}) == {}
    assert canned_response("dynamodb", "UpdateItem", {"Key": key}) == {}
    assert canned_response("dynamodb", "UpdateItem", {"Key": key, "ReturnValues": "ALL_NEW"}) == {
        "Attributes": {**PROFILE_ITEM, "userId": {"S": "u-1"}}
    }


def test_cognito_answers() -> None:
    assert canned_response("cognito-idp", "AdminAddUserToGroup", {}) == {}
    assert canned_response("cognito-idp", "ListUsers", {}) == {"Users": []}
    tokens = canned_response("cognito-idp", "InitiateAuth", {})
    assert tokens["AuthenticationResult"]["TokenType"] == "Bearer"
    assert canned_response("cognito-idp", "AdminGetUser", {"Username": "jane"})["Username"] == "jane"


def test_round_trip_is_answered_and_recorded() -> None:
    with running_stub() as stub:
        host, port = stub.endpoint_url.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=5)
        body = json.dumps({"TableName": "t", "Key": {"email": {"S": "a@b.c"}}})
        connection.request("POST", "/", body, {"X-Amz-Target": "DynamoDB_20120810.GetItem"})
        response = connection.getresponse()
        assert (response.status, json.loads(response.read())) == (200, {})
        assert response.getheader("Content-Type") == "application/x-amz-json-1.0"
        connection.request("POST", "/", "{}", {"X-Amz-Target": "Nope.Op"})
        refused = connection.getresponse()
        assert (refused.status, json.loads(refused.read())["__type"]) == (400, "UnknownOperationException")
        connection.close()
        assert stub.take_calls() == [
            RecordedCall("dynamodb", "GetItem", {"TableName": "t", "Key": {"email": {"S": "a@b.c"}}})
        ]
        assert stub.take_calls() == []
