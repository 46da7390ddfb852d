"""The questionnaire as versioned data: statements, themes, bands and moves.

Instruments live in ``instruments/<name>.yaml``. This module is pure: it
imports no Django, so the offline ``accord survey score`` command uses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import yaml

INSTRUMENT_DIR = Path(__file__).parent / "instruments"
DEFAULT_INSTRUMENT = "default"


@dataclass(frozen=True)
class Item:
    key: str
    theme: str
    text: str


@dataclass(frozen=True)
class Theme:
    key: str
    label: str


@dataclass(frozen=True)
class Band:
    key: str
    label: str
    below: float | None


@dataclass(frozen=True)
class Move:
    from_type: str
    title: str
    why: str
    themes: tuple[str, ...]


@dataclass(frozen=True)
class Instrument:
    version: str
    name: str
    scale_min: int
    scale_max: int
    themes: tuple[Theme, ...]
    items: tuple[Item, ...]
    bands: tuple[Band, ...]
    moves: tuple[Move, ...]

    @property
    def item_keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.items)

    def theme_label(self, key: str) -> str:
        return next(t.label for t in self.themes if t.key == key)

    def band_label(self, key: str) -> str:
        return next(b.label for b in self.bands if b.key == key)

    def items_of(self, theme: str) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.theme == theme)


def _moves(data: dict[str, list[dict]]) -> tuple[Move, ...]:
    return tuple(
        Move(from_type=kind, title=m["title"], why=m["why"], themes=tuple(m["themes"]))
        for kind, moves in data.items()
        for m in moves
    )


@lru_cache(maxsize=32)
def instrument_parse(text: str) -> Instrument:
    """Parsed once per distinct definition: every scoring call needs it, YAML is slow."""
    data = yaml.safe_load(text)
    instrument = Instrument(
        version=str(data["version"]),
        name=data["name"],
        scale_min=int(data["scale"]["min"]),
        scale_max=int(data["scale"]["max"]),
        themes=tuple(Theme(**t) for t in data["themes"]),
        items=tuple(Item(**i) for i in data["items"]),
        bands=tuple(Band(**b) for b in data["bands"]),
        moves=_moves(data.get("moves", {})),
    )
    _check(instrument)
    return instrument


def _check(instrument: Instrument) -> None:
    theme_keys = {t.key for t in instrument.themes}
    unknown = {i.theme for i in instrument.items} - theme_keys
    if unknown:
        raise ValueError(f"Items refer to unknown themes: {sorted(unknown)}")
    if len(set(instrument.item_keys)) != len(instrument.items):
        raise ValueError("Item keys must be unique.")
    if instrument.bands[-1].below is not None:
        raise ValueError("The last band must be open-ended.")


@cache
def instrument_load(name: str = DEFAULT_INSTRUMENT) -> Instrument:
    return instrument_parse((INSTRUMENT_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
