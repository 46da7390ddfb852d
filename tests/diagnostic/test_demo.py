from __future__ import annotations

from datetime import UTC, datetime

from django.core import mail

from accord.diagnostic.demo import diagnostic_demo_build
from accord.diagnostic.models import Response
from accord.diagnostic.queries import round_summary, trend
from accord.directory.models import Person, Team, TeamKind

AS_OF = datetime(2026, 11, 23, 12, tzinfo=UTC)


def _company() -> None:
    sales = Team.objects.create(name="Field", kind=TeamKind.SALES)
    marketing = Team.objects.create(name="Demand", kind=TeamKind.MARKETING)
    ops = Team.objects.create(name="Ops", kind=TeamKind.SALES_OPS)
    for team, role, n in ((sales, "sales_rep", 16), (marketing, "marketer", 12), (ops, "admin", 4)):
        for i in range(n):
            Person.objects.create(
                name=f"{team} {i}", email=f"{team}{i}@demo.test", role=role, team=team
            )


def test_demo_rounds_move_from_defined_toward_aligned_with_a_gap(db) -> None:
    _company()
    first, second = diagnostic_demo_build(AS_OF)
    assert not first.is_open and not second.is_open
    assert (second.opens_on - first.opens_on).days == 365
    one, two = round_summary(first), round_summary(second)
    assert one.overall.type == "defined"
    assert two.overall.score > one.overall.score + 5
    assert two.overall.type == "aligned"
    for summary in (one, two):
        assert summary.gap is not None and summary.gap >= 8
    points = trend([first, second])
    assert points[1].change == "up"
    assert Response.objects.count() > 40
    assert mail.outbox == []  # demo people get no e-mail
    # Deterministic: the same seed gives the same answers.
    assert round(two.overall.score, 2) == round(round_summary(second).overall.score, 2)
