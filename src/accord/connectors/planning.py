"""Turn staged items into upserts: resolve references, convert money, compare.

The same code plans (``write=False``: only classifies) and applies
(``write=True``), so a dry run reports exactly what an import would do.

A contact from one system with the e-mail address of a contact from another
is the same person: the item updates that contact, field by field as the
source precedence allows (``accord.connectors.precedence``), and its id is
remembered as a ``SourceLink`` so later rows and re-imports find it. Every
field an import sets is recorded in the record's ``provenance``
(``accord.crm.provenance``).
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
from accord.connectors.owners import Owners
from accord.connectors.precedence import Precedence
from accord.connectors.staging import CREATED, UNCHANGED, UPDATED, StagedItem, Staging
from accord.crm import provenance
from accord.crm.choices import Channel, TouchKind
from accord.crm.matching import AccountsByDomain
from accord.crm.models import (
    Account,
    Campaign,
    Company,
    Contact,
    ExchangeRate,
    Lead,
    Opportunity,
    OpportunityContactRole,
    OpportunityStageChange,
    SourceLink,
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
    "contact_role": OpportunityContactRole,
}
REQUIRED_REFS = {("opportunity", "account"), ("lead", "contact"), ("touch", "campaign"),
                 ("stage_change", "opportunity"), ("contact_role", "opportunity"),
                 ("contact_role", "contact")}  # fmt: skip
MATCHED_BY_EMAIL = {"contact"}  # kinds one system's record may join another's
MATCHED_SHOWN = 50  # matched records listed on the import page
FIRST_SYSTEM_ONLY = {"created_at"}  # when a shared record first appeared stays as is
ROLE_TAKEN = "this contact already has a role on this opportunity ({})"
DOMAIN_LINKED = {("contact", "account"), ("lead", "account")}
PENDING = -1  # a reference to a record this same file creates (dry run only)
CENT = Decimal("0.01")
BATCH = 500
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
    def __init__(
        self,
        *,
        source: str,
        columns: dict[str, str],
        staging: Staging,
        run_id: int | None = None,
        precedence: Precedence | None = None,
    ) -> None:
        self.source, self.columns, self.staging = source, columns, staging
        self.run_id = run_id
        self.precedence = precedence or Precedence({})
        self.rates = Rates(company_currency())
        self.accounts = AccountsByDomain(prefer_source=source)
        self.owners = Owners(source)
        self.campaign_channel = lru_cache(maxsize=20_000)(_campaign_channel)
        self.begin_pass()

    def begin_pass(self) -> None:
        """Forget what the previous pass (the plan, before the apply) counted."""
        self.matched: list[tuple[str, int]] = []
        self.matched_count = 0
        self.claimed: set[int] = set()
        self.kept: dict[str, int] = {}
        self.role_pairs: dict[tuple[int, int], str] = {}

    def upsert(self, kind: str, chunk: list[StagedItem], *, write: bool) -> list[tuple[int, int]]:
        """Classify (and with ``write``, save) one chunk; returns (staged id, action)."""
        model = MODELS[kind]
        existing, links = self._existing(kind, chunk)
        refs = self._resolve_refs(kind, chunk, write=write)
        self.accounts.load(s.item.domain for s in chunk)
        actions, new, changed, fields, new_links = [], [], [], set(), []
        for staged in chunk:
            try:
                values = self._values(kind, staged, refs, write=write)
            except RowProblem as exc:
                if write:  # it passed the plan, so the database changed meanwhile
                    raise ImportConflict(f"line {staged.line}: {exc.reason}") from exc
                self.staging.problem(staged.line, exc.column, exc.reason)
                continue
            ext = staged.item.external_id
            obj = existing.get(ext)
            if obj is None:
                new.append(self._new(model, ext, values))
                actions.append((CREATED, staged.row_id))
                continue
            different = self._assign(kind, obj, values)
            if ext in links:
                link = SourceLink(kind=kind, record_id=obj.pk, source=self.source, external_id=ext)
                new_links.append(link)
                self._note_match(kind, obj.pk)
            if different:
                changed.append(obj)
                fields.update(different)
            actions.append((UPDATED if different or ext in links else UNCHANGED, staged.row_id))
        if write:
            self._save(model, new, changed, sorted(fields))
            SourceLink.objects.bulk_create(new_links, batch_size=BATCH)
        return actions

    def _new(self, model: type[models.Model], ext: str, values: dict[str, Any]) -> models.Model:
        obj = model(source=self.source, external_id=ext, **values)
        if self.run_id is not None and hasattr(obj, "provenance"):
            obj.provenance = provenance.created(self.source, self.run_id)
        return obj

    def _existing(self, kind: str, chunk: list[StagedItem]) -> tuple[dict[str, Any], set[str]]:
        """The records the chunk's items update, by external id, and which of
        them were matched by e-mail address just now (their link is new)."""
        model = MODELS[kind]
        ids = [s.item.external_id for s in chunk]
        existing = {o.external_id: o for o in self._by_external_id(model, ids)}
        if kind not in MATCHED_BY_EMAIL:
            return existing, set()
        linked = self._linked(kind, [i for i in ids if i not in existing])
        existing.update(self._objects(model, linked))
        unmatched = [s.item for s in chunk if s.item.external_id not in existing]
        by_email = self._same_email(model, unmatched)
        existing.update(by_email)
        return existing, set(by_email)

    def _objects(self, model: type[models.Model], linked: dict[str, int]) -> dict[str, Any]:
        objects = model.objects.in_bulk(set(linked.values()))
        return {ext: objects[pk] for ext, pk in linked.items() if pk in objects}

    def _linked(self, kind: str, ids: list[str]) -> dict[str, int]:
        if not ids:
            return {}
        rows = SourceLink.objects.filter(kind=kind, source=self.source, external_id__in=ids)
        return dict(rows.values_list("external_id", "record_id"))

    def _same_email(self, model: type[models.Model], items: list[Any]) -> dict[str, Any]:
        """Another system's record with the item's e-mail address (the oldest one)."""
        emails = {i.fields.get("email") for i in items} - {None}
        if not emails:
            return {}
        first: dict[str, Any] = {}
        others = model.objects.filter(email__in=emails).exclude(source=self.source).order_by("pk")
        for obj in others:
            if obj.pk not in self.claimed:
                first.setdefault(obj.email, obj)
        found = {}
        for item in items:
            obj = first.pop(item.fields.get("email"), None)  # one item per record
            if obj is not None:
                found[item.external_id] = obj
        return found

    def _note_match(self, kind: str, pk: int) -> None:
        self.claimed.add(pk)
        self.matched_count += 1
        if len(self.matched) < MATCHED_SHOWN:
            self.matched.append((kind, pk))

    def _assign(self, kind: str, obj: Any, values: dict[str, Any]) -> list[str]:
        """Set the values that differ and that precedence lets this source set."""
        different = []
        for key, value in values.items():
            name, current = key.removesuffix("_id"), getattr(obj, key)
            if current != value and self._may_set(kind, obj, name, current, value):
                setattr(obj, key, value)
                different.append(name)
        if different and self.run_id is not None and hasattr(obj, "provenance"):
            obj.provenance = provenance.updated(obj.provenance, different, self.source, self.run_id)
            different.append("provenance")
        return different

    def _may_set(self, kind: str, obj: Any, name: str, current: Any, value: Any) -> bool:
        """An empty field is always filled; a system may always change what it set
        itself; another system's value is never blanked, and is replaced only
        when the precedence rule puts this source first."""
        holder = provenance.holder(obj, name)
        if name in FIRST_SYSTEM_ONLY and holder != self.source:
            return False
        if _empty(current) or holder == self.source:
            return True
        if _empty(value):
            return False
        if self.precedence.wins(kind, name, incoming=self.source, holder=holder):
            return True
        self.kept[f"{kind}.{name}"] = self.kept.get(f"{kind}.{name}", 0) + 1
        return False

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
        wanted.pop("person", None)  # owners are people, found by ``self.owners``
        found: dict[tuple[str, str], int] = {}
        for ref_kind, exts in wanted.items():
            rows = self._by_external_id(MODELS[ref_kind], list(exts)).values_list(
                "external_id", "pk"
            )
            found.update({(ref_kind, ext): pk for ext, pk in rows})
            if ref_kind in MATCHED_BY_EMAIL:
                linked = self._linked(ref_kind, [e for e in exts if (ref_kind, e) not in found])
                found.update({(ref_kind, ext): pk for ext, pk in linked.items()})
            if not write:
                pending = [e for e in exts if (ref_kind, e) not in found]
                staged = [e for e in pending if self.staging.has(ref_kind, e)]
                found.update({(ref_kind, e): PENDING for e in staged})
        return found

    def _values(
        self, kind: str, staged: StagedItem, refs: dict[tuple[str, str], int], *, write: bool
    ) -> dict[str, Any]:
        item = staged.item
        values = dict(item.fields)
        for name, (ref_kind, ext) in item.refs.items():
            if ref_kind == "person":
                self._owner(values, staged.line, ext, warn=not write)
                continue
            pk = refs.get((ref_kind, ext)) if ext else None
            if pk is None and (kind, name) in DOMAIN_LINKED and item.domain:
                pk = self.accounts.account_for_domain(item.domain)
            if pk is None and (kind, name) in REQUIRED_REFS:
                raise RowProblem(self.columns.get(name, name), _missing(ref_kind, ext))
            values[f"{name}_id"] = pk
        values = EXTRA_VALUES.get(kind, _same)(self, values)
        if kind == "contact_role":
            self._check_role(item.external_id, values)
        self._check_fits(MODELS[kind], values)
        return values

    def _owner(self, values: dict[str, Any], line: int, owner: str | None, *, warn: bool) -> None:
        """Set the owner the file names; an unknown one is a warning, never a cleared owner."""
        if not owner:
            return
        person = self.owners.person_id(owner)
        if person is not None:
            values["owner_id"] = person
        elif warn:  # the plan warns once; the apply pass sees the same rows again
            self.staging.warning(
                line, self.columns.get("owner", "owner"), self.owners.unknown(owner)
            )

    def _check_fits(self, model: type[models.Model], values: dict[str, Any]) -> None:
        """Refuse values the database would truncate or reject (PostgreSQL does)."""
        for name, value in values.items():
            problem = _does_not_fit(model._meta.get_field(name.removesuffix("_id")), value)
            if problem:
                column = FIELD_COLUMNS.get(name, name)
                raise RowProblem(self.columns.get(column, column), problem)

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

    def _check_role(self, ext: str, values: dict[str, Any]) -> None:
        """One role per contact and opportunity: a second record for the pair is refused."""
        pair = (values["opportunity_id"], values["contact_id"])
        if PENDING in pair:
            return
        column = self.columns.get("contact", "contact")
        earlier = self.role_pairs.setdefault(pair, ext)
        if earlier != ext:
            raise RowProblem(column, ROLE_TAKEN.format(f"record {earlier}, earlier in the file"))
        roles = OpportunityContactRole.objects.filter(opportunity_id=pair[0], contact_id=pair[1])
        other = roles.exclude(source=self.source, external_id=ext).first()
        if other is not None:
            holder = f"{other.source} record {other.external_id or other.pk}"
            raise RowProblem(column, ROLE_TAKEN.format(holder))


def _same(planner: Planner, values: dict[str, Any]) -> dict[str, Any]:
    return values


EXTRA_VALUES = {
    "opportunity": Planner.opportunity_values,
    "touch": Planner.touch_values,
    "lead": Planner.lead_values,
}


def _empty(value: Any) -> bool:
    return value is None or value == ""


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
