"""The shared database both teams work from.

Every imported record keeps its source system and external id; the unique
constraint on the pair makes re-imports upserts. Money is stored in the
record's own currency and, converted at the dated rate, in the company
currency (``*_company`` fields) so metrics never mix currencies.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from accord.crm.choices import (
    Channel,
    LeadEventKind,
    LeadStage,
    RejectionReason,
    SourceSystem,
    TouchKind,
)

MONEY = {"max_digits": 16, "decimal_places": 2}


class Sourced(models.Model):
    source = models.CharField(
        max_length=20, choices=SourceSystem.choices, default=SourceSystem.ACCORD
    )
    external_id = models.CharField(max_length=64, null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    provenance = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text="Which source and import run set each field last (see accord.crm.provenance)",
    )

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=Q(external_id__isnull=False),
                name="%(app_label)s_%(class)s_source_external_id",
            )
        ]


class Company(models.Model):
    """The company using Accord: its currency and fiscal calendar (one row)."""

    name = models.CharField(max_length=160)
    currency = models.CharField(max_length=3, default="USD")
    fiscal_year_start_month = models.PositiveSmallIntegerField(default=1)
    time_zone = models.CharField(max_length=64, default="UTC")

    class Meta:
        verbose_name_plural = "company"

    def __str__(self) -> str:
        return self.name


class ExchangeRate(models.Model):
    """Units of company currency for one unit of ``currency``, valid from a date on."""

    currency = models.CharField(max_length=3)
    valid_from = models.DateField()
    rate = models.DecimalField(max_digits=18, decimal_places=8)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["currency", "valid_from"], name="crm_rate_once_a_day")
        ]
        ordering = ["currency", "-valid_from"]

    def __str__(self) -> str:
        return f"{self.currency} {self.valid_from}: {self.rate}"


class Account(Sourced):
    name = models.CharField(max_length=255)
    domain = models.CharField(max_length=255, blank=True, db_index=True)
    industry = models.CharField(max_length=80, blank=True)
    employees = models.PositiveIntegerField(null=True, blank=True)
    country = models.CharField(max_length=2, blank=True)
    segment = models.ForeignKey(
        "directory.Segment", null=True, blank=True, on_delete=models.SET_NULL
    )
    territory = models.ForeignKey(
        "directory.Territory", null=True, blank=True, on_delete=models.SET_NULL
    )
    owner = models.ForeignKey(
        "directory.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_accounts",
    )

    class Meta(Sourced.Meta):
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Contact(Sourced):
    account = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts"
    )
    email = models.EmailField(max_length=254, db_index=True, help_text="Stored lower-case")
    first_name = models.CharField(max_length=120, blank=True)
    last_name = models.CharField(max_length=120, blank=True)
    title = models.CharField(max_length=160, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    country = models.CharField(max_length=2, blank=True)

    class Meta(Sourced.Meta):
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email


class Campaign(Sourced):
    name = models.CharField(max_length=255)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    budget = models.DecimalField(null=True, blank=True, **MONEY)
    owner = models.ForeignKey("directory.Person", null=True, blank=True, on_delete=models.SET_NULL)
    segment = models.ForeignKey(
        "directory.Segment", null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta(Sourced.Meta):
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Touch(Sourced):
    """One marketing or sales interaction with a contact and/or an account."""

    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="touches"
    )
    account = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.CASCADE, related_name="touches"
    )
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="touches"
    )
    channel = models.CharField(max_length=20, choices=Channel.choices)
    kind = models.CharField(max_length=20, choices=TouchKind.choices)
    occurred_at = models.DateTimeField()

    class Meta:
        constraints = [
            *Sourced.Meta.constraints,
            models.CheckConstraint(
                condition=Q(contact__isnull=False) | Q(account__isnull=False),
                name="crm_touch_has_contact_or_account",
            ),
        ]
        indexes = [
            models.Index(fields=["account", "occurred_at"]),
            models.Index(fields=["contact", "occurred_at"]),
            models.Index(fields=["occurred_at"]),
        ]
        verbose_name_plural = "touches"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} via {self.get_channel_display()}"


class Opportunity(Sourced):
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="opportunities")
    name = models.CharField(max_length=255)
    amount = models.DecimalField(null=True, blank=True, **MONEY)
    currency = models.CharField(max_length=3, default="USD")
    amount_company = models.DecimalField(
        null=True, blank=True, help_text="Amount in the company currency", **MONEY
    )
    stage = models.CharField(max_length=80)
    is_closed = models.BooleanField(default=False)
    is_won = models.BooleanField(default=False)
    closed_at = models.DateTimeField(null=True, blank=True)
    owner = models.ForeignKey(
        "directory.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opportunities",
    )
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, help_text="Primary campaign"
    )
    lost_reason = models.CharField(max_length=120, blank=True)
    is_marketing_sourced = models.BooleanField(default=False)

    class Meta(Sourced.Meta):
        constraints = [
            *Sourced.Meta.constraints,
            models.CheckConstraint(
                condition=Q(is_won=False) | Q(is_closed=True), name="crm_opportunity_won_is_closed"
            ),
        ]
        indexes = [models.Index(fields=["account", "created_at"])]
        verbose_name_plural = "opportunities"

    def __str__(self) -> str:
        return self.name


class OpportunityStageChange(models.Model):
    """One row of an opportunity's stage history (Salesforce OpportunityHistory)."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="stage_changes"
    )
    stage = models.CharField(max_length=80)
    amount = models.DecimalField(null=True, blank=True, **MONEY)
    changed_at = models.DateTimeField()
    source = models.CharField(
        max_length=20, choices=SourceSystem.choices, default=SourceSystem.ACCORD
    )
    external_id = models.CharField(max_length=64, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=Q(external_id__isnull=False),
                name="crm_stage_change_source_external_id",
            )
        ]
        ordering = ["opportunity", "changed_at"]

    def __str__(self) -> str:
        return f"{self.stage} at {self.changed_at:%Y-%m-%d}"


class OpportunityContactRole(models.Model):
    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="contact_roles"
    )
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="opportunity_roles")
    role = models.CharField(max_length=80, blank=True)
    is_primary = models.BooleanField(default=False)
    source = models.CharField(
        max_length=20, choices=SourceSystem.choices, default=SourceSystem.ACCORD
    )
    external_id = models.CharField(max_length=64, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "contact"], name="crm_one_role_each"),
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=Q(external_id__isnull=False),
                name="crm_contact_role_source_external_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role or 'Contact'} on opportunity {self.opportunity_id}"


class Spend(Sourced):
    """Money spent on a campaign, or on a channel as a whole, over a period."""

    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.CASCADE, related_name="spend"
    )
    channel = models.CharField(max_length=20, choices=Channel.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3, default="USD")
    amount_company = models.DecimalField(**MONEY)

    class Meta:
        constraints = [
            *Sourced.Meta.constraints,
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="crm_spend_period_ordered",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="crm_spend_not_negative"),
        ]
        indexes = [models.Index(fields=["period_start"])]
        verbose_name_plural = "spend"

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.period_start}: {self.amount} {self.currency}"


class Lead(Sourced):
    """A contact's way through the funnel: stage, source, owner, SLA deadlines.

    Stage timestamps are derived from the lead event log and stored here so
    the metric layer can read one row per lead.
    """

    contact = models.ForeignKey(Contact, null=True, on_delete=models.SET_NULL, related_name="leads")
    account = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.SET_NULL, related_name="leads"
    )
    stage = models.CharField(max_length=20, choices=LeadStage.choices, default=LeadStage.INQUIRY)
    status = models.CharField(max_length=80, blank=True, help_text="The source system's status")
    lead_source = models.CharField(max_length=80, blank=True)
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="leads"
    )
    segment = models.ForeignKey(
        "directory.Segment", null=True, blank=True, on_delete=models.SET_NULL
    )
    owner = models.ForeignKey(
        "directory.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="leads"
    )
    score = models.IntegerField(default=0)
    mql_at = models.DateTimeField(null=True, blank=True)
    sal_at = models.DateTimeField(null=True, blank=True)
    sql_at = models.DateTimeField(null=True, blank=True)
    opportunity_at = models.DateTimeField(null=True, blank=True)
    customer_at = models.DateTimeField(null=True, blank=True)
    recycled_at = models.DateTimeField(null=True, blank=True)
    disqualified_at = models.DateTimeField(null=True, blank=True)
    assigned_at = models.DateTimeField(null=True, blank=True)
    accept_due_at = models.DateTimeField(null=True, blank=True)
    contact_due_at = models.DateTimeField(null=True, blank=True)
    first_contact_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.CharField(max_length=20, choices=RejectionReason.choices, blank=True)
    converted_opportunity = models.ForeignKey(
        Opportunity, null=True, blank=True, on_delete=models.SET_NULL, related_name="leads"
    )
    version = models.PositiveIntegerField(default=0, help_text="Optimistic lock for stage moves")

    class Meta(Sourced.Meta):
        indexes = [
            models.Index(fields=["stage", "owner"]),
            models.Index(fields=["created_at"]),
            models.Index(fields=["mql_at"]),
        ]

    def __str__(self) -> str:
        return f"Lead {self.pk} ({self.get_stage_display()})"


class SourceLink(models.Model):
    """The id a record has in a second source system.

    A HubSpot contact with the e-mail address of a contact first imported from
    Salesforce is the same person: the import updates that contact (field by
    field, as the source precedence allows) and remembers the HubSpot id here,
    so the HubSpot lead and later re-imports find the same record.
    """

    kind = models.CharField(max_length=20, help_text="contact or account")
    record_id = models.PositiveBigIntegerField()
    source = models.CharField(max_length=20, choices=SourceSystem.choices)
    external_id = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "source", "external_id"], name="crm_source_link_once"
            )
        ]
        indexes = [models.Index(fields=["kind", "record_id"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.record_id} is {self.source} {self.external_id}"


class SourceUser(models.Model):
    """A user of a source system (a record owner) and the Accord person behind it.

    Imports find an owner by e-mail address first; this table covers the ids
    (Salesforce ``OwnerId``) and names (HubSpot ``Contact owner``) that carry
    no address.
    """

    source = models.CharField(max_length=20, choices=SourceSystem.choices)
    external_id = models.CharField(
        max_length=160, help_text="The user id or the owner name exactly as the export shows it"
    )
    person = models.ForeignKey(
        "directory.Person", on_delete=models.CASCADE, related_name="source_users"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="crm_source_user_once")
        ]

    def __str__(self) -> str:
        return f"{self.source} user {self.external_id}: {self.person}"


class AppendOnlyError(Exception):
    pass


class LeadEvent(models.Model):
    """An append-only record of one thing that happened to a lead."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="events")
    occurred_at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=20, choices=LeadEventKind.choices)
    actor = models.ForeignKey("directory.Person", null=True, blank=True, on_delete=models.SET_NULL)
    from_stage = models.CharField(max_length=20, choices=LeadStage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=LeadStage.choices, blank=True)
    rule = models.CharField(max_length=200, blank=True, help_text="The rule that made it happen")
    reason = models.CharField(max_length=20, choices=RejectionReason.choices, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["lead", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on lead {self.lead_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnlyError("Lead events are append-only; write a new event instead.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Lead events are append-only and cannot be deleted.")
