"""The CustomMessage handler with Cognito's sample events: the same event back, only the three response fields
set, in the user's language; and an import graph free of boto3."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.events import event_names, load_event
from tests.lambda_context import FakeLambdaContext
from triggers.custom_message import handler

# The handler publishes only the cold-start metric on success; Powertools warns about the empty set.
pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning")

ROOT = Path(__file__).resolve().parents[2]
SUBJECTS = {
    "custom-message.admin-create-user": "[Cognito Users] 계정이 준비되었습니다",  # locale "ko" attribute
    "custom-message.authentication": "Your Cognito Users sign-in code",
    "custom-message.forgot-password": "Reset your Cognito Users password",
    "custom-message.resend-code": "Your new Cognito Users verification code",
    "custom-message.sign-up": "Your Cognito Users verification code",
    "custom-message.update-user-attribute": "Confirm your new Cognito Users email address",
    "custom-message.verify-user-attribute": "Verify your Cognito Users email address",
}


def invoke(event: dict[str, Any]) -> dict[str, Any]:
    result = handler(event, FakeLambdaContext())
    assert result is event
    return result


def test_every_sample_event_is_covered() -> None:
    assert sorted(SUBJECTS) == event_names("custom-message")


@pytest.mark.parametrize("name", sorted(SUBJECTS))
def test_returns_the_same_event_with_only_the_three_response_fields_set(name: str) -> None:
    event = load_event(name)
    before = copy.deepcopy(event)
    result = invoke(event)
    assert set(result) == set(before)
    assert {key: value for key, value in result.items() if key != "response"} == {
        key: value for key, value in before.items() if key != "response"
    }
    response = result["response"]
    assert set(response) == {"emailSubject", "emailMessage", "smsMessage"}
    assert response["emailSubject"] == SUBJECTS[name]
    assert "{####}" in response["emailMessage"] and "{####}" in response["smsMessage"]
    assert len(response["emailMessage"]) < 20_000
    assert len(response["emailSubject"]) <= 140 and len(response["smsMessage"]) <= 140
    json.dumps(result)  # Cognito needs plain JSON back


def test_admin_invitation_keeps_the_username_placeholder() -> None:
    response = invoke(load_event("custom-message.admin-create-user"))["response"]
    assert "{username}" in response["emailMessage"] and "{username}" in response["smsMessage"]
    assert (
        response["smsMessage"] == "[Cognito Users] 사용자 이름: {username}, 임시 비밀번호: {####} (7일 동안 유효합니다)"
    )
    assert "김민수님, 안녕하세요." in response["emailMessage"]


@pytest.mark.parametrize(
    ("metadata_locale", "subject"),
    [
        ("ko-KR", "[Cognito Users] 이메일 인증 코드"),
        ("ko", "[Cognito Users] 이메일 인증 코드"),
        ("fr", "Your Cognito Users verification code"),
        ("en-GB", "Your Cognito Users verification code"),
    ],
)
def test_language_follows_client_metadata(metadata_locale: str, subject: str) -> None:
    event = load_event("custom-message.sign-up", clientMetadata={"locale": metadata_locale})
    event["request"]["userAttributes"]["locale"] = "fr-FR"
    assert invoke(event)["response"]["emailSubject"] == subject


def test_a_script_in_the_name_is_escaped() -> None:
    event = load_event("custom-message.sign-up")
    event["request"]["userAttributes"]["name"] = "<script>alert(1)</script>"
    email = invoke(event)["response"]["emailMessage"]
    assert "Hello &lt;script&gt;alert(1)&lt;/script&gt;," in email
    assert "<script" not in email


def test_a_broken_event_leaves_cognitos_default_instead_of_failing_the_user() -> None:
    event = load_event("custom-message.admin-create-user", usernameParameter=None)
    result = invoke(event)
    assert result["response"] == {"smsMessage": None, "emailMessage": None, "emailSubject": None}


def test_a_missing_response_object_is_created() -> None:
    event = load_event("custom-message.sign-up")
    del event["response"]
    assert invoke(event)["response"]["emailSubject"] == "Your Cognito Users verification code"


_PROBE = """
import json, sys
import {module} as module
{action}
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in ("boto3", "botocore", "aws_xray_sdk"))))
"""
_INVOKE = """
from tests.lambda_context import FakeLambdaContext
event = json.load(open("events/custom-message.sign-up.json"))
module.handler(event, FakeLambdaContext())
assert event["response"]["emailSubject"] == "Your Acme verification code", event["response"]["emailSubject"]
"""


def loaded_aws_modules(module: str, action: str = "") -> list[str]:
    """The boto3/botocore/X-Ray modules loaded after importing ``module`` (and running ``action``) in a fresh
    interpreter, with tracing enabled the way it is in Lambda."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("APP_", "SUPPORT_"))}
    env.update({"APP_NAME": "Acme", "POWERTOOLS_TRACE_DISABLED": "false", "PYTHONPATH": str(ROOT)})
    code = _PROBE.format(module=module, action=action)
    completed = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=60
    )
    result: list[str] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def test_the_import_graph_has_no_boto3() -> None:
    # Powertools' package __init__ imports the bare ``botocore`` package (to register its user-agent hook), which
    # cannot be avoided while using Powertools; nothing else of botocore, and no boto3 or X-Ray SDK, may load.
    assert loaded_aws_modules("triggers.custom_message", _INVOKE) == ["botocore"]


def test_the_probe_does_see_botocore_clients_when_one_is_built() -> None:
    # common.aws builds clients from botocore alone (no boto3): the probe must still see the client machinery.
    loaded = loaded_aws_modules("common.aws", "module.cognito_client()")
    assert "botocore.client" in loaded and "botocore.session" in loaded
    assert not any(name == "boto3" or name.startswith("boto3.") for name in loaded)
