from __future__ import annotations

import zoneinfo
from datetime import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from accord.directory.roles import ROLE_INFO, Role


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone (e.g. Europe/Berlin).")


class TeamKind(models.TextChoices):
    SALES = "sales", "Sales"
    MARKETING = "marketing", "Marketing"
    SALES_OPS = "sales_ops", "Sales operations"
    CUSTOMER_SUCCESS = "customer_success", "Customer success"
    LEADERSHIP = "leadership", "Leadership"


class Team(models.Model):
    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=32, choices=TeamKind.choices)
    manager = models.ForeignKey(
        "Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="managed_teams"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Segment(models.Model):
    """A market segment (e.g. SMB, Mid-Market, Enterprise) with its marketing liaison."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    liaison = models.ForeignKey(
        "Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="liaison_for"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Territory(models.Model):
    name = models.CharField(max_length=80, unique=True)
    region = models.CharField(max_length=40)
    countries = models.JSONField(default=list, blank=True, help_text="ISO 3166 alpha-2 codes")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "territories"

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    """An expertise tag: a product, an industry, a skill people can be asked about."""

    name = models.CharField(max_length=80, unique=True)
    is_product = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    name = models.CharField(max_length=160)
    email = models.EmailField(unique=True)
    title = models.CharField(max_length=160, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    role = models.CharField(max_length=32, choices=[(r.value, r.label) for r in Role])
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    segments = models.ManyToManyField(Segment, blank=True, related_name="people")
    territories = models.ManyToManyField(Territory, blank=True, related_name="people")
    topics = models.ManyToManyField(Topic, blank=True, related_name="people")
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    country = models.CharField(max_length=2, blank=True, help_text="For the holiday calendar")
    work_starts = models.TimeField(default=time(9, 0))
    work_ends = models.TimeField(default=time(17, 0))
    capacity = models.PositiveSmallIntegerField(
        default=10, help_text="Relative share of routed leads; 0 takes none"
    )
    out_of_office_until = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name

    @property
    def role_label(self) -> str:
        return ROLE_INFO[Role(self.role)].label

    @property
    def side(self) -> str:
        return ROLE_INFO[Role(self.role)].side
