"""No figure about fewer than five people is reachable through any diagnostic URL.

Six sales and four marketing people answer. The four marketers' figures, and
by complement the sales figures (overall minus sales would give marketing),
must not appear on any page, export or download the diagnostic app serves.
The walk covers every URL pattern, so a new page is checked the day it lands.
"""

from __future__ import annotations

import random
import re
from datetime import date

import pytest
from django.urls import URLPattern, reverse

from accord.diagnostic import services, urls
from accord.diagnostic.models import Round
from accord.diagnostic.queries import round_answers, round_instrument
from accord.diagnostic.scoring import group_result, summarise
from accord.directory.models import Person, Team
from tests.conftest import Cast, login

SALES_NOTE = "sales-only remark 7f3a"
MARKETING_NOTE = "marketing-only remark 9c1e"


def _answer(round_: Round, team: Team, count: int, rng: random.Random, note: str) -> None:
    people = [
        Person.objects.create(
            name=f"{team.kind}{i}",
            email=f"{team.kind}{i}@x.test",
            role="sales_rep" if team.kind == "sales" else "marketer",
            team=team,
        )
        for i in range(count)
    ]
    low, high = (1, 3) if team.kind == "sales" else (3, 5)
    for sent in services.round_invite(round=round_, people=people):
        answers = {f"q{i}": rng.randint(low, high) for i in range(1, 21)}
        token = sent.link.rstrip("/").rsplit("/", 1)[1]
        services.response_submit(token=token, answers=answers, comment=note)


def _figures(values: list[float]) -> set[str]:
    return {f for v in values for f in (f"{v:.1f}", f"{v:.2f}", str(round(v, 2)))}


def _forbidden_and_allowed(round_: Round) -> tuple[set[str], set[str]]:
    rows, instrument = round_answers(round_), round_instrument(round_)
    hidden: list[float] = []
    sides = {}
    for side in ("sales", "marketing"):
        group = group_result([r for r in rows if r.team == side], instrument, suppressed=False)
        sides[side] = group
        hidden += [group.score, *group.themes.values()]
    hidden.append(sides["marketing"].score - sides["sales"].score)
    hidden += [
        sides["marketing"].themes[k] - sides["sales"].themes[k] for k in sides["sales"].themes
    ]
    summary = summarise(rows, instrument)
    shown = [summary.overall.score, *summary.overall.themes.values(), *(summary.interval or ())]
    return _figures(hidden), _figures(shown)


def _urls(round_: Round, token: str) -> list[tuple[str, str]]:
    """(method, url) for every diagnostic URL pattern; fails on a pattern it cannot fill."""
    found = []
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        names = set(pattern.pattern.converters)
        kwargs = {"pk": round_.pk, "token": token}
        assert names <= kwargs.keys(), f"teach this test the arguments of {pattern.name}"
        url = reverse(f"diagnostic:{pattern.name}", kwargs={k: kwargs[k] for k in names})
        found += [("get", url), ("post", url)]
    found.append(
        ("get", reverse("diagnostic:round", args=[round_.pk]) + "?yes=one_funnel_possible")
    )
    # Closing changes what later pages show; do it last.
    return sorted(found, key=lambda mu: mu[1].endswith("/close"))


@pytest.mark.parametrize("who", ["cro", "sales_manager", "marketing_manager", "admin"])
def test_no_marketing_only_figure_on_any_diagnostic_url(cast: Cast, client, who: str) -> None:
    today = date.today()
    round_ = services.round_create(
        name="Small marketing",
        opens_on=date(today.year - 1, 1, 1),
        closes_on=date(today.year + 1, 1, 1),
    )
    rng = random.Random(1)  # answers whose hidden figures differ from the shown ones
    _answer(round_, cast.sales_team, 6, rng, SALES_NOTE)
    _answer(round_, Team.objects.get(kind="marketing"), 4, rng, MARKETING_NOTE)
    [pending] = services.round_invite(round=round_, people=[cast.other_rep])
    forbidden, allowed = _forbidden_and_allowed(round_)
    assert not forbidden & allowed, "pick other answers: a hidden figure equals a shown one"
    login(client, getattr(cast, who))
    walked = 0
    for method, url in _urls(round_, pending.link.rstrip("/").rsplit("/", 1)[1]):
        response = getattr(client, method)(url, follow=True)
        body = response.content.decode()
        walked += response.status_code == 200
        assert MARKETING_NOTE not in body and SALES_NOTE not in body, url
        for figure in forbidden:
            assert not re.search(rf"(?<![\d.]){re.escape(figure)}(?!\d)", body), (url, figure)
    assert walked >= 10  # the pages really rendered, not just refused
