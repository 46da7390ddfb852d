"""The import log: one row per file run through ``accord import``."""

from __future__ import annotations

from django.db import models


class ImportStatus(models.TextChoices):
    VALIDATING = "validating", "Validating"
    REJECTED = "rejected", "Rejected (invalid rows, nothing applied)"
    APPLYING = "applying", "Applying"
    APPLIED = "applied", "Applied"
    FAILED = "failed", "Failed while applying"


class ImportRun(models.Model):
    path = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64)
    vendor = models.CharField(max_length=20, blank=True)
    object = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=20, choices=ImportStatus.choices)
    rows_read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    invalid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.path} ({self.get_status_display()})"
