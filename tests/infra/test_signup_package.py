"""The pre-sign-up function's package and stack wiring: vendored dependencies, settings, pool permissions."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from common.config import Environment
from common.signup.settings import SignupSettings

pytestmark = pytest.mark.infra

ROOT = Path(__file__).resolve().parents[2]
VENDORED = "build/deps-layer/python/"


def _pin(package: str) -> str:
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    found = re.search(rf"^{re.escape(package)}==(\S+)$", lock, re.MULTILINE | re.IGNORECASE)
    assert found, f"{package} is not pinned in requirements.lock"
    return found.group(1)


def test_pre_signup_package_carries_exactly_its_pinned_dependencies(package_names: dict[str, list[str]]) -> None:
    names = package_names["preSignUp.zip"]
    vendored = {n.removeprefix(VENDORED).split("/", 1)[0] for n in names if n.startswith(VENDORED)}
    assert vendored == {
        "email_validator",
        f"email_validator-{_pin('email-validator')}.dist-info",
        "idna",
        f"idna-{_pin('idna')}.dist-info",
    }, "run scripts/build-deps-layer before `serverless package`"
    assert f"{VENDORED}email_validator/__init__.py" in names
    assert f"{VENDORED}idna/__init__.py" in names
    assert "triggers/pre_signup.py" in names
    assert not [n for n in names if n.startswith("api/")], "the HTTP API's code has no place in a trigger"
    assert not [n for n in names if ".dist-info/" in n and "/licenses/" not in n], "code and licences only"
    assert "common/signup/data/disposable-domains.txt" in names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_other_functions_do_not_carry_the_dependencies(package_names: dict[str, list[str]]) -> None:
    others = {name: files for name, files in package_names.items() if name != "preSignUp.zip"}
    assert others
    for name, files in others.items():
        assert not [n for n in files if n.startswith("build/")], name


def test_pre_signup_environment_builds_valid_settings(resources: dict[str, Any]) -> None:
    variables = resources["PreSignUpLambdaFunction"]["Properties"]["Environment"]["Variables"]
    assert variables["EMAIL_CLAIMS_TABLE_NAME"] == {"Ref": "EmailClaimsTable"}
    plain = {k: v for k, v in variables.items() if isinstance(v, str)}
    settings = SignupSettings.from_env(Environment({**plain, "EMAIL_CLAIMS_TABLE_NAME": "t"}))
    assert settings == SignupSettings(claims_table_name="t"), "the stack's defaults are the documented defaults"
    documented = (ROOT / "docs" / "signup-policy.md").read_text(encoding="utf-8")
    assert [name for name in variables if name.startswith("SIGNUP_") and f"`{name}`" not in documented] == []


def test_canonicalization_settings_match_post_confirmation(resources: dict[str, Any]) -> None:
    """The claim (pre-sign-up) and its confirmation (post-confirmation) must canonicalize identically."""
    shared = (
        "SIGNUP_LOWERCASE_LOCAL_PART",
        "SIGNUP_FOLD_PLUS_DOMAINS",
        "SIGNUP_FOLD_DOTS_DOMAINS",
        "SIGNUP_DOMAIN_ALIASES",
    )
    pre = resources["PreSignUpLambdaFunction"]["Properties"]["Environment"]["Variables"]
    post = resources["PostConfirmationLambdaFunction"]["Properties"]["Environment"]["Variables"]
    assert [(name, pre.get(name), post.get(name)) for name in shared if pre.get(name) != post.get(name)] == []


def test_pool_policy_names_exactly_the_pool_and_the_two_actions(resources: dict[str, Any]) -> None:
    policy = resources["PreSignUpPoolPolicy"]["Properties"]
    assert policy["Roles"] == [{"Ref": "PreSignUpRole"}]
    assert policy["PolicyDocument"]["Statement"] == [
        {
            "Effect": "Allow",
            "Action": ["cognito-idp:AdminGetUser", "cognito-idp:AdminLinkProviderForUser"],
            "Resource": {"Fn::GetAtt": ["CognitoUserPoolMain", "Arn"]},
        }
    ]


def test_the_package_validates_addresses_without_the_virtualenvs_copies(
    package_names: dict[str, list[str]], tmp_path: Path
) -> None:
    """Unzip preSignUp.zip and import the handler with every site-package *except* email-validator, idna and
    dnspython (the Lambda runtime has none of them): the vendored copies must be found and used."""
    del package_names  # the package exists and is fresh
    task = tmp_path / "task"
    with zipfile.ZipFile(ROOT / ".serverless" / "preSignUp.zip") as archive:
        archive.extractall(task)
    site = tmp_path / "site"
    site.mkdir()
    venv_site = Path(importlib.util.find_spec("aws_lambda_powertools").origin).parents[1]  # type: ignore[arg-type,union-attr]
    for entry in venv_site.iterdir():
        if not entry.name.lower().startswith(("email_validator", "idna", "dns")):
            (site / entry.name).symlink_to(entry)
    code = (
        "import sys\n"
        f"sys.path[:0] = [{str(task)!r}, {str(site)!r}]\n"
        "import triggers.pre_signup\n"
        "from common.signup.email import check_syntax\n"
        "import email_validator, idna\n"
        "print(check_syntax('jane.doe@example.com'), check_syntax('jane@'), email_validator.__file__, idna.__file__)\n"
    )
    env = {"PATH": "/usr/bin:/bin", "AWS_DEFAULT_REGION": "us-east-1", "POWERTOOLS_TRACE_DISABLED": "true"}
    result = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr
    vendored = task / "build" / "deps-layer" / "python"
    assert result.stdout.split() == [
        "True",
        "False",
        str(vendored / "email_validator" / "__init__.py"),
        str(vendored / "idna" / "__init__.py"),
    ]
