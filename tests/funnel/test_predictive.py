from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse

from accord.crm.choices import LeadStage, RejectionReason, TouchKind
from accord.crm.models import Lead, Touch
from accord.funnel import predictive
from tests.conftest import AS_OF, login


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def _history(make_lead, n: int = 60) -> None:
    """VPs were always accepted, students always rejected."""
    for i in range(n):
        vp = i % 2 == 0
        make_lead(
            stage=LeadStage.SAL if vp else LeadStage.RECYCLED,
            title="VP Sales" if vp else "Student",
            mql_at=AS_OF - timedelta(days=n - i),
            sal_at=AS_OF if vp else None,
            rejection_reason="" if vp else RejectionReason.STUDENT,
        )


def test_touches_count_only_before_the_mql_moment(make_lead) -> None:
    lead = make_lead(title="Head of IT", mql_at=AS_OF)
    for days in (-1, 1):
        Touch.objects.create(
            contact=lead.contact,
            channel="webinar",
            kind=TouchKind.WEBINAR,
            occurred_at=AS_OF + timedelta(days=days),
            created_at=AS_OF,
        )
    [(pk, accepted, features)] = predictive.feature_rows(Lead.objects.filter(pk=lead.pk))
    named = dict(zip(predictive.FEATURES, features, strict=True))
    assert (pk, accepted) == (lead.pk, False)
    assert named["title has “head”"] == 1.0 and named["Webinar attended touches"] == 1.0


def test_learns_a_clear_pattern_and_says_how_good_it_is(make_lead) -> None:
    _history(make_lead)
    model = predictive.model_train(predictive.decided_mqls())
    assert (model.trained_on, model.tested_on) == (48, 12)
    assert model.accuracy == 1.0 and model.baseline == 0.5
    vp = make_lead(title="VP Marketing", mql_at=AS_OF)
    student = make_lead(title="Student", mql_at=AS_OF)
    assert predictive.lead_acceptance_chance(vp)[0] > 0.9
    assert predictive.lead_acceptance_chance(student)[0] < 0.1


def test_too_little_history_gives_no_model(make_lead) -> None:
    _history(make_lead, n=10)
    assert predictive.model_current() is None


def test_history_page_shows_it_beside_the_agreed_score(client, cast, make_lead) -> None:
    _history(make_lead)
    lead = make_lead(owner=cast.rep, title="VP Marketing", mql_at=AS_OF)
    login(client, cast.rep)
    html = client.get(reverse("funnel:history", args=[lead.pk])).content.decode()
    assert "chance sales accepts it" in html and "right 100% of the time" in html
