"""Turn staged items into upserts: resolve references, convert money, compare.

The same code plans (``write=False``: only classifies) and applies
(``write=True``), so a dry run reports exactly what an import would do.
"""

from __future__ import annotations

import bisect
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from accord.connectors.formats import MEMBER_KIND, RowProblem
from accord.connectors.staging import CREATED, UNCHANGED, UPDATED, StagedItem, Staging
from accord.crm.choices import Channel, TouchKind
from accord.crm.models import (
    Account,
    Campaign,
    Company,
    Contact,
    ExchangeRate,
    Lead,
    Opportunity,
    OpportunityStageChange,
    Touch,
)

MODELS: dict[str, type[models.Model]] = {
    "account": Account,
    "campaign": Campaign,
    "contact": Contact,
    "opportunity": Opportunity,
    "lead": Lead,
    "touch": Touch,
    "stage_change": OpportunityStageChange,
}
REQUIRED_REFS = {("opportunity", "account"), ("lead", "contact"), ("touch", "campaign"),
                 ("stage_change", "opportunity")}  # fmt: skip
DOMAIN_LINKED = {("contact", "account"), ("lead", "account")}
PENDING = -1  # a reference to a record this same file creates (dry run only)
CENT = Decimal("0.01")
BATCH = 500
DOMAIN_CACHE = 50_000
FIELD_COLUMNS = {"domain": "website", "amount_company": "amount", "closed_at": "close_date"}


def company_currency() -> str:
    company = Company.objects.first()
    return company.currency if company else settings.ACCORD_COMPANY_CURRENCY


class ImportConflict(Exception):
    """A row that was valid when planned is not when applied."""


class Rates:
    """Dated exchange rates into the company currency, loaded once per currency."""

    def __init__(self, currency: str) -> None:
        self.company = currency
        self.loaded: dict[str, tuple[list[date], list[Decimal]]] = {}

    def convert(self, amount: Decimal, currency: str, on: date) -> Decimal | None:
        if currency == self.company:
            return amount
        days, rates = self._load(currency)
        index = bisect.bisect_right(days, on) - 1
        return None if index < 0 else (amount * rates[index]).quantize(CENT)

    def _load(self, currency: str) -> tuple[list[date], list[Decimal]]:
        if currency not in self.loaded:
            rows = ExchangeRate.objects.filter(currency=currency).order_by("valid_from")
            pairs = list(rows.values_list("valid_from", "rate"))
            self.loaded[currency] = ([d for d, _ in pairs], [r for _, r in pairs])
        return self.loaded[currency]


class Planner:
    def __init__(self, *, source: str, columns: dict[str, str], staging: Staging) -> None:
        self.source, self.columns, self.staging = source, columns, staging
        self.rates = Rates(company_currency())
        self.domain_accounts: dict[str, int | None] = {}
        self.campaign_channel = lru_cache(maxsize=20_000)(_campaign_channel)

    def upsert(self, kind: str, chunk: list[StagedItem], *, write: bool) -> list[tuple[int, int]]:
        """Classify (and with ``write``, save) one chunk; returns (staged id, action)."""
        model = MODELS[kind]
        ids = [s.item.external_id for s in chunk]
        existing = {o.external_id: o for o in self._by_external_id(model, ids)}
        refs = self._resolve_refs(kind, chunk, write=write)
        self._load_domains(chunk)
        actions, new, changed, fields = [], [], [], set()
        for staged in chunk:
            try:
                values = self._values(kind, staged, refs)
            except RowProblem as exc:
                if write:  # it passed the plan, so the database changed meanwhile
                    raise ImportConflict(f"line {staged.line}: {exc.reason}") from exc
                self.staging.problem(staged.line, exc.column, exc.reason)
                continue
            obj = existing.get(staged.item.external_id)
            if obj is None:
                new.append(model(source=self.source, external_id=staged.item.external_id, **values))
                actions.append((CREATED, staged.row_id))
                continue
            different = _assign_changes(obj, values)
            if different:
                changed.append(obj)
                fields.update(different)
            actions.append((UPDATED if different else UNCHANGED, staged.row_id))
        if write:
            self._save(model, new, changed, sorted(fields))
        return actions

    def _by_external_id(self, model: type[models.Model], ids: list[str]) -> models.QuerySet:
        return model.objects.filter(source=self.source, external_id__in=ids)

    def _resolve_refs(
        self, kind: str, chunk: list[StagedItem], *, write: bool
    ) -> dict[tuple[str, str], int]:
        wanted: dict[str, set[str]] = {}
        for staged in chunk:
            for ref_kind, ext in staged.item.refs.values():
                if ext:
                    wanted.setdefault(ref_kind, set()).add(ext)
        found: dict[tuple[str, str], int] = {}
        for ref_kind, exts in wanted.items():
            rows = self._by_external_id(MODELS[ref_kind], list(exts)).values_list(
                "external_id", "pk"
            )
            found.update({(ref_kind, ext): pk for ext, pk in rows})
            if not write:
                pending = [e for e in exts if (ref_kind, e) not in found]
                staged = [e for e in pending if self.staging.has(ref_kind, e)]
                found.update({(ref_kind, e): PENDING for e in staged})
        return found

    def _values(
        self, kind: str, staged: StagedItem, refs: dict[tuple[str, str], int]
    ) -> dict[str, Any]:
        item = staged.item
        values = dict(item.fields)
        for name, (ref_kind, ext) in item.refs.items():
            pk = refs.get((ref_kind, ext)) if ext else None
            if pk is None and (kind, name) in DOMAIN_LINKED and item.domain:
                pk = self.domain_accounts.get(item.domain)
            if pk is None and (kind, name) in REQUIRED_REFS:
                raise RowProblem(self.columns.get(name, name), _missing(ref_kind, ext))
            values[f"{name}_id"] = pk
        values = EXTRA_VALUES.get(kind, _same)(self, values)
        self._check_fits(MODELS[kind], values)
        return values

    def _check_fits(self, model: type[models.Model], values: dict[str, Any]) -> None:
        """Refuse values the database would truncate or reject (PostgreSQL does)."""
        for name, value in values.items():
            problem = _does_not_fit(model._meta.get_field(name.removesuffix("_id")), value)
            if problem:
                column = FIELD_COLUMNS.get(name, name)
                raise RowProblem(self.columns.get(column, column), problem)

    def _load_domains(self, chunk: list[StagedItem]) -> None:
        """Find the accounts of the chunk's e-mail domains with one query."""
        wanted = {s.item.domain for s in chunk if s.item.domain} - self.domain_accounts.keys()
        if not wanted:
            return
        if len(self.domain_accounts) > DOMAIN_CACHE:
            self.domain_accounts.clear()
        self.domain_accounts.update(dict.fromkeys(wanted))
        rows = Account.objects.filter(domain__in=wanted).values_list("domain", "source", "pk")
        # Prefer an account from the same system, then the oldest.
        for domain, _source, pk in sorted(rows, key=lambda r: (r[1] != self.source, r[2])):
            if self.domain_accounts[domain] is None:
                self.domain_accounts[domain] = pk

    def _save(
        self, model: type[models.Model], new: list[Any], changed: list[Any], fields: list[str]
    ) -> None:
        if new:
            model.objects.bulk_create(new, batch_size=BATCH)
        if changed:
            if any(f.name == "updated_at" for f in model._meta.concrete_fields):
                now = timezone.now()
                for obj in changed:
                    obj.updated_at = now
                fields = [*fields, "updated_at"]
            model.objects.bulk_update(changed, fields, batch_size=BATCH)

    def opportunity_values(self, values: dict[str, Any]) -> dict[str, Any]:
        values["currency"] = values["currency"] or self.rates.company
        amount = values["amount"]
        if amount is None:
            values["amount_company"] = None
            return values
        on = _day(values["closed_at"] or values["created_at"])
        converted = self.rates.convert(amount, values["currency"], on)
        if converted is None:
            raise RowProblem(
                self.columns.get("amount", "amount"),
                f"no exchange rate from {values['currency']} to {self.rates.company} "
                f"valid on {on.isoformat()}",
            )
        values["amount_company"] = converted
        return values

    def touch_values(self, values: dict[str, Any]) -> dict[str, Any]:
        # A campaign member names a contact, or a lead whose contact we find.
        lead_id = values.pop("lead_id", None)
        if values["contact_id"] is None and lead_id is not None:
            values["contact_id"] = PENDING if lead_id == PENDING else _lead_contact(lead_id)
        if values["contact_id"] is None:
            raise RowProblem(
                self.columns.get("contact") or self.columns.get("lead", "contact"),
                "the contact (or lead) is not in Accord; import the leads or contacts first",
            )
        if "campaign_id" in values:  # a campaign member: its campaign sets the channel
            channel = self.campaign_channel(values["campaign_id"])
            values["channel"] = channel
            values["kind"] = MEMBER_KIND.get(channel, TouchKind.FORM_FILL)
        return values

    def lead_values(self, values: dict[str, Any]) -> dict[str, Any]:
        # Stage dates are filled from the file, never cleared: Accord's own
        # funnel may have recorded a date the source system does not export.
        return {k: v for k, v in values.items() if v is not None or not k.endswith("_at")}


def _same(planner: Planner, values: dict[str, Any]) -> dict[str, Any]:
    return values


EXTRA_VALUES = {
    "opportunity": Planner.opportunity_values,
    "touch": Planner.touch_values,
    "lead": Planner.lead_values,
}


def _campaign_channel(campaign_id: int) -> str:
    if campaign_id == PENDING:
        return Channel.OTHER
    return Campaign.objects.values_list("channel", flat=True).get(pk=campaign_id)


def _does_not_fit(field: models.Field, value: Any) -> str | None:
    if isinstance(value, str) and field.max_length and len(value) > field.max_length:
        return f"longer than {field.max_length} characters ({len(value)})"
    if isinstance(field, models.DecimalField) and isinstance(value, Decimal):
        limit = Decimal(10) ** (field.max_digits - field.decimal_places)
        return f"too large an amount: {value}" if abs(value) >= limit else None
    if isinstance(value, int) and isinstance(field, models.PositiveIntegerField) and value < 0:
        return f"must not be negative: {value}"
    return None


def _lead_contact(lead_id: int) -> int | None:
    return Lead.objects.values_list("contact_id", flat=True).get(pk=lead_id)


def _day(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _missing(kind: str, ext: str | None) -> str:
    if not ext:
        return "a value is required"
    return f"{kind} {ext} is not in Accord; import the {kind} export first"


def _assign_changes(obj: Any, values: dict[str, Any]) -> list[str]:
    """Set the values that differ on ``obj``; returns the changed field names."""
    different = [k for k, v in values.items() if getattr(obj, k) != v]
    for key in different:
        setattr(obj, key, values[key])
    return [k.removesuffix("_id") if k.endswith("_id") else k for k in different]
