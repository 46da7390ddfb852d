"""Setting targets and sales costs, and applying a waterfall as both sides' commitments."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from accord.directory.models import Segment
from accord.funnel.models import MqlCommitment
from accord.metrics import services
from accord.metrics.models import SalesCost, Target
from accord.metrics.services import MoneyInputError, sales_cost_record, target_set
from accord.metrics.waterfall import Cohort, Facts, Flows, Rates, Waterfall, plan_from_target

NOW = datetime(2025, 1, 10, 9, tzinfo=UTC)


@pytest.fixture
def smb(db) -> Segment:
    return Segment.objects.create(name="SMB", slug="smb")


def test_a_manager_sets_a_target_and_setting_it_again_changes_it(cast, smb) -> None:
    first = target_set(by=cast.sales_manager, month=date(2025, 1, 1), measure="revenue",
                       amount="1000.50", segment=smb, sales_owner=cast.sales_manager,
                       marketing_owner=cast.marketing_manager, now=NOW)  # fmt: skip
    again = target_set(by=cast.marketing_manager, month=date(2025, 1, 1), measure="revenue",
                       amount=2000, segment=smb, now=NOW)  # fmt: skip
    assert again.pk == first.pk
    assert Target.objects.get().amount == Decimal("2000.00")
    target_set(by=cast.cro, month=date(2025, 1, 1), measure="revenue", amount=9000, now=NOW)
    assert Target.objects.count() == 2  # the whole company's target is another row


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"month": date(2025, 1, 2)}, "month: give the first day of a month"),
        ({"amount": "-5"}, "amount: give an amount of zero or more"),
        ({"amount": "1.005"}, "with at most two decimals"),
        ({"amount": "lots"}, "not 'lots'"),
        ({"measure": "profit"}, "measure: must be one of revenue, pipeline"),
    ],
)
def test_a_bad_target_is_refused_naming_the_field(cast, change, message) -> None:
    values = {"month": date(2025, 1, 1), "measure": "revenue", "amount": "10"} | change
    with pytest.raises(MoneyInputError, match=message):
        target_set(by=cast.sales_manager, now=NOW, **values)
    assert not Target.objects.exists()


def test_only_managers_set_targets_and_owners_sit_on_their_side(cast) -> None:
    with pytest.raises(MoneyInputError, match="Only a sales manager, a marketing manager"):
        target_set(by=cast.rep, month=date(2025, 1, 1), measure="revenue", amount=1)
    with pytest.raises(MoneyInputError, match="sales_owner: Marketing Manager works in marketing"):
        target_set(by=cast.cro, month=date(2025, 1, 1), measure="revenue", amount=1,
                   sales_owner=cast.marketing_manager)  # fmt: skip


def test_sales_costs_are_recorded_once_per_month_team_segment_and_kind(cast, smb) -> None:
    for amount in (100, 150):
        sales_cost_record(by=cast.sales_manager, month=date(2025, 2, 1), kind="salaries",
                          amount=amount, team=cast.sales_team, now=NOW)  # fmt: skip
    sales_cost_record(by=None, month=date(2025, 2, 1), kind="commission", amount=20,
                      segment=smb, imported=True, now=NOW)  # fmt: skip
    assert sorted(SalesCost.objects.values_list("kind", "amount")) == [
        ("commission", Decimal("20.00")),
        ("salaries", Decimal("150.00")),
    ]
    with pytest.raises(MoneyInputError, match="kind: must be one of"):
        sales_cost_record(by=cast.sales_manager, month=date(2025, 2, 1), kind="lunch", amount=1)


def _waterfall() -> Waterfall:
    rates = Rates(
        mql_to_sal=Fraction(3, 4), sal_to_sql=Fraction(5, 6), sql_to_opportunity=Fraction(4, 5),
        quality=Fraction(1, 2), conversion=Fraction(2, 5), win_rate=Fraction(1, 2),
        deal_size=Fraction(10_000), opportunity_size=Fraction(10_000),
        other_per_month=Fraction(1, 6),
    )  # fmt: skip
    plan = plan_from_target(Decimal(60_000), measure="revenue", rates=rates, months=3)
    nothing = Facts(date(2025, 1, 1), date(2025, 4, 1), "SMB", Cohort(*[0] * 8), Flows(*[0] * 8))
    return Waterfall(plan, nothing, nothing, [])


def test_applying_a_waterfall_writes_both_sides_commitments_for_each_month(cast, smb) -> None:
    # 60,000 needs 23 MQLs (23 = 8 + 8 + 7) and 12 opportunities worth 120,000 of pipeline.
    applied = services.waterfall_apply(by=cast.marketing_manager, waterfall=_waterfall(),
                                       segment=smb, start=date(2025, 1, 1),
                                       end=date(2025, 4, 1), now=NOW)  # fmt: skip
    assert [c.mqls for c in applied.commitments] == [8, 8, 7]
    assert list(MqlCommitment.objects.order_by("month").values_list("mqls", flat=True)) == [8, 8, 7]
    pipeline = Target.objects.filter(measure="pipeline", segment=smb).order_by("month")
    assert [t.amount for t in pipeline] == [Decimal("40000.00")] * 3
    services.waterfall_apply(by=cast.marketing_manager, waterfall=_waterfall(), segment=smb,
                             start=date(2025, 1, 1), end=date(2025, 4, 1), now=NOW)  # fmt: skip
    assert MqlCommitment.objects.count() == 3  # applying twice changes nothing


def test_a_rep_cannot_apply_a_waterfall(cast, smb) -> None:
    with pytest.raises(MoneyInputError, match="may apply a waterfall"):
        services.waterfall_apply(by=cast.rep, waterfall=_waterfall(), segment=smb,
                                 start=date(2025, 1, 1), end=date(2025, 4, 1))  # fmt: skip
    assert not MqlCommitment.objects.exists()


def test_split_evenly_keeps_the_total() -> None:
    assert services.split_evenly(10, 3) == [4, 3, 3]
    assert services.split_evenly(2, 3) == [1, 1, 0]
