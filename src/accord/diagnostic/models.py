"""Survey rounds, invitations and anonymous responses.

Invitations and responses are deliberately unlinked: a response stores no
token, no person, no invitation and no time finer than the day, and its
primary key is a random UUID so that no ordering follows arrival. See
docs/decisions/0007-anonymous-survey-responses.md.
"""

from __future__ import annotations

import uuid

from django.db import models


class Instrument(models.Model):
    """A published version of a questionnaire, kept as the YAML that defined it."""

    version = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=160)
    definition = models.TextField(help_text="The instrument's YAML, as published")

    class Meta:
        ordering = ["version"]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"


class RoundStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Round(models.Model):
    name = models.CharField(max_length=160)
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="rounds")
    opens_on = models.DateField()
    closes_on = models.DateField()
    status = models.CharField(max_length=12, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    created_by = models.ForeignKey(
        "directory.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="diagnostic_round_closes_after_opening",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN


class Invitation(models.Model):
    """Who was asked. Holds a hash of the single-use link, never the link itself."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(
        "directory.Person", on_delete=models.CASCADE, related_name="survey_invitations"
    )
    nonce = models.CharField(max_length=64, help_text="Secret input to the link; not the link")
    token_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="diagnostic_invite_once")
        ]

    def __str__(self) -> str:
        return f"{self.round} → {self.person}"


class RoleGroup(models.TextChoices):
    SALES = "sales", "Sales"
    MARKETING = "marketing", "Marketing"
    OTHER = "other", "Other"


class Response(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    team_kind = models.CharField(max_length=32, blank=True)
    role_group = models.CharField(max_length=12, choices=RoleGroup.choices)
    answers = models.JSONField(help_text="Item key → answer on the instrument's scale")
    comment = models.TextField(blank=True)
    submitted_on = models.DateField()

    class Meta:
        ordering = ["id"]  # random: never the order answers arrived in

    def __str__(self) -> str:
        return f"Response to {self.round}"


class ChecklistStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class ChecklistItem(models.Model):
    """One point of the integration checklist, tracked with an owner and a status."""

    position = models.PositiveSmallIntegerField(unique=True)
    text = models.CharField(max_length=300)
    status = models.CharField(
        max_length=12, choices=ChecklistStatus.choices, default=ChecklistStatus.NOT_STARTED
    )
    owner = models.ForeignKey(
        "directory.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        "directory.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.text
