"""The demo company is deterministic and tells the stories the analytics must find."""

from __future__ import annotations

from django.db.models import Q

from accord.crm.models import Campaign, Contact, Lead, LeadEvent, Opportunity, Touch
from accord.demo.build import demo_build
from accord.directory.models import Person
from accord.directory.roles import Role
from tests.conftest import AS_OF


def test_counts_and_roles(demo_small) -> None:
    counts = demo_small.counts
    assert demo_small.built
    assert counts["people"] == 40
    assert counts["leads"] == 1_500 and counts["contacts"] == 1_500
    assert counts["touches"] >= 30_000
    assert counts["opportunities"] > 80
    assert {p.role for p in Person.objects.all()} == {r.value for r in Role}
    assert Person.objects.filter(user__username="rep", role=Role.SALES_REP).exists()


def test_a_second_build_changes_nothing(demo_small) -> None:
    again = demo_build(size="small", seed=7, as_of=AS_OF)
    assert not again.built
    assert again.counts == demo_small.counts


def test_funnel_rates_are_plausible(demo_small) -> None:
    leads = Lead.objects.count()
    mqls = Lead.objects.filter(mql_at__isnull=False).count()
    customers = Lead.objects.filter(customer_at__isnull=False).count()
    assert 0.25 < mqls / leads < 0.55
    assert 0.005 < customers / leads < 0.06  # a few percent of inquiries become customers


def test_nothing_happens_after_as_of(demo_small) -> None:
    assert not Touch.objects.filter(occurred_at__gt=AS_OF).exists()
    assert not LeadEvent.objects.filter(occurred_at__gt=AS_OF).exists()
    assert not Lead.objects.filter(created_at__gt=AS_OF).exists()
    assert not Opportunity.objects.filter(closed_at__gt=AS_OF).exists()


def test_open_mqls_have_running_sla_clocks(demo_small) -> None:
    waiting = Lead.objects.filter(stage="mql", owner__isnull=False, accept_due_at__isnull=False)
    assert waiting.exists()
    assert (
        waiting.filter(accept_due_at__gt=AS_OF).exists()
        or waiting.filter(accept_due_at__lte=AS_OF).exists()
    )


def test_stage_timestamps_agree_with_the_stage(demo_small) -> None:
    assert not Lead.objects.filter(stage="customer", customer_at__isnull=True).exists()
    assert not Lead.objects.filter(stage="sql", sql_at__isnull=True).exists()
    assert not Lead.objects.filter(sal_at__isnull=False, mql_at__isnull=True).exists()
    assert not Lead.objects.filter(Q(sal_at__lt=models_f("mql_at"))).exists()
    opened = Lead.objects.filter(stage__in=["opportunity", "customer"])
    assert not opened.filter(converted_opportunity__isnull=True).exists()
    rejected = Lead.objects.filter(stage="recycled")
    assert not rejected.filter(rejection_reason="").exists()


def models_f(name: str):
    from django.db.models import F

    return F(name)


def test_weak_campaigns_never_touch_a_winning_account(demo_small) -> None:
    winners = Opportunity.objects.filter(is_won=True).values("account_id")
    display = Campaign.objects.filter(channel="display")
    assert display.exists()
    assert not Touch.objects.filter(campaign__in=display, account_id__in=winners).exists()


def test_slow_reps_breach_more_often(demo_small) -> None:
    breaches = LeadEvent.objects.filter(kind="sla_breach", note__startswith="accept")
    assert breaches.exists()


def test_same_seed_same_company(db) -> None:
    demo_build(size="small", seed=11, as_of=AS_OF)
    first = list(Contact.objects.order_by("pk").values_list("email", flat=True)[:50])
    touches = Touch.objects.count()
    demo_build(size="small", seed=11, as_of=AS_OF, reset=True)
    assert list(Contact.objects.order_by("pk").values_list("email", flat=True)[:50]) == first
    assert Touch.objects.count() == touches
