"""Demo survey history: two closed rounds a year apart.

The story it plants: the company moved from Defined toward Aligned, and
marketing rates the relationship clearly higher than sales does, most of
all on field work and planning. Deterministic for a given ``seed``.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from django.db import transaction

from accord.diagnostic import services
from accord.diagnostic.instrument import instrument_load
from accord.diagnostic.models import Round
from accord.directory.models import Person, TeamKind

# Mean answer per side in each round, and per-theme shifts on top of it.
SIDE_MEANS = {
    "first": {"sales": 2.35, "marketing": 2.95, "other": 2.7},
    "second": {"sales": 2.85, "marketing": 3.45, "other": 3.15},
}
THEME_SHIFT = {
    "sales": {"field_work": -0.5, "planning": -0.3, "communication": 0.2},
    "marketing": {"field_work": 0.2, "structure_culture": -0.2},
    "other": {},
}
ANSWER_RATE = 0.85


def _side(person: Person) -> str:
    kind = person.team.kind if person.team else ""
    return {TeamKind.SALES: "sales", TeamKind.MARKETING: "marketing"}.get(kind, "other")


def _answers(rng: random.Random, mean: float, side: str) -> dict[str, int]:
    instrument = instrument_load()
    shift = THEME_SHIFT[side]
    person_bias = rng.gauss(0, 0.3)
    return {
        item.key: min(
            5, max(1, round(rng.gauss(mean + person_bias + shift.get(item.theme, 0), 0.6)))
        )
        for item in instrument.items
    }


def _round(rng: random.Random, name: str, opens_on: date, means: dict[str, float]) -> Round:
    # The demo surveys the two teams only: a handful of others would sit under
    # five and, by complement, hide one side and the perception gap with it.
    people = list(
        Person.objects.filter(is_active=True, team__kind__in=[TeamKind.SALES, TeamKind.MARKETING])
        .select_related("team")
        .order_by("pk")
    )
    round_ = services.round_create(
        name=name, opens_on=opens_on, closes_on=opens_on + timedelta(days=21)
    )
    sent = services.round_invite(
        round=round_, people=people, base_url="http://demo.invalid", email=False
    )
    for link in sent:
        if rng.random() > ANSWER_RATE:
            continue
        side = _side(link.person)
        services.response_submit(
            token=link.link.rstrip("/").rsplit("/", 1)[1],
            answers=_answers(rng, means[side], side),
            today=opens_on + timedelta(days=rng.randrange(21)),
        )
    return services.round_close(round=round_)


def diagnostic_demo_build(as_of: datetime, *, seed: int = 7) -> list[Round]:
    """Two closed rounds, about 13 and 1 months before ``as_of``; call after people exist."""
    rng = random.Random(seed)
    latest = as_of.date() - timedelta(days=35)
    earlier = latest - timedelta(days=365)
    with transaction.atomic():
        return [
            _round(rng, f"Alignment check {earlier.year}", earlier, SIDE_MEANS["first"]),
            _round(rng, f"Alignment check {latest.year}", latest, SIDE_MEANS["second"]),
        ]
