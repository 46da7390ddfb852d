"""Writes of the money side of the metric layer: targets, sales costs, applying a waterfall.

Every write checks who asks and what they give, names the field that is
wrong, and is an upsert on its natural key, so a retried request changes
nothing twice. Applying a waterfall writes all months or none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction

from accord.directory.models import Person, Segment, Team
from accord.directory.roles import MANAGER_ROLES, Role
from accord.funnel.models import MqlCommitment
from accord.metrics.models import SalesCost, SalesCostKind, Target, TargetMeasure
from accord.metrics.targets import months_of
from accord.metrics.waterfall import Waterfall

NOT_A_MANAGER = "Only a sales manager, a marketing manager or a revenue leader may {what}."
NOT_A_MONTH = "{field}: give the first day of a month (e.g. 2025-01-01), not {value}."
BAD_AMOUNT = "{field}: give an amount of zero or more with at most two decimals, not {value!r}."
BAD_CHOICE = "{field}: must be one of {choices}, not {value!r}."
WRONG_SIDE = "{field}: {person} works in {side}, not {expected}."
WATERFALL_MEASURE = "Only a revenue target's waterfall becomes commitments."


class MoneyInputError(ValueError):
    """A target, cost or commitment was refused; the message names the field."""


def _manager(person: Person, what: str) -> None:
    if person.role not in {*MANAGER_ROLES, Role.ADMIN}:
        raise MoneyInputError(NOT_A_MANAGER.format(what=what))


def _month(value: date, field: str = "month") -> date:
    if value.day != 1:
        raise MoneyInputError(NOT_A_MONTH.format(field=field, value=value.isoformat()))
    return value


def _amount(value: object, field: str = "amount") -> Decimal:
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise MoneyInputError(BAD_AMOUNT.format(field=field, value=value)) from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise MoneyInputError(BAD_AMOUNT.format(field=field, value=value))
    return amount.quantize(Decimal("0.01"))


def _choice(value: str, choices: type, field: str) -> str:
    if value not in choices.values:  # type: ignore[attr-defined]
        allowed = ", ".join(choices.values)  # type: ignore[attr-defined]
        raise MoneyInputError(BAD_CHOICE.format(field=field, choices=allowed, value=value))
    return value


def _owner(person: Person | None, expected: str, field: str) -> Person | None:
    if person is not None and person.side not in (expected, "both"):
        raise MoneyInputError(
            WRONG_SIDE.format(field=field, person=person, side=person.side, expected=expected)
        )
    return person


def target_set(
    *,
    by: Person,
    month: date,
    measure: str,
    amount: object,
    segment: Segment | None = None,
    sales_owner: Person | None = None,
    marketing_owner: Person | None = None,
    note: str = "",
    now: datetime | None = None,
) -> Target:
    """Set (or change) the target of one month, measure and segment."""
    _manager(by, "set a target")
    values = {
        "amount": _amount(amount),
        "sales_owner": _owner(sales_owner, "sales", "sales_owner"),
        "marketing_owner": _owner(marketing_owner, "marketing", "marketing_owner"),
        "set_by": by,
        "set_at": now or datetime.now(UTC),
        "note": note[:200],
    }
    with transaction.atomic():
        target, _ = Target.objects.update_or_create(
            month=_month(month),
            segment=segment,
            measure=_choice(measure, TargetMeasure, "measure"),
            defaults=values,
        )
    return target


def sales_cost_record(
    *,
    by: Person | None,
    month: date,
    kind: str,
    amount: object,
    segment: Segment | None = None,
    team: Team | None = None,
    imported: bool = False,
    now: datetime | None = None,
) -> SalesCost:
    """Record what selling cost in a month (a second call for the same key replaces it).

    ``by`` is None only for an import run, which is not a person.
    """
    if by is not None:
        _manager(by, "record sales costs")
    values = {
        "amount": _amount(amount),
        "imported": imported,
        "recorded_by": by,
        "recorded_at": now or datetime.now(UTC),
    }
    with transaction.atomic():
        cost, _ = SalesCost.objects.update_or_create(
            month=_month(month),
            segment=segment,
            team=team,
            kind=_choice(kind, SalesCostKind, "kind"),
            defaults=values,
        )
    return cost


def split_evenly(total: int, parts: int) -> list[int]:
    """``total`` in ``parts`` whole shares that differ by at most one, the larger first."""
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


@dataclass(frozen=True)
class Applied:
    commitments: list[MqlCommitment]
    pipeline_targets: list[Target]


def waterfall_apply(
    *,
    by: Person,
    waterfall: Waterfall,
    segment: Segment | None,
    start: date,
    end: date,
    now: datetime | None = None,
) -> Applied:
    """Make a revenue waterfall the two sides' commitments for each month of the period.

    Marketing's MQL commitment (the MQLs needed, rounded up, spread evenly over
    the months) and sales' pipeline target (the pipeline the needed
    opportunities add up to, spread the same way, to the cent).
    """
    _manager(by, "apply a waterfall")
    if waterfall.plan.measure != "revenue":
        raise MoneyInputError(WATERFALL_MEASURE)
    months = months_of(_month(start, "start"), end)
    mqls = split_evenly(waterfall.plan.mql_commitment, len(months))
    cents = int(waterfall.plan.pipeline_commitment * 100)
    pipeline = [Decimal(c).scaleb(-2) for c in split_evenly(cents, len(months))]
    with transaction.atomic():
        commitments = [
            MqlCommitment.objects.update_or_create(month=m, segment=segment, defaults={"mqls": n})[
                0
            ]
            for m, n in zip(months, mqls, strict=True)
        ]
        targets = [
            target_set(by=by, month=m, measure="pipeline", amount=a, segment=segment, now=now,
                       note="From the revenue target's waterfall")
            for m, a in zip(months, pipeline, strict=True)
        ]  # fmt: skip
    return Applied(commitments, targets)
