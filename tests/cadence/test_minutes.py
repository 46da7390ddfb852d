"""Minutes as Markdown: participants by side, the agenda with notes, the action items."""

from __future__ import annotations

from datetime import date

import pytest

from accord.cadence import services
from accord.cadence.minutes import md, minutes_build, minutes_html, minutes_markdown
from tests.cadence.helpers import meeting_make, series_make


def test_markdown_escapes_what_would_format() -> None:
    assert md("a_b *c* [x] #1 <b>") == r"a\_b \*c\* \[x\] \#1 \<b\>"


@pytest.mark.django_db
def test_minutes_in_markdown(cast) -> None:
    series = series_make()
    earlier = meeting_make(cast, series, held_on=date(2026, 10, 6))
    services.meeting_action_item_create(meeting=earlier, title="Fix routing", owner=cast.rep)
    meeting = meeting_make(cast, series, held_on=date(2026, 11, 3))
    services.meeting_update(
        meeting=meeting,
        held_on=meeting.held_on,
        participants=[
            cast.sales_manager,
            cast.marketing_manager,
            cast.rep,
            cast.marketer,
            cast.cro,
        ],
        summary="Both sides own the MQL fix.",
    )
    point = services.agenda_item_add(
        meeting=meeting, title="MQL quality", detail="Too many students"
    )
    services.agenda_item_update(
        item=point, title=point.title, detail=point.detail, notes="Sales shows ten examples"
    )
    done = services.meeting_action_item_create(
        meeting=meeting, title="Send examples", owner=cast.rep, agenda_item=point
    )
    services.meeting_action_item_close(item=done)
    services.meeting_action_item_create(
        meeting=meeting, title="Tighten the score", owner=cast.marketer, due_on=date(2026, 11, 20)
    )
    assert minutes_markdown(minutes_build(meeting)) == "\n".join(
        [
            "# Revenue meeting, 03 November 2026",
            "",
            "## Participants",
            "",
            "- Sales: Rep, Sales Manager",
            "- Marketing: Marketer, Marketing Manager",
            "- Leadership: Cro",
            "",
            "## Summary",
            "",
            "Both sides own the MQL fix.",
            "",
            "## Agenda",
            "",
            "### 1. Follow up: Fix routing",
            "",
            "Owner: Rep, due 06 Nov 2026. Agreed on 06 Oct 2026.",
            "",
            "### 2. MQL quality",
            "",
            "Too many students",
            "",
            "Notes: Sales shows ten examples",
            "",
            "## Action items agreed",
            "",
            "- [ ] Tighten the score (Marketer, due 20 Nov 2026, open)",
            "- [x] Send examples (Rep, due 03 Dec 2026, done)",
            "",
            "## Still open from earlier meetings",
            "",
            "- [ ] Fix routing (Rep, due 06 Nov 2026, open)",
            "",
            "Next meeting: 03 December 2026.",
            "",
        ]
    )


@pytest.mark.django_db
def test_minutes_html_is_self_contained(cast) -> None:
    meeting = meeting_make(cast)
    html = minutes_html(minutes_build(meeting))
    assert "<h1>Revenue meeting, 03 November 2026</h1>" in html
    assert "Nothing was on the agenda." in html
    assert "http" not in html and "src=" not in html
