"""What an interrupted import leaves behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.connectors import planning, services
from accord.connectors.models import ImportRun, ImportStatus
from accord.crm.models import Account, Contact, Lead


class Killed(BaseException):
    """Stands in for Ctrl-C or SIGTERM."""


@pytest.mark.django_db
def test_killed_while_validating_leaves_the_database_as_before(
    exports: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.import_file(path=exports / "salesforce_accounts.csv")
    before = list(Account.objects.values_list())

    def kill(*args: object, **kwargs: object) -> None:
        raise Killed

    monkeypatch.setattr(services.Staging, "add", kill)
    with pytest.raises(Killed):
        services.import_file(path=exports / "salesforce_leads.csv")
    assert list(Account.objects.values_list()) == before
    assert Contact.objects.count() == Lead.objects.count() == 0
    assert ImportRun.objects.first().status == ImportStatus.FAILED
    assert not list((exports.parent / "data" / "staging").iterdir())  # staging file removed


@pytest.mark.django_db(transaction=True)
def test_failure_while_applying_rolls_back_that_kind_and_a_rerun_completes(
    exports: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.import_file(path=exports / "salesforce_accounts.csv")
    real_save = planning.Planner._save

    def fail_on_leads(self, model, new, changed, fields) -> None:
        real_save(self, model, new, changed, fields)
        if model is Lead:
            raise Killed

    monkeypatch.setattr(planning.Planner, "_save", fail_on_leads)
    with pytest.raises(Killed):
        services.import_file(path=exports / "salesforce_leads.csv")
    # Contacts were committed in their own transaction; the lead transaction rolled back.
    assert (Contact.objects.count(), Lead.objects.count()) == (4, 0)
    assert ImportRun.objects.first().status == ImportStatus.FAILED

    monkeypatch.setattr(planning.Planner, "_save", real_save)
    rerun = services.import_file(path=exports / "salesforce_leads.csv")
    assert (rerun.created, rerun.unchanged) == (4, 0)
    assert (Contact.objects.count(), Lead.objects.count()) == (4, 4)
    again = services.import_file(path=exports / "salesforce_leads.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)


@pytest.mark.django_db
def test_a_record_deleted_between_plan_and_apply_stops_that_kind(
    exports: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from accord.crm.models import Opportunity

    services.import_file(path=exports / "salesforce_accounts.csv")
    real_apply = services._apply

    def delete_then_apply(planner: planning.Planner, staging: object) -> None:
        Account.objects.filter(name="Initech").delete()
        real_apply(planner, staging)

    monkeypatch.setattr(services, "_apply", delete_then_apply)
    result = services.import_file(path=exports / "salesforce_opportunities_report.csv")
    assert not result.ok
    assert "the database changed meanwhile: line 4: account" in result.problem
    assert Opportunity.objects.count() == 0
    assert ImportRun.objects.first().status == ImportStatus.FAILED


@pytest.mark.django_db
def test_staging_files_abandoned_a_day_ago_are_removed(exports: Path) -> None:
    import os
    import time

    staging = exports.parent / "data" / "staging"
    staging.mkdir(parents=True)
    old, recent = staging / "import-old.sqlite3", staging / "import-recent.sqlite3"
    old.write_bytes(b"x")
    recent.write_bytes(b"x")
    two_days_ago = time.time() - 2 * 86400
    os.utime(old, (two_days_ago, two_days_ago))
    services.import_file(path=exports / "salesforce_accounts.csv", dry_run=True)
    assert not old.exists()
    assert recent.exists()  # maybe another import still running
