"""'Do we need to align more?': context questions and the integration checklist.

Pure data and one function, no Django. Climbing the ladder costs effort; it
pays only in some situations, so the answer depends on the current type and
on yes/no facts about the company.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    key: str
    text: str


# For each type: the facts that make climbing to the next type worth it.
CLIMB_WHEN: dict[str, tuple[Question, ...]] = {
    "undefined": (
        Question("open_conflict", "Do disputes between the two teams come into the open?"),
        Question("duplicated_work", "Do both teams end up doing the same work twice?"),
        Question("funding_fights", "Do the two teams compete for the same budget?"),
    ),
    "defined": (
        Question(
            "commoditising", "Is your market turning into a commodity, with prices under pressure?"
        ),
        Question("customised_sale", "Are products tailored to each customer during the sale?"),
        Question("shorter_life_cycles", "Are product life cycles getting shorter?"),
    ),
    "aligned": (
        Question("one_funnel_possible", "Could both teams work from one shared buying funnel?"),
        Question("long_complex_cycles", "Are your sales cycles long and complex?"),
        Question(
            "shared_responsibility",
            "Does the culture already share responsibility and rewards for results?",
        ),
    ),
}

INTEGRATION_CHECKLIST: tuple[str, ...] = (
    "One executive is responsible for marketing, sales and service.",
    "The buying funnel is written down stage by stage, with an owner for each stage.",
    "Both teams are judged on shared metrics such as lead conversion and customer lifetime value.",
    "Part of both teams' pay depends on the same revenue targets.",
    "Marketers sit in the teams that plan and run key accounts.",
    "Plans, targets and value propositions are set jointly each year.",
    "Both teams work from one customer and pipeline database.",
    "Budgets can move between the two teams when the plan changes.",
    "Launches are timed to when sales is ready to sell.",
    "A regular review improves the shared process.",
)

NEXT_TYPE = {"undefined": "defined", "defined": "aligned", "aligned": "integrated"}


@dataclass(frozen=True)
class Advice:
    current: str
    next: str | None
    climb: bool
    reasons: tuple[str, ...]
    message: str


def climb_advice(current: str, yes: Collection[str]) -> Advice:
    """Whether to aim for the next type, given which context questions were answered yes."""
    target = NEXT_TYPE.get(current)
    if target is None:
        return Advice(
            current, None, False, (), "You are at the top of the ladder: keep it healthy."
        )
    questions = CLIMB_WHEN[current]
    reasons = tuple(q.text for q in questions if q.key in yes)
    # From Aligned, integration pays only when one funnel is possible and the sale is complex
    # or the culture already shares results; elsewhere any one pressure is reason enough.
    if current == "aligned":
        climb = "one_funnel_possible" in yes and bool(
            {"long_complex_cycles", "shared_responsibility"} & set(yes)
        )
    else:
        climb = bool(reasons)
    message = (
        f"Aim for {target.capitalize()}: the situation rewards closer work."
        if climb
        else f"Staying {current.capitalize()} may be right for now; revisit if this changes."
    )
    return Advice(current, target, climb, reasons, message)
