"""Post-confirmation settings: required names, defaults, validation with clear messages, and the time budget."""

from __future__ import annotations

import pytest

from common.config import Environment
from common.errors import ConfigurationError
from common.profiles.post_confirmation import PostConfirmationSettings, budget_for
from common.signup.settings import SignupSettings

REQUIRED = {"PROFILE_TABLE_NAME": "profiles", "EMAIL_CLAIMS_TABLE_NAME": "claims"}


def settings(**values: str) -> PostConfirmationSettings:
    return PostConfirmationSettings.from_env(Environment({**REQUIRED, **values}))


def test_defaults() -> None:
    assert settings() == PostConfirmationSettings(
        profile_table_name="profiles",
        email_claims_table_name="claims",
        default_group="user",
        budget_seconds=2.5,
        signup=SignupSettings.from_env(Environment(REQUIRED)),
    )


def test_every_value_is_read() -> None:
    read = settings(
        DEFAULT_GROUP="members", POST_CONFIRMATION_BUDGET_SECONDS="1.5", SIGNUP_FOLD_PLUS_DOMAINS="example.com"
    )
    assert (read.default_group, read.budget_seconds) == ("members", 1.5)
    assert read.signup.fold_plus_domains == frozenset({"example.com"})


@pytest.mark.parametrize("missing", sorted(REQUIRED))
def test_table_names_are_required(missing: str) -> None:
    values = {k: v for k, v in REQUIRED.items() if k != missing}
    with pytest.raises(ConfigurationError, match=f"environment variable {missing} is required"):
        PostConfirmationSettings.from_env(Environment(values))


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DEFAULT_GROUP", "two words", "DEFAULT_GROUP must be a Cognito group name"),
        ("POST_CONFIRMATION_BUDGET_SECONDS", "4.5", "POST_CONFIRMATION_BUDGET_SECONDS must be at most 4.0"),
        ("POST_CONFIRMATION_BUDGET_SECONDS", "0.1", "POST_CONFIRMATION_BUDGET_SECONDS must be at least 0.2"),
        ("POST_CONFIRMATION_BUDGET_SECONDS", "soon", "POST_CONFIRMATION_BUDGET_SECONDS must be a number"),
        ("SIGNUP_FOLD_PLUS_DOMAINS", "not a domain", "SIGNUP_FOLD_PLUS_DOMAINS has an invalid domain name"),
    ],
)
def test_invalid_values_are_refused_with_the_variable_named(name: str, value: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        settings(**{name: value})


@pytest.mark.parametrize(
    ("remaining_millis", "budget"),
    [(None, 2.5), (5000, 2.5), (2500, 2.0), (400, 0.0)],
)
def test_budget_never_exceeds_the_lambdas_remaining_time_minus_a_margin(
    remaining_millis: int | None, budget: float
) -> None:
    assert budget_for(settings(), remaining_millis) == budget
