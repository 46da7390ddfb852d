"""The demo company is deterministic and tells the stories the analytics must find.

Building it is the slow part, so one build serves many checks.
"""

from __future__ import annotations

from django.db.models import F

from accord.crm.models import Campaign, Contact, Lead, LeadEvent, Opportunity, Touch
from accord.demo.build import DemoResult, demo_build
from accord.directory.models import Person
from accord.directory.roles import Role
from tests.conftest import AS_OF


def test_demo_company_tells_true_stories(demo_small: DemoResult) -> None:
    check_counts_and_roles(demo_small)
    check_funnel_rates()
    check_nothing_happens_after_as_of()
    check_open_mqls_have_clocks()
    check_stage_timestamps()
    check_weak_campaigns_never_touch_buyers()
    check_breaches_exist()
    check_first_sweep_repeats_no_breach()
    again = demo_build(size="small", seed=7, as_of=AS_OF)
    assert not again.built and again.counts == demo_small.counts


def check_counts_and_roles(result: DemoResult) -> None:
    counts = result.counts
    assert result.built
    assert counts["people"] == 40
    assert counts["leads"] == 1_500 and counts["contacts"] == 1_500
    assert counts["touches"] >= 30_000
    assert counts["opportunities"] > 80
    assert {p.role for p in Person.objects.all()} == {r.value for r in Role}
    assert Person.objects.filter(user__username="rep", role=Role.SALES_REP).exists()


def check_funnel_rates() -> None:
    leads = Lead.objects.count()
    mqls = Lead.objects.filter(mql_at__isnull=False).count()
    customers = Lead.objects.filter(customer_at__isnull=False).count()
    assert 0.25 < mqls / leads < 0.55
    assert 0.005 < customers / leads < 0.06  # a few percent of inquiries become customers


def check_nothing_happens_after_as_of() -> None:
    assert not Touch.objects.filter(occurred_at__gt=AS_OF).exists()
    assert not LeadEvent.objects.filter(occurred_at__gt=AS_OF).exists()
    assert not Lead.objects.filter(created_at__gt=AS_OF).exists()
    assert not Opportunity.objects.filter(closed_at__gt=AS_OF).exists()


def check_open_mqls_have_clocks() -> None:
    waiting = Lead.objects.filter(stage="mql", owner__isnull=False)
    assert waiting.exists()
    assert not waiting.filter(accept_due_at__isnull=True).exists()


def check_stage_timestamps() -> None:
    assert not Lead.objects.filter(stage="customer", customer_at__isnull=True).exists()
    assert not Lead.objects.filter(stage="sql", sql_at__isnull=True).exists()
    assert not Lead.objects.filter(sal_at__isnull=False, mql_at__isnull=True).exists()
    assert not Lead.objects.filter(sal_at__lt=F("mql_at")).exists()
    opened = Lead.objects.filter(stage__in=["opportunity", "customer"])
    assert not opened.filter(converted_opportunity__isnull=True).exists()
    assert not Lead.objects.filter(stage="recycled", rejection_reason="").exists()


def check_weak_campaigns_never_touch_buyers() -> None:
    buyers = Opportunity.objects.values("account_id")
    display = Campaign.objects.filter(channel="display")
    assert display.exists()
    assert not Touch.objects.filter(campaign__in=display, account_id__in=buyers).exists()
    assert not Lead.objects.filter(
        campaign__in=display, converted_opportunity__isnull=False
    ).exists()


def check_breaches_exist() -> None:
    assert LeadEvent.objects.filter(kind="sla_breach", note__startswith="accept").exists()


def test_same_seed_same_company_and_reset(db) -> None:
    demo_build(size="small", seed=11, as_of=AS_OF)
    first = list(Contact.objects.order_by("pk").values_list("email", flat=True)[:50])
    touches = Touch.objects.count()
    demo_build(size="small", seed=11, as_of=AS_OF, reset=True)
    assert list(Contact.objects.order_by("pk").values_list("email", flat=True)[:50]) == first
    assert Touch.objects.count() == touches


def check_first_sweep_repeats_no_breach() -> None:
    from accord.funnel.sweeper import sla_sweep

    before = LeadEvent.objects.filter(kind="sla_breach").count()
    sla_sweep(AS_OF)
    assert LeadEvent.objects.filter(kind="sla_breach").count() == before
