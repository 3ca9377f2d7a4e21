"""The flows the fault suite breaks: each trigger's AWS-touching paths, their preconditions, and how a user or an
operator recovers when the flow failed.

A :class:`World` is one fresh in-process AWS (moto, built from the packaged template) with one user and the
real handlers wired to it. Preconditions are made by running the real handlers cleanly (pre-sign-up before
post-confirmation, and so on), so the state a fault lands on is the state production would have.
"""

from __future__ import annotations

import copy
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import pytest

from common.profiles import reconcile_cli
from common.signup.service import STALE_CLAIM_GRACE_SECONDS, SignupDependencies
from tests.events import load_event
from tests.faults.aws_stack import (
    FakeStack,
    build_stack,
    function_environment,
    load_handler,
    rebased_event,
    reset_stack,
)
from tests.lambda_context import FakeLambdaContext

EMAIL = "jane.doe@example.com"
Outcome = tuple[str, Any]  # ("answered", response) or ("refused", UserFacingError)


class World:
    """One fresh fake AWS with the user ``EMAIL`` (confirmed in the pool) and lazily loaded handlers."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Any, stack: FakeStack | None = None) -> None:
        self.monkeypatch = monkeypatch
        self.tmp_path = tmp_path
        self.stack: FakeStack = reset_stack(stack) if stack is not None else build_stack()
        self.username = self.stack.create_user(EMAIL)
        self._handlers: dict[str, ModuleType] = {}
        self.final_user = self.username

    def quiesce(self) -> None:
        """Let writes the handlers left running in the background finish, so they land in this world and not in
        the next test's (pre-token-generation abandons a profile call at its deadline; post-confirmation abandons
        steps at its budget: both let the call finish in the background, as they would in Lambda)."""
        for module in self._handlers.values():
            issuer = getattr(module, "ISSUER", None)
            executor = getattr(getattr(issuer, "_profiles", None), "_executor", None)
            if executor is not None:
                executor.shutdown(wait=True)
        for thread in threading.enumerate():
            # Post-confirmation shuts its pool down without waiting: its threads end when their step does.
            if thread.name.startswith("onboarding"):
                thread.join(timeout=5)

    def module(self, name: str) -> ModuleType:
        if name not in self._handlers:
            self._handlers[name] = load_handler(name, self.monkeypatch)
        return self._handlers[name]

    def invoke(self, name: str, event: dict[str, Any]) -> Any:
        return self.module(name).handler(event, FakeLambdaContext())

    # ----------------------------------------------------------------- events
    def sign_up_event(self, user_name: str) -> dict[str, Any]:
        event = rebased_event(load_event("pre-signup.sign-up"), self.stack)
        event["userName"] = user_name
        event["request"]["userAttributes"]["email"] = EMAIL
        return event

    def confirm_event(self, source: str = "confirm-sign-up") -> dict[str, Any]:
        event = rebased_event(load_event(f"post-confirmation.{source}"), self.stack, self.username)
        event["request"]["userAttributes"]["email"] = EMAIL
        return event

    def token_event(self, groups: list[str]) -> dict[str, Any]:
        event = rebased_event(load_event("pre-token-generation.authentication"), self.stack, self.username)
        event["request"]["userAttributes"]["email"] = EMAIL
        event["request"]["groupConfiguration"]["groupsToOverride"] = groups
        return event

    # ----------------------------------------------------------------- steps
    def signed_up(self) -> None:
        """The user went through pre-sign-up and post-confirmation cleanly."""
        self.invoke("pre_signup", self.sign_up_event(self.username))
        self.invoke("post_confirmation", self.confirm_event())

    def pending_claim(self) -> None:
        """The user went through pre-sign-up only (about to confirm)."""
        self.invoke("pre_signup", self.sign_up_event(self.username))

    def reconcile(self) -> None:
        """The operator runs ``scripts/reconcile --apply`` (in-process, against this fake AWS)."""
        env = function_environment("post_confirmation")
        code = reconcile_cli.main(
            [
                "--pool-id",
                self.stack.pool_id,
                "--profiles-table",
                env["PROFILE_TABLE_NAME"],
                "--claims-table",
                self.stack.email_claims_table,
                "--group",
                env.get("DEFAULT_GROUP", "user"),
                "--apply",
                "--rate",
                "25",
                "--checkpoint",
                str(self.tmp_path / "reconcile.json"),
            ]
        )
        assert code == 0

    def later(self, seconds: float) -> None:
        """Move the sign-up gate's clock forward (its dependencies take an injectable clock)."""
        module = self.module("pre_signup")
        real: SignupDependencies = module.dependencies()
        shifted = SignupDependencies(real.claims, real.directory, clock=lambda: real.clock() + seconds)
        self.monkeypatch.setattr(module, "dependencies", lambda: shifted)

    # ----------------------------------------------------------------- state
    def snapshot(self) -> str:
        """Everything the flows write, with the final user's id and the clock normalized away."""
        data = {
            "profiles": self.stack.scan("ProfilesTable"),
            "claims": self.stack.scan("EmailClaimsTable"),
            "groups": self.stack.groups_of(self.username),
        }
        text = json.dumps(data, sort_keys=True).replace(self.final_user, "<user>")
        text = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z", "<time>", text)
        return re.sub(r'("expiresAt": \{"N": )"\d+"', r'\1"<epoch>"', text)


def answer(call: Callable[[], Any]) -> Outcome:
    from common.errors import UserFacingError  # noqa: PLC0415

    try:
        return ("answered", copy.deepcopy(call()["response"]))
    except UserFacingError as error:
        return ("refused", error)


@dataclass(frozen=True)
class Scenario:
    """One AWS-touching flow of one trigger."""

    name: str
    module: str
    operations: tuple[str, ...]  # the AWS calls its clean run makes (sorted)
    prepare: Callable[[World], None]
    attempt: Callable[[World], Outcome]
    # After a refusal or a degraded answer, once the fault has healed: what the user / Cognito / operator does.
    recover: Callable[[World, Outcome], None]
    # Answers that are the documented degradation rather than the clean answer.
    degraded: Callable[[Outcome], bool] = lambda outcome: False
    # The documented degradation may leave the state as it was before the attempt (nothing written, nothing
    # corrupted) instead of the clean run's state.
    may_skip_write: bool = False


# ------------------------------------------------------------------ pre-sign-up
def _sign_up(world: World) -> Outcome:
    world.final_user = "first-attempt-user"
    return answer(lambda: world.invoke("pre_signup", world.sign_up_event("first-attempt-user")))


def _sign_up_again(world: World, outcome: Outcome) -> None:
    """Cognito created no user for the refused sign-up: the person signs up again (Cognito gives the new attempt
    a new userName). If the failed attempt left a claim, the retry may be turned away until the claim's grace
    period has passed; after that it must succeed."""
    world.final_user = "second-attempt-user"
    retry = answer(lambda: world.invoke("pre_signup", world.sign_up_event(world.final_user)))
    if retry[0] == "refused":
        assert retry[1].code == "EMAIL_UNAVAILABLE", retry
        world.later(STALE_CLAIM_GRACE_SECONDS + 1)
        retry = answer(lambda: world.invoke("pre_signup", world.sign_up_event(world.final_user)))
    assert retry[0] == "answered", retry


def plant_stale_claim(world: World) -> dict[str, Any]:
    """The address is held by an old pending claim whose user no longer exists (an abandoned sign-up whose
    claim has not expired yet): the gate must check the holder and take the claim over. Returns the item."""
    item = {
        "email": {"S": EMAIL},
        "userName": {"S": "ghost-user"},
        "status": {"S": "PENDING"},
        "source": {"S": "PreSignUp_SignUp"},
        "createdAt": {"S": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 600))},
        "expiresAt": {"N": str(int(time.time()) + 3600)},
    }
    world.stack.dynamodb.put_item(TableName=world.stack.email_claims_table, Item=item)
    return item


# ------------------------------------------------------------------ post-confirmation
def _confirm(world: World) -> Outcome:
    return answer(lambda: world.invoke("post_confirmation", world.confirm_event()))


def _sign_in_and_reconcile(world: World, outcome: Outcome) -> None:
    """The user is confirmed whatever post-confirmation answered (Cognito confirms first and does not retry a
    function error): their next sign-in repairs the profile, the operator's reconcile the rest."""
    assert answer(lambda: world.invoke("pre_token_generation", world.token_event([])))[0] == "answered"
    world.reconcile()


def _reset_password(world: World) -> Outcome:
    return answer(lambda: world.invoke("post_confirmation", world.confirm_event("confirm-forgot-password")))


def _nothing(world: World, outcome: Outcome) -> None:
    """Nobody retries: Cognito already changed the password and the trigger answered."""


# ------------------------------------------------------------------ pre-token-generation
def _token(world: World) -> Outcome:
    return answer(lambda: world.invoke("pre_token_generation", world.token_event([])))


def _sign_in_again(world: World, outcome: Outcome) -> None:
    world.final_user = world.username
    assert _token(world)[0] == "answered"


def _without_role(outcome: Outcome) -> bool:
    """The documented degradation: sign-in succeeds, the role claim is suppressed, not guessed."""
    if outcome[0] != "answered":
        return False
    details = outcome[1].get("claimsAndScopeOverrideDetails") or {}
    id_token = details.get("idTokenGeneration") or {}
    return "role" not in (id_token.get("claimsToAddOrOverride") or {}) and "role" in (
        id_token.get("claimsToSuppress") or []
    )


def _user_without_profile(world: World) -> None:
    """Confirmed in Cognito, but post-confirmation never wrote anything (the self-repair case)."""


def _user_with_profile_no_group(world: World) -> None:
    world.signed_up()
    world.stack.cognito.admin_remove_user_from_group(
        UserPoolId=world.stack.pool_id, Username=world.username, GroupName="user"
    )


SCENARIOS = [
    Scenario(
        "pre_signup.sign_up",
        "pre_signup",
        ("dynamodb:PutItem",),
        prepare=lambda world: None,
        attempt=_sign_up,
        recover=_sign_up_again,
    ),
    Scenario(
        "pre_signup.stale_claim",
        "pre_signup",
        ("cognito-idp:AdminGetUser", "dynamodb:PutItem", "dynamodb:PutItem"),
        prepare=plant_stale_claim,
        attempt=_sign_up,
        recover=_sign_up_again,
    ),
    Scenario(
        "post_confirmation.sign_up",
        "post_confirmation",
        ("cognito-idp:AdminAddUserToGroup", "dynamodb:PutItem", "dynamodb:UpdateItem"),
        prepare=World.pending_claim,
        attempt=_confirm,
        recover=_sign_in_and_reconcile,
    ),
    Scenario(
        "post_confirmation.password_reset",
        "post_confirmation",
        ("dynamodb:UpdateItem",),
        prepare=World.signed_up,
        attempt=_reset_password,
        recover=_nothing,
        may_skip_write=True,
    ),
    Scenario(
        "pre_token_generation.profile_role",
        "pre_token_generation",
        ("dynamodb:GetItem",),
        prepare=_user_with_profile_no_group,
        attempt=_token,
        recover=_sign_in_again,
        degraded=_without_role,
    ),
    Scenario(
        "pre_token_generation.self_repair",
        "pre_token_generation",
        ("dynamodb:GetItem", "dynamodb:PutItem"),
        prepare=_user_without_profile,
        attempt=_token,
        recover=_sign_in_again,
        degraded=_without_role,
    ),
]
