from __future__ import annotations

from pathlib import Path

import pytest

from accord.connectors.reading import (
    FileProblem,
    Record,
    RecordShapeError,
    read_layout,
    read_records,
)

pytestmark = pytest.mark.nodb
FIXTURES = Path(__file__).parent / "fixtures"


def records(path: Path) -> list[Record | RecordShapeError]:
    return list(read_records(path, read_layout(path)))


def test_utf8_with_byte_order_mark_has_clean_headers() -> None:
    layout = read_layout(FIXTURES / "hubspot_contacts.csv")
    assert layout.encoding == "utf-8-sig"
    assert layout.headers[0] == "Record ID"


def test_excel_semicolon_file_in_windows_1252() -> None:
    path = FIXTURES / "salesforce_opportunities_excel_de.csv"
    layout = read_layout(path)
    assert (layout.encoding, layout.delimiter) == ("cp1252", ";")
    first = records(path)[0]
    assert first.values["Opportunity Name"] == "Globex - Werk München"
    assert first.values["Amount"] == "1.234,50 €"


def test_bytes_undefined_in_windows_1252_fall_back_to_latin_1(tmp_path: Path) -> None:
    path = tmp_path / "old.csv"
    path.write_bytes("Id,Name\n1,Caf\xe9 \x81\n".encode("latin-1"))
    assert read_layout(path).encoding == "latin-1"
    assert records(path)[0].values["Name"] == "Café \x81"


def test_quoted_newline_records_start_on_their_first_physical_line() -> None:
    lines = [r.line for r in records(FIXTURES / "salesforce_leads.csv")]
    # Line 2's description spans two physical lines, so the next record starts on 4.
    assert lines == [2, 4, 5, 6]


def test_report_footer_is_not_data() -> None:
    rows = records(FIXTURES / "salesforce_opportunities_report.csv")
    assert [r.line for r in rows] == [2, 3, 4]


def test_blank_lines_are_skipped_but_counted(tmp_path: Path) -> None:
    path = tmp_path / "gaps.csv"
    path.write_text("Id,Name\n\n1,a\n\n2,b\n")
    assert [r.line for r in records(path)] == [3, 5]


def test_a_row_with_the_wrong_number_of_cells_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text('Id,Name,Email\n1,"a\nb",x@y.example\n2,b\n')
    rows = records(path)
    assert isinstance(rows[1], RecordShapeError)
    assert rows[1].line == 4
    assert "2 cells" in rows[1].reason


def test_an_empty_file_is_a_file_problem(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(FileProblem, match="empty"):
        read_layout(path)


def test_a_repeated_column_is_a_file_problem(tmp_path: Path) -> None:
    path = tmp_path / "twice.csv"
    path.write_text("Id,Email,Email\n")
    with pytest.raises(FileProblem, match="repeats"):
        read_layout(path)


def test_excel_unicode_text_is_utf16_with_tabs(tmp_path: Path) -> None:
    path = tmp_path / "unicode.txt"
    path.write_bytes("Id\tName\r\n1\tZürich AG\r\n".encode("utf-16"))
    layout = read_layout(path)
    assert (layout.encoding, layout.delimiter, layout.headers) == ("utf-16", "\t", ("Id", "Name"))
    assert records(path)[0].values == {"Id": "1", "Name": "Zürich AG"}
