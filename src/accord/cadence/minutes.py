"""A meeting's minutes: who came, what was discussed, what was agreed.

One ``Minutes`` record feeds both exports, Markdown (a download anyone can
paste into a wiki) and PDF (the same content printed from HTML).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string

from accord.cadence.models import AgendaItem, Meeting
from accord.cadence.queries import (
    carried_action_items,
    meeting_action_items,
    meeting_agenda,
    participants_by_side,
)
from accord.cadence.schedule import next_meeting_on
from accord.directory.models import Person
from accord.inbox.models import ActionItem, ActionItemStatus

SIDE_LABELS = {"sales": "Sales", "marketing": "Marketing", "both": "Leadership"}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


@dataclass(frozen=True)
class ActionRow:
    title: str
    owner: str
    due_on: date | None
    status: str
    overdue: bool
    point: str


@dataclass(frozen=True)
class Minutes:
    meeting: Meeting
    sides: dict[str, list[Person]]
    agenda: list[AgendaItem]
    agreed: list[ActionRow]
    still_open: list[ActionRow]
    next_on: date

    @property
    def title(self) -> str:
        return f"{self.meeting.series.name}, {self.meeting.held_on:%d %B %Y}"


def _row(item: ActionItem, on: date) -> ActionRow:
    link = getattr(item, "meeting_link", None)
    point = link.agenda_item.title if link and link.agenda_item else ""
    overdue = item.status == ActionItemStatus.OPEN and item.due_on is not None and item.due_on < on
    return ActionRow(
        item.title, item.owner.name, item.due_on, item.get_status_display(), overdue, point
    )


def minutes_build(meeting: Meeting) -> Minutes:
    on = meeting.held_on
    return Minutes(
        meeting=meeting,
        sides=participants_by_side(meeting),
        agenda=list(meeting_agenda(meeting)),
        agreed=[_row(item, on) for item in meeting_action_items(meeting)],
        still_open=[_row(item, on) for item in carried_action_items(meeting)],
        next_on=next_meeting_on(meeting),
    )


def md(text: str) -> str:
    """Escape what Markdown would read as formatting, so names print as typed."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _md_action(row: ActionRow) -> str:
    due = f"due {row.due_on:%d %b %Y}" if row.due_on else "no due date"
    late = " — overdue" if row.overdue else ""
    box = "x" if row.status == "Done" else " "
    return f"- [{box}] {md(row.title)} ({md(row.owner)}, {due}, {row.status.lower()}{late})"


def minutes_markdown(minutes: Minutes) -> str:
    lines = [f"# {md(minutes.title)}", "", "## Participants", ""]
    for side, people in minutes.sides.items():
        if people:
            names = ", ".join(md(p.name) for p in people)
            lines.append(f"- {SIDE_LABELS[side]}: {names}")
    if minutes.meeting.summary:
        lines += ["", "## Summary", "", md(minutes.meeting.summary)]
    lines += ["", "## Agenda", ""]
    if not minutes.agenda:
        lines.append("Nothing was on the agenda.")
    for number, point in enumerate(minutes.agenda, start=1):
        lines += [f"### {number}. {md(point.title)}", ""]
        if point.detail:
            lines += [md(line) for line in point.detail.splitlines()] + [""]
        if point.notes:
            lines += [f"Notes: {md(point.notes)}", ""]
    lines += ["## Action items agreed", ""]
    lines += [_md_action(r) for r in minutes.agreed] or ["None were agreed."]
    if minutes.still_open:
        lines += ["", "## Still open from earlier meetings", ""]
        lines += [_md_action(r) for r in minutes.still_open]
    lines += ["", f"Next meeting: {minutes.next_on:%d %B %Y}.", ""]
    return "\n".join(lines)


def minutes_html(minutes: Minutes) -> str:
    """A self-contained page (styles inline, nothing fetched) for printing to PDF."""
    return render_to_string("cadence/minutes_print.html", {"minutes": minutes})
