"""``accord token``: the token is printed once and works; revoked, it does not."""

from __future__ import annotations

from typer.testing import CliRunner

from accord.api.models import ApiToken
from accord.cli import app


def test_token_create_prints_a_working_token_once(client, cast) -> None:
    result = CliRunner().invoke(app, ["token", "create", "rep", "--name", "sync"])
    assert result.exit_code == 0, result.output
    raw = result.stdout.strip()
    bearer = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/leads", headers=bearer).status_code == 200
    listed = CliRunner().invoke(app, ["token", "list"])
    assert "sync" in listed.stdout and raw not in listed.stdout
    revoked = CliRunner().invoke(app, ["token", "revoke", str(ApiToken.objects.get().pk)])
    assert revoked.exit_code == 0
    assert client.get("/api/v1/leads", headers=bearer).status_code == 401


def test_an_unknown_login_is_a_clear_error(cast) -> None:
    result = CliRunner().invoke(app, ["token", "create", "nobody"])
    assert result.exit_code == 1
    assert "nobody" in result.stderr
