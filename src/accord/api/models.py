"""API tokens: one per integration, owned by a person whose role decides what it sees.

Only a SHA-256 hash of the token is stored. Tokens are 32 random bytes, so a
fast hash is enough (there is nothing to brute-force) and lets every request
find its token with one indexed lookup.
"""

from __future__ import annotations

from django.db import models


class ApiToken(models.Model):
    person = models.ForeignKey(
        "directory.Person", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=80, blank=True, help_text="What the token is for")
    prefix = models.CharField(max_length=12, help_text="The first characters, to recognise it")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name or 'token'})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
