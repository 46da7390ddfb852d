"""The audit log: one row per security-relevant or shared-definition change, never edited.

The actor is kept as a plain id and a name copied at the time, not as a
foreign key: the record must outlive the login it names, and deleting a
person must not rewrite history. Updates are refused here and by a database
trigger; deletes are refused here (an operator's retention job can still
remove old rows in SQL, which is deliberate).
"""

from __future__ import annotations

from typing import Any

from django.db import models


class AppendOnly(Exception):
    """Raised on any attempt to change or delete an audit entry."""


APPEND_ONLY = "Audit entries are append-only: they cannot be changed or deleted."


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnly(APPEND_ONLY)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnly(APPEND_ONLY)


class AuditEntry(models.Model):
    at = models.DateTimeField(db_index=True)
    action = models.CharField(max_length=40, db_index=True)
    actor_id = models.IntegerField(null=True, blank=True, help_text="The login's user id")
    actor_name = models.CharField(max_length=150, blank=True)
    target = models.CharField(max_length=255, blank=True, help_text="What was acted on")
    detail = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} by {self.actor_name or 'nobody'}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnly(APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnly(APPEND_ONLY)
