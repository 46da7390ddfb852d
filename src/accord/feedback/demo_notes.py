"""The demo company's field notes, written from templates with planted themes.

Pure: returns labelled notes (the theme each was written from) without
touching the database, so the theme tests can check that clustering finds
what was planted. The story over the year: pricing objections keep rising, a
new competitor (Northwind) shows up half-way through, integration requests and
the missing security documents are steady complaints, and reps win on support.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from accord.feedback.models import FeedbackKind

OPENERS = (
    "{who} said",
    "{who} told me",
    "Heard from {who}:",
    "On the call {who} said",
    "{who} raised it again:",
    "",
)
WHO = (
    "the CFO",
    "their IT lead",
    "procurement",
    "the VP of sales",
    "the operations director",
    "our champion",
    "the buying committee",
    "their head of marketing",
)
JOINERS = ("; ", ", and ", ". Also ", "; plus ")


@dataclass(frozen=True)
class PlantedTheme:
    """A theme as a pool of clauses; a note joins one or two of them."""

    key: str
    kind: str
    clauses: tuple[str, ...]
    weight: Callable[[int], float]  # relative notes per month, by month index 0..11
    competitor: str = ""


PLANTED: tuple[PlantedTheme, ...] = (
    PlantedTheme(
        "pricing",
        FeedbackKind.OBJECTION,
        (
            "the price per seat is too expensive for their budget",
            "the annual price is above what they budgeted",
            "they want a price discount before signing",
            "our pricing is expensive next to what they pay today",
            "the budget is frozen so the price has to come down",
            "a multi-year discount on the price would be needed to sign",
            "the price increase at renewal is a problem",
            "the price is too expensive for a team their size",
        ),
        lambda m: 1.0 + 0.45 * m,
    ),
    PlantedTheme(
        "northwind",
        FeedbackKind.COMPETITOR,
        (
            "Northwind is in the deal as well",
            "they saw the Northwind demo last week",
            "Northwind offers a free trial and fast setup",
            "they are comparing us side by side with Northwind",
            "Northwind undercut us in the final round",
            "the Northwind mobile app impressed them",
        ),
        lambda m: 0.0 if m < 6 else 2.0 + 0.6 * (m - 6),
        competitor="Northwind",
    ),
    PlantedTheme(
        "integrations",
        FeedbackKind.PRODUCT_REQUEST,
        (
            "a native Salesforce integration is a must",
            "they need an API integration to sync records with their ERP",
            "a Slack integration for alerts was requested",
            "the HubSpot integration has to sync both ways",
            "no integration with their data warehouse blocks the rollout",
            "an open API and webhooks so their systems can sync",
            "the ERP integration decides the deal",
        ),
        lambda m: 2.5,
    ),
    PlantedTheme(
        "security_docs",
        FeedbackKind.CONTENT_GAP,
        (
            "we had no SOC 2 security report ready to send",
            "their CISO wants a security whitepaper",
            "the security questionnaire took weeks to answer",
            "we lack a data processing agreement for their security review",
            "security documentation on encryption and controls is missing",
            "a security pack with the pen test summary would have helped",
        ),
        lambda m: 2.0,
    ),
    PlantedTheme(
        "onboarding",
        FeedbackKind.NEED,
        (
            "onboarding time worries them",
            "onboarding and training for a large team is needed",
            "they want a guided onboarding plan",
            "admin training must be part of onboarding",
            "onboarding has to finish within a month of signing",
            "an onboarding checklist and training sessions for new users",
        ),
        lambda m: 1.8,
    ),
    PlantedTheme(
        "support_win",
        FeedbackKind.WIN_LOSS,
        (
            "we won because our support answers within hours",
            "their old vendor never answered support tickets",
            "a named support manager tipped the decision our way",
            "responsive support during the pilot won it",
            "they chose us for the quality of our support team",
        ),
        lambda m: 1.6,
    ),
)


@dataclass(frozen=True)
class PlantedNote:
    theme: str
    kind: str
    text: str
    competitor: str
    heard_on: date


def _write(rng: random.Random, theme: PlantedTheme) -> str:
    """One note: an opener, then one clause of the theme or two joined."""
    clauses = rng.sample(theme.clauses, 2 if rng.random() < 0.5 else 1)
    body = rng.choice(JOINERS).join(clauses) if len(clauses) == 2 else clauses[0]
    opener = rng.choice(OPENERS).format(who=rng.choice(WHO))
    text = f"{opener} {body}".strip()
    return text[0].upper() + text[1:] + "."


def notes_plant(
    rng: random.Random, first_month: date, months: int, total: int
) -> list[PlantedNote]:
    """About ``total`` notes spread over ``months`` months from ``first_month``.

    Each month's notes follow the themes' weights for that month, so trends are
    planted, not random. Deterministic for a given ``rng`` state.
    """
    weights = [[theme.weight(m) for theme in PLANTED] for m in range(months)]
    overall = sum(sum(row) for row in weights)
    notes: list[PlantedNote] = []
    month = first_month.replace(day=1)
    for row in weights:
        days = _days_in(month)
        for theme, weight in zip(PLANTED, row, strict=True):
            for _ in range(round(total * weight / overall)):
                notes.append(
                    PlantedNote(
                        theme=theme.key,
                        kind=theme.kind,
                        text=_write(rng, theme),
                        competitor=theme.competitor,
                        heard_on=month + timedelta(days=rng.randrange(days)),
                    )
                )
        month = (month + timedelta(days=32)).replace(day=1)
    return notes


def _days_in(month: date) -> int:
    return ((month + timedelta(days=32)).replace(day=1) - month).days
