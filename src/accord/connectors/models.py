"""The import log (one row per file run through an import) and browser uploads."""

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
    warnings = models.PositiveIntegerField(default=0)
    details = models.JSONField(
        default=dict,
        blank=True,
        help_text="Records matched to another system's record, and fields precedence kept",
    )
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.path} ({self.get_status_display()})"


class UploadStatus(models.TextChoices):
    READY = "ready", "Uploaded, not applied"
    APPLYING = "applying", "Applying"
    APPLIED = "applied", "Applied"
    REJECTED = "rejected", "Not applied (invalid rows)"
    DISCARDED = "discarded", "Discarded"


class ImportUpload(models.Model):
    """A file uploaded on the import page, kept in the data directory until done with."""

    file_name = models.CharField(max_length=255, help_text="The name the file had on upload")
    stored_as = models.CharField(max_length=500, help_text="Path under the data directory")
    size = models.PositiveBigIntegerField()
    vendor = models.CharField(max_length=20, blank=True)
    format_choice = models.CharField(max_length=20, default="auto")
    status = models.CharField(
        max_length=20, choices=UploadStatus.choices, default=UploadStatus.READY
    )
    uploaded_by = models.ForeignKey(
        "directory.Person", null=True, on_delete=models.SET_NULL, related_name="import_uploads"
    )
    uploaded_at = models.DateTimeField()
    dry_run = models.JSONField(
        default=dict, blank=True, help_text="Counts of the last dry run, empty before one"
    )
    run = models.OneToOneField(
        ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="upload"
    )

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"
