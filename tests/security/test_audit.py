"""The audit log: what is recorded, that it cannot be changed, and who may read it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction

from accord.api.services import token_create, token_revoke
from accord.audit.models import AppendOnly, AuditEntry
from accord.audit.services import audit_record, audited_file_step
from tests.conftest import PASSWORD


def actions() -> list[str]:
    return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


def test_log_in_failure_and_log_out_are_recorded_with_the_address(cast, client) -> None:
    client.post("/login/", {"username": "rep", "password": "nope"}, REMOTE_ADDR="203.0.113.5")
    client.post("/login/", {"username": "rep", "password": PASSWORD}, REMOTE_ADDR="203.0.113.5")
    client.post("/logout/", REMOTE_ADDR="203.0.113.5")
    failed, login, logout = AuditEntry.objects.order_by("id")
    assert (failed.action, failed.target, failed.actor_id) == ("login_failed", "rep", None)
    assert "nope" not in str(failed.detail)  # the attempted password is never kept
    assert (login.action, login.actor_name, str(login.ip)) == ("login", "rep", "203.0.113.5")
    assert login.actor_id == cast.rep.user_id
    assert (logout.action, logout.actor_name) == ("logout", "rep")


def test_tokens_created_and_revoked_are_recorded(cast) -> None:
    token, _raw = token_create(person=cast.marketer, name="HubSpot sync")
    token_revoke(token=token)
    token_revoke(token=token)  # revoking twice records once
    assert actions() == ["token_created", "token_revoked"]
    assert AuditEntry.objects.first().target == f"{token} of Marketer"


def test_a_backup_step_is_recorded_only_when_it_succeeds(db, tmp_path: Path) -> None:
    @audited_file_step("backup")
    def step(target: Path) -> str:
        if target.name == "bad":
            raise OSError("disk full")
        return f"Backed up to {target}"

    assert step(tmp_path / "good") == f"Backed up to {tmp_path / 'good'}"
    with pytest.raises(OSError):
        step(tmp_path / "bad")
    (entry,) = AuditEntry.objects.all()
    assert (entry.action, entry.target) == ("backup", str(tmp_path / "good"))
    assert entry.detail == {"summary": f"Backed up to {tmp_path / 'good'}"}


def test_entries_cannot_be_changed_or_deleted(cast) -> None:
    entry = audit_record(action="role_changed", actor=cast.admin, target="Rep: rep → manager")
    entry.target = "something else"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(target="x")
    with pytest.raises(AppendOnly):
        AuditEntry.objects.all().delete()


def test_the_database_refuses_an_update_made_behind_the_models_back(cast) -> None:
    entry = audit_record(action="export", actor=cast.admin, target="leads")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET target = 'x' WHERE id = %s", [entry.pk])
    entry.refresh_from_db()
    assert entry.target == "leads"


def test_an_unknown_action_is_refused_with_where_to_add_it(db) -> None:
    with pytest.raises(ValueError, match=r"add it to accord\.audit\.actions\.ACTIONS"):
        audit_record(action="lunch")


def test_a_forged_address_is_dropped_not_stored(cast, rf, settings) -> None:
    settings.ACCORD_TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    request = rf.get("/", HTTP_X_FORWARDED_FOR="not-an-address")
    request.user = cast.rep.user
    entry = audit_record(action="export", request=request, target="leads")
    assert entry.ip is None and entry.actor_name == "rep"


@pytest.fixture
def mixed_log(cast) -> None:
    audit_record(action="login", actor=cast.rep, ip="192.0.2.10")
    audit_record(action="stage_changed", actor=cast.marketing_manager, target="MQL threshold 60")


def test_the_admin_reads_everything_with_addresses(cast, client, mixed_log) -> None:
    client.force_login(cast.admin.user)
    html = client.get("/audit/").content.decode()
    assert "Logged in" in html and "192.0.2.10" in html
    assert "Funnel stage definition changed" in html and "MQL threshold 60" in html


def test_a_manager_reads_changes_but_not_log_ins(cast, client, mixed_log) -> None:
    client.force_login(cast.sales_manager.user)
    html = client.get("/audit/").content.decode()
    assert "MQL threshold 60" in html
    assert "192.0.2.10" not in html and "Logged in" not in html.split("<table")[-1]


def test_a_rep_may_not_read_the_log(cast, client, mixed_log) -> None:
    client.force_login(cast.rep.user)
    assert client.get("/audit/").status_code == 403


def test_the_filter_shows_one_kind(cast, client, mixed_log) -> None:
    client.force_login(cast.admin.user)
    html = client.get("/audit/", {"action": "stage_changed"}).content.decode()
    table = html.split("<table")[-1]
    assert "MQL threshold 60" in table and "192.0.2.10" not in table


def test_an_empty_kind_says_what_will_appear(cast, client) -> None:
    client.force_login(cast.admin.user)
    html = client.get("/audit/", {"action": "erasure"}).content.decode()
    assert "Nothing recorded yet of this kind" in html
