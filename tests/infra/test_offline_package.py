"""`serverless package` asks AWS nothing (serverless-plugins/package-layers-offline.js): with the project's flag
set, even a machine whose credentials would be refused packages; with no credentials at all, so does a bare run.

Both package into the checkout's ``.serverless/`` like the ``template`` fixture (osls clears and rebuilds that folder
even when told ``--package elsewhere``), so the other infra tests still find the same package afterwards."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.infra

ROOT = Path(__file__).resolve().parents[2]


def _package(tmp_path: Path, extra: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Package with an environment holding no AWS configuration but ``extra``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("AWS_") and key not in {"SLS_OFFLINE_PACKAGE", "HOME"}
    }
    env.update(
        {
            "HOME": str(tmp_path / "home"),  # no ~/.aws/config or credentials
            "AWS_EC2_METADATA_DISABLED": "true",  # no instance credentials either
            **extra,
        }
    )
    target = ROOT / ".serverless"
    done = subprocess.run(
        ["npx", "serverless", "package", "--stage", "dev", "--region", "us-east-1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=240,
    )
    return done, target


def _layer_of(target: Path) -> dict[str, object]:
    template = json.loads((target / "cloudformation-template-update-stack.json").read_text(encoding="utf-8"))
    layer: dict[str, object] = template["Resources"]["EmailValidationLambdaLayer"]
    return layer


def test_the_flag_packages_without_asking_aws_even_with_credentials_it_would_refuse(tmp_path: Path) -> None:
    fake = {"AWS_ACCESS_KEY_ID": "AKIAFAKEFAKEFAKEFAKE", "AWS_SECRET_ACCESS_KEY": "fake", "SLS_OFFLINE_PACKAGE": "true"}
    done, target = _package(tmp_path, fake)
    assert done.returncode == 0, (done.stdout + done.stderr)[-2000:]
    assert "Layer emailValidation: SLS_OFFLINE_PACKAGE is set, packaged without asking AWS" in done.stdout + done.stderr
    assert (target / "emailValidation.zip").is_file()
    assert _layer_of(target)["Type"] == "AWS::Lambda::LayerVersion"


def test_without_any_credentials_a_bare_package_still_works(tmp_path: Path) -> None:
    done, target = _package(tmp_path, {})
    assert done.returncode == 0, (done.stdout + done.stderr)[-2000:]
    assert "Layer emailValidation: no AWS credentials, packaged without comparing" in done.stdout + done.stderr
    assert (target / "preSignUp.zip").is_file() and (target / "emailValidation.zip").is_file()
