"""The accountability ledger and the reverse waterfall on a hand-built company.

History (2024, all SMB): 10 MQLs; 8 worked within the SLA (6 accepted, 5
qualified, 4 became opportunities; 2 sent back in time); 2 breached (one
accepted late, one never touched), neither became one. Rates of the MQLs
worked in time: MQL→SAL 6/8, SAL→SQL 5/6, SQL→opportunity 4/5, so quality
4/8 = 1/2. Six opportunities were opened (two by sales alone: 1/6 a month
from outside the MQLs), four closed, two won, every deal 10,000: win rate
1/2, deal size 10,000, opportunity size 10,000.

Q1 2025, target 20,000 a month: 60,000 needs 6 deals, 12 opportunities, 1/2
of them from outside, so 11.5 from MQLs: 23 MQLs worked within the SLA.
Actual: 20 MQLs, 15 worked in time (6 opportunities: quality 2/5), 5 breached
(one opportunity); 8 opportunities opened (one by sales); 3 won for
12,000 + 8,000 + 5,000.

Revenue, each opportunity worth 1/2 x 10,000 = 5,000 at plan:
    plan            (23 x 1/2 + 1/2) x 5,000   = 60,000
    MQL volume      (20 x 1/2 + 1/2) x 5,000   = 52,500   part  7,500
    lead quality    (20 x 2/5 + 1/2) x 5,000   = 42,500   part 10,000
    follow-up       8 opportunities x 5,000    = 40,000   part  2,500
    win rate        3 won x 10,000             = 30,000   part 10,000
    deal size       12,000 + 8,000 + 5,000     = 25,000   part  5,000
    gap 60,000 - 25,000 = 35,000 = 7,500 + 10,000 + 2,500 + 10,000 + 5,000

Follow-up, read out: the 5 breached MQLs would have given 5 x 2/5 = 2
opportunities and gave 1 (-5,000); sales opened 1 outside the MQLs where the
plan had 1/2 (+2,500).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.metrics.ledger import LeadSets, ledger_compute, parts_compute
from accord.metrics.targets import NoTargetError
from accord.metrics.waterfall import (
    Cohort,
    Facts,
    Flows,
    Rates,
    plan_from_target,
    waterfall_compute,
)
from tests.metrics.test_money_tables import IBIS_WARNINGS, at, tables

pytestmark = [pytest.mark.nodb, *IBIS_WARNINGS]

Q1 = {"start": date(2025, 1, 1), "end": date(2025, 4, 1)}
HOUR = timedelta(hours=1)


def lead(pk: int, mql, way: str, *, sql: bool = False, opp: int | None = None) -> dict:
    """A lead that became an MQL at ``mql`` and was worked ``way``."""
    row = {"id": pk, "account_id": 1, "mql_at": mql, "accept_due_at": mql + 4 * HOUR,
           "contact_due_at": mql + 24 * HOUR}  # fmt: skip
    if way == "in_time":
        row |= {"sal_at": mql + HOUR, "first_contact_at": mql + 2 * HOUR}
    elif way == "sent_back":
        row |= {"recycled_at": mql + HOUR}
    elif way == "late":
        row |= {"sal_at": mql + 10 * HOUR, "first_contact_at": mql + 30 * HOUR}
    if sql:
        row["sql_at"] = mql + 48 * HOUR
    if opp:
        row |= {"opportunity_at": mql + 120 * HOUR, "converted_opportunity_id": opp}
    return row


def opportunity(pk: int, created, amount: int = 10_000, closed=None, won: bool = False) -> dict:
    return {"id": pk, "account_id": 1, "amount_company": amount, "created_at": created,
            "closed_at": closed, "is_closed": closed is not None, "is_won": won}  # fmt: skip


def history_leads() -> list[dict]:
    day = at(2024, 3, 1)
    ways = ["in_time"] * 6 + ["sent_back"] * 2 + ["late", "never"]
    return [
        lead(n, day + timedelta(days=n), way, sql=n <= 5, opp=200 + n if n <= 4 else None)
        for n, way in enumerate(ways, start=1)
    ]


def quarter_leads() -> list[dict]:
    day = at(2025, 1, 5)
    ways = ["in_time"] * 12 + ["sent_back"] * 3 + ["late"] * 3 + ["never"] * 2
    rows = []
    for n, way in enumerate(ways, start=11):
        opp = 200 + n if n <= 16 or n == 26 else None
        rows.append(lead(n, day + timedelta(days=n), way, sql=opp is not None, opp=opp))
    return rows


def opportunities() -> list[dict]:
    hist = at(2024, 3, 1)
    rows = [
        opportunity(201, hist + timedelta(days=6), closed=at(2024, 6, 1), won=True),
        opportunity(202, hist + timedelta(days=7), closed=at(2024, 7, 1), won=True),
        opportunity(203, hist + timedelta(days=8), closed=at(2024, 8, 1)),
        opportunity(204, hist + timedelta(days=9), closed=at(2025, 2, 1)),
        opportunity(205, at(2024, 5, 1), closed=at(2024, 9, 1)),
        opportunity(206, at(2024, 6, 1), closed=at(2025, 3, 1)),
    ]
    amounts = {211: 12_000, 212: 8_000, 213: 5_000}
    for n in (*range(11, 17), 26):
        pk = 200 + n
        won = pk in amounts
        closed = at(2025, 3, 20) if won else None
        created = at(2025, 1, 5) + timedelta(days=n + 5)
        rows.append(opportunity(pk, created, amounts.get(pk, 10_000), closed, won))
    rows.append(opportunity(218, at(2025, 2, 10)))  # sales found this one
    return rows


def months(measure: str, amount: int, segment_id: int | None = 1) -> list[dict]:
    return [
        {"id": i + (10 if measure == "pipeline" else 0), "month": date(2025, m, 1),
         "segment_id": segment_id, "measure": measure, "amount": amount}
        for i, m in enumerate((1, 2, 3), start=1)
    ]  # fmt: skip


COMPANY = tables(
    segments=[{"id": 1, "name": "SMB"}],
    accounts=[{"id": 1, "segment_id": 1}],
    leads=history_leads() + quarter_leads(),
    opportunities=opportunities(),
    targets=months("revenue", 20_000) + months("pipeline", 30_000),
    mql_commitments=[
        {"id": m, "month": date(2025, m, 1), "segment_id": 1, "mqls": 10} for m in (1, 2, 3)
    ],
)


def amounts(ledger) -> dict[str, Decimal]:
    return {part.key: part.amount for part in ledger.parts}


def test_the_waterfall_derives_each_stage_from_the_target() -> None:
    fall = waterfall_compute(COMPANY, target=Decimal(60_000), measure="revenue",
                             segment="SMB", **Q1)  # fmt: skip
    plan = fall.plan
    assert plan.rates.quality == Fraction(1, 2)
    assert plan.rates.conversion == Fraction(4, 10)
    assert plan.rates.win_rate == Fraction(1, 2)
    assert plan.rates.other_per_month == Fraction(1, 6)
    assert (plan.customers, plan.opportunities, plan.other_opportunities) == (6, 12, Fraction(1, 2))
    assert (plan.sqls, plan.sals, plan.mqls) == (
        Fraction(115, 8),
        Fraction(69, 4),
        23,
    )
    assert (plan.mql_commitment, plan.pipeline_commitment) == (23, Decimal("120000.00"))
    assert [(row.stage, row.actual) for row in fall.stages] == [
        ("MQLs", 20), ("SALs", 15), ("SQLs", 7), ("Opportunities", 8), ("Won deals", 3),
        ("Revenue", 25_000.0),
    ]  # fmt: skip


def test_the_revenue_ledger_matches_the_hand_computed_parts() -> None:
    ledger = ledger_compute(COMPANY, segment="SMB", **Q1)
    assert (ledger.target, ledger.actual, ledger.gap) == (60_000, 25_000, 35_000)
    assert amounts(ledger) == {
        "mql_volume": Decimal("7500.00"),
        "lead_quality": Decimal("10000.00"),
        "follow_up": Decimal("2500.00"),
        "win_rate": Decimal("10000.00"),
        "deal_size": Decimal("5000.00"),
    }
    assert [p.side for p in ledger.parts] == ["marketing", "marketing", "sales", "sales", "sales"]
    assert sum(amounts(ledger).values()) == ledger.gap
    assert ledger.committed_mqls == 30


def test_each_part_links_to_the_leads_behind_it() -> None:
    leads = {p.key: p.lead_ids for p in ledger_compute(COMPANY, segment="SMB", **Q1).parts}
    assert leads["mql_volume"] == list(range(11, 31))
    assert leads["lead_quality"] == list(range(11, 26))
    assert leads["follow_up"] == list(range(26, 31))
    assert leads["win_rate"] == [4]  # 204 was lost in Q1; 206 came from no lead
    assert leads["deal_size"] == [11, 12, 13]


def test_the_pipeline_ledger() -> None:
    # 90,000 needs 9 opportunities of 10,000, 8.5 from MQLs: 17 MQLs; 20 came.
    # MQL volume 90,000 - (20 x 1/2 + 1/2) x 10,000 = -15,000; quality 105,000 - 85,000;
    # follow-up 85,000 - 80,000 = 5,000; size 80,000 - 75,000 = 5,000.
    ledger = ledger_compute(COMPANY, segment="SMB", measure="pipeline", **Q1)
    assert (ledger.target, ledger.actual) == (90_000, 75_000)
    assert amounts(ledger) == {
        "mql_volume": Decimal("-15000.00"),
        "lead_quality": Decimal("20000.00"),
        "follow_up": Decimal("5000.00"),
        "deal_size": Decimal("5000.00"),
    }


def test_the_company_target_is_the_segments_sum_when_it_has_none_of_its_own() -> None:
    assert amounts(ledger_compute(COMPANY, **Q1)) == amounts(
        ledger_compute(COMPANY, segment="SMB", **Q1)
    )


def test_a_period_without_a_target_is_refused_naming_the_months() -> None:
    with pytest.raises(NoTargetError, match="No revenue target for 2025-04, 2025-05 "):
        ledger_compute(COMPANY, start=date(2025, 3, 1), end=date(2025, 6, 1))


def _facts(mqls: int, worked: int, worked_opps: int, opps: int, won: int, revenue: int) -> Facts:
    cohort = Cohort(mqls, mqls, mqls, worked_opps, worked, worked, worked, worked_opps)
    flows = Flows(mqls, mqls, mqls, opps, Decimal(revenue), won, won, Decimal(revenue) / 100)
    return Facts(date(2025, 1, 1), date(2025, 4, 1), None, cohort, flows)


RATES = Rates(
    mql_to_sal=Fraction(7, 10),
    sal_to_sql=Fraction(5, 7),
    sql_to_opportunity=Fraction(3, 7),
    quality=Fraction(1, 3),
    conversion=Fraction(3, 10),
    win_rate=Fraction(2, 7),
    deal_size=Fraction(1234567, 300),
    opportunity_size=Fraction(99991, 13),
    other_per_month=Fraction(1, 9),
)


@settings(max_examples=200, deadline=None)
@given(
    target=st.integers(1, 10**10),
    mqls=st.integers(0, 500),
    worked_share=st.fractions(0, 1),
    opps=st.integers(0, 300),
    won=st.integers(0, 100),
    revenue=st.integers(0, 10**9),
    measure=st.sampled_from(["revenue", "pipeline"]),
)
def test_the_parts_always_add_up_to_the_gap_to_the_cent(
    target, mqls, worked_share, opps, won, revenue, measure
) -> None:
    worked = int(mqls * worked_share)
    actual = _facts(mqls, worked, worked // 3, opps, won, revenue)
    plan = plan_from_target(Decimal(target) / 100, measure=measure, rates=RATES, months=3)
    parts = parts_compute(plan, actual, LeadSets([], [], [], [], [], []))
    outcome = actual.flows.revenue if measure == "revenue" else actual.flows.pipeline
    assert sum(p.amount for p in parts) == plan.target - outcome
    assert all(p.amount == p.amount.quantize(Decimal("0.01")) for p in parts)


def test_the_ledger_period_defaults_to_the_last_full_quarter() -> None:
    from accord.metrics.ledger_cli import period_parse

    today = date(2026, 11, 23)
    assert period_parse(None, None, today) == (date(2026, 7, 1), date(2026, 10, 1))
    assert period_parse(None, None, date(2026, 2, 1)) == (date(2025, 10, 1), date(2026, 1, 1))
    assert period_parse("2025-01", "2025-03", today) == (date(2025, 1, 1), date(2025, 4, 1))
    assert period_parse("2025-05", None, today) == (date(2025, 5, 1), date(2025, 6, 1))
    with pytest.raises(ValueError, match="--from: give a month as YYYY-MM, not '2025-13'"):
        period_parse("2025-13", None, today)
    with pytest.raises(ValueError, match=r"--to \(2025-01\) is before --from \(2025-03\)"):
        period_parse("2025-03", "2025-01", today)


@pytest.mark.postgres
def test_the_ledger_is_the_same_on_postgresql() -> None:
    import uuid

    import ibis

    from accord.metrics.tables import Tables

    try:
        con = ibis.postgres.connect(host="127.0.0.1", user="postgres", database="test")
    except Exception as exc:  # any connection failure means no server here
        pytest.skip(f"PostgreSQL at 127.0.0.1:5432 is unreachable: {exc}")
    con.raw_sql("SET TIME ZONE 'UTC'")
    prefix = f"l{uuid.uuid4().hex[:8]}_"
    on_pg = Tables(
        {n: con.create_table(prefix + n, t.to_pyarrow(), temp=True) for n, t in COMPANY.items()}
    )
    try:
        for measure in ("revenue", "pipeline"):
            expected = ledger_compute(COMPANY, segment="SMB", measure=measure, **Q1)
            got = ledger_compute(on_pg, segment="SMB", measure=measure, **Q1)
            assert got.parts == expected.parts
            assert (got.target, got.actual) == (expected.target, expected.actual)
    finally:
        con.disconnect()
