"""Proposing and signing new versions of a metric's definition.

The same two-key rule as the funnel's stage definitions: any manager or
revenue leader proposes; a sales manager and a marketing manager each sign
for their side; the second signature puts the version in force and every
result computed afterwards carries its number. The code's own wording is
version 1, so the first proposal is version 2.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accord.directory.models import Person
from accord.directory.roles import MANAGER_ROLES, Role
from accord.metrics.models import MetricVersion
from accord.metrics.registry import MetricDef, metric_get, metrics_all

SIGNING_SIDE = {Role.SALES_MANAGER: "sales", Role.MARKETING_MANAGER: "marketing"}
PROPOSE_NOT_ALLOWED = "Only managers and revenue leaders propose metric definitions."
SIGN_NEEDS_MANAGER = "Only a sales manager or a marketing manager signs metric definitions."
ALREADY_SIGNED = "Your side has already signed this version."
SUPERSEDED = "A newer version of this metric has been proposed; sign that one instead."
DEFINITION_REQUIRED = "definition: say in plain words what the metric means."
UNKNOWN_PARAMETER = "parameters: {metric} has no parameter {name!r} (it has: {known})."
PARAMETER_NOT_NUMBER = "parameters: {name} must be a number, not {value!r}."
PARAMETER_NEGATIVE = "parameters: {name} cannot be negative."


class SignoffError(ValueError):
    """A proposal or a signature that cannot be accepted; the message says why."""


def _check_parameters(mdef: MetricDef, parameters: dict[str, object]) -> dict[str, float]:
    checked: dict[str, float] = {}
    for name, value in parameters.items():
        if name not in mdef.defaults:
            known = ", ".join(mdef.defaults) or "none"
            raise SignoffError(UNKNOWN_PARAMETER.format(metric=mdef.key, name=name, known=known))
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise SignoffError(PARAMETER_NOT_NUMBER.format(name=name, value=value)) from None
        if number < 0:
            raise SignoffError(PARAMETER_NEGATIVE.format(name=name))
        checked[name] = number
    return checked


def metric_version_propose(
    *,
    metric_key: str,
    definition: str,
    by: Person,
    formula: str = "",
    parameters: dict[str, object] | None = None,
) -> MetricVersion:
    """A new version of a metric's meaning; it holds once both managers have signed."""
    if Role(by.role) not in MANAGER_ROLES:
        raise SignoffError(PROPOSE_NOT_ALLOWED)
    mdef = metric_get(metric_key)
    if not definition.strip():
        raise SignoffError(DEFINITION_REQUIRED)
    checked = _check_parameters(mdef, parameters or {})
    with transaction.atomic():
        latest = (
            MetricVersion.objects.select_for_update()
            .filter(metric_key=mdef.key)
            .order_by("-version")
            .first()
        )
        return MetricVersion.objects.create(
            metric_key=mdef.key,
            version=(latest.version if latest else 1) + 1,
            definition=definition.strip(),
            formula=formula.strip() or mdef.formula,
            parameters={**mdef.defaults, **checked},
            proposed_by=by,
            proposed_at=timezone.now(),
        )


def metric_version_sign(*, version: MetricVersion, by: Person) -> MetricVersion:
    """Sign for your side; the second signature puts the version in force."""
    side = SIGNING_SIDE.get(Role(by.role))
    if side is None:
        raise SignoffError(SIGN_NEEDS_MANAGER)
    now = timezone.now()
    with transaction.atomic():
        row = MetricVersion.objects.select_for_update().get(pk=version.pk)
        newer = MetricVersion.objects.filter(metric_key=row.metric_key, version__gt=row.version)
        if newer.exists():
            raise SignoffError(SUPERSEDED)
        if getattr(row, f"{side}_signed_at") is not None:
            raise SignoffError(ALREADY_SIGNED)
        setattr(row, f"{side}_signed_by", by)
        setattr(row, f"{side}_signed_at", now)
        if row.sales_signed_at and row.marketing_signed_at:
            row.in_force_from = now
        row.save()
    return row


@dataclass
class DefinitionRow:
    """A metric with the version in force (None: the code's version 1) and any pending one."""

    metric: MetricDef
    in_force: MetricVersion | None
    pending: MetricVersion | None

    @property
    def version(self) -> int:
        return self.in_force.version if self.in_force else 1

    @property
    def definition(self) -> str:
        return self.in_force.definition if self.in_force else self.metric.definition

    @property
    def formula(self) -> str:
        return self.in_force.formula if self.in_force else self.metric.formula


def definition_rows() -> list[DefinitionRow]:
    """Every registered metric with its signed and pending versions, in key order."""
    in_force: dict[str, MetricVersion] = {}
    pending: dict[str, MetricVersion] = {}
    versions = MetricVersion.objects.select_related(
        "proposed_by", "sales_signed_by", "marketing_signed_by"
    ).order_by("metric_key", "-version")
    for v in versions:
        if v.in_force_from is not None:
            in_force.setdefault(v.metric_key, v)
        elif v.metric_key not in in_force and v.metric_key not in pending:
            pending[v.metric_key] = v
    return [DefinitionRow(m, in_force.get(m.key), pending.get(m.key)) for m in metrics_all()]
