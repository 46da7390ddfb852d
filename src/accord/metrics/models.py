"""The metric layer's own state: signed metric definitions and cached results.

The numbers themselves are computed from a snapshot of the canonical tables
(see ``accord.metrics.gateway``); what lives here is what people agreed a
metric means, and results already computed for one data version.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


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
