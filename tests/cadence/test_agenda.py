"""The agenda drafter on data built to hold each kind of point, and on data that is fine."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest

from accord.cadence.agenda import DraftItem, _theme_line, agenda_draft
from accord.cadence.models import AgendaKind
from accord.crm.models import Lead, OpportunityStageChange
from accord.diagnostic import services as survey
from accord.diagnostic.instrument import instrument_load
from accord.diagnostic.models import Response
from accord.funnel.models import SlaMark
from accord.inbox.models import ActionItem
from tests.cadence.helpers import (
    HELD_ON,
    at,
    campaign_make,
    deal_make,
    leads_make,
    meeting_make,
    series_make,
    spend_make,
)

pytestmark = pytest.mark.django_db


def of_kind(items: list[DraftItem], kind: AgendaKind) -> list[DraftItem]:
    return [item for item in items if item.kind == kind]


def test_nothing_is_flagged_when_the_data_is_fine(cast) -> None:
    webinars = campaign_make("Webinars")
    spend_make(webinars, "2026-10-01", "2026-10-31", "5000")
    deal_make("Small deal", "500000", moved=["2026-10-20"], campaign=webinars)
    leads_make(30, mql=at("2026-09-15"), moved=20)
    leads_make(30, mql=at("2026-10-15"), moved=20)
    lead = Lead.objects.first()
    SlaMark.objects.create(
        lead=lead,
        clock="accept",
        kind="warning",
        due_at=at("2026-10-10"),
        marked_at=at("2026-10-10"),
    )
    ActionItem.objects.create(
        title="Send the deck",
        owner=cast.rep,
        due_on=date(2026, 11, 10),
        created_at=at("2026-10-01"),
    )
    meeting = meeting_make(cast)
    assert agenda_draft(meeting) == []
    assert meeting.agenda.count() == 0


def test_major_open_opportunities_at_or_above_the_threshold(cast) -> None:
    deal_make("Alpha", "2500000", created="2026-10-10")
    deal_make("Below", "1999999.99", created="2026-10-10")
    deal_make("Lost early", "3000000", closed="2026-10-20")
    delta = deal_make("Delta", "2000000", created="2026-10-12", closed="2026-11-10")
    deal_make("Too late", "5000000", created="2026-11-05")
    items = of_kind(agenda_draft(meeting_make(cast)), AgendaKind.OPPORTUNITY)
    assert [i.title for i in items] == [
        "Alpha (Alpha Inc): 2,500,000 USD",
        "Delta (Delta Inc): 2,000,000 USD",
    ]
    assert items[1].source_key == f"opportunity:{delta.pk}"
    assert items[0].detail.startswith("Stage Proposal; owner nobody; open since 10 Oct 2026.")


def test_the_threshold_is_a_setting_of_the_series(cast) -> None:
    deal_make("Below", "1999999.99", created="2026-10-10")
    series = series_make(involvement_threshold=Decimal("1000000"))
    items = of_kind(agenda_draft(meeting_make(cast, series)), AgendaKind.OPPORTUNITY)
    # Shown rounded to whole units, like every amount on the agenda.
    assert [i.title for i in items] == ["Below (Below Inc): 2,000,000 USD"]


def test_stalled_deals_judged_at_the_meeting(cast) -> None:
    deal_make("S1", "800000", created="2026-08-01", moved=["2026-09-20"])
    deal_make("Moving", "900000", created="2026-08-01", moved=["2026-09-20", "2026-10-25"])
    deal_make("S3", "100000", created="2026-10-01")
    deal_make("S4", "50000", created="2026-08-01", moved=["2026-09-20", "2026-11-10"])
    deal_make("Won", "700000", created="2026-08-01", closed="2026-10-15")
    [item] = of_kind(agenda_draft(meeting_make(cast)), AgendaKind.STALLED_DEALS)
    assert item.title == "3 stalled deals: no stage change for over 30 days"
    assert item.detail.splitlines() == [
        "- S1 (S1 Inc): 800,000 USD, Proposal, unchanged since 20 Sep 2026",
        "- S3 (S3 Inc): 100,000 USD, Proposal, unchanged since 01 Oct 2026",
        "- S4 (S4 Inc): 50,000 USD, Proposal, unchanged since 20 Sep 2026",
    ]


def test_stalled_after_days_is_a_setting_of_the_series(cast) -> None:
    deal_make("S1", "800000", created="2026-08-01", moved=["2026-09-20"])
    series = series_make(stalled_after_days=60)
    assert of_kind(agenda_draft(meeting_make(cast, series)), AgendaKind.STALLED_DEALS) == []


def _breach(owner, clock: str, due: str, kind: str = "breach", hour: int = 12) -> None:
    lead = Lead.objects.create(owner=owner, stage="mql", created_at=at("2026-09-01"))
    SlaMark.objects.create(
        lead=lead, clock=clock, kind=kind, due_at=at(due, hour), marked_at=at(due, hour)
    )


def test_sla_breaches_since_the_last_meeting(cast) -> None:
    _breach(cast.rep, "accept", "2026-10-05")
    _breach(cast.rep, "accept", "2026-10-20")
    _breach(cast.other_rep, "first_contact", "2026-11-02", hour=23)
    _breach(cast.rep, "accept", "2026-09-20")  # the period before
    _breach(cast.rep, "accept", "2026-10-10", kind="warning")
    _breach(cast.rep, "accept", "2026-11-03", hour=0)  # the meeting's own day
    [item] = of_kind(agenda_draft(meeting_make(cast)), AgendaKind.SLA_BREACHES)
    assert item.title == "3 SLA breaches since the last meeting"
    assert item.detail.splitlines() == [
        "- Accept or reject: 2; First contact: 1",
        "- Most breaches: Rep (2), Other Rep (1)",
        "- The period before had 1.",
    ]


def test_a_conversion_rate_that_dropped(cast) -> None:
    leads_make(30, mql=at("2026-09-15"), moved=20)
    # MQL before the period ended but accepted after: counts as not moved on.
    leads_make(1, mql=at("2026-10-01"), moved=1, step=timedelta(days=4))
    leads_make(30, mql=at("2026-10-15"), moved=10)
    [item] = of_kind(agenda_draft(meeting_make(cast)), AgendaKind.CONVERSION_DROP)
    assert item.title == "MQL → SAL conversion fell from 65% to 33%"
    assert item.detail == (
        "10 of 30 leads moved on since the last meeting, against 20 of 31 in the 31 days "
        "before (a drop of 31 points)."
    )
    assert item.source_key == "conversion:mql_sal"


@pytest.mark.parametrize(
    ("before", "now"),
    [((10, 7), (10, 2)), ((30, 20), (30, 18))],
    ids=["too-few-leads", "small-drop"],
)
def test_no_conversion_flag_on_small_samples_or_small_drops(cast, before, now) -> None:
    leads_make(before[0], mql=at("2026-09-15"), moved=before[1])
    leads_make(now[0], mql=at("2026-10-15"), moved=now[1])
    assert of_kind(agenda_draft(meeting_make(cast)), AgendaKind.CONVERSION_DROP) == []


def test_campaigns_with_spend_and_no_pipeline(cast) -> None:
    banner = campaign_make("Banner blitz")
    spend_make(banner, "2026-10-01", "2026-10-31", "4000")
    spend_make(banner, "2026-10-15", "2026-10-20", "1000")
    spend_make(campaign_make("Trade show"), "2026-09-01", "2026-09-30", "12000")
    webinars = campaign_make("Webinars")
    spend_make(webinars, "2026-10-01", "2026-10-31", "3000")
    deal_make("Webinar deal", "10000", created="2026-06-01", campaign=webinars)
    podcast = campaign_make("Podcast")
    spend_make(podcast, "2026-10-01", "2026-10-31", "2000")
    Lead.objects.create(
        campaign=podcast, opportunity_at=at("2026-10-20"), created_at=at("2026-10-01")
    )
    retargeting = campaign_make("Retargeting")
    spend_make(retargeting, "2026-10-05", "2026-10-25", "1500")
    deal_make("Late deal", "10000", created="2026-11-10", campaign=retargeting)
    spend_make(campaign_make("Free"), "2026-10-01", "2026-10-31", "0")
    [item] = of_kind(agenda_draft(meeting_make(cast)), AgendaKind.IDLE_SPEND)
    assert item.title == "2 campaigns spent money and produced no pipeline yet"
    assert item.detail.splitlines() == [
        "- Banner blitz: 5,000 USD spent in the period",
        "- Retargeting: 1,500 USD spent in the period",
    ]


def test_overdue_action_items_of_the_participants(cast) -> None:
    def item(owner, due: str, status: str = "open") -> None:
        ActionItem.objects.create(
            title=f"Item of {owner.name} due {due}",
            owner=owner,
            due_on=date.fromisoformat(due),
            status=status,
            origin_label="Survey move",
            created_at=at("2026-09-01"),
        )

    item(cast.rep, "2026-10-20")
    item(cast.other_rep, "2026-10-01")  # not in the meeting
    item(cast.marketer, "2026-11-03")  # due on the day: not yet overdue
    item(cast.marketer, "2026-10-01", status="done")
    [point] = of_kind(agenda_draft(meeting_make(cast)), AgendaKind.OVERDUE)
    assert point.title == "1 overdue action item owed by the participants"
    assert point.detail == "- Item of Rep due 2026-10-20 (Rep, due 20 Oct 2026, from Survey move)"


def _closed_round(sales: int, marketing: int, name: str = "Autumn check"):
    round_ = survey.round_create(name=name, opens_on=date(2026, 9, 1), closes_on=date(2026, 9, 21))
    keys = instrument_load().item_keys
    for side, count, value in (("sales", sales, 2), ("marketing", marketing, 3)):
        for _ in range(count):
            Response.objects.create(
                round=round_,
                team_kind=side,
                role_group=side,
                answers=dict.fromkeys(keys, value),
                submitted_on=date(2026, 9, 10),
            )
    return survey.round_close(round=round_)


def test_survey_results_once_after_the_round_closed(cast) -> None:
    round_ = _closed_round(5, 5)
    series = series_make()
    first = meeting_make(cast, series)
    [item] = of_kind(agenda_draft(first), AgendaKind.SURVEY)
    weakest = instrument_load().themes[0].label
    assert item.title == "Survey results: Autumn check"
    assert item.source_key == f"survey:{round_.pk}"
    assert item.detail.splitlines() == [
        "- Relationship type: Defined (score 50.0, 10 answered)",
        "- Sales 40.0, marketing 60.0",
        f"- Weakest theme: {weakest} (50.0)",
    ]
    second = meeting_make(cast, series, held_on=date(2026, 12, 1))
    assert of_kind(agenda_draft(second), AgendaKind.SURVEY) == []


def test_survey_results_with_too_few_answers_show_no_figures(cast) -> None:
    _closed_round(2, 2)
    [item] = of_kind(agenda_draft(meeting_make(cast)), AgendaKind.SURVEY)
    assert item.detail == "4 answered: too few to show results (fewer than five)."


def test_feedback_themes_for_the_meeting_period(cast, monkeypatch) -> None:
    from accord.feedback import queries as feedback

    asked = []

    def themes(start: date, end: date) -> list[object]:
        asked.append((start, end))
        return [
            SimpleNamespace(label="pricing, discount", size=7, is_new=True, quotes=["Too dear"]),
            SimpleNamespace(label="onboarding", size=3, is_new=False, previous_size=5, quotes=[]),
        ]

    monkeypatch.setattr(feedback, "themes_for_period", themes, raising=False)
    [item] = of_kind(agenda_draft(meeting_make(cast)), AgendaKind.FEEDBACK)
    assert asked[-1] == (date(2026, 10, 3), date(2026, 11, 2))
    assert item.title == "What the field said: 2 feedback themes, 1 new"
    assert item.detail.splitlines() == [
        '- pricing, discount (7 notes, new) — "Too dear"',
        "- onboarding (3 notes, 5 in the period before)",
    ]


def test_no_feedback_point_when_the_feedback_app_cannot_tell(cast, monkeypatch) -> None:
    from accord.feedback import queries as feedback

    monkeypatch.delattr(feedback, "themes_for_period", raising=False)
    assert of_kind(agenda_draft(meeting_make(cast)), AgendaKind.FEEDBACK) == []


def test_a_theme_given_as_a_mapping() -> None:
    assert _theme_line({"name": "Competitor X", "count": 4}) == "Competitor X (4 notes)"


def test_a_long_quote_is_shortened() -> None:
    line = _theme_line({"label": "price", "quotes": ["word " * 60]})
    assert line.startswith('price — "word word') and line.endswith('word…"')
    assert len(line) == len('price — ""') + 140


def test_the_real_feedback_themes_when_there_is_no_feedback(cast) -> None:
    assert of_kind(agenda_draft(meeting_make(cast)), AgendaKind.FEEDBACK) == []


def test_the_period_starts_at_the_previous_meeting(cast) -> None:
    series = series_make()
    meeting_make(cast, series, held_on=date(2026, 10, 20))
    leads_make(20, mql=at("2026-10-10"), moved=20)  # the period before: 6 to 20 Oct
    leads_make(20, mql=at("2026-10-25"), moved=5)
    later = meeting_make(cast, series, held_on=HELD_ON)
    [item] = of_kind(agenda_draft(later), AgendaKind.CONVERSION_DROP)
    assert item.detail.endswith("20 of 20 in the 14 days before (a drop of 75 points).")


def test_deals_show_the_stage_they_stood_at_on_the_meeting_day(cast) -> None:
    deal = deal_make("Gone", "2500000", created="2026-08-01", closed="2026-11-10")
    OpportunityStageChange.objects.create(
        opportunity=deal, stage="Qualification", changed_at=at("2026-08-20")
    )
    OpportunityStageChange.objects.create(
        opportunity=deal, stage="Closed Won", changed_at=at("2026-11-10")
    )
    items = agenda_draft(meeting_make(cast))
    [major] = of_kind(items, AgendaKind.OPPORTUNITY)
    [stalled] = of_kind(items, AgendaKind.STALLED_DEALS)
    assert major.detail.startswith("Stage Qualification; ")
    assert stalled.detail == (
        "- Gone (Gone Inc): 2,500,000 USD, Qualification, unchanged since 20 Aug 2026"
    )
