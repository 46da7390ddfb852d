"""The funnel's own state: agreed scoring rules, SLA terms, holidays, clock marks.

The lead itself (stage, owner, deadlines) lives in ``crm.Lead`` so the metric
layer reads one row per lead; what both sides agreed on lives here.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from accord.crm.choices import LeadStage


class RuleAttribute(models.TextChoices):
    """What a scoring rule looks at. The first five judge fit, the last engagement."""

    TITLE_CONTAINS = "title_contains", "Job title has the word"
    COMPANY_SIZE = "company_size", "Company size between"
    INDUSTRY = "industry", "Industry is"
    COUNTRY = "country", "Country is"
    SEGMENT = "segment", "Segment is"
    TOUCH = "touch", "Each touch of kind"


FIT_ATTRIBUTES = frozenset(
    {
        RuleAttribute.TITLE_CONTAINS,
        RuleAttribute.COMPANY_SIZE,
        RuleAttribute.INDUSTRY,
        RuleAttribute.COUNTRY,
        RuleAttribute.SEGMENT,
    }
)


class ScoringRuleSet(models.Model):
    """One version of the scoring rules; the newest one both sides signed is in force.

    A manager proposes a version (``published_at``/``published_by`` say when
    and who); it holds from ``in_force_from``, set by the second signature.
    """

    version = models.PositiveIntegerField(unique=True)
    mql_threshold = models.PositiveIntegerField(default=50)
    half_life_days = models.FloatField(
        default=30.0, help_text="An engagement touch is worth half as much after this many days"
    )
    recycle_points = models.PositiveIntegerField(
        default=25,
        help_text="Engagement points a recycled lead must earn after recycling to be an MQL again",
    )
    note = models.CharField(max_length=200, blank=True)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        "directory.Person", null=True, blank=True, on_delete=models.SET_NULL
    )
    sales_signed_by = models.ForeignKey(
        "directory.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sales_signed_at = models.DateTimeField(null=True, blank=True)
    marketing_signed_by = models.ForeignKey(
        "directory.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    marketing_signed_at = models.DateTimeField(null=True, blank=True)
    in_force_from = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(half_life_days__gt=0), name="funnel_half_life_positive"
            )
        ]

    def __str__(self) -> str:
        return f"Scoring rules v{self.version}"


class ScoringRule(models.Model):
    rule_set = models.ForeignKey(ScoringRuleSet, on_delete=models.CASCADE, related_name="rules")
    attribute = models.CharField(max_length=20, choices=RuleAttribute.choices)
    value = models.CharField(max_length=120, blank=True, help_text="Text, code or touch kind")
    minimum = models.PositiveIntegerField(null=True, blank=True)
    maximum = models.PositiveIntegerField(null=True, blank=True)
    points = models.IntegerField()

    class Meta:
        ordering = ["rule_set", "id"]

    def __str__(self) -> str:
        return f"{self.get_attribute_display()} {self.value} ({self.points:+d})"


class SlaPolicy(models.Model):
    """How fast sales answers an MQL, per segment; the row without a segment is the default."""

    segment = models.OneToOneField(
        "directory.Segment", null=True, blank=True, on_delete=models.CASCADE
    )
    accept_hours = models.FloatField(default=4)
    contact_hours = models.FloatField(default=24)
    warn_before_minutes = models.PositiveIntegerField(default=60)
    reassign_on_breach = models.BooleanField(
        default=False, help_text="Route an MQL to another rep when its accept clock runs out"
    )

    class Meta:
        verbose_name_plural = "SLA policies"

    def __str__(self) -> str:
        return f"SLA {self.segment or 'default'}: {self.accept_hours}h / {self.contact_hours}h"


class Holiday(models.Model):
    """A public holiday in a country: no SLA hours run on it for people there."""

    country = models.CharField(max_length=2)
    day = models.DateField()
    name = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["country", "day"]
        constraints = [
            models.UniqueConstraint(fields=["country", "day"], name="funnel_holiday_once")
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.day}: {self.name}"


class SlaClock(models.TextChoices):
    ACCEPT = "accept", "Accept or reject"
    FIRST_CONTACT = "first_contact", "First contact"


class SlaMarkKind(models.TextChoices):
    WARNING = "warning", "Warning"
    BREACH = "breach", "Breach"


class SlaMark(models.Model):
    """The sweeper's memory: one row per lead, clock, kind and deadline, never written twice.

    The deadline is part of the key because a reassigned lead gets a new one.
    """

    lead = models.ForeignKey("crm.Lead", on_delete=models.CASCADE, related_name="sla_marks")
    clock = models.CharField(max_length=20, choices=SlaClock.choices)
    kind = models.CharField(max_length=10, choices=SlaMarkKind.choices)
    due_at = models.DateTimeField()
    marked_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["lead", "clock", "kind", "due_at"], name="funnel_sla_mark_once"
            )
        ]
        indexes = [models.Index(fields=["kind", "due_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.get_clock_display()} on lead {self.lead_id}"


class MqlCommitment(models.Model):
    """Marketing's side of the SLA: how many MQLs it promises in a month for a segment."""

    month = models.DateField(help_text="The first day of the month")
    segment = models.ForeignKey(
        "directory.Segment", null=True, blank=True, on_delete=models.CASCADE
    )
    mqls = models.PositiveIntegerField()

    class Meta:
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "segment"],
                condition=Q(segment__isnull=False),
                name="funnel_commitment_once",
            ),
            models.UniqueConstraint(
                fields=["month"],
                condition=Q(segment__isnull=True),
                name="funnel_commitment_all_segments_once",
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="funnel_commitment_month_start"),
        ]

    def __str__(self) -> str:
        return f"{self.mqls} MQLs in {self.month:%b %Y} ({self.segment or 'all segments'})"


class Side(models.TextChoices):
    MARKETING = "marketing", "Marketing"
    SALES = "sales", "Sales"


class StageDefinition(models.Model):
    """One version of what a stage means, seen from both sides of the deal.

    A version is in force only once a sales manager and a marketing manager
    have both signed it; until then the previous signed version still holds.
    """

    stage = models.CharField(max_length=20, choices=LeadStage.choices)
    version = models.PositiveIntegerField()
    definition = models.TextField()
    entry_criteria = models.TextField(blank=True)
    owner_side = models.CharField(max_length=10, choices=Side.choices)
    buyer_doing = models.CharField(max_length=200, blank=True, help_text="What the buyer is doing")
    we_do = models.CharField(max_length=200, blank=True, help_text="What we do at this stage")
    proposed_by = models.ForeignKey(
        "directory.Person", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField()
    sales_signed_by = models.ForeignKey(
        "directory.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sales_signed_at = models.DateTimeField(null=True, blank=True)
    marketing_signed_by = models.ForeignKey(
        "directory.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    marketing_signed_at = models.DateTimeField(null=True, blank=True)
    in_force_from = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["stage", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "version"], name="funnel_stage_version_once"),
            models.CheckConstraint(
                condition=Q(in_force_from__isnull=True)
                | Q(sales_signed_at__isnull=False, marketing_signed_at__isnull=False),
                name="funnel_in_force_needs_both_signatures",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} v{self.version}"


class CrmUpdate(models.Model):
    """The outbox of changes the CRM must hear about: one row per owner or stage change.

    Written in the same transaction as the lead event it reports, so a change
    that happened is never missing here; delivered by a task that retries with
    backoff until the CRM answers 2xx. ``event_id`` is the idempotency key the
    receiver keeps; ``delivered_at`` set means it is never sent again.
    """

    event_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    lead = models.ForeignKey("crm.Lead", on_delete=models.CASCADE, related_name="crm_updates")
    lead_event = models.OneToOneField(
        "crm.LeadEvent", on_delete=models.CASCADE, related_name="crm_update"
    )
    payload = models.JSONField()
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)
    claimed_until = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["delivered_at", "next_attempt_at"])]

    def __str__(self) -> str:
        state = "delivered" if self.delivered_at else f"waiting ({self.attempts} tries)"
        return f"CRM update {self.event_id} on lead {self.lead_id}: {state}"


class ErasureWhy(models.TextChoices):
    REQUEST = "request", "The person asked to be forgotten"
    CONSENT_WITHDRAWN = "consent_withdrawn", "The person withdrew consent"
    RETENTION = "retention", "Kept longer than our retention period"
    UNLAWFUL = "unlawful", "We should never have held it"


class Erasure(models.Model):
    """The record that a person's data was erased: who, when, why, what — no personal data.

    The contact row stays (blanked) so leads, touches and funnel counts still
    add up; this row says what was removed, never what it said.
    """

    contact = models.ForeignKey(
        "crm.Contact", null=True, on_delete=models.SET_NULL, related_name="erasures"
    )
    erased_at = models.DateTimeField()
    erased_by = models.ForeignKey(
        "directory.Person", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    why = models.CharField(max_length=20, choices=ErasureWhy.choices)
    reference = models.CharField(
        max_length=80, blank=True, help_text="Your ticket number; never the person's name"
    )
    removed = models.JSONField(default=dict, help_text="Field names and counts, no values")

    class Meta:
        ordering = ["-erased_at"]

    def __str__(self) -> str:
        return f"Erasure of contact {self.contact_id} on {self.erased_at:%Y-%m-%d}"
