"""The pre-sign-up function's package and stack wiring: its dependency layer, settings, pool permissions."""

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
LAYER_ZIP = "emailValidation.zip"
POWERTOOLS_LAYER = {
    "Fn::Join": ["", ["{{resolve:ssm:/aws/service/powertools/python/arm64/python3.13/3.37.0}}"]],
}


def _pin(package: str) -> str:
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    found = re.search(rf"^{re.escape(package)}==(\S+)$", lock, re.MULTILINE | re.IGNORECASE)
    assert found, f"{package} is not pinned in requirements.lock"
    return found.group(1)


def test_the_layer_carries_exactly_the_pinned_dependencies_in_lambdas_layout(
    layer_names: dict[str, list[str]],
) -> None:
    names = layer_names[LAYER_ZIP]
    # Lambda extracts a layer to /opt; /opt/python is on a Python function's sys.path.
    assert {n.split("/", 1)[0] for n in names} == {"python"}
    assert {n.split("/")[1] for n in names if "/__pycache__/" not in n} == {
        "email_validator",
        f"email_validator-{_pin('email-validator')}.dist-info",
        "idna",
        f"idna-{_pin('idna')}.dist-info",
    }, "run scripts/build-deps-layer before `serverless package`"
    assert "python/email_validator/__init__.py" in names
    assert "python/idna/__init__.py" in names
    assert not [n for n in names if ".dist-info/" in n and "/licenses/" not in n], "code and licences only"
    assert [n for n in names if "/licenses/" in n] == [
        f"python/email_validator-{_pin('email-validator')}.dist-info/licenses/LICENSE",
        f"python/idna-{_pin('idna')}.dist-info/licenses/LICENSE.md",
    ]
    # bytecode only as the runtime's checked-hash pycs (tests/infra/test_bytecode.py), never this machine's
    assert not [n for n in names if n.endswith((".pyc", ".pyo")) and not n.endswith(".cpython-313.pyc")]


def test_the_layer_resource_matches_the_functions_runtime(resources: dict[str, Any]) -> None:
    layer = resources["EmailValidationLambdaLayer"]
    assert layer["Type"] == "AWS::Lambda::LayerVersion"
    properties = layer["Properties"]
    assert properties["LayerName"] == "cognito-users-dev-email-validation"
    assert properties["CompatibleRuntimes"] == [resources["PreSignUpLambdaFunction"]["Properties"]["Runtime"]]
    assert properties["CompatibleArchitectures"] == resources["PreSignUpLambdaFunction"]["Properties"]["Architectures"]
    assert properties["LicenseInfo"] == "Unlicense AND BSD-3-Clause"
    assert properties["Content"]["S3Bucket"] == {"Ref": "ServerlessDeploymentBucket"}
    assert properties["Content"]["S3Key"].endswith("/" + LAYER_ZIP)


def test_only_pre_signup_uses_the_layer_and_it_keeps_powertools(resources: dict[str, Any]) -> None:
    layers = {
        logical_id: resource["Properties"].get("Layers")
        for logical_id, resource in resources.items()
        if resource["Type"] == "AWS::Lambda::Function"
    }
    assert layers.pop("PreSignUpLambdaFunction") == [POWERTOOLS_LAYER, {"Ref": "EmailValidationLambdaLayer"}]
    assert layers and set(map(str, layers.values())) == {str([POWERTOOLS_LAYER])}


def test_pre_signup_package_is_our_code_only(package_names: dict[str, list[str]]) -> None:
    names = package_names["preSignUp.zip"]
    assert "common/signup/memory_claims.py" not in names, "a test double"
    assert sorted(n for n in names if n.startswith("common/locales/")) == [
        f"common/locales/{language}/{catalog}.json" for language in ("en", "ko") for catalog in ("core", "signup")
    ]
    assert "triggers/pre_signup.py" in names
    assert "common/signup/data/disposable-domains.txt" in names
    assert not [n for n in names if n.startswith("api/")], "the HTTP API's code has no place in a trigger"
    assert not [n for n in names if n.startswith(("build/", "python/", "email_validator/", "idna/"))]
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


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


def test_the_package_validates_addresses_with_the_layers_copies_only(
    package_names: dict[str, list[str]], layer_names: dict[str, list[str]], tmp_path: Path
) -> None:
    """Lay out an execution environment like Lambda's (the function's zip as the task root, its layer extracted
    to /opt) and import the handler with every site-package *except* email-validator, idna and dnspython (the
    runtime has none of them): the layer's copies must be found and used, and every answer the function can give
    must exist in both languages in the catalogs the zip ships."""
    del package_names, layer_names  # the package exists and is fresh
    task, opt = tmp_path / "task", tmp_path / "opt"
    with zipfile.ZipFile(ROOT / ".serverless" / "preSignUp.zip") as archive:
        archive.extractall(task)
    with zipfile.ZipFile(ROOT / ".serverless" / LAYER_ZIP) as archive:
        archive.extractall(opt)
    site = tmp_path / "site"
    site.mkdir()
    venv_site = Path(importlib.util.find_spec("aws_lambda_powertools").origin).parents[1]  # type: ignore[arg-type,union-attr]
    for entry in venv_site.iterdir():
        if not entry.name.lower().startswith(("email_validator", "idna", "dns")):
            (site / entry.name).symlink_to(entry)
    code = (
        "import sys\n"
        f"sys.path[:0] = [{str(task)!r}, {str(opt / 'python')!r}, {str(site)!r}]\n"
        "import triggers.pre_signup\n"
        "from common.signup.email import check_syntax\n"
        "import email_validator, idna\n"
        "from common.i18n import translate\n"
        "from common.signup.refusals import Refusal\n"
        "keys = [r.key for r in Refusal] + ['error.internal', 'error.out_of_time', 'error.unsupported_request']\n"
        "texts = [translate(key, language) for key in keys for language in ('en', 'ko')]\n"
        "assert len(set(texts)) == len(texts), 'a refusal fell back to English'\n"
        "print(check_syntax('jane.doe@example.com'), check_syntax('jane@'), email_validator.__file__, idna.__file__)\n"
    )
    env = {"PATH": "/usr/bin:/bin", "AWS_DEFAULT_REGION": "us-east-1", "POWERTOOLS_TRACE_DISABLED": "true"}
    result = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "False",
        str(opt / "python" / "email_validator" / "__init__.py"),
        str(opt / "python" / "idna" / "__init__.py"),
    ]
