"""Build the demo company: the one entry point the CLI, tests and benchmarks call."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, time

import numpy as np
from django.db import transaction
from django.utils import timezone
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from accord.cadence.demo import cadence_demo_build
from accord.crm.models import Account, Contact, Lead, Opportunity
from accord.demo import accounts as accounts_mod
from accord.demo import company, marketing, pipeline, touches
from accord.demo.extras import inbox_build
from accord.demo.inserter import sequences_reset
from accord.demo.sizes import SIZES, Size
from accord.demo.sla_marks import sla_marks_build
from accord.diagnostic.demo import diagnostic_demo_build
from accord.feedback.demo import feedback_demo_build
from accord.metrics.demo import metrics_demo_build
from accord.playbook.demo import playbook_demo_build
from accord.stats import record_counts

STEPS = ("people", "campaigns", "accounts", "leads", "deals", "touches", "inbox", "survey")


class DemoError(Exception):
    pass


@dataclass
class DemoResult:
    built: bool
    counts: dict[str, int]

    @property
    def summary(self) -> str:
        head = "Built the demo company." if self.built else "The demo company is already here."
        parts = ", ".join(f"{v:,} {k}" for k, v in self.counts.items() if v)
        return f"{head} {parts}."


def demo_build(
    *,
    size: str = "demo",
    seed: int = 7,
    as_of: datetime | None = None,
    reset: bool = False,
    console: Console | None = None,
) -> DemoResult:
    if size not in SIZES:
        raise DemoError(f"Unknown size {size!r}; choose one of: {', '.join(SIZES)}.")
    if reset:
        demo_reset()
    if Account.objects.exists() or Lead.objects.exists():
        return DemoResult(built=False, counts=record_counts())
    moment = (as_of or timezone.now()).astimezone(UTC).replace(microsecond=0)
    _build(SIZES[size], seed, moment, console or Console(quiet=True))
    return DemoResult(built=True, counts=record_counts())


def demo_reset() -> None:
    """Delete every record the generator writes (and every login), children first.

    Not ``flush``: that cannot run inside a transaction on PostgreSQL, and it would
    also wipe data that other capabilities keep beside the demo.
    """
    from django.contrib.auth.models import User

    from accord.crm import models as crm
    from accord.diagnostic.models import Round
    from accord.directory import models as directory
    from accord.inbox.models import ActionItem, Notification

    with transaction.atomic():
        Round.objects.all().delete()
        for model in (
            crm.LeadEvent,
            crm.Touch,
            crm.OpportunityContactRole,
            crm.OpportunityStageChange,
            crm.Lead,
            crm.Opportunity,
            crm.Spend,
            crm.Contact,
            crm.Campaign,
            crm.Account,
            crm.ExchangeRate,
            crm.Company,
            ActionItem,
            Notification,
            directory.Segment,
            directory.Team,
            directory.Person,
            directory.Territory,
            directory.Topic,
            User,
        ):
            model.objects.all().delete()


def _build(size: Size, seed: int, as_of: datetime, console: Console) -> None:
    rng = random.Random(seed)
    np_rng = np.random.default_rng(seed)
    months = marketing.months_of_history(as_of.date(), size.months)
    start = datetime.combine(months[0], time(), tzinfo=UTC)
    scale = size.leads / 30_000
    columns = (
        TextColumn("{task.description:<10}"),
        BarColumn(),
        TextColumn("{task.completed:,.0f}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as bar:
        task = bar.add_task("people", total=len(STEPS) - 1 + size.touches)
        with transaction.atomic():
            org = company.org_build(rng, as_of=as_of)
            company.exchange_rates_build(rng, months)
            bar.update(task, advance=1, description="campaigns")
            campaigns = marketing.campaigns_build(rng, months, org.marketers)
            marketing.spend_build(rng, campaigns, months, scale)
            bar.update(task, advance=1, description="accounts")
            accounts = accounts_mod.accounts_build(rng, org, size.accounts, start)
        bar.update(task, advance=1, description="leads")
        rates = pipeline.Rates()
        first_deal = (
            Opportunity.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        ) + 1
        infos, deals, leads, events = pipeline.leads_build(
            rng,
            org=org,
            accounts=accounts,
            campaigns=campaigns,
            months=months,
            count=size.leads,
            as_of=as_of,
            rates=rates,
            deal_start_id=first_deal,
        )
        deals += pipeline.sales_sourced_deals(
            rng, accounts, months, size.sales_sourced_opportunities, as_of, first_deal + len(deals)
        )
        bar.update(task, advance=1, description="deals")
        pipeline.deals_settle(rng, deals, as_of, rates)
        pipeline.leads_write(leads, events, deals)
        pipeline.contact_roles_build(deals)
        sla_marks_build()
        sequences_reset(Contact, Lead, Opportunity)
        bar.update(task, advance=1, description="touches")
        touches.touches_build(
            np_rng,
            leads=infos,
            deals=deals,
            campaigns=campaigns,
            months=months,
            total=size.touches,
            as_of=as_of,
            history_start=start,
            progress=lambda n: bar.update(task, advance=n),
        )
        touches.outbound_touches_build(np_rng, deals, as_of)
        bar.update(task, description="inbox")
        inbox_build(org, as_of)
        diagnostic_demo_build(as_of, seed=seed)
        metrics_demo_build(as_of, seed=seed)
        feedback_demo_build(as_of, seed=seed)
        playbook_demo_build(as_of, seed=seed)
        cadence_demo_build(as_of, seed=seed)
        bar.update(task, advance=1, description="done")
