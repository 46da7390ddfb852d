from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import Cast, login

STRONG_KEY = "k3y-" + "x9Y!vQ2#pL7@" * 5


@pytest.mark.nodb
def test_production_settings_pass_the_deploy_check_with_no_warnings(tmp_path) -> None:
    env = {
        **os.environ,
        "ACCORD_ENV": "production",
        "SECRET_KEY": STRONG_KEY,
        "ALLOWED_HOSTS": "accord.example.com",
        "ACCORD_DATA_DIR": str(tmp_path),
    }
    env.pop("DEBUG", None)
    # The browser fixtures set this for the test process; a deployment never has it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            "--settings",
            "accord.settings",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.nodb
def test_production_refuses_to_start_without_a_secret_key(tmp_path) -> None:
    env = {**os.environ, "ACCORD_ENV": "production", "ACCORD_DATA_DIR": str(tmp_path)}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--settings", "accord.settings"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_pages_carry_a_strict_content_security_policy(client, cast: Cast) -> None:
    login(client, cast.rep)
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    html = response.content.decode()
    assert "<script>" not in html and "style=" not in html
