"""Reads behind the home page: each person sees their own work first."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q, QuerySet, Sum
from django.http import QueryDict
from django.utils import timezone

from accord.crm.choices import LeadStage
from accord.crm.models import Campaign, Lead, Opportunity
from accord.directory import access
from accord.directory.models import Person
from accord.directory.roles import MANAGER_ROLES, MARKETING_ROLES, Role
from accord.feedback.themes import Theme
from accord.inbox.models import ActionItem, ActionItemStatus
from accord.playbook.models import ContentGap
from accord.web.filters import Filters, filters_from
from accord.web.home_extras import (
    CampaignReturn,
    NextMeeting,
    campaign_returns,
    next_meeting_for_user,
    open_content_requests,
    themes_for_user,
)

QUEUE_SIZE = 15


@dataclass
class Home:
    person: Person | None
    action_items: QuerySet[ActionItem]
    unread: int
    my_leads: QuerySet[Lead] | None = None
    my_opportunities: QuerySet[Opportunity] | None = None
    my_campaigns: QuerySet[Campaign] | None = None
    scorecard: dict[str, object] = field(default_factory=dict)
    feedback_about: list[tuple[str, str]] = field(default_factory=list)
    themes: list[Theme] | None = None
    content_requests: QuerySet[ContentGap] | None = None
    next_meeting: NextMeeting | None = None
    sees_meetings: bool = False
    campaign_returns: list[CampaignReturn] | None = None
    returns_period: Filters | None = None


def quarter_start(moment: datetime) -> datetime:
    month = 3 * ((moment.month - 1) // 3) + 1
    return moment.replace(month=month, day=1, hour=0, minute=0, second=0, microsecond=0)


def home_for_user(user: AbstractBaseUser) -> Home:
    person = access.person_for_user(user)
    items = access.action_items_for_user(user).filter(status=ActionItemStatus.OPEN)
    if person is not None:
        items = items.filter(owner=person)
    home = Home(
        person=person,
        action_items=items.order_by("due_on")[:10],
        unread=access.notifications_for_user(user).filter(read_at__isnull=True).count(),
    )
    if person is None:
        return home
    role = Role(person.role)
    if role == Role.SALES_REP:
        home.my_leads = lead_queue(person)
        home.my_opportunities = (
            Opportunity.objects.filter(owner=person, is_closed=False)
            .select_related("account")
            .order_by("-amount_company")[:QUEUE_SIZE]
        )
        home.feedback_about = [
            (f"opportunity:{o.pk}", f"{o.name} ({o.account})") for o in home.my_opportunities[:5]
        ]
    if role in MARKETING_ROLES:
        home.my_campaigns = campaign_outcomes(person)
        home.themes = themes_for_user(user)
        home.content_requests = open_content_requests()
        home.returns_period, _ = filters_from(QueryDict())
        home.campaign_returns = campaign_returns(person, home.returns_period)
    if role in MANAGER_ROLES or access.sees_everything(person):
        home.scorecard = scorecard(user)
        home.themes = themes_for_user(user)
        home.sees_meetings = True
        home.next_meeting = next_meeting_for_user(user)
    return home


def lead_queue(person: Person) -> QuerySet[Lead]:
    """The rep's leads waiting for them, the closest SLA deadline first."""
    return (
        Lead.objects.filter(owner=person, stage__in=[LeadStage.MQL, LeadStage.SAL])
        .select_related("contact", "account")
        .order_by("accept_due_at", "contact_due_at")[:QUEUE_SIZE]
    )


def campaign_outcomes(person: Person) -> QuerySet[Campaign]:
    """What became of the MQLs each of the marketer's campaigns produced."""
    mqls = Q(leads__mql_at__isnull=False)
    return (
        Campaign.objects.filter(owner=person)
        .annotate(
            mqls=Count("leads", filter=mqls),
            accepted=Count("leads", filter=mqls & Q(leads__sal_at__isnull=False)),
            rejected=Count("leads", filter=mqls & ~Q(leads__rejection_reason="")),
            won=Count("leads", filter=mqls & Q(leads__customer_at__isnull=False)),
        )
        .order_by("-mqls")[:QUEUE_SIZE]
    )


def scorecard(user: AbstractBaseUser) -> dict[str, object]:
    now = timezone.now()
    since = quarter_start(now)
    leads = access.leads_for_user(user)
    opportunities = access.opportunities_for_user(user)
    won = opportunities.filter(is_won=True, closed_at__gte=since)
    return {
        "since": since,
        "new_leads": leads.filter(created_at__gte=since).count(),
        "new_mqls": leads.filter(mql_at__gte=since).count(),
        "open_pipeline": _money(
            opportunities.filter(is_closed=False).aggregate(v=Sum("amount_company"))["v"]
        ),
        "won_revenue": _money(won.aggregate(v=Sum("amount_company"))["v"]),
        "won_deals": won.count(),
        "overdue_mqls": leads.filter(
            stage=LeadStage.MQL, accept_due_at__lt=now, sal_at__isnull=True
        ).count(),
        "stale_cutoff": now - timedelta(days=30),
    }


def _money(value: Decimal | None) -> Decimal:
    return value if value is not None else Decimal("0")
