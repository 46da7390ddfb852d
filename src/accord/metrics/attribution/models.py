"""The attribution models Accord offers, and their configurable weights."""

from __future__ import annotations

from dataclasses import dataclass

HEURISTIC_MODELS = (
    "first",
    "last",
    "last_non_direct",
    "linear",
    "time_decay",
    "position",
    "w_shaped",
    "full_path",
    "j_shaped",
    "inverse_j",
)
DATA_DRIVEN_MODELS = ("markov", "shapley")
MODELS = HEURISTIC_MODELS + DATA_DRIVEN_MODELS
MILESTONE_MODELS = ("w_shaped", "full_path")
MILESTONES = ("lead_created", "opportunity_created", "closed_won")


@dataclass(frozen=True)
class Shape:
    """Credit shares of a shaped model: named anchor touches, the rest spread evenly."""

    first: float = 0.0
    last: float = 0.0
    lead_created: float = 0.0
    opportunity_created: float = 0.0
    closed_won: float = 0.0
    middle: float = 0.0

    def __post_init__(self) -> None:
        shares = (
            self.first,
            self.last,
            self.lead_created,
            self.opportunity_created,
            self.closed_won,
            self.middle,
        )
        if min(shares) < 0 or abs(sum(shares) - 1.0) > 1e-9:
            raise ValueError(f"shape shares must be non-negative and sum to 1, got {shares}")


@dataclass(frozen=True)
class Settings:
    """Every knob of every model; the defaults are the industry conventions."""

    half_life_days: float = 7.0
    direct_channels: tuple[str, ...] = ("direct",)
    markov_order: int = 1
    position: Shape = Shape(first=0.4, last=0.4, middle=0.2)
    j_shaped: Shape = Shape(first=0.2, last=0.6, middle=0.2)
    inverse_j: Shape = Shape(first=0.6, last=0.2, middle=0.2)
    w_shaped: Shape = Shape(first=0.3, lead_created=0.3, opportunity_created=0.3, middle=0.1)
    full_path: Shape = Shape(
        first=0.225, lead_created=0.225, opportunity_created=0.225, closed_won=0.225, middle=0.1
    )
    shapley_exact_limit: int = 20

    def __post_init__(self) -> None:
        if self.half_life_days <= 0:
            raise ValueError("half_life_days must be positive")
        if not 1 <= self.markov_order <= 4:
            raise ValueError("markov_order must be between 1 and 4")

    @property
    def shapes(self) -> tuple[str, ...]:
        return ("position", "j_shaped", "inverse_j", "w_shaped", "full_path")

    def shape(self, model: str) -> Shape:
        return getattr(self, model)


def models_parse(names: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Turn ``"all"``, ``"linear"``, ``"first,last"`` or a list into known model names."""
    items = names.split(",") if isinstance(names, str) else list(names)
    items = [item.strip() for item in items if item.strip()]
    if items == ["all"]:
        return MODELS
    unknown = [item for item in items if item not in MODELS]
    if unknown or not items:
        raise ValueError(
            f"unknown model {', '.join(unknown) or '(none)'}; "
            f"choose from {', '.join(MODELS)} or all"
        )
    return tuple(dict.fromkeys(items))
