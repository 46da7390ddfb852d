"""A recycled lead comes back as an MQL only by earning new engagement.

Shipped rules: "vp" in the title 20, form fill 25, webinar 15, e-mail click 3,
half-life 30 days, threshold 50, and 25 engagement points needed after recycling.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from accord.crm.choices import LeadEventKind, LeadStage, RejectionReason
from accord.crm.models import Lead, LeadEvent, Touch
from accord.funnel import scoring, services
from accord.funnel.scoring import Rule
from tests.conftest import AS_OF

RECYCLED_AT = AS_OF - timedelta(days=10)


def _touch(lead: Lead, kind: str, at) -> None:
    Touch.objects.create(
        contact=lead.contact, channel="web", kind=kind, occurred_at=at, created_at=at
    )


@pytest.fixture
def recycled(cast, make_lead) -> Lead:
    """A VP who filled a form 40 days ago, was an MQL, and was rejected 10 days ago."""
    lead = make_lead(owner=cast.rep, title="VP Sales", mql_at=AS_OF - timedelta(days=40))
    _touch(lead, "form_fill", AS_OF - timedelta(days=40))
    with time_machine.travel(RECYCLED_AT, tick=False):
        services.lead_reject(lead=lead, by=cast.rep, reason=RejectionReason.BAD_TIMING)
    lead.refresh_from_db()
    return lead


def _enter(lead: Lead) -> Lead:
    with time_machine.travel(AS_OF, tick=False):
        services.lead_enter_funnel(lead_id=lead.pk)
    lead.refresh_from_db()
    return lead


def test_old_engagement_alone_does_not_bring_it_back(recycled) -> None:
    # Even at the threshold, the form fill that made it an MQL once does not count twice.
    _touch(recycled, "email_click", AS_OF - timedelta(days=1))
    rules = scoring.Rules(0, 20, 30.0, scoring.DEFAULT_RULES.rules)  # threshold 20: score is 33
    with time_machine.travel(AS_OF, tick=False):
        services._enter_funnel(recycled.pk, rules, AS_OF)
    recycled.refresh_from_db()
    assert recycled.stage == LeadStage.RECYCLED and recycled.score == 33


def test_a_webinar_is_not_enough_a_webinar_and_a_form_fill_is(cast, recycled) -> None:
    _touch(recycled, "webinar", AS_OF - timedelta(days=1))
    lead = _enter(recycled)
    # 20 (VP) + 25 x 0.5^(40/30) = 9.9 + 15 x 0.5^(1/30) = 14.7 -> 45 < 50; new points 14.7 < 25
    assert (lead.stage, lead.score) == (LeadStage.RECYCLED, 45)

    _touch(recycled, "form_fill", AS_OF)
    lead = _enter(recycled)
    # 45 + 25 fresh = 70 >= 50, and 14.7 + 25 = 39.7 new points >= 25
    assert (lead.stage, lead.score, lead.mql_at) == (LeadStage.MQL, 70, AS_OF)
    assert (lead.sal_at, lead.first_contact_at, lead.rejection_reason) == (None, None, "")
    assert lead.owner is not None and lead.assigned_at == AS_OF
    assert lead.accept_due_at is not None and lead.accept_due_at > AS_OF
    back = LeadEvent.objects.get(lead=lead, to_stage=LeadStage.MQL, from_stage=LeadStage.RECYCLED)
    assert back.rule == (
        "Recycled lead earned 39.7 new engagement points (needs 25) and scored 70, "
        "at or above the MQL threshold 50 (rules v0)"
    )
    kinds = list(lead.events.order_by("pk").values_list("kind", flat=True))
    assert kinds[-3:] == [LeadEventKind.SCORED, LeadEventKind.STAGE_CHANGED, LeadEventKind.ASSIGNED]
    assert lead.events.filter(kind=LeadEventKind.REJECTED).count() == 1  # the old cycle stays


def test_new_engagement_below_the_threshold_keeps_it_in_nurture(cast, make_lead) -> None:
    lead = make_lead(stage=LeadStage.RECYCLED, recycled_at=RECYCLED_AT)  # no title: 0 fit
    _touch(lead, "form_fill", AS_OF)  # 25 new points, but 25 < 50
    assert _enter(lead).stage == LeadStage.RECYCLED


def test_a_disqualified_lead_never_comes_back(cast, make_lead) -> None:
    lead = make_lead(stage=LeadStage.DISQUALIFIED, title="VP Sales")
    for _ in range(3):
        _touch(lead, "form_fill", AS_OF)
    assert _enter(lead).stage == LeadStage.DISQUALIFIED


@time_machine.travel(AS_OF, tick=False)
def test_the_agreed_amount_of_new_engagement_is_part_of_the_rules(cast, recycled) -> None:
    _touch(recycled, "form_fill", AS_OF)  # score 20 + 9.9 + 25 = 55; 25 new points
    services.rule_set_publish(
        rules=scoring.DEFAULT_RULES.rules,
        mql_threshold=50,
        half_life_days=30,
        by=None,
        recycle_points=30,
    )
    assert _enter(recycled).stage == LeadStage.RECYCLED  # 25 < 30
    services.rule_set_publish(
        rules=(*scoring.DEFAULT_RULES.rules, Rule("touch", 10, "form_fill")),
        mql_threshold=50,
        half_life_days=30,
        by=None,
        recycle_points=30,
    )
    # Publishing rescored it: the extra 10 a form fill makes 35 new points >= 30.
    recycled.refresh_from_db()
    assert recycled.stage == LeadStage.MQL


def test_the_periodic_review_finds_recycled_leads_with_new_touches(cast, recycled) -> None:
    with time_machine.travel(AS_OF, tick=False):
        assert services.recycled_leads_review() == 0  # no touch since it was recycled
        _touch(recycled, "email_click", AS_OF - timedelta(days=2))  # recorded two days ago
        assert services.recycled_leads_review() == 0  # old news: reviewed then, not again
    _touch(recycled, "form_fill", AS_OF - timedelta(hours=1))
    _touch(recycled, "webinar", AS_OF - timedelta(hours=1))
    with time_machine.travel(AS_OF, tick=False):
        assert services.recycled_leads_review() == 1
    recycled.refresh_from_db()
    assert recycled.stage == LeadStage.MQL


def test_engagement_since_counts_only_later_touches() -> None:
    touches = [("form_fill", RECYCLED_AT - timedelta(days=1)), ("webinar", AS_OF)]
    assert scoring.engagement_since(scoring.DEFAULT_RULES, touches, RECYCLED_AT, AS_OF) == 15
