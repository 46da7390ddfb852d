from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from accord.crm.choices import LeadEventKind, LeadStage, TouchKind
from accord.crm.models import Account, LeadEvent, Touch
from accord.funnel import scoring, services
from accord.funnel.models import RuleAttribute, ScoringRuleSet
from accord.funnel.scoring import Facts, Rule, Rules, score_compute
from tests.conftest import AS_OF

RULES = Rules(
    version=3,
    mql_threshold=50,
    half_life_days=30.0,
    rules=(
        Rule(RuleAttribute.TITLE_CONTAINS, 15, "Director"),
        Rule(RuleAttribute.COMPANY_SIZE, 10, minimum=50, maximum=999),
        Rule(RuleAttribute.INDUSTRY, 5, "Software"),
        Rule(RuleAttribute.COUNTRY, 4, "de"),
        Rule(RuleAttribute.SEGMENT, 6, "enterprise"),
        Rule(RuleAttribute.TOUCH, 20, TouchKind.FORM_FILL),
        Rule(RuleAttribute.TOUCH, 12, TouchKind.WEBINAR),
    ),
)


def touch(contact, kind: str, at) -> Touch:
    return Touch.objects.create(
        contact=contact, channel="other", kind=kind, occurred_at=at, created_at=at
    )


@pytest.mark.nodb
def test_fit_and_decayed_engagement_add_up_by_hand() -> None:
    facts = Facts(title="director of it", employees=200, industry="software")
    touches = [
        (TouchKind.FORM_FILL, AS_OF),  # fresh: 20
        (TouchKind.WEBINAR, AS_OF - timedelta(days=30)),  # one half-life: 6
        (TouchKind.WEBINAR, AS_OF - timedelta(days=60)),  # two half-lives: 3
        (TouchKind.EMAIL_OPEN, AS_OF),  # no rule for it
    ]
    score = score_compute(RULES, facts, touches, AS_OF)
    assert [(f.label.split(" “")[0], f.points) for f in score.fired] == [
        ("Job title has the word", 15.0),
        ("Company size between 50-999 employees", 10.0),
        ("Industry is", 5.0),
        ("Each touch of kind", 20.0),
        ("Each touch of kind", 9.0),
    ]
    assert score.total == 59
    assert score.is_mql and score.rules_version == 3
    assert score.explain()[4] == {"rule": "Each touch of kind “Webinar attended” x2", "points": 9.0}


@pytest.mark.nodb
@pytest.mark.parametrize(
    ("employees", "fires"), [(None, False), (49, False), (50, True), (999, True), (1000, False)]
)
def test_company_size_bounds_are_inclusive(employees, fires) -> None:
    rule = Rule(RuleAttribute.COMPANY_SIZE, 10, minimum=50, maximum=999)
    assert scoring.fit_fires(rule, Facts(employees=employees)) is fires


@pytest.mark.nodb
@pytest.mark.parametrize(
    ("title", "fires"), [("coo", True), ("COO, Europe", True), ("Marketing Coordinator", False)]
)
def test_title_rules_match_whole_words(title, fires) -> None:
    rule = Rule(RuleAttribute.TITLE_CONTAINS, 20, "COO")
    assert scoring.fit_fires(rule, Facts(title=title.lower())) is fires


@pytest.mark.nodb
def test_country_and_segment_rules() -> None:
    facts = Facts(countries=frozenset({"DE"}), segments=frozenset({"enterprise"}))
    assert score_compute(RULES, facts, [], AS_OF).total == 10
    assert not score_compute(RULES, Facts(), [], AS_OF).fired


@pytest.mark.nodb
def test_touches_in_the_future_do_not_count_more_than_fresh() -> None:
    assert scoring.decayed(AS_OF + timedelta(days=1), AS_OF, 30) == 1.0
    assert scoring.decayed(AS_OF - timedelta(days=90), AS_OF, 30) == 0.125


def test_lead_score_reads_contact_account_and_touches(make_lead) -> None:
    account = Account.objects.create(name="Acme", employees=1500, created_at=AS_OF)
    lead = make_lead(stage=LeadStage.INQUIRY, title="VP Marketing", account=account)
    touch(lead.contact, TouchKind.WEBINAR, AS_OF)
    touch(lead.contact, TouchKind.EVENT_VISIT, AS_OF + timedelta(days=1))  # later: ignored
    score = scoring.lead_score(lead, AS_OF)
    assert score.total == 20 + 20 + 15  # vp, 1000+ employees, a fresh webinar (defaults)
    assert score.rules_version == 0  # the shipped defaults: nothing published yet


def test_defaults_are_stored_once(db) -> None:
    first = services.funnel_defaults_ensure()
    again = services.funnel_defaults_ensure()
    assert first.pk == again.pk and first.version == 1
    assert first.rules.count() == len(scoring.DEFAULT_RULES.rules)
    assert scoring.rules_in_force().rules == scoring.DEFAULT_RULES.rules


def test_publishing_rules_rescores_and_promotes(cast, make_lead) -> None:
    with time_machine.travel(AS_OF, tick=False):
        lead = make_lead(stage=LeadStage.INQUIRY, title="Head of Sales")
        services.lead_enter_funnel(lead_id=lead.pk)
        lead.refresh_from_db()
        assert (lead.stage, lead.score) == (LeadStage.INQUIRY, 10)
        services.rule_set_publish(
            rules=(Rule(RuleAttribute.TITLE_CONTAINS, 40, "head"),),
            mql_threshold=30,
            half_life_days=14,
            by=cast.marketing_manager,
        )
    lead.refresh_from_db()
    assert (lead.stage, lead.score) == (LeadStage.MQL, 40)
    assert ScoringRuleSet.objects.get().version == 1
    scored = LeadEvent.objects.filter(lead=lead, kind=LeadEventKind.SCORED).last()
    assert scored.rule == "Scoring rules v1"
    assert scored.data["fired"] == [{"rule": "Job title has the word “head”", "points": 40.0}]
