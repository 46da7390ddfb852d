"""Hostile files fed to the importers: random bytes, broken encodings, huge cells,
formula-looking cells. The reading layer may refuse a file only with the errors
the importer turns into a "rejected" result; it never crashes with anything
else. A whole import of such a file is rejected or applied whole, never half.
"""

from __future__ import annotations

import codecs
import csv
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from accord.connectors.reading import (
    FileProblem,
    Record,
    RecordShapeError,
    read_layout,
    read_records,
)

# What accord.connectors.services.import_file catches and reports as a file problem.
READ_ERRORS = (FileProblem, UnicodeError, csv.Error, LookupError, OSError)

SALESFORCE_HEADER = (
    "ID,FIRSTNAME,LASTNAME,EMAIL,COMPANY,TITLE,LEADSOURCE,STATUS,ISCONVERTED,"
    "CONVERTEDDATE,CONVERTEDOPPORTUNITYID,CONVERTEDCONTACTID,CONVERTEDACCOUNTID,"
    "DESCRIPTION,CREATEDDATE"
)
FORMULAS = ("=1+1", "+SUM(A1:A9)", "-2+3", "@cmd", '=HYPERLINK("http://x")', "\t=1", "\r=1")

fuzz_settings = examples(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _read_all(data: bytes) -> list[Record | RecordShapeError] | None:
    """Everything the reading layer makes of ``data``; None when it refused the file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.csv"
        path.write_bytes(data)
        try:
            layout = read_layout(path)
            rows = list(read_records(path, layout))
        except READ_ERRORS:
            return None
    _check_rows(rows, width=len(layout.headers))
    return rows


def _check_rows(rows: list[Record | RecordShapeError], *, width: int) -> None:
    lines = [row.line for row in rows]
    assert lines == sorted(set(lines)), "records come in file order, each on its own line"
    assert all(line >= 2 for line in lines), "line 1 is the header"
    for row in rows:
        if isinstance(row, Record):
            assert len(row.values) <= width
            assert all(isinstance(v, str) for v in row.values.values())
        else:
            assert row.expected == width and row.found != width


@fuzz_settings
@given(st.binary(max_size=4096))
def test_random_bytes_never_crash_the_reader(data: bytes) -> None:
    _read_all(data)


@fuzz_settings
@given(st.binary(max_size=2048))
def test_random_bytes_after_a_utf16_byte_order_mark(data: bytes) -> None:
    # Excel's "Unicode Text" starts so; an odd length or a lone surrogate must be refused cleanly.
    _read_all(codecs.BOM_UTF16_LE + data)


csv_cell = st.one_of(
    st.text(max_size=40),
    st.sampled_from(FORMULAS),
    st.text(alphabet='",;\t\r\n|', max_size=8),
)


@fuzz_settings
@given(
    st.lists(st.lists(csv_cell, min_size=1, max_size=6), min_size=1, max_size=12),
    st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"]),
    st.sampled_from([",", ";", "\t", "|"]),
)
def test_csv_ish_text_in_any_encoding(rows: list[list[str]], encoding: str, sep: str) -> None:
    text = "\n".join(sep.join(row) for row in rows)
    data = text.encode(encoding, errors="replace")
    _read_all(data)


def test_a_huge_cell_is_read_whole() -> None:
    big = "x" * 2_000_000
    rows = _read_all(f"Id,Note\n1,{big}\n".encode())
    assert rows is not None
    assert isinstance(rows[0], Record)
    assert len(rows[0].values["Note"]) == 2_000_000


def test_a_cell_past_the_field_limit_is_refused_cleanly() -> None:
    limit = csv.field_size_limit()
    rows = _read_all(b'Id,Note\n1,"' + b"x" * (limit + 10) + b'"\n')
    assert rows is None


def test_formula_cells_are_read_as_plain_text() -> None:
    text = io.StringIO()
    csv.writer(text).writerows([("Id", "Name"), *enumerate(FORMULAS, start=1)])
    rows = _read_all(text.getvalue().encode())
    assert rows is not None
    assert [r.values["Name"] for r in rows if isinstance(r, Record)] == list(FORMULAS)


@pytest.mark.django_db
@examples(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(rows=st.lists(st.lists(csv_cell, min_size=15, max_size=15), min_size=1, max_size=5))
def test_a_hostile_salesforce_file_is_rejected_or_applied_whole(
    rows: list[list[str]], tmp_path_factory: pytest.TempPathFactory, settings: object
) -> None:
    from accord.connectors.services import import_file
    from accord.crm.models import Account, Contact, Lead

    folder = tmp_path_factory.mktemp("fuzz")
    settings.DATA_DIR = folder  # type: ignore[attr-defined]  # staging and error reports
    path = folder / "leads.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        handle.write(SALESFORCE_HEADER + "\r\n")
        writer.writerows(rows)
    before = (Lead.objects.count(), Contact.objects.count(), Account.objects.count())
    result = import_file(path=path, vendor="salesforce")
    after = (Lead.objects.count(), Contact.objects.count(), Account.objects.count())
    if not result.applied:
        assert after == before, f"a rejected import wrote rows: {result.problem}"
    else:
        assert result.invalid == 0 and not result.problem
        assert after[0] >= before[0]
