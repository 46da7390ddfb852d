"""Import in the browser, through Django's test client, on the real fixture exports."""

from __future__ import annotations

import csv
import io
import os
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accord.connectors import uploads
from accord.connectors.models import ImportRun, ImportStatus, ImportUpload, UploadStatus
from accord.crm.models import Account, Contact, Lead, SourceUser
from tests.conftest import Cast, login

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


def upload(client: Client, name: str, *, fmt: str = "auto", content: bytes | None = None):
    data = content if content is not None else (FIXTURES / name).read_bytes()
    file = SimpleUploadedFile(name, data, content_type="text/csv")
    return client.post("/import/", {"file": file, "format": fmt})


def uploaded(client: Client, name: str) -> ImportUpload:
    response = upload(client, name)
    assert response.status_code == 302, response.content.decode()[:2000]
    found = ImportUpload.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
    assert response["Location"] == f"/import/uploads/{found.pk}/"
    return found


@pytest.fixture
def admin_client(client: Client, cast: Cast, settings, tmp_path: Path) -> Client:
    settings.DATA_DIR = tmp_path / "data"
    login(client, cast.admin)
    return client


def test_an_empty_database_shows_the_way_in(admin_client: Client) -> None:
    page = admin_client.get("/import/").content.decode()
    assert "Nothing uploaded yet" in page
    assert "No import has run yet" in page
    assert 'enctype="multipart/form-data"' in page


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 200),
        ("sales_manager", 200),
        ("marketing_manager", 200),
        ("rep", 403),
        ("marketer", 403),
        ("cro", 403),
    ],
)
def test_only_admins_and_managers_import(
    client: Client, cast: Cast, who: str, status: int, settings, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path / "data"
    login(client, getattr(cast, who))
    assert client.get("/import/").status_code == status
    response = upload(client, "salesforce_accounts.csv")
    assert response.status_code == (302 if status == 200 else 403)
    assert ImportUpload.objects.count() == (1 if status == 200 else 0)


def test_anonymous_visitors_are_sent_to_log_in(client: Client, db) -> None:
    response = client.get("/import/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_upload_preview_dry_run_apply_and_reapply(admin_client: Client, settings) -> None:
    accounts = uploaded(admin_client, "salesforce_accounts.csv")
    stored = Path(settings.DATA_DIR) / accounts.stored_as
    assert stored.read_bytes() == (FIXTURES / "salesforce_accounts.csv").read_bytes()
    assert stored.parent.parent == Path(settings.DATA_DIR) / "imports"
    assert accounts.vendor == "salesforce Account"

    page = admin_client.get(f"/import/uploads/{accounts.pk}/").content.decode()
    assert "Salesforce Account" in page
    assert "<td>WEBSITE</td><td>website</td>" in page
    assert "<td>BILLINGCOUNTRY</td><td>country</td>" in page
    # The first row as parsed: the website becomes a bare domain, the country its code.
    assert "domain <code>northwind.example</code>" in page
    assert "country <code>US</code>" in page

    response = admin_client.post(f"/import/uploads/{accounts.pk}/dry-run")
    assert response.status_code == 302
    assert Account.objects.count() == 0  # a dry run writes nothing
    page = admin_client.get(f"/import/uploads/{accounts.pk}/").content.decode()
    assert "Dry run: what an import would do" in page
    assert "<td>3</td><td>3</td><td>0</td><td>0</td><td>0</td><td>0</td>" in page

    response = admin_client.post(f"/import/uploads/{accounts.pk}/apply")
    run = ImportRun.objects.get()
    assert response["Location"] == f"/import/runs/{run.pk}/"
    assert (run.status, run.created, run.path) == (ImportStatus.APPLIED, 3, str(stored))
    assert Account.objects.count() == 3
    assert not stored.exists()  # applied: the copy on the server is removed
    accounts.refresh_from_db()
    assert (accounts.status, accounts.run_id) == (UploadStatus.APPLIED, run.pk)
    run_page = admin_client.get(f"/import/runs/{run.pk}/").content.decode()
    assert "Salesforce Account" in run_page
    assert "<td>3</td><td>3</td><td>0</td><td>0</td><td>0</td><td>0</td>" in run_page

    # Apply pressed again (a retry, a double click): nothing runs a second time.
    again = admin_client.post(f"/import/uploads/{accounts.pk}/apply")
    assert again["Location"] == f"/import/runs/{run.pk}/"
    assert ImportRun.objects.count() == 1

    # The same export uploaded again applies as all unchanged.
    second = uploaded(admin_client, "salesforce_accounts.csv")
    admin_client.post(f"/import/uploads/{second.pk}/apply")
    rerun = ImportRun.objects.order_by("-pk").first()
    assert (rerun.created, rerun.updated, rerun.unchanged) == (0, 0, 3)
    assert Account.objects.count() == 3


def test_bad_rows_block_the_file_and_land_in_the_error_file(
    admin_client: Client, cast: Cast
) -> None:
    SourceUser.objects.create(source="salesforce", external_id="0055g00000DnRys", person=cast.rep)
    leads = uploaded(admin_client, "salesforce_leads_owners.csv")
    page = admin_client.get(f"/import/uploads/{leads.pk}/").content.decode()
    assert "Salesforce Lead" in page
    assert "Invalid: Email: not an e-mail address: &#x27;lena.berg(at)initech&#x27;" in page

    admin_client.post(f"/import/uploads/{leads.pk}/dry-run")
    page = admin_client.get(f"/import/uploads/{leads.pk}/").content.decode()
    # 3 rows: 2 would be created, 1 rejected; 1 row has an owner Accord does not know.
    assert "<td>3</td><td>2</td><td>0</td><td>0</td><td>1</td><td>1</td>" in page
    assert "Download the error file (CSV)" in page

    admin_client.post(f"/import/uploads/{leads.pk}/apply")
    leads.refresh_from_db()
    assert leads.status == UploadStatus.REJECTED
    assert (Contact.objects.count(), Lead.objects.count()) == (0, 0)
    assert ImportRun.objects.get().status == ImportStatus.REJECTED

    response = admin_client.get(f"/import/uploads/{leads.pk}/errors.csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="salesforce_leads_owners.errors.csv"'
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["file", "line", "column", "reason", "severity"]
    assert rows[1][1:3] == ["3", "OwnerId"]
    assert rows[1][3].startswith("owner '0055g00000QqWwEAAV' is not a person in Accord")
    assert rows[1][4] == "warning"
    assert rows[2] == [
        "salesforce_leads_owners.csv",
        "4",
        "Email",
        "not an e-mail address: 'lena.berg(at)initech'",
        "error",
    ]

    # Applying with "skip invalid rows" brings in the two good rows.
    admin_client.post(f"/import/uploads/{leads.pk}/apply", {"skip_invalid": "on"})
    leads.refresh_from_db()
    assert leads.status == UploadStatus.APPLIED
    assert sorted(Lead.objects.values_list("external_id", "owner_id")) == [
        ("00Q5g00000uVwXyEAK", cast.rep.pk),
        ("00Q5g00000zAbCdEAK", None),
    ]
    assert admin_client.get(f"/import/uploads/{leads.pk}/errors.csv").status_code == 200


def test_a_file_over_the_limit_is_refused_unread(admin_client: Client, settings) -> None:
    settings.ACCORD_IMPORT_MAX_UPLOAD_BYTES = 100
    response = upload(admin_client, "salesforce_accounts.csv")
    assert response.status_code == 413
    assert "100 bytes" in response.content.decode()  # the limit, named
    assert ImportUpload.objects.count() == 0
    assert not (Path(settings.DATA_DIR) / "imports").exists()


def test_a_file_over_the_limit_is_refused_when_its_size_was_not_declared(
    cast: Cast, settings, tmp_path: Path
) -> None:
    """A chunked upload declares no length; the stored size is checked before writing."""
    settings.DATA_DIR = tmp_path / "data"
    settings.ACCORD_IMPORT_MAX_UPLOAD_BYTES = 100
    with pytest.raises(uploads.UploadProblem) as problem:
        uploads.upload_store(name="big.csv", size=101, chunks=[b"x" * 101], person=cast.admin)
    assert str(problem.value) == "The file is 101 bytes; the import page accepts up to 100 bytes."
    assert ImportUpload.objects.count() == 0


def test_only_csv_and_parquet_files_are_taken(admin_client: Client) -> None:
    response = upload(admin_client, "report.pdf", content=b"%PDF-1.7")
    assert response.status_code == 400
    assert "Upload a CSV or Parquet export (.csv, .txt, .tsv or .parquet), not" in (
        response.content.decode()
    )
    assert ImportUpload.objects.count() == 0


def test_an_unknown_header_is_explained_on_the_preview(admin_client: Client) -> None:
    content = b"Colour,Flavour\r\nred,sweet\r\n"
    response = upload(admin_client, "fruit.csv", content=content)
    page = admin_client.get(response["Location"]).content.decode()
    assert "the header does not look like any known export: Colour, Flavour" in page
    assert "Dry run" in page  # still offered: it reports the same problem


def test_a_path_in_the_file_name_stays_inside_the_upload_folder(
    admin_client: Client, settings
) -> None:
    content = (FIXTURES / "salesforce_accounts.csv").read_bytes()
    response = upload(admin_client, "../../evil name.csv", content=content)
    assert response.status_code == 302
    stored = ImportUpload.objects.get().stored_as
    assert stored.startswith("imports/")
    assert stored.endswith("/evil_name.csv")


def test_discard_and_age_remove_the_file(admin_client: Client, settings) -> None:
    first = uploaded(admin_client, "salesforce_accounts.csv")
    folder = (Path(settings.DATA_DIR) / first.stored_as).parent
    admin_client.post(f"/import/uploads/{first.pk}/discard")
    first.refresh_from_db()
    assert first.status == UploadStatus.DISCARDED
    assert not folder.exists()
    page = admin_client.get(f"/import/uploads/{first.pk}/").content.decode()
    assert "This upload was discarded; upload the file again to import it." in page

    old = uploaded(admin_client, "salesforce_accounts.csv")
    ImportUpload.objects.filter(pk=old.pk).update(
        uploaded_at=old.uploaded_at - uploads.KEEP_FOR - uploads.KEEP_FOR / 7
    )
    old_folder = (Path(settings.DATA_DIR) / old.stored_as).parent
    uploaded(admin_client, "salesforce_campaigns.csv")  # each upload sweeps old ones
    assert not old_folder.exists()
    old.refresh_from_db()
    assert old.status == UploadStatus.DISCARDED


def test_another_users_upload_is_not_found_by_a_rep(client: Client, cast: Cast, settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    login(client, cast.sales_manager)
    made = uploaded(client, "salesforce_accounts.csv")
    login(client, cast.rep)
    assert client.get(f"/import/uploads/{made.pk}/").status_code == 403
    assert client.post(f"/import/uploads/{made.pk}/apply").status_code == 403
    assert client.get(f"/import/uploads/{made.pk}/errors.csv").status_code == 403
    assert Account.objects.count() == 0


def test_pages_render_with_the_demo_company(client: Client, demo_small, settings, tmp_path):
    from django.contrib.auth import get_user_model

    settings.DATA_DIR = tmp_path / "data"
    client.force_login(get_user_model().objects.get(username="admin"))
    assert client.get("/import/").status_code == 200
    contact = Contact.objects.order_by("pk").first()
    page = client.get(f"/import/records/contact/{contact.pk}/").content.decode()
    assert contact.email in page
    assert "Demo generator" in page
    assert "not recorded" in page  # the demo keeps no import runs


def test_unused_file_timestamps_do_not_matter(admin_client: Client, settings) -> None:
    """The age sweep reads the upload's recorded time, not the file's clock."""
    made = uploaded(admin_client, "salesforce_accounts.csv")
    path = Path(settings.DATA_DIR) / made.stored_as
    ancient = time.time() - 30 * 86400
    os.utime(path, (ancient, ancient))
    assert uploads.uploads_clean() == 0
    assert path.exists()
