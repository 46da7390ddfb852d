"""Accounts and the named-account owners."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from accord.crm.choices import SourceSystem
from accord.crm.models import Account
from accord.demo.company import Org
from accord.demo.names import COMPANY_WORDS_A, COMPANY_WORDS_B, INDUSTRIES

NAMED_SHARE = 0.35


@dataclass(frozen=True)
class AccountInfo:
    pk: int
    domain: str
    segment_index: int
    territory_index: int
    owner_id: int | None
    country: str
    doomed: bool  # never buys: the planted weak campaigns reach only these


def _employees(rng: random.Random) -> tuple[int, int]:
    roll = rng.random()
    if roll < 0.55:
        return rng.randint(10, 199), 0
    if roll < 0.87:
        return rng.randint(200, 1999), 1
    return rng.randint(2000, 60000), 2


SUFFIXES = ("Group", "Co", "Inc", "Ltd", "GmbH", "SA")
TRIES = 20


def account_names(rng: random.Random, count: int) -> list[str]:
    """Unique company names; once random picks keep colliding, a number makes them unique."""
    used: set[str] = set()
    names = []
    for index in range(count):
        for _ in range(TRIES):
            name = f"{rng.choice(COMPANY_WORDS_A)} {rng.choice(COMPANY_WORDS_B)}"
            if index >= 400:
                name = f"{name} {rng.choice(SUFFIXES)}"
            if name not in used:
                break
        else:
            name = f"{name} {index + 1}"
        used.add(name)
        names.append(name)
    return names


def accounts_build(rng: random.Random, org: Org, count: int, start: datetime) -> list[AccountInfo]:
    rows, infos = [], []
    reps_by_territory: dict[int, list[int]] = {}
    for rep in org.reps:
        for territory in rep.territories.all():
            reps_by_territory.setdefault(territory.pk, []).append(rep.pk)
    for index, name in enumerate(account_names(rng, count)):
        domain = name.lower().replace(" ", "") + ".example"
        employees, segment_index = _employees(rng)
        territory_index = rng.choices(range(4), weights=(35, 25, 25, 15))[0]
        territory = org.territories[territory_index]
        owner = None
        if rng.random() < NAMED_SHARE + 0.3 * segment_index:
            owner = rng.choice(reps_by_territory[territory.pk])
        country = rng.choice(territory.countries)
        rows.append(
            Account(
                name=name,
                domain=domain,
                industry=rng.choice(INDUSTRIES),
                employees=employees,
                country=country,
                segment=org.segments[segment_index],
                territory=territory,
                owner_id=owner,
                source=SourceSystem.DEMO,
                external_id=f"acc-{index + 1}",
                created_at=start - timedelta(days=rng.randint(30, 900)),
            )
        )
        infos.append((domain, segment_index, territory_index, owner, country, rng.random() < 0.3))
    created = Account.objects.bulk_create(rows, batch_size=2000)
    ids = dict(Account.objects.filter(source=SourceSystem.DEMO).values_list("domain", "pk"))
    del created
    return [AccountInfo(ids[d], d, s, t, o, c, x) for d, s, t, o, c, x in infos]
