"""Draft a joint meeting's agenda from what the data shows since the last meeting.

Each drafter looks at one kind of point (big deals, problems, commitments,
the field's voice, the survey) and returns typed draft items; the service
layer saves them as editable agenda items. Drafting reads only: it never
writes, and it judges the meeting's period, never "now", so a past meeting
is drafted the same way on any day.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from accord.cadence.models import AgendaItem, AgendaKind, Meeting, MeetingActionItem, MeetingSeries
from accord.cadence.schedule import Period, meeting_period
from accord.crm.models import Campaign, Lead, Opportunity, OpportunityStageChange, Spend
from accord.diagnostic.models import Round, RoundStatus
from accord.diagnostic.queries import round_instrument, round_summary, theme_rows
from accord.funnel.models import SlaClock, SlaMark, SlaMarkKind
from accord.inbox.models import ActionItem, ActionItemStatus

LISTED = 10  # the most records one grouped point names; the count says how many in all
TITLE_LENGTH = 200


@dataclass(frozen=True)
class DraftItem:
    kind: AgendaKind
    title: str
    detail: str = ""
    source_key: str = ""


@dataclass(frozen=True)
class Context:
    meeting: Meeting
    series: MeetingSeries
    period: Period
    participant_ids: frozenset[int]


@dataclass(frozen=True)
class ConversionStep:
    key: str
    label: str
    entered: str  # the Lead field stamped when a lead reached the first stage
    moved_on: str  # ... and the next one


CONVERSION_STEPS = (
    ConversionStep("mql_sal", "MQL → SAL", "mql_at", "sal_at"),
    ConversionStep("sal_sql", "SAL → SQL", "sal_at", "sql_at"),
    ConversionStep("sql_opportunity", "SQL → Opportunity", "sql_at", "opportunity_at"),
)


def money(amount: Decimal | None) -> str:
    if amount is None:
        return "no amount"
    return f"{amount:,.0f} {settings.ACCORD_COMPANY_CURRENCY}"


def _short(text: str) -> str:
    return text if len(text) <= TITLE_LENGTH else text[: TITLE_LENGTH - 1] + "…"


def _lines(rows: Iterable[str]) -> str:
    return "\n".join(f"- {row}" for row in rows)


def _open_at(period: Period) -> Q:
    """Opportunities that existed and were still open when the meeting began."""
    until = period.until
    return Q(created_at__lt=until) & (Q(is_closed=False) | Q(closed_at__gte=until))


def _open_deals(period: Period) -> QuerySet[Opportunity]:
    """Deals open at the meeting, each with the stage it stood at then (``stage_then``)."""
    then = OpportunityStageChange.objects.filter(
        opportunity=OuterRef("pk"), changed_at__lt=period.until
    ).order_by("-changed_at", "-pk")
    return (
        Opportunity.objects.filter(_open_at(period))
        .annotate(stage_then=Coalesce(Subquery(then.values("stage")[:1]), "stage"))
        .select_related("account", "owner")
    )


def carried_over(ctx: Context) -> list[DraftItem]:
    """Every still-open action item agreed in an earlier meeting of the series."""
    links = (
        MeetingActionItem.objects.filter(
            meeting__series=ctx.series,
            meeting__held_on__lt=ctx.meeting.held_on,
            action_item__status=ActionItemStatus.OPEN,
        )
        .select_related("action_item__owner", "meeting")
        .order_by("action_item__due_on", "action_item_id")
    )
    items = []
    for link in links:
        action = link.action_item
        due = f"due {action.due_on:%d %b %Y}" if action.due_on else "no due date"
        late = action.due_on is not None and action.due_on < ctx.meeting.held_on
        detail = (
            f"Owner: {action.owner.name}, {due}{' (overdue)' if late else ''}. "
            f"Agreed on {link.meeting.held_on:%d %b %Y}."
        )
        items.append(
            DraftItem(
                AgendaKind.CARRIED_OVER,
                _short(f"Follow up: {action.title}"),
                detail,
                f"action:{action.pk}",
            )
        )
    return items


def overdue_elsewhere(ctx: Context) -> list[DraftItem]:
    """Overdue items the participants owe from anywhere else (survey moves, rules…)."""
    overdue = (
        ActionItem.objects.filter(
            status=ActionItemStatus.OPEN,
            due_on__lt=ctx.meeting.held_on,
            owner_id__in=ctx.participant_ids,
        )
        .exclude(meeting_link__meeting__series=ctx.series)
        .select_related("owner")
        .order_by("due_on", "id")
    )
    count = overdue.count()
    if not count:
        return []
    rows = [
        f"{a.title} ({a.owner.name}, due {a.due_on:%d %b %Y}"
        + (f", from {a.origin_label})" if a.origin_label else ")")
        for a in overdue[:LISTED]
    ]
    title = f"{count} overdue action item{'s' if count != 1 else ''} owed by the participants"
    return [DraftItem(AgendaKind.OVERDUE, title, _lines(rows), "overdue")]


def major_opportunities(ctx: Context) -> list[DraftItem]:
    """Open deals at or above the involvement threshold: both sides should be in them."""
    deals = (
        _open_deals(ctx.period)
        .filter(amount_company__gte=ctx.series.involvement_threshold)
        .order_by("-amount_company", "id")[:LISTED]
    )
    return [
        DraftItem(
            AgendaKind.OPPORTUNITY,
            _short(f"{deal.name} ({deal.account.name}): {money(deal.amount_company)}"),
            f"Stage {deal.stage_then}; owner {deal.owner.name if deal.owner else 'nobody'}; "
            f"open since {deal.created_at:%d %b %Y}. Which marketer works this deal with sales?",
            f"opportunity:{deal.pk}",
        )
        for deal in deals
    ]


def stalled_deals(ctx: Context) -> list[DraftItem]:
    """Open deals whose stage has not moved for longer than the series allows."""
    days = ctx.series.stalled_after_days
    last_move = Max(
        "stage_changes__changed_at", filter=Q(stage_changes__changed_at__lt=ctx.period.until)
    )
    stalled = (
        _open_deals(ctx.period)
        .annotate(last_move=Coalesce(last_move, "created_at"))
        .filter(last_move__lt=ctx.period.until - timedelta(days=days))
    )
    count = stalled.count()
    if not count:
        return []
    biggest = stalled.order_by(Coalesce("amount_company", Decimal(0)).desc(), "id")[:LISTED]
    rows = [
        f"{d.name} ({d.account.name}): {money(d.amount_company)}, {d.stage_then}, "
        f"unchanged since {d.last_move:%d %b %Y}"
        for d in biggest
    ]
    title = f"{count} stalled deal{'s' if count != 1 else ''}: no stage change for over {days} days"
    return [DraftItem(AgendaKind.STALLED_DEALS, title, _lines(rows), "stalled")]


def _breach_count(period: Period) -> int:
    return SlaMark.objects.filter(
        kind=SlaMarkKind.BREACH, due_at__gte=period.since, due_at__lt=period.until
    ).count()


def sla_breaches(ctx: Context) -> list[DraftItem]:
    """Leads whose SLA clock ran out since the last meeting, by clock and by owner."""
    marks = SlaMark.objects.filter(
        kind=SlaMarkKind.BREACH, due_at__gte=ctx.period.since, due_at__lt=ctx.period.until
    )
    by_clock = dict(marks.values_list("clock").annotate(n=Count("id")))
    total = sum(by_clock.values())
    if not total:
        return []
    owners = (
        marks.values_list("lead__owner__name")
        .annotate(n=Count("id"))
        .order_by("-n", "lead__owner__name")[:5]
    )
    clocks = "; ".join(
        f"{label}: {by_clock[value]}" for value, label in SlaClock.choices if value in by_clock
    )
    rows = [
        clocks,
        "Most breaches: " + ", ".join(f"{name or 'unassigned'} ({n})" for name, n in owners),
        f"The period before had {_breach_count(ctx.period.before)}.",
    ]
    title = f"{total} SLA breach{'es' if total != 1 else ''} since the last meeting"
    return [DraftItem(AgendaKind.SLA_BREACHES, title, _lines(rows), "sla_breaches")]


@dataclass(frozen=True)
class Rate:
    leads: int
    moved_on: int

    @property
    def value(self) -> float:
        return self.moved_on / self.leads if self.leads else 0.0


def conversion_rates(period: Period) -> dict[str, Rate]:
    """Per step: leads that reached its first stage in the period, and how many moved on.

    A lead counts as moved on only if it reached the next stage before the
    period ended. Judging each period at its own end treats two periods
    alike: leads that arrived late in either one had the same little time.
    """
    counts: dict[str, Count] = {}
    for step in CONVERSION_STEPS:
        entered = Q(**{f"{step.entered}__gte": period.since, f"{step.entered}__lt": period.until})
        moved = entered & Q(**{f"{step.moved_on}__lt": period.until})
        counts[f"{step.key}_leads"] = Count("id", filter=entered)
        counts[f"{step.key}_moved"] = Count("id", filter=moved)
    found = Lead.objects.aggregate(**counts)
    return {
        step.key: Rate(found[f"{step.key}_leads"], found[f"{step.key}_moved"])
        for step in CONVERSION_STEPS
    }


def conversion_drops(ctx: Context) -> list[DraftItem]:
    """Each stage conversion rate that fell by more than the series allows."""
    now_rates, before_rates = conversion_rates(ctx.period), conversion_rates(ctx.period.before)
    items = []
    for step in CONVERSION_STEPS:
        now, before = now_rates[step.key], before_rates[step.key]
        if min(now.leads, before.leads) < ctx.series.conversion_min_leads:
            continue
        drop = (before.value - now.value) * 100
        if drop <= ctx.series.conversion_drop_points:
            continue
        title = f"{step.label} conversion fell from {before.value:.0%} to {now.value:.0%}"
        detail = (
            f"{now.moved_on} of {now.leads} leads moved on since the last meeting, against "
            f"{before.moved_on} of {before.leads} in the {ctx.period.length.days} days before "
            f"(a drop of {drop:.0f} points)."
        )
        items.append(DraftItem(AgendaKind.CONVERSION_DROP, title, detail, f"conversion:{step.key}"))
    return items


def idle_spend(ctx: Context) -> list[DraftItem]:
    """Campaigns that spent in the period and have produced no opportunity at all."""
    spent = dict(
        Spend.objects.filter(
            campaign__isnull=False,
            period_start__lt=ctx.period.until.date(),
            period_end__gte=ctx.period.since.date(),
        )
        .values_list("campaign_id")
        .annotate(total=Sum("amount_company"))
        .filter(total__gt=0)
    )
    producing = set(
        Opportunity.objects.filter(
            campaign_id__in=spent, created_at__lt=ctx.period.until
        ).values_list("campaign_id", flat=True)
    ) | set(
        Lead.objects.filter(campaign_id__in=spent, opportunity_at__lt=ctx.period.until).values_list(
            "campaign_id", flat=True
        )
    )
    idle = sorted((c for c in spent if c not in producing), key=lambda c: (-spent[c], c))
    if not idle:
        return []
    names = dict(Campaign.objects.filter(pk__in=idle[:LISTED]).values_list("pk", "name"))
    rows = [f"{names[c]}: {money(spent[c])} spent in the period" for c in idle[:LISTED]]
    count = len(idle)
    title = f"{count} campaign{'s' if count != 1 else ''} spent money and produced no pipeline yet"
    return [DraftItem(AgendaKind.IDLE_SPEND, title, _lines(rows), "idle_spend")]


def _pick(theme: object, *names: str) -> object:
    for name in names:
        value = theme.get(name) if isinstance(theme, dict) else getattr(theme, name, None)
        if value not in (None, ""):
            return value
    return None


def _short_quote(text: str, limit: int = 140) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _theme_line(theme: object) -> str:
    """One theme, whatever shape the feedback app returns it in (object or mapping)."""
    label = _pick(theme, "label", "name", "title") or str(theme)
    size, before = _pick(theme, "size", "count"), _pick(theme, "previous_size")
    parts = [f"{size} notes" if size is not None else ""]
    if _pick(theme, "is_new"):
        parts.append("new")
    elif before is not None:
        parts.append(f"{before} in the period before")
    quotes = _pick(theme, "quotes")
    quote = f' — "{_short_quote(quotes[0])}"' if isinstance(quotes, list | tuple) and quotes else ""
    extra = ", ".join(p for p in parts if p)
    return (f"{label} ({extra})" if extra else str(label)) + quote


def feedback_themes(ctx: Context) -> list[DraftItem]:
    """Themes the field raised in the period, when the feedback app can tell."""
    try:
        from accord.feedback.queries import themes_for_period
    except (ImportError, AttributeError):
        return []
    last_day = (ctx.period.until - timedelta(days=1)).date()
    themes = list(themes_for_period(ctx.period.since.date(), last_day) or [])
    if not themes:
        return []
    new = sum(1 for t in themes if _pick(t, "is_new"))
    title = f"What the field said: {len(themes)} feedback theme{'s' if len(themes) != 1 else ''}"
    title += f", {new} new" if new else ""
    return [DraftItem(AgendaKind.FEEDBACK, title, _lines(map(_theme_line, themes)), "feedback")]


def survey_results(ctx: Context) -> list[DraftItem]:
    """The latest closed survey round, once: the first meeting after it closed."""
    latest = (
        Round.objects.filter(status=RoundStatus.CLOSED, opens_on__lt=ctx.meeting.held_on)
        .order_by("-closes_on", "-pk")
        .first()
    )
    key = f"survey:{latest.pk}" if latest else ""
    if (
        latest is None
        or AgendaItem.objects.filter(
            meeting__series=ctx.series, meeting__held_on__lt=ctx.meeting.held_on, source_key=key
        ).exists()
    ):
        return []
    summary, instrument = round_summary(latest), round_instrument(latest)
    if summary.overall.suppressed or summary.overall.type is None:
        detail = f"{summary.respondents} answered: too few to show results (fewer than five)."
    else:
        rows = [
            f"Relationship type: {instrument.band_label(summary.overall.type)} "
            f"(score {summary.overall.score:.1f}, {summary.respondents} answered)"
        ]
        sides = {k: g for k, g in summary.teams.items() if not g.suppressed and g.score}
        if "sales" in sides and "marketing" in sides:
            rows.append(
                f"Sales {sides['sales'].score:.1f}, marketing {sides['marketing'].score:.1f}"
            )
        weakest = next((r for r in theme_rows(summary, instrument) if r.score is not None), None)
        if weakest is not None:
            rows.append(f"Weakest theme: {weakest.label} ({weakest.score:.1f})")
        detail = _lines(rows)
    return [DraftItem(AgendaKind.SURVEY, _short(f"Survey results: {latest.name}"), detail, key)]


Drafter = Callable[[Context], list[DraftItem]]
DRAFTERS: tuple[Drafter, ...] = (
    carried_over,
    overdue_elsewhere,
    major_opportunities,
    stalled_deals,
    sla_breaches,
    conversion_drops,
    idle_spend,
    feedback_themes,
    survey_results,
)


def agenda_draft(meeting: Meeting, drafters: tuple[Drafter, ...] = DRAFTERS) -> list[DraftItem]:
    """The points the data puts on this meeting's agenda, in agenda order."""
    ctx = Context(
        meeting=meeting,
        series=meeting.series,
        period=meeting_period(meeting),
        participant_ids=frozenset(meeting.participants.values_list("pk", flat=True)),
    )
    return [item for drafter in drafters for item in drafter(ctx)]
