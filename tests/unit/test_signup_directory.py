"""The Cognito calls of the sign-up gate, checked request by request with botocore's Stubber (no network)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from common.errors import DependencyError
from common.signup.directory import CognitoDirectory

POOL = "us-east-1_EXAMPLE11"
JANE = "6f5e4d3c-2b1a-4098-8765-43210fedcba9"


@pytest.fixture
def stubbed() -> Iterator[tuple[CognitoDirectory, Stubber]]:
    client: Any = boto3.session.Session().client("cognito-idp", region_name="us-east-1")
    with Stubber(client) as stubber:
        yield CognitoDirectory(client), stubber
        stubber.assert_no_pending_responses()


def test_user_status_reads_admin_get_user(stubbed: tuple[CognitoDirectory, Stubber]) -> None:
    directory, stubber = stubbed
    stubber.add_response(
        "admin_get_user",
        {"Username": JANE, "UserStatus": "UNCONFIRMED"},
        {"UserPoolId": POOL, "Username": JANE},
    )
    assert directory.user_status(POOL, JANE) == "UNCONFIRMED"


def test_a_missing_user_has_no_status(stubbed: tuple[CognitoDirectory, Stubber]) -> None:
    directory, stubber = stubbed
    stubber.add_client_error("admin_get_user", "UserNotFoundException", "User does not exist.")
    assert directory.user_status(POOL, JANE) is None


def test_link_provider_sends_the_native_user_and_the_provider_subject(
    stubbed: tuple[CognitoDirectory, Stubber],
) -> None:
    directory, stubber = stubbed
    stubber.add_response(
        "admin_link_provider_for_user",
        {},
        {
            "UserPoolId": POOL,
            "DestinationUser": {"ProviderName": "Cognito", "ProviderAttributeValue": JANE},
            "SourceUser": {
                "ProviderName": "Google",
                "ProviderAttributeName": "Cognito_Subject",
                "ProviderAttributeValue": "104857361928374650192",
            },
        },
    )
    assert directory.link_provider(POOL, JANE, "Google", "104857361928374650192") is True


def test_linking_onto_a_vanished_user_is_an_outcome(stubbed: tuple[CognitoDirectory, Stubber]) -> None:
    directory, stubber = stubbed
    stubber.add_client_error("admin_link_provider_for_user", "UserNotFoundException", "User does not exist.")
    assert directory.link_provider(POOL, JANE, "Google", "1") is False


@pytest.mark.parametrize("operation", ["admin_get_user", "admin_link_provider_for_user"])
@pytest.mark.parametrize("code", ["TooManyRequestsException", "InternalErrorException", "NotAuthorizedException"])
def test_other_failures_become_dependency_errors(
    stubbed: tuple[CognitoDirectory, Stubber], operation: str, code: str
) -> None:
    directory, stubber = stubbed
    stubber.add_client_error(operation, code, "jane.doe@example.com is not in the message we raise")
    with pytest.raises(DependencyError) as caught:
        if operation == "admin_get_user":
            directory.user_status(POOL, JANE)
        else:
            directory.link_provider(POOL, JANE, "Google", "1")
    name = "AdminGetUser" if operation == "admin_get_user" else "AdminLinkProviderForUser"
    assert str(caught.value) == f"{name} failed: {code}"  # the AWS error class, never the message's data
    assert caught.value.__cause__ is not None
