"""Multi-touch attribution: heuristic, Markov and Shapley models over a canonical touch table."""

from __future__ import annotations

from accord.metrics.attribution.engine import attribute
from accord.metrics.attribution.models import MODELS, Settings, Shape, models_parse
from accord.metrics.attribution.result import Attribution, AttributionInputError, Credit

__all__ = [
    "MODELS",
    "Attribution",
    "AttributionInputError",
    "Credit",
    "Settings",
    "Shape",
    "attribute",
    "models_parse",
]
