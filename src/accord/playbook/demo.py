"""The demo company's playbook: rules and their firings, collateral in every state,
launches (one blocked, one announced) and joint plans for the key accounts.

Everything goes through the services, so the firings are the ones the rules
really produce. Deterministic for a given ``seed``; times are relative to ``as_of``.
"""

from __future__ import annotations

import random
from contextlib import suppress
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction

from accord.crm.models import Opportunity
from accord.directory.models import Person
from accord.directory.roles import Role
from accord.playbook import collateral as lib
from accord.playbook.engine import RuleBlocked
from accord.playbook.launches import launch_announce, launch_create, launch_point_set
from accord.playbook.models import (
    Collateral,
    CollateralState,
    ContentGap,
    KeyAccountOverride,
    Launch,
    Rule,
    RuleAction,
    RuleFiring,
)
from accord.playbook.opportunities import opportunities_check, opportunity_update
from accord.playbook.plans import override_set, plan_review_schedule, plan_start, plan_update
from accord.playbook.rules import approval_grant, default_rules_install, rule_save
from accord.playbook.selection import key_accounts

S = CollateralState
# (title, kind, how far it got); "sent_back" went to review and came back.
PIECES = (
    ("Why Brightline: the one-page overview", "one_pager", S.PUBLISHED),
    ("Northwind battlecard", "battlecard", S.PUBLISHED),
    ("Healthcare case study: clinic network", "case_study", S.PUBLISHED),
    ("Pricing and discount guide 2026", "price_sheet", S.PUBLISHED),
    ("Analytics add-on demo video", "video", S.APPROVED),
    ("Enterprise security deck", "deck", S.APPROVED),
    ("Manufacturing ROI calculator guide", "one_pager", S.IN_SALES_REVIEW),
    ("Follow-up e-mail after a webinar", "email", S.IN_SALES_REVIEW),
    ("Financial services case study", "case_study", "sent_back"),
    ("Integrations overview deck", "deck", S.DRAFT),
    ("2024 pricing sheet", "price_sheet", S.RETIRED),
    ("Old company overview deck", "deck", S.RETIRED),
)
PATH = (S.IN_SALES_REVIEW, S.APPROVED, S.PUBLISHED, S.RETIRED)
REVIEW_NOTES = (
    "Clear and short; customers will read it.",
    "Add the price for the second year and it is good to go.",
    "The numbers match what we quote in the field.",
)
SENT_BACK = "The customer quote is from a competitor's user group; we cannot use it."
GAPS = (
    ("Objection answers for procurement teams", "Enterprise buyers ask about liability caps."),
    ("Short video of the Salesforce sync", "SMB prospects want to see it before a demo."),
    ("Case study in manufacturing", "Mid-market plant managers ask for a peer reference."),
    ("German one-pager", "EMEA reps translate the overview themselves today."),
)
GOALS = "Grow the account {x} this year; win the renewal early."
PLAYS = "Executive briefing with our CRO; joint webinar for their {team} team; reference visit."
STEPS = "Book the briefing; send the {kind} from the library; agree the success plan."


def playbook_demo_build(as_of: datetime, *, seed: int = 7) -> None:
    """Call after people, accounts and opportunities exist."""
    rng = random.Random(seed)
    cast = _cast()
    _reset_leftovers_forget()
    if not cast["marketers"] or not cast["reps"]:
        return
    with transaction.atomic():
        default_rules_install()
        _extra_rules(cast["cro"])
        _deals(as_of, cast["cro"])
        _library(rng, as_of, cast)
        _launches(as_of, cast)
        _plans(rng, as_of, cast)


def _reset_leftovers_forget() -> None:
    """``accord demo --reset`` deletes people, not playbook records: drop the ones it
    left without an owner (and every firing, whose records are gone), so a rebuild
    does not show two copies."""
    RuleFiring.objects.all().delete()
    KeyAccountOverride.objects.all().delete()
    Collateral.objects.filter(owner__isnull=True).delete()
    ContentGap.objects.filter(requested_by__isnull=True).delete()
    Launch.objects.filter(owner__isnull=True).delete()
    Rule.objects.filter(key__isnull=True, owner__isnull=True).delete()


def _cast() -> dict[str, list[Person] | Person | None]:
    def people(role: Role) -> list[Person]:
        return list(Person.objects.filter(role=role, is_active=True).order_by("pk"))

    return {
        "reps": people(Role.SALES_REP),
        "marketers": people(Role.MARKETER),
        "sales_manager": next(iter(people(Role.SALES_MANAGER)), None),
        "marketing_manager": next(iter(people(Role.MARKETING_MANAGER)), None),
        "cro": next(iter(people(Role.REVENUE_LEADER)), None),
    }


def _extra_rules(cro: Person | None) -> None:
    """Three rules the demo company wrote for itself, beside the four shipped ones."""
    if cro is None:
        return
    rule_save(
        by=cro,
        statement="When a deal above $250,000 reaches Negotiation, the segment's liaison "
        "prepares a reference customer.",
        event="opportunity.changed",
        conditions=[
            {"field": "stage", "op": "changed"},
            {"field": "stage", "op": "eq", "value": "Negotiation"},
            {"field": "amount_company", "op": "gt", "value": 250_000.0},
        ],
        action=RuleAction.TASK,
        target_relation="segment_liaison",
        task_due_days=7,
    )
    rule_save(
        by=cro,
        statement="A deal above $2,000,000 moves to another stage only with a manager's go-ahead.",
        event="opportunity.changed",
        conditions=[
            {"field": "stage", "op": "changed"},
            {"field": "amount_company", "op": "gt", "value": 2_000_000.0},
        ],
        action=RuleAction.REQUIRE,
        requirement="manager_approval",
    )
    rule_save(
        by=cro,
        statement="The marketing manager hears of every piece sales sends back.",
        event="collateral.state_changed",
        conditions=[
            {"field": "from_state", "op": "eq", "value": "in_sales_review"},
            {"field": "to_state", "op": "eq", "value": "draft"},
        ],
        action=RuleAction.NOTIFY,
        target_role=Role.MARKETING_MANAGER.value,
    )


def _big_deal_moves(deals: list[Opportunity], as_of: datetime, cro: Person | None) -> None:
    """Both big deals try to move on; the CRO lets the first one through."""
    for deal in deals:
        with suppress(RuleBlocked):
            opportunity_update(
                opportunity=deal,
                by=deal.owner,
                stage="Negotiation",
                at=as_of - timedelta(days=8),
                email=False,
            )
    blocked = RuleFiring.objects.filter(outcome="blocked", object_type="opportunity")
    first = blocked.order_by("object_id").first()
    if first is None or cro is None:
        return
    approval_grant(firing=first, by=cro)
    deal = Opportunity.objects.get(pk=first.object_id)
    opportunity_update(
        opportunity=deal,
        by=deal.owner,
        stage="Negotiation",
        at=as_of - timedelta(days=7),
        email=False,
    )


def _deals(as_of: datetime, cro: Person | None) -> None:
    """Two big deals grow past $2M; two others move to Negotiation; then a batch check."""
    open_usd = Opportunity.objects.filter(is_closed=False, currency="USD").order_by(
        "-amount_company", "pk"
    )
    growing = list(open_usd[:2])
    for deal, amount in zip(growing, (Decimal("2400000"), Decimal("3100000")), strict=False):
        opportunity_update(
            opportunity=deal, by=cro, amount=amount, at=as_of - timedelta(days=9), email=False
        )
    _big_deal_moves(growing, as_of, cro)
    proposals = open_usd.exclude(stage="Negotiation").filter(amount_company__gt=250_000)
    for deal in proposals.exclude(pk__in=[d.pk for d in growing])[:2]:
        opportunity_update(
            opportunity=deal, by=cro, stage="Negotiation", at=as_of - timedelta(days=4), email=False
        )
    opportunities_check(at=as_of - timedelta(days=1), email=False)


def _library(rng: random.Random, as_of: datetime, cast: dict) -> None:
    marketers, reps = cast["marketers"], cast["reps"]
    reviewer = cast["sales_manager"] or reps[0]
    published: list[Collateral] = []
    for index, (title, kind, goal) in enumerate(PIECES):
        at = as_of - timedelta(days=120 - index * 7)
        owner = marketers[index % len(marketers)]
        piece = lib.collateral_create(by=owner, title=title, kind=kind, at=at)
        _advance(piece, goal, owner, reviewer, at, index)
        if piece.state == S.PUBLISHED:
            published.append(piece)
    for piece in published:
        for rep in rng.sample(reps, k=min(len(reps), 6)):
            lib.collateral_rate(collateral=piece, by=rep, stars=rng.choice((3, 4, 4, 5, 5)))
            for day in range(rng.randrange(4)):
                lib.collateral_use(
                    collateral=piece, by=rep, on=as_of.date() - timedelta(days=3 * day)
                )
    _gaps(as_of, cast, published)


def _advance(
    piece: Collateral, goal: str, owner: Person, reviewer: Person, at: datetime, index: int
) -> None:
    if goal == "sent_back":
        for to_state, by, note in (
            (S.IN_SALES_REVIEW, owner, ""),
            (S.DRAFT, reviewer, SENT_BACK),
        ):
            lib.collateral_move(
                collateral=piece, to_state=to_state, by=by, note=note, at=at, email=False
            )
        return
    if goal == S.DRAFT:
        return
    for step, to_state in enumerate(PATH[: PATH.index(goal) + 1], start=1):
        by = reviewer if to_state == S.APPROVED else owner
        note = REVIEW_NOTES[index % len(REVIEW_NOTES)] if to_state == S.APPROVED else ""
        lib.collateral_move(
            collateral=piece,
            to_state=to_state,
            by=by,
            note=note,
            at=at + timedelta(days=step * 2),
            email=False,
        )


def _gaps(as_of: datetime, cast: dict, published: list[Collateral]) -> None:
    reps, marketers = cast["reps"], cast["marketers"]
    made = [
        lib.gap_request(by=reps[i % len(reps)], title=t, need=n, at=as_of - timedelta(days=20 - i))
        for i, (t, n) in enumerate(GAPS)
    ]
    lib.gap_pick(gap=made[0], by=marketers[0], email=False)
    lib.gap_pick(gap=made[1], by=marketers[1 % len(marketers)], email=False)
    lib.gap_close(
        gap=made[0],
        by=marketers[0],
        resolution="Added a liability section to the pricing guide.",
        collateral=published[-1] if published else None,
        at=as_of - timedelta(days=2),
        email=False,
    )


def _launches(as_of: datetime, cast: dict) -> None:
    owner = cast["marketing_manager"] or cast["marketers"][0]
    ready = launch_create(
        by=owner,
        name="Integrations hub",
        planned_on=(as_of - timedelta(days=30)).date(),
        summary="Twenty new connectors in one place.",
        at=as_of - timedelta(days=75),
    )
    for point in ready.checklist.all():
        launch_point_set(point=point, done=True, by=owner, at=as_of - timedelta(days=35))
    launch_announce(launch=ready, by=owner, at=as_of - timedelta(days=30), email=False)
    pending = launch_create(
        by=owner,
        name="Analytics add-on 2.0",
        planned_on=(as_of + timedelta(days=21)).date(),
        summary="Forecasting and cohort views for revenue teams.",
        at=as_of - timedelta(days=40),
    )
    for point in list(pending.checklist.all())[:3]:
        launch_point_set(point=point, done=True, by=owner, at=as_of - timedelta(days=5))
    with suppress(RuleBlocked):  # announced too early: refused, and the refusal recorded
        launch_announce(launch=pending, by=owner, at=as_of - timedelta(days=1), email=False)
    launch_create(
        by=owner,
        name="Mobile app for field reps",
        planned_on=(as_of + timedelta(days=90)).date(),
        at=as_of - timedelta(days=3),
    )


def _plans(rng: random.Random, as_of: datetime, cast: dict) -> None:
    cro, marketers, reps = cast["cro"], cast["marketers"], cast["reps"]
    chosen = key_accounts(as_of=as_of)
    for order, (segment, items) in enumerate(sorted(chosen.items(), key=lambda kv: kv[0].name)):
        for rank, item in enumerate(items):
            plan = plan_start(account=item.account, by=cro, at=as_of - timedelta(days=60))
            attached = [marketers[(order + rank) % len(marketers)]]
            plan_update(
                plan=plan,
                by=cro,
                marketers=attached,
                rep_owner=plan.rep_owner or reps[(order * 5 + rank) % len(reps)],
                goals=GOALS.format(x=rng.choice(("by a second product", "to a second region"))),
                plays=PLAYS.format(team=rng.choice(("finance", "operations", "IT"))),
                next_steps=STEPS.format(kind=rng.choice(("case study", "battlecard"))),
                status=("active", "active", "at_risk", "draft")[rank % 4],
                at=as_of - timedelta(days=30),
            )
            if rank < 5:
                plan_review_schedule(
                    plan=plan,
                    on=as_of.date() + timedelta(days=3 + rank * 7),
                    by=cro,
                    at=as_of - timedelta(days=2),
                    email=False,
                )
        _pin_one(segment, items, cro)


def _pin_one(segment, items, cro: Person | None) -> None:
    """The manager keeps the weakest key account out of the list of one segment."""
    if cro is not None and segment.slug == "smb" and items:
        override_set(account=items[-1].account, include=False, by=cro, reason="Churning")
