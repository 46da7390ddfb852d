"""The Targets page: the year's targets, the form that sets one, and the reverse waterfall."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client

from accord.directory.models import Segment
from accord.funnel.models import MqlCommitment
from accord.metrics.models import Target
from accord.metrics.services import target_set
from tests.conftest import Cast, login

pytestmark = pytest.mark.django_db
URL = "/metrics/targets/"


def test_empty_database_shows_empty_states(client: Client, cast: Cast) -> None:
    login(client, cast.sales_manager)
    response = client.get(f"{URL}?year=2025")
    html = response.content.decode()
    assert response.status_code == 200
    assert "No targets for 2025 yet" in html
    assert "Choose a period" in html
    assert "Make this marketing" not in html


def test_a_period_without_a_target_says_so(client: Client, cast: Cast) -> None:
    login(client, cast.cro)
    html = client.get(f"{URL}?from=2025-01&to=2025-03").content.decode()
    assert "No revenue target for 2025-01, 2025-02, 2025-03 (the whole company)" in html
    assert "Make this marketing" not in html


def test_the_table_shows_each_month_and_scope(client: Client, cast: Cast) -> None:
    smb = Segment.objects.create(name="SMB", slug="smb")
    target_set(by=cast.sales_manager, month=date(2025, 2, 1), measure="revenue", amount="1500.5")
    target_set(by=cast.sales_manager, month=date(2025, 2, 1), measure="pipeline", amount="4000",
               segment=smb)  # fmt: skip
    target_set(by=cast.sales_manager, month=date(2024, 2, 1), measure="revenue", amount="999")
    login(client, cast.marketing_manager)
    html = client.get(f"{URL}?year=2025").content.decode()
    cell = r'\s*<td class="num">(.*?)</td>'
    rows = re.findall(r'<tr><td>(.*?)</td><th scope="row">(.*?)</th>' + cell + cell, html)
    assert rows == [
        ("Feb 2025", "Whole company", "1,500.50", "—"),
        ("Feb 2025", "SMB", "—", "4,000.00"),
    ]
    assert "999" not in html  # another year


def test_the_form_saves_once_however_often_it_is_sent(client: Client, cast: Cast) -> None:
    login(client, cast.admin)
    form = {"month": "2025-03", "measure": "revenue", "amount": "2500", "segment": ""}
    for _ in range(2):
        response = client.post(f"{URL}set", form, follow=True)
    assert "Target saved: revenue 2025-03 (whole company) is 2,500.00." in response.content.decode()
    assert Target.objects.count() == 1
    assert Target.objects.get().amount == Decimal("2500.00")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"month": "2025-13"}, "month", "Give a month as YYYY-MM, not &#x27;2025-13&#x27;."),
        ({"amount": "-5"}, "amount", "amount: give an amount of zero or more"),
        ({"amount": "1.234"}, "amount", "with at most two decimals"),
        ({"measure": "profit"}, "measure", "measure: must be one of revenue, pipeline"),
        ({"segment": "Mars"}, "segment", "No segment named &#x27;Mars&#x27;."),
    ],
)
def test_a_bad_form_shows_the_error_by_its_field(
    client: Client, cast: Cast, change: dict[str, str], field: str, message: str
) -> None:
    login(client, cast.sales_manager)
    form = {"month": "2025-03", "measure": "revenue", "amount": "2500", "segment": "", **change}
    response = client.post(f"{URL}set", form)
    html = response.content.decode()
    assert response.status_code == 400
    error = re.search(rf'<span class="error" id="e-{field}">(.*?)</span>', html)
    assert error is not None and message in error.group(1)
    assert Target.objects.count() == 0


def test_people_who_are_not_managers_are_refused(client: Client, cast: Cast) -> None:
    for person in (cast.rep, cast.marketer):
        login(client, person)
        assert client.get(URL).status_code == 403
        form = {"month": "2025-03", "measure": "revenue", "amount": "1"}
        assert client.post(f"{URL}set", form).status_code == 403
        assert client.post(f"{URL}commit", {"from": "2025-01", "to": "2025-03"}).status_code == 403
    client.force_login(User.objects.create_user("stranger", password="x"))
    assert client.get(URL).status_code == 403
    assert Target.objects.count() == 0


def test_applying_a_period_without_target_is_an_error(client: Client, cast: Cast) -> None:
    login(client, cast.marketing_manager)
    response = client.post(f"{URL}commit", {"from": "2025-01", "to": "2025-03"}, follow=True)
    assert "No revenue target for 2025-01, 2025-02, 2025-03" in response.content.decode()
    assert MqlCommitment.objects.count() == 0


def test_the_demo_waterfall_becomes_marketings_commitment(client: Client, demo_small) -> None:
    client.force_login(User.objects.get(username="marketing-manager"))
    choice = {"from": "2026-07", "to": "2026-09", "segment": "SMB"}
    html = client.get(URL, choice).content.decode()
    assert "revenue target" in html and "MQLs" in html and "Won deals" in html
    shown = re.search(r"MQL commitment: <strong>(\d+) MQLs</strong>", html)
    assert shown is not None
    needed = int(shown.group(1))
    smb = Segment.objects.get(name="SMB")
    for _ in range(2):  # a retried click replaces, never adds
        response = client.post(f"{URL}commit", choice, follow=True)
    assert f"Marketing now commits to {needed} MQLs" in response.content.decode()
    rows = MqlCommitment.objects.filter(segment=smb, month__gte=date(2026, 7, 1),
                                        month__lt=date(2026, 10, 1)).order_by("month")  # fmt: skip
    base, extra = divmod(needed, 3)  # spread evenly, the larger shares first
    assert [r.mqls for r in rows] == [base + (1 if i < extra else 0) for i in range(3)]
    assert [r.month for r in rows] == [date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1)]
