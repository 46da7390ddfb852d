"""Scoring rules change only when a sales and a marketing manager have both signed."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from accord.crm.choices import LeadStage
from accord.funnel import rule_sets, scoring, services
from accord.funnel.models import ScoringRuleSet
from accord.funnel.scoring import Rule
from tests.conftest import AS_OF, login

TEXT = """
title_contains | vp | 20
# comments and blank lines are skipped

company_size | 50-999 | 10
company_size | 1000+ | 20
country | de | 5
touch | form_fill | 30
"""


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(AS_OF, tick=False):
        yield


def _proposal(**overrides: str) -> rule_sets.Proposal:
    fields = {"text": TEXT, "mql_threshold": "40", "half_life_days": "14", "recycle_points": "20"}
    return rule_sets.proposal_parse(**{**fields, **overrides})


def test_the_text_becomes_rules() -> None:
    proposal = _proposal()
    assert proposal.rules == (
        Rule("title_contains", 20, "vp"),
        Rule("company_size", 10, minimum=50, maximum=999),
        Rule("company_size", 20, minimum=1000),
        Rule("country", 5, "DE"),
        Rule("touch", 30, "form_fill"),
    )
    assert (proposal.mql_threshold, proposal.half_life_days, proposal.recycle_points) == (
        40,
        14.0,
        20,
    )
    assert (
        rule_sets.proposal_parse(
            text=rule_sets.rules_as_text(proposal.rules),
            mql_threshold="40",
            half_life_days="14",
            recycle_points="20",
        )
        == proposal
    )


def test_every_mistake_is_named_by_its_line_or_field() -> None:
    text = "\n".join(
        [
            "title_contains | vp | 20",
            "colour | red | 5",
            "touch | carrier_pigeon | 5",
            "company_size | 999-50 | 5",
            "country | Germany | 5",
            "industry | software | lots",
            "industry | software | 0",
            "title_contains | vp | 10",
            "just words",
        ]
    )
    with pytest.raises(rule_sets.RuleSetError) as caught:
        rule_sets.proposal_parse(
            text=text, mql_threshold="0", half_life_days="x", recycle_points="2.5"
        )
    problems = caught.value.problems
    assert problems[:3] == [
        "mql threshold: give a whole number from 1 to 1000.",
        "half life days: “x” is not a number.",
        "recycle points: give a whole number from 0 to 1000.",
    ]
    assert [p.split(":")[0] for p in problems[3:]] == [f"line {n}" for n in range(2, 10)]
    assert "“carrier_pigeon” is not a touch kind" in problems[4]
    assert problems[5] == "line 4: company size is written 50-999 or 1000+."
    assert problems[9] == "line 8: the same rule appears twice."
    with pytest.raises(rule_sets.RuleSetError, match="write at least one rule"):
        _proposal(text="  \n# nothing\n")


def test_a_proposal_holds_only_after_both_signatures(cast, make_lead) -> None:
    lead = make_lead(stage=LeadStage.INQUIRY, title="VP Sales", country="DE")
    proposed = rule_sets.rule_set_propose(
        proposal=_proposal(), by=cast.marketing_manager, note="Fewer points for size"
    )
    assert proposed.in_force_from is None and scoring.rules_in_force().version == 0

    rule_sets.rule_set_sign(rule_set=proposed, by=cast.sales_manager)
    assert scoring.rules_in_force().version == 0
    with pytest.raises(rule_sets.RuleSetError, match=rule_sets.ALREADY_SIGNED):
        rule_sets.rule_set_sign(rule_set=proposed, by=cast.sales_manager)

    signed = rule_sets.rule_set_sign(rule_set=proposed, by=cast.marketing_manager)
    assert signed.in_force_from == AS_OF
    assert (signed.sales_signed_by, signed.marketing_signed_by) == (
        cast.sales_manager,
        cast.marketing_manager,
    )
    rules = scoring.rules_in_force()
    assert (rules.version, rules.mql_threshold, rules.recycle_points) == (1, 40, 20)
    lead.refresh_from_db()
    assert lead.score == 25  # rescored on signing: vp 20 + country DE 5 (below 40)
    with pytest.raises(rule_sets.RuleSetError, match=rule_sets.ALREADY_IN_FORCE):
        rule_sets.rule_set_sign(rule_set=proposed, by=cast.sales_manager)


def test_who_may_propose_and_sign(cast) -> None:
    with pytest.raises(rule_sets.RuleSetError, match=rule_sets.PROPOSE_NOT_ALLOWED):
        rule_sets.rule_set_propose(proposal=_proposal(), by=cast.rep)
    proposed = rule_sets.rule_set_propose(proposal=_proposal(), by=cast.cro)
    for who in (cast.cro, cast.rep, cast.marketer):
        with pytest.raises(rule_sets.RuleSetError, match=rule_sets.SIGN_NEEDS_MANAGER):
            rule_sets.rule_set_sign(rule_set=proposed, by=who)


def test_a_newer_proposal_supersedes_an_unsigned_one(cast) -> None:
    services.funnel_defaults_ensure()  # version 1, in force
    older = rule_sets.rule_set_propose(proposal=_proposal(), by=cast.sales_manager)
    newer = rule_sets.rule_set_propose(
        proposal=_proposal(mql_threshold="45"), by=cast.marketing_manager
    )
    assert (older.version, newer.version) == (2, 3)
    with pytest.raises(rule_sets.RuleSetError, match="sign that one instead"):
        rule_sets.rule_set_sign(rule_set=older, by=cast.sales_manager)
    assert rule_sets.rule_set_pending() == newer
    assert scoring.rules_in_force().version == 1


def test_the_page_proposes_shows_and_signs(client, cast) -> None:
    login(client, cast.sales_manager)
    html = client.get(reverse("funnel:scoring")).content.decode()
    assert "<title>Lead scoring" in html
    assert "title_contains | vp | 20" in html  # the form starts from the rules in force
    form = {
        "rules": TEXT,
        "mql_threshold": "40",
        "half_life_days": "14",
        "recycle_points": "20",
        "note": "Tighter",
    }
    response = client.post(reverse("funnel:scoring_propose"), form, follow=True)
    html = response.content.decode()
    assert "Proposed. The rules change once" in html
    assert "Version 1</strong> proposed by Sales Manager" in html and "Tighter" in html
    assert "Country is “DE”" in html and "Sign for sales" in html

    pending = ScoringRuleSet.objects.get()
    client.post(reverse("funnel:scoring_sign", args=[pending.pk]))
    login(client, cast.marketing_manager)
    response = client.post(reverse("funnel:scoring_sign", args=[pending.pk]), follow=True)
    assert "the new rules are in force" in response.content.decode()
    assert "Version 1 of the rules both sides agreed" in response.content.decode()


def test_the_page_keeps_what_was_typed_and_lists_the_problems(client, cast) -> None:
    login(client, cast.marketing_manager)
    form = {"rules": "touch | fax | 5", "mql_threshold": "50", "half_life_days": "30"}
    response = client.post(reverse("funnel:scoring_propose"), {**form, "recycle_points": "25"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was proposed" in html and "line 1: “fax” is not a touch kind" in html
    assert "touch | fax | 5</textarea>" in html
    assert not ScoringRuleSet.objects.exists()


def test_reps_see_the_rules_but_no_form(client, cast) -> None:
    login(client, cast.rep)
    html = client.get(reverse("funnel:scoring")).content.decode()
    assert "No new rules await a signature" in html and "Propose new rules" not in html
    response = client.post(reverse("funnel:scoring_propose"), {}, follow=True)
    assert rule_sets.PROPOSE_NOT_ALLOWED in response.content.decode()
    assert not ScoringRuleSet.objects.exists()


def test_rules_published_directly_are_in_force_at_once(db) -> None:
    published = services.rule_set_publish(
        rules=(Rule("touch", 50, "form_fill"),), mql_threshold=50, half_life_days=30, by=None
    )
    assert published.in_force_from == AS_OF and scoring.rules_in_force().version == 1
