"""Post-confirmation settings: required names, defaults, validation with clear messages, and the time budget."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from common.config import Environment
from common.errors import ConfigurationError
from common.profiles.post_confirmation import PostConfirmationFunction, PostConfirmationSettings, budget_for
from common.signup.settings import SignupSettings
from common.startup import process_age_seconds

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
    ("remaining_millis", "cold_start", "budget"),
    [
        (None, 0.0, 2.5),  # warm: the configured budget
        (5000, 0.0, 2.5),
        (2500, 0.0, 2.0),  # the Lambda itself has less time left
        (400, 0.0, 0.0),
        (5000, 1.5, 2.5),  # a normal cold start still leaves the whole budget
        (5000, 3.0, 1.5),  # a slow one: answer Cognito by 4.5 s after the process started
        (5000, 6.0, 0.0),
    ],
)
def test_budget_leaves_room_for_the_cold_start_and_the_lambdas_remaining_time(
    remaining_millis: int | None, cold_start: float, budget: float
) -> None:
    assert budget_for(settings(), remaining_millis, cold_start) == pytest.approx(budget)


@pytest.mark.parametrize(
    ("initialization_type", "on_clock"),
    [("on-demand", True), ("provisioned-concurrency", False), ("snap-start", False), (None, False)],
)
def test_only_an_on_demand_init_runs_on_the_requests_clock(initialization_type: str | None, on_clock: bool) -> None:
    values = {"AWS_LAMBDA_INITIALIZATION_TYPE": initialization_type} if initialization_type else {}
    assert settings(**values).init_on_request_clock is on_clock


def test_only_the_first_invocation_pays_for_the_cold_start() -> None:
    function = PostConfirmationFunction(settings(), onboarding=None, cold_start_seconds=3.0)  # type: ignore[arg-type]
    assert function.budget(5000) == pytest.approx(1.5)
    assert function.budget(5000) == pytest.approx(2.5)


def test_process_age_is_read_from_proc(tmp_path: Path) -> None:
    (tmp_path / "self").mkdir()
    ticks = os.sysconf("SC_CLK_TCK")
    # pid (comm with ") " inside) state, then fields 4..21, then starttime (field 22)
    fields = ["S", *["0"] * 18, str(100 * ticks)]
    (tmp_path / "self" / "stat").write_text(f"42 (python (x) y) {' '.join(fields)} 0 0\n", encoding="ascii")
    (tmp_path / "uptime").write_text("101.25 400.00\n", encoding="ascii")
    assert process_age_seconds(tmp_path) == pytest.approx(1.25)


def test_process_age_is_unknown_without_proc(tmp_path: Path) -> None:
    assert process_age_seconds(tmp_path) is None


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="no /proc on this system")
def test_process_age_of_this_process_is_plausible() -> None:
    age = process_age_seconds()
    assert age is not None
    assert 0.0 <= age < 24 * 3600
