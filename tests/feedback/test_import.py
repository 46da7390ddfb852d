"""Call report import: every row checked, all or nothing, re-import changes nothing."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from accord.feedback.imports import feedback_import
from accord.feedback.models import Feedback, FeedbackKind, FeedbackSource

HEADER = "date,author_email,account,opportunity,kind,text,competitor\n"
GOOD = (
    HEADER
    + "2026-10-02,rep@example.com,ACC-1,,objection,Price is above budget,\n"
    + "2026-10-03,REP@example.com,,Acme renewal,Competitor met,"
    + "Northwind offered a trial,Northwind\n"
    + '2026-10-04,other-rep@example.com,Globex,OPP-2,win,"Won on support, quickly",\n'
)


def run(text: str, **kwargs):
    return feedback_import(io.StringIO(text), **kwargs)


def test_a_good_file_is_imported_with_the_right_links(cast, ground) -> None:
    report = run(GOOD)
    assert report.ok and (report.rows, report.created, report.unchanged) == (3, 3, 0)
    notes = {n.text: n for n in Feedback.objects.all()}
    price = notes["Price is above budget"]
    assert (price.author, price.account, price.opportunity) == (cast.rep, ground.rep_account, None)
    assert price.kind == FeedbackKind.OBJECTION and price.source == FeedbackSource.IMPORT
    assert price.noted_at == datetime(2026, 10, 2, 12, tzinfo=UTC)
    assert price.segment == ground.smb
    rival = notes["Northwind offered a trial"]
    assert rival.kind == FeedbackKind.COMPETITOR and rival.competitor == "Northwind"
    assert (rival.account, rival.opportunity) == (ground.rep_account, ground.rep_deal)
    won = notes["Won on support, quickly"]
    assert won.kind == FeedbackKind.WIN_LOSS
    assert (won.account, won.opportunity, won.segment) == (
        ground.other_account,
        ground.other_deal,
        ground.enterprise,
    )


def test_importing_the_same_rows_again_changes_nothing(cast, ground) -> None:
    run(GOOD)
    before = list(Feedback.objects.order_by("pk").values())
    again = run(GOOD)
    assert again.ok and (again.created, again.unchanged) == (0, 3)
    lines = GOOD.splitlines()
    reordered = run("\n".join([lines[0], lines[3], lines[1], lines[2]]) + "\n")
    assert reordered.created == 0
    assert list(Feedback.objects.order_by("pk").values()) == before


def test_a_dry_run_counts_and_writes_nothing(cast, ground) -> None:
    report = run(GOOD, dry_run=True)
    assert report.ok and report.created == 3
    assert "would add 3" in report.summary
    assert not Feedback.objects.exists()


def test_one_bad_row_and_nothing_is_written_with_each_problem_named(cast, ground) -> None:
    bad = (
        GOOD
        + "2026-13-01,rep@example.com,ACC-1,,objection,Bad date here,\n"  # line 5
        + "2026-10-05,nobody@example.com,ACC-1,,objection,Unknown author,\n"  # line 6
        + "2026-10-05,rep@example.com,ACC-1,,gossip,Unknown kind,\n"  # line 7
        + "2026-10-05,rep@example.com,,,need,No target at all,\n"  # line 8
        + "2026-10-05,rep@example.com,ACC-1,OPP-2,need,Deal of another account,\n"  # line 9
        + "2026-10-05,rep@example.com,,OPP-2,need,A deal the rep cannot see,\n"  # line 10
        + "2026-10-05,rep@example.com,Nowhere Inc,,need,Unknown account,\n"  # line 11
        + "2026-10-05,rep@example.com,ACC-1,,need,,\n"  # line 12
        + f"2026-10-05,rep@example.com,ACC-1,,need,{'x' * 601},\n"  # line 13
        + "2999-01-01,rep@example.com,ACC-1,,need,From the future,\n"  # line 14
    )
    report = run(bad)
    assert not report.ok and report.rows == 13
    assert [(e.line, e.column) for e in report.errors] == [
        (5, "date"),
        (6, "author_email"),
        (7, "kind"),
        (8, "account"),
        (9, "opportunity"),
        (10, "opportunity"),
        (11, "account"),
        (12, "text"),
        (13, "text"),
        (14, "date"),
    ]
    reasons = [str(e) for e in report.errors]
    assert reasons[1] == "line 6, author_email: no person with e-mail 'nobody@example.com'"
    assert "rep@example.com cannot see this opportunity" in reasons[5]
    assert "belongs to another account" in reasons[4]
    assert "601 characters; the limit is 600" in reasons[8]
    assert "nothing was imported" in report.summary
    assert not Feedback.objects.exists()


def test_a_quoted_multi_line_text_keeps_line_numbers_right(cast, ground) -> None:
    text = HEADER + '2026-10-02,rep@example.com,ACC-1,,need,"Two\nlines of notes",\n'
    text += "2026-10-02,rep@example.com,ACC-1,,nope,Bad kind,\n"  # starts on line 4
    report = run(text)
    assert [(e.line, e.column) for e in report.errors] == [(4, "kind")]


def test_missing_columns_are_reported_on_the_header_line(cast) -> None:
    report = run("date,author_email,text\n2026-10-02,rep@example.com,Hello there\n")
    assert [str(e) for e in report.errors] == [
        "line 1, header: missing column(s): kind",
    ]
    report = run("date,author_email,kind,text\n")
    assert [str(e) for e in report.errors] == [
        "line 1, header: missing column(s): account or opportunity",
    ]


def test_an_ambiguous_account_name_asks_for_the_external_id(cast, ground) -> None:
    from accord.crm.models import Account

    Account.objects.create(name="Acme Tools", created_at=ground.rep_account.created_at)
    report = run(HEADER + "2026-10-02,rep@example.com,acme tools,,need,Needs a plan,\n")
    assert [str(e) for e in report.errors] == [
        "line 2, account: 2 accounts are named 'acme tools'; use the external id"
    ]


def test_duplicate_rows_in_one_file_are_saved_once(cast, ground) -> None:
    line = "2026-10-02,rep@example.com,ACC-1,,objection,Price is above budget,\n"
    report = run(HEADER + line + line)
    assert (report.rows, report.created, report.unchanged) == (2, 1, 1)
    assert Feedback.objects.count() == 1
