"""Scoring and anonymity for the alignment survey: pure functions, no Django.

A respondent's total is the sum of their answers (20-100 on the default
instrument). A group's score is the mean of its respondents' totals and its
type is the band of that mean, taken as a real number: 59.5 is below 60 and
so Defined. Theme scores are the mean answer on the theme's statements,
multiplied by the number of statements in the instrument, so they sit on
the same 20-100 scale as the total and read against the same bands.

Anonymity: :func:`suppressed_groups` is the one place that decides which
groups of a breakdown may be shown. Every page, export and CLI output goes
through :func:`summarise`, which calls it.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from statistics import fmean, stdev

from accord.diagnostic.instrument import Instrument

MIN_GROUP = 5
SIDES = ("sales", "marketing", "other")
ROLE_GROUPS = (*SIDES, "unstated")

# Two-sided 95% Student t critical values for 1-30 degrees of freedom.
_T975 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip


@dataclass(frozen=True)
class Answers:
    """One respondent's answers: team side, role group, and item → 1..5."""

    team: str
    answers: Mapping[str, int]
    role: str = ""
    comment: str = ""

    @property
    def total(self) -> int:
        return sum(self.answers.values())


def band_of(score: float, instrument: Instrument) -> str:
    for band in instrument.bands:
        if band.below is None or score < band.below:
            return band.key
    raise AssertionError("the last band is open-ended")


def t_critical(df: int) -> float:
    if df < 1:
        raise ValueError("a t-interval needs at least two values")
    if df <= len(_T975):
        return _T975[df - 1]
    z = 1.959964  # Cornish-Fisher expansion: accurate to 3 decimals past 30 df
    return z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)


def confidence_interval(values: Sequence[float]) -> tuple[float, float] | None:
    """95% t-interval for the mean, or None with fewer than two values."""
    if len(values) < 2:
        return None
    half = t_critical(len(values) - 1) * stdev(values) / math.sqrt(len(values))
    mean = fmean(values)
    return (mean - half, mean + half)


def suppressed_groups(counts: Mapping[str, int], *, minimum: int = MIN_GROUP) -> set[str]:
    """The groups of one breakdown that must not be shown.

    A group under ``minimum`` is hidden. Because the overall figure is shown
    beside the breakdown, the hidden groups together must also reach
    ``minimum``: otherwise overall minus the shown groups isolates them. So
    while they fall short, the smallest shown group is hidden as well.
    """
    hidden = {key for key, n in counts.items() if n < minimum}
    shown = sorted((n, key) for key, n in counts.items() if key not in hidden)
    while hidden and sum(counts[k] for k in hidden) < minimum and shown:
        hidden.add(shown.pop(0)[1])
    return hidden


@dataclass
class GroupResult:
    n: int
    suppressed: bool
    score: float | None = None
    type: str | None = None
    themes: dict[str, float] = field(default_factory=dict)
    comments: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        if self.suppressed:
            return {"suppressed": True}
        return {"n": self.n, "score": _r(self.score), "type": self.type, "themes": self.themes}


@dataclass
class Summary:
    instrument_version: str
    respondents: int
    overall: GroupResult
    interval: tuple[float, float] | None
    teams: dict[str, GroupResult]
    roles: dict[str, GroupResult]
    gap: float | None
    theme_gaps: dict[str, float | None]
    distribution: dict[str, int]

    def as_dict(self) -> dict[str, object]:
        return {
            "instrument": self.instrument_version,
            "respondents": self.respondents,
            "score": _r(self.overall.score),
            "type": self.overall.type,
            "interval": [_r(v) for v in self.interval] if self.interval else None,
            "suppressed": self.overall.suppressed,
            "teams": {k: g.as_dict() for k, g in self.teams.items()},
            "roles": {k: g.as_dict() for k, g in self.roles.items()},
            "gap": _r(self.gap),
            "themes": {
                key: {
                    "score": self.overall.themes.get(key),
                    "gap": self.theme_gaps.get(key),
                    "teams": {t: g.themes[key] for t, g in self.teams.items() if not g.suppressed},
                }
                for key in self.overall.themes
            },
            "distribution": self.distribution,
        }


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def theme_scores(rows: Sequence[Answers], instrument: Instrument) -> dict[str, float]:
    scale = len(instrument.items)
    scores = {}
    for theme in instrument.themes:
        keys = [item.key for item in instrument.items_of(theme.key)]
        scores[theme.key] = round(fmean(r.answers[k] for r in rows for k in keys) * scale, 2)
    return scores


def _comments(rows: Sequence[Answers]) -> list[str]:
    # Shuffled so the order never follows the order answers arrived in.
    comments = [r.comment.strip() for r in rows if r.comment.strip()]
    random.SystemRandom().shuffle(comments)
    return comments


def group_result(
    rows: Sequence[Answers], instrument: Instrument, *, suppressed: bool
) -> GroupResult:
    if suppressed or not rows:
        return GroupResult(n=len(rows), suppressed=True)
    score = fmean(r.total for r in rows)
    return GroupResult(
        n=len(rows),
        suppressed=False,
        score=score,
        type=band_of(score, instrument),
        themes=theme_scores(rows, instrument),
        comments=_comments(rows),
    )


def breakdown(
    rows: Sequence[Answers], keys: Iterable[str], instrument: Instrument, *, attr: str
) -> dict[str, GroupResult]:
    groups = {key: [r for r in rows if getattr(r, attr) == key] for key in keys}
    counts = {key: len(members) for key, members in groups.items() if members}
    hidden = suppressed_groups(counts)
    return {
        key: group_result(members, instrument, suppressed=key in hidden)
        for key, members in groups.items()
        if members
    }


def distribution(rows: Sequence[Answers], instrument: Instrument) -> dict[str, int]:
    counts = {band.key: 0 for band in instrument.bands}
    for row in rows:
        counts[band_of(row.total, instrument)] += 1
    return counts


def _gap(teams: Mapping[str, GroupResult], theme: str | None = None) -> float | None:
    sales, marketing = teams.get("sales"), teams.get("marketing")
    if not sales or not marketing or sales.suppressed or marketing.suppressed:
        return None
    if theme is None:
        return marketing.score - sales.score  # type: ignore[operator]
    return round(marketing.themes[theme] - sales.themes[theme], 2)


def summarise(rows: Sequence[Answers], instrument: Instrument) -> Summary:
    """Everything a page, export or the CLI may show about a set of answers."""
    too_few = len(rows) < MIN_GROUP
    overall = group_result(rows, instrument, suppressed=too_few)
    teams = {} if too_few else breakdown(rows, SIDES, instrument, attr="team")
    roles = {} if too_few else breakdown(rows, ROLE_GROUPS, instrument, attr="role")
    return Summary(
        instrument_version=instrument.version,
        respondents=len(rows),
        overall=overall,
        interval=None if too_few else confidence_interval([r.total for r in rows]),
        teams=teams,
        roles=roles,
        gap=_gap(teams),
        theme_gaps={t.key: _gap(teams, t.key) for t in instrument.themes},
        distribution={} if too_few else distribution(rows, instrument),
    )
