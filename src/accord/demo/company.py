"""People, teams, segments, territories, topics, the company and its rates."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User

from accord.crm.models import Company, ExchangeRate
from accord.demo.logins import CAST, DEMO_PASSWORD
from accord.demo.names import FIRST, LAST
from accord.directory.models import Person, Segment, Team, TeamKind, Territory, Topic
from accord.directory.roles import Role
from accord.directory.services import person_create

SEGMENTS = (
    ("SMB", "smb", "Companies under 200 employees"),
    ("Mid-Market", "mid-market", "200 to 2,000 employees"),
    ("Enterprise", "enterprise", "Over 2,000 employees"),
)
TERRITORIES = (
    ("North America East", "Americas", ["US", "CA"], "America/New_York"),
    ("North America West", "Americas", ["US", "MX"], "America/Los_Angeles"),
    ("EMEA North", "EMEA", ["GB", "IE", "NL", "SE", "DE"], "Europe/London"),
    ("EMEA South", "EMEA", ["FR", "ES", "IT", "PT"], "Europe/Berlin"),
)
TOPICS = (
    ("Accord Core", True),
    ("Analytics add-on", True),
    ("Integrations", True),
    ("Pricing and discounts", False),
    ("Security reviews", False),
    ("Procurement", False),
    ("Healthcare", False),
    ("Financial services", False),
    ("Manufacturing", False),
    ("Competitor: Northwind", False),
    ("Trade shows", False),
)
SLOW_REPS = 3


@dataclass
class Org:
    segments: list[Segment]
    territories: list[Territory]
    territory_zones: dict[int, str]
    reps: list[Person]
    slow_rep_ids: set[int]
    marketers: list[Person]
    managers: dict[str, Person]
    people: list[Person] = field(default_factory=list)


@cache
def _demo_password_hash() -> str:
    """Hashing is deliberately slow; the demo's forty people share one hash."""
    return make_password(DEMO_PASSWORD)


def _unique_name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if name not in used:
            used.add(name)
            return name


def _person(
    rng: random.Random,
    used: set[str],
    *,
    role: Role,
    team: Team,
    title: str,
    username: str | None = None,
    time_zone: str = "America/New_York",
    country: str = "US",
) -> Person:
    name = _unique_name(rng, used)
    slug = name.lower().replace(" ", ".")
    person = person_create(
        name=name,
        email=f"{slug}@brightline.example",
        role=role.value,
        team=team,
        username=username or slug,
        password_hash=_demo_password_hash(),
        title=title,
        time_zone=time_zone,
        country=country,
    )
    person.phone = f"+1 555 {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
    return person


def org_build(rng: random.Random, *, as_of: datetime) -> Org:
    Company.objects.create(name="Brightline Software", currency="USD", fiscal_year_start_month=1)
    segments = [Segment.objects.create(name=n, slug=s, description=d) for n, s, d in SEGMENTS]
    territories = [
        Territory.objects.create(name=n, region=r, countries=c) for n, r, c, _ in TERRITORIES
    ]
    zones = {t.pk: z for t, (_, _, _, z) in zip(territories, TERRITORIES, strict=True)}
    topics = [Topic.objects.create(name=n, is_product=p) for n, p in TOPICS]
    teams = {
        kind: Team.objects.create(name=name, kind=kind)
        for name, kind in (
            ("Sales — Americas", TeamKind.SALES),
            ("Sales — EMEA", TeamKind.SALES),
            ("Marketing", TeamKind.MARKETING),
            ("Sales Operations", TeamKind.SALES_OPS),
            ("Customer Success", TeamKind.CUSTOMER_SUCCESS),
            ("Leadership", TeamKind.LEADERSHIP),
        )
    }
    americas = Team.objects.get(name="Sales — Americas")
    emea = Team.objects.get(name="Sales — EMEA")
    logins = {role: username for username, role in CAST}
    used: set[str] = set()

    def make(role: Role, team: Team, title: str, login: bool = False, **kw: str) -> Person:
        return _person(
            rng,
            used,
            role=role,
            team=team,
            title=title,
            username=logins[role] if login else None,
            **kw,
        )

    managers = {
        "cro": make(Role.REVENUE_LEADER, teams[TeamKind.LEADERSHIP], "Chief Revenue Officer", True),
        "sales_americas": make(Role.SALES_MANAGER, americas, "Sales Director, Americas", True),
        "sales_emea": make(
            Role.SALES_MANAGER,
            emea,
            "Sales Director, EMEA",
            time_zone="Europe/London",
            country="GB",
        ),
        "marketing": make(Role.MARKETING_MANAGER, teams[TeamKind.MARKETING], "VP Marketing", True),
    }
    americas.manager = managers["sales_americas"]
    emea.manager = managers["sales_emea"]
    teams[TeamKind.MARKETING].manager = managers["marketing"]
    teams[TeamKind.LEADERSHIP].manager = managers["cro"]
    for team in (americas, emea, teams[TeamKind.MARKETING], teams[TeamKind.LEADERSHIP]):
        team.save()

    reps: list[Person] = []
    for index in range(18):
        if index < 16:
            team, territory = (
                (americas, territories[index % 2])
                if index < 8
                else (emea, territories[2 + index % 2])
            )
            title = "Account Executive"
        else:
            team, territory = teams[TeamKind.CUSTOMER_SUCCESS], territories[index % 2]
            title = "Account Manager"
        zone = zones[territory.pk]
        rep = make(
            Role.SALES_REP,
            team,
            title,
            login=index == 0,
            time_zone=zone,
            country=territory.countries[0],
        )
        rep.capacity = rng.choice((8, 10, 10, 12))
        rep.save()
        rep.territories.add(territory)
        rep.segments.add(segments[index % 3])
        rep.topics.add(*rng.sample(topics, 2))
        reps.append(rep)
    reps[5].out_of_office_until = as_of.date() + timedelta(days=6)
    reps[5].save()

    marketers = [
        make(Role.MARKETER, teams[TeamKind.MARKETING], title, login=i == 0)
        for i, title in enumerate(
            (
                "Demand Generation Manager",
                "Content Marketer",
                "Events Manager",
                "Marketing Operations Manager",
                "Product Marketing Manager",
                "Digital Marketer",
                "Field Marketer",
                "Partner Marketer",
                "SEO Specialist",
                "Email Marketer",
                "Marketing Analyst",
                "Community Manager",
            )
        )
    ]
    for marketer in marketers:
        marketer.topics.add(*rng.sample(topics, 2))
    brand = make(Role.BRAND_MANAGER, teams[TeamKind.MARKETING], "Brand Manager", True)
    liaisons = [
        make(Role.LIAISON, teams[TeamKind.MARKETING], f"Marketing Liaison, {s.name}", login=i == 0)
        for i, s in enumerate(segments)
    ]
    for segment, liaison in zip(segments, liaisons, strict=True):
        segment.liaison = liaison
        segment.save()
        liaison.segments.add(segment)
    admins = [
        make(Role.ADMIN, teams[TeamKind.SALES_OPS], "Revenue Operations Lead", True),
        make(Role.ADMIN, teams[TeamKind.SALES_OPS], "CRM Administrator"),
    ]
    for person in (*reps, *marketers, brand, *liaisons, *admins, *managers.values()):
        person.work_starts, person.work_ends = time(9, 0), time(17, 0)
        person.save()
    slow = {rep.pk for rep in rng.sample(reps[1:16], SLOW_REPS)}
    people = [*managers.values(), *reps, *marketers, brand, *liaisons, *admins]
    return Org(segments, territories, zones, reps, slow, [*marketers, brand], managers, people)


def exchange_rates_build(rng: random.Random, months: list[date]) -> None:
    rates = {"EUR": 1.08, "GBP": 1.27}
    rows = []
    for month in months:
        for currency in rates:
            rates[currency] *= 1 + rng.gauss(0, 0.012)
            rows.append(
                ExchangeRate(
                    currency=currency, valid_from=month, rate=Decimal(f"{rates[currency]:.6f}")
                )
            )
    ExchangeRate.objects.bulk_create(rows)


def demo_user_count() -> int:
    return User.objects.count()
