"""SecretHash known-answer tests.

The vectors were computed independently of this code with OpenSSL::

    printf '%s' 'jane.doe@example.com3n4b5urk1ft4fl3mg5e62d9ado' \
      | openssl dgst -sha256 -hmac '1k2gl0f8kb2bnuo0r52qnkk1i1c5h1f2l8vkhs0bsj3l1e9o6hc8' -binary | base64

and the test also recomputes them with the ``openssl`` binary when it is installed.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from common.auth.secret_hash import secret_hash

CLIENT_ID = "3n4b5urk1ft4fl3mg5e62d9ado"
CLIENT_SECRET = "1k2gl0f8kb2bnuo0r52qnkk1i1c5h1f2l8vkhs0bsj3l1e9o6hc8"

VECTORS = [
    # (username, expected SecretHash) — computed with the openssl pipeline in the module docstring
    ("jane.doe@example.com", "NiLbAPi97EnIsp69nj7LXgL7GVAJjhp4xdnRlh9rm9M="),
    # REFRESH_TOKEN_AUTH names the user by the internal username (the sub), not the email
    ("0b2f3c1e-7a4d-4e55-9c1b-2f8e6d4a1b90", "XwUvXytqz9cloK5oYS8HZw5t2yYqrWR+F6zCGKqjFHQ="),
    # UTF-8 usernames are hashed as UTF-8 bytes
    ("지민@example.com", "RLrK++qU8MdnN322id/LJ242VCycgzScHFiJVQCC+mc="),
]


@pytest.mark.parametrize(("username", "expected"), VECTORS)
def test_known_answers(username: str, expected: str) -> None:
    assert secret_hash(username, CLIENT_ID, CLIENT_SECRET) == expected


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl not installed")
@pytest.mark.parametrize(("username", "expected"), VECTORS)
def test_vectors_match_openssl(username: str, expected: str) -> None:
    digest = subprocess.run(
        ["openssl", "dgst", "-sha256", "-hmac", CLIENT_SECRET, "-binary"],
        input=(username + CLIENT_ID).encode("utf-8"),
        capture_output=True,
        check=True,
    ).stdout
    encoded = subprocess.run(["base64"], input=digest, capture_output=True, check=True).stdout.decode().strip()
    assert encoded == expected


def test_the_username_matters() -> None:
    by_email = secret_hash("jane.doe@example.com", CLIENT_ID, CLIENT_SECRET)
    by_sub = secret_hash("0b2f3c1e-7a4d-4e55-9c1b-2f8e6d4a1b90", CLIENT_ID, CLIENT_SECRET)
    assert by_email != by_sub


def test_never_the_raw_secret() -> None:
    """The blog post this project grew from sent the secret itself as SecretHash."""
    assert secret_hash("jane.doe@example.com", CLIENT_ID, CLIENT_SECRET) != CLIENT_SECRET
