"""The service-level agreement, kept by both sides.

Sales promises to answer every MQL (accept, or reject with a reason) and to
contact every accepted lead before their deadlines; marketing promises a
number of MQLs per month, for the whole company or per segment
(``funnel.MqlCommitment``). Each metric here measures one of those promises.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from accord.metrics.definitions.funnel import (
    LEAD_BREAKDOWNS,
    in_period,
    leads_labelled,
    month_of,
    ratio,
    share,
)
from accord.metrics.registry import MetricQuery, metric
from accord.metrics.tables import Tables

ALL_SEGMENTS = "(all segments)"


def _by_deadline(table: ir.Table, query: MetricQuery, due: str) -> dict[str, ir.Value]:
    """Breakdown keys, with ``cohort`` meaning the month the deadline fell in."""
    if query.by is None:
        return {}
    if query.by == "cohort":
        return {"cohort": month_of(table[due])}
    return {query.by: table[query.by]}


@metric(
    "sla_accept_in_time",
    name="MQLs answered in time",
    definition=(
        "Of the MQLs whose accept-or-reject deadline fell in the period, the share sales "
        "answered by the deadline: accepted, or rejected back to marketing (recycled or "
        "disqualified)."
    ),
    formula="MQLs answered by accept_due_at ÷ MQLs with accept_due_at in the period",
    sides=("sales",),
    unit="ratio",
    breakdowns=LEAD_BREAKDOWNS,
)
def sla_accept_in_time(tables: Tables, query: MetricQuery) -> ir.Table:
    leads = leads_labelled(tables, query)
    due = leads.filter(in_period(leads.accept_due_at, query))
    answered = ibis.coalesce(due.sal_at, due.recycled_at, due.disqualified_at)
    return share(due, _by_deadline(due, query, "accept_due_at"), answered <= due.accept_due_at)


@metric(
    "sla_contact_in_time",
    name="Accepted leads contacted in time",
    definition=(
        "Of the accepted leads whose first-contact deadline fell in the period, the share "
        "sales first contacted by the deadline."
    ),
    formula=(
        "accepted leads with first_contact_at ≤ contact_due_at "
        "÷ accepted leads with contact_due_at in the period"
    ),
    sides=("sales",),
    unit="ratio",
    breakdowns=LEAD_BREAKDOWNS,
)
def sla_contact_in_time(tables: Tables, query: MetricQuery) -> ir.Table:
    leads = leads_labelled(tables, query)
    due = leads.filter(leads.sal_at.notnull(), in_period(leads.contact_due_at, query))
    in_time = due.first_contact_at <= due.contact_due_at
    return share(due, _by_deadline(due, query, "contact_due_at"), in_time)


def _commitments(tables: Tables, query: MetricQuery) -> ir.Table:
    """Commitments of the period's months: month, segment label (or ALL_SEGMENTS), MQLs."""
    rows = tables.mql_commitments
    segments = tables.segments.select(_segment=ibis._.id, _segment_name=ibis._.name)
    rows = rows.left_join(segments, rows.segment_id == segments._segment)
    rows = rows.filter(rows.month >= ibis.date(query.start), rows.month < ibis.date(query.end))
    return rows.select(
        month=rows.month,
        segment=rows._segment_name.fill_null(ALL_SEGMENTS),
        committed=rows.mqls.cast("int64"),
    )


def _delivered(tables: Tables, query: MetricQuery) -> ir.Table:
    """MQLs per month and segment label, plus the month's total over every segment."""
    leads = leads_labelled(tables, MetricQuery(query.start, query.end, by="segment"))
    mqls = leads.filter(in_period(leads.mql_at, query)).mutate(_month=month_of(leads.mql_at))
    counts = mqls.aggregate(by=["_month", "segment"], _n=mqls.count())
    totals = counts.aggregate(by="_month", _n=counts._n.sum()).mutate(
        segment=ibis.literal(ALL_SEGMENTS)
    )
    return counts.union(totals.select("_month", "segment", "_n"))


@metric(
    "sla_mql_delivery",
    name="MQLs delivered against the commitment",
    definition=(
        "The MQLs marketing delivered in the months of the period that carry a commitment, "
        "divided by the MQLs it committed to. Without a segment, a month's whole-company "
        "commitment counts when there is one, else the sum of its segment commitments."
    ),
    formula="MQLs in committed months ÷ MQLs committed",
    sides=("marketing",),
    unit="ratio",
    breakdowns=("cohort", "segment"),
)
def sla_mql_delivery(tables: Tables, query: MetricQuery) -> ir.Table:
    promised = _commitments(tables, query)
    if query.segment is not None:
        promised = promised.filter(promised.segment == query.segment)
    elif query.by != "segment":
        whole = promised.filter(promised.segment == ALL_SEGMENTS).select(_whole=ibis._.month)
        promised = promised.left_join(whole, promised.month == whole._whole)
        promised = promised.filter(
            (promised.segment == ALL_SEGMENTS) | promised._whole.isnull()
        ).drop("_whole")
    delivered = _delivered(tables, query)
    joined = promised.left_join(
        delivered,
        (promised.month == delivered._month) & (promised.segment == delivered.segment),
    )
    joined = joined.mutate(_delivered=joined._n.fill_null(0).cast("int64"))
    if query.by == "cohort":
        joined = joined.mutate(cohort=joined.month)
    names = [query.by] if query.by in ("cohort", "segment") else []
    grouped = joined.aggregate(
        by=names,
        numerator=joined._delivered.sum().fill_null(0),
        denominator=joined.committed.sum().fill_null(0),
    )
    return grouped.mutate(value=ratio(grouped.numerator, grouped.denominator)).select(
        *names, "value", "numerator", "denominator"
    )
