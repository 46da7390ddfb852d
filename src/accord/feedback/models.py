"""Field feedback: short notes reps leave after talking to customers.

A note is about one account, and optionally one of its opportunities or leads.
The segment is copied from the account (or lead) when the note is written, so
the digest counts a note under the segment it was heard in even if the
account moves later. Every note carries an idempotency key: the form's hidden
key, or a digest of an imported row, so a retried submit or a re-imported file
never writes a second row.
"""

from __future__ import annotations

from django.db import models


class FeedbackKind(models.TextChoices):
    WIN_LOSS = "win_loss", "Why we won or lost"
    COMPETITOR = "competitor", "Competitor met"
    OBJECTION = "objection", "Objection heard"
    NEED = "need", "Customer need"
    CONTENT_GAP = "content_gap", "Content gap"
    PRODUCT_REQUEST = "product_request", "Product request"


class FeedbackSource(models.TextChoices):
    FORM = "form", "Form"
    IMPORT = "import", "Call report import"
    DEMO = "demo", "Demo company"


TEXT_MAX = 600


class Feedback(models.Model):
    kind = models.CharField(max_length=20, choices=FeedbackKind.choices)
    text = models.CharField(max_length=TEXT_MAX)
    competitor = models.CharField(max_length=80, blank=True)
    author = models.ForeignKey(
        "directory.Person", null=True, on_delete=models.SET_NULL, related_name="feedback"
    )
    account = models.ForeignKey("crm.Account", on_delete=models.CASCADE, related_name="feedback")
    opportunity = models.ForeignKey(
        "crm.Opportunity",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="feedback",
    )
    lead = models.ForeignKey(
        "crm.Lead", null=True, blank=True, on_delete=models.CASCADE, related_name="feedback"
    )
    segment = models.ForeignKey(
        "directory.Segment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    noted_at = models.DateTimeField(db_index=True, help_text="When it was heard (UTC)")
    source = models.CharField(
        max_length=10, choices=FeedbackSource.choices, default=FeedbackSource.FORM
    )
    idempotency_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-noted_at", "-id"]
        verbose_name_plural = "feedback"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"

    @property
    def about(self) -> str:
        """What the note is attached to, in words."""
        if self.opportunity_id:
            return f"Opportunity {self.opportunity}"
        if self.lead_id:
            return f"{self.lead} at {self.account}"
        return f"Account {self.account}"
