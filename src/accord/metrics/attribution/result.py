"""The typed result every attribution model returns."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Credit:
    """Credit of one model, per key (channel or campaign), in conversions and in value."""

    conversions: dict[str, float]
    value: dict[str, float]


@dataclass(frozen=True)
class Attribution:
    journeys: int
    conversions: float
    value: float
    by: str
    models: dict[str, Credit]
    skipped: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        payload: dict[str, object] = {
            "journeys": self.journeys,
            "conversions": self.conversions,
            "value": self.value,
            "by": self.by,
            "models": {
                name: {"conversions": credit.conversions, "value": credit.value}
                for name, credit in self.models.items()
            },
        }
        if self.skipped:
            payload["skipped"] = self.skipped
        return payload


class AttributionInputError(ValueError):
    """The touch table breaks the input contract; the message names the column and the journey."""


MISSING_COLUMN = "missing required column {column!r} (required: {required})"
CAMPAIGN_MISSING = "--by campaign needs a 'campaign' column"
NULL_IN_COLUMN = "column {column!r} is empty on a touch of journey {journey!r} (ts {ts})"
NEGATIVE_VALUE = "column 'value' is negative ({value}) on journey {journey!r}"
NOT_CONSTANT = "column {column!r} differs between touches of journey {journey!r}"
MILESTONE_NEEDED = "skipped: needs a 'milestone' column (lead_created, opportunity_created, ...)"
