"""Joint sales and marketing meetings: the series, each meeting, its agenda.

Action items are the foundation's ``inbox.ActionItem`` (one list of
commitments per person); ``MeetingActionItem`` only records which meeting and
which agenda point an item came from, so it can be carried to the next one.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

DEFAULT_INVOLVEMENT_THRESHOLD = Decimal("2000000")


class Cadence(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    BIMONTHLY = "bimonthly", "Every two months"
    QUARTERLY = "quarterly", "Quarterly"


MONTHS_BETWEEN = {Cadence.MONTHLY: 1, Cadence.BIMONTHLY: 2, Cadence.QUARTERLY: 3}


class MeetingSeries(models.Model):
    """A recurring joint meeting and the thresholds its agenda is drafted with."""

    name = models.CharField(max_length=160, unique=True)
    cadence = models.CharField(max_length=12, choices=Cadence.choices, default=Cadence.MONTHLY)
    involvement_threshold = models.DecimalField(
        max_digits=16,
        decimal_places=2,
        default=DEFAULT_INVOLVEMENT_THRESHOLD,
        validators=[MinValueValidator(0)],
        help_text="Open opportunities at or above this amount (company currency) go on the agenda",
    )
    stalled_after_days = models.PositiveSmallIntegerField(
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="An open deal with no stage change for longer than this is stalled",
    )
    conversion_drop_points = models.PositiveSmallIntegerField(
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Flag a stage conversion rate that fell by more than this many points",
    )
    conversion_min_leads = models.PositiveSmallIntegerField(
        default=20,
        validators=[MinValueValidator(1)],
        help_text="Compare conversion rates only when both periods have at least this many leads",
    )
    created_by = models.ForeignKey(
        "directory.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "meeting series"

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    series = models.ForeignKey(MeetingSeries, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField()
    participants = models.ManyToManyField("directory.Person", related_name="meetings")
    summary = models.TextField(blank=True, help_text="What was decided, in a few lines")
    agenda_drafted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        "directory.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["series", "held_on"], name="cadence_meeting_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.series.name}, {self.held_on:%d %b %Y}"


class AgendaKind(models.TextChoices):
    OPPORTUNITY = "opportunity", "Major opportunity"
    SLA_BREACHES = "sla_breaches", "SLA breaches"
    CONVERSION_DROP = "conversion_drop", "Conversion rate dropped"
    STALLED_DEALS = "stalled_deals", "Stalled deals"
    IDLE_SPEND = "idle_spend", "Spend with no pipeline"
    CARRIED_OVER = "carried_over", "Open action item"
    OVERDUE = "overdue", "Overdue action items"
    FEEDBACK = "feedback", "Field feedback themes"
    SURVEY = "survey", "Alignment survey"
    OTHER = "other", "Other"


class AgendaItem(models.Model):
    """One point of a meeting's agenda, drafted from the data or added by hand.

    ``source_key`` names what a drafted point is about (an opportunity, an
    action item, a period's breaches); drafting again never adds it twice.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=AgendaKind.choices, default=AgendaKind.OTHER)
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    notes = models.TextField(blank=True, help_text="What was said; goes into the minutes")
    source_key = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["meeting", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "source_key"],
                condition=~Q(source_key=""),
                name="cadence_agenda_point_once",
            )
        ]

    def __str__(self) -> str:
        return self.title


class MeetingActionItem(models.Model):
    """Which meeting (and agenda point) an action item was agreed in."""

    action_item = models.OneToOneField(
        "inbox.ActionItem", on_delete=models.CASCADE, related_name="meeting_link"
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_links")
    agenda_item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_links",
    )

    def __str__(self) -> str:
        return f"Action item {self.action_item_id} from meeting {self.meeting_id}"
