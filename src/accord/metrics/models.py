"""The metric layer's own state: signed metric definitions and cached results.

The numbers themselves are computed from a snapshot of the canonical tables
(see ``accord.metrics.gateway``); what lives here is what people agreed a
metric means, and results already computed for one data version.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce


class MetricVersion(models.Model):
    """One version of what a metric means, agreed by both sides.

    Like a stage definition, a version is in force only once a sales manager
    and a marketing manager have both signed it; until then the previous
    signed version still holds. Results carry the version number in force, so
    a figure can always be traced to the words both sides signed.
    """

    metric_key = models.CharField(max_length=80)
    version = models.PositiveIntegerField()
    definition = models.TextField(help_text="What the metric means, in plain words")
    formula = models.TextField(blank=True)
    parameters = models.JSONField(default=dict, blank=True)
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
        ordering = ["metric_key", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["metric_key", "version"], name="metrics_metric_version_once"
            ),
            models.CheckConstraint(
                condition=Q(in_force_from__isnull=True)
                | Q(sales_signed_at__isnull=False, marketing_signed_at__isnull=False),
                name="metrics_in_force_needs_both_signatures",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.metric_key} v{self.version}"


class CachedResult(models.Model):
    """A computed metric result, kept in the app database until the data or the definition changes.

    The key is (metric, query, definition version, data version): a new
    snapshot or a newly signed version makes a different key, so a stale
    result is never served; old rows are pruned when a snapshot is replaced.
    """

    metric_key = models.CharField(max_length=80)
    query_key = models.CharField(max_length=64)
    definition_version = models.PositiveIntegerField()
    data_version = models.CharField(max_length=64)
    payload = models.JSONField()
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["metric_key", "query_key", "definition_version", "data_version"],
                name="metrics_result_once_per_key",
            )
        ]
        indexes = [models.Index(fields=["data_version"], name="metrics_result_data_version")]

    def __str__(self) -> str:
        return f"{self.metric_key} [{self.query_key[:8]}] @ {self.data_version[:8]}"


MONEY = {"max_digits": 16, "decimal_places": 2}


class TargetMeasure(models.TextChoices):
    REVENUE = "revenue", "Revenue"
    PIPELINE = "pipeline", "Pipeline"


class Target(models.Model):
    """What both sides aim for in one month: won revenue or pipeline created.

    A target without a segment is the whole company's. Sales and marketing
    own it together: each side names the manager who answers for it, and the
    reverse waterfall turns it into each side's commitment.
    """

    month = models.DateField(help_text="The first day of the month")
    segment = models.ForeignKey(
        "directory.Segment", null=True, blank=True, on_delete=models.CASCADE
    )
    measure = models.CharField(max_length=10, choices=TargetMeasure.choices)
    amount = models.DecimalField(help_text="In the company currency", **MONEY)
    sales_owner = models.ForeignKey(
        "directory.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    marketing_owner = models.ForeignKey(
        "directory.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_by = models.ForeignKey(
        "directory.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["month", "measure", "segment"]
        constraints = [
            models.UniqueConstraint(
                "month", Coalesce("segment", 0), "measure", name="metrics_target_once"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="metrics_target_month_start"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="metrics_target_not_negative"),
        ]

    def __str__(self) -> str:
        scope = self.segment or "whole company"
        return f"{self.get_measure_display()} target {self.month:%b %Y} ({scope}): {self.amount}"


class SalesCostKind(models.TextChoices):
    SALARIES = "salaries", "Salaries"
    COMMISSION = "commission", "Commission"
    TOOLS = "tools", "Tools"
    OTHER = "other", "Other"


class SalesCost(models.Model):
    """What selling cost in one month: salaries, commission or tools, per team and segment.

    Marketing's cost is its spend (``crm.Spend``); this is the sales half of
    cost of sales and CAC. Entered by a manager or imported from finance.
    """

    month = models.DateField(help_text="The first day of the month")
    segment = models.ForeignKey(
        "directory.Segment", null=True, blank=True, on_delete=models.CASCADE
    )
    team = models.ForeignKey("directory.Team", null=True, blank=True, on_delete=models.CASCADE)
    kind = models.CharField(max_length=12, choices=SalesCostKind.choices)
    amount = models.DecimalField(help_text="In the company currency", **MONEY)
    imported = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        "directory.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["month", "kind"]
        constraints = [
            models.UniqueConstraint(
                "month",
                Coalesce("segment", 0),
                Coalesce("team", 0),
                "kind",
                name="metrics_sales_cost_once",
            ),
            models.CheckConstraint(
                condition=Q(month__day=1), name="metrics_sales_cost_month_start"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="metrics_sales_cost_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.month:%b %Y}: {self.amount}"
