"""Reads for the alignment survey. Every figure shown goes through ``summarise``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from accord.diagnostic.instrument import Instrument, Move, instrument_parse
from accord.diagnostic.models import Response, Round
from accord.diagnostic.scoring import Answers, GroupResult, Summary, band_of, summarise
from accord.directory.access import person_for_user, sees_everything
from accord.directory.models import Person, Team, TeamKind
from accord.directory.roles import MANAGER_ROLES, Role

User = AbstractBaseUser | AnonymousUser
NOT_YOURS = "No such survey round, or its results are not yours to see."


def can_see_results(user: User) -> bool:
    person = person_for_user(user)
    return person is not None and (sees_everything(person) or Role(person.role) in MANAGER_ROLES)


def rounds_for_user(user: User) -> QuerySet[Round]:
    """Managers, revenue leaders and admins see every round's aggregated results."""
    if not can_see_results(user):
        return Round.objects.none()
    return Round.objects.select_related("instrument").annotate(
        invited=Count("invitations", distinct=True),
        answered=Count("invitations", filter=Q(invitations__used=True), distinct=True),
    )


def round_get_for_user(user: User, round_id: int) -> Round:
    found = rounds_for_user(user).filter(pk=round_id).first()
    if found is None:
        raise Http404(NOT_YOURS)
    return found


def invitees(
    *, teams: Iterable[Team], roles: Iterable[str], people: Iterable[Person]
) -> QuerySet[Person]:
    """Active people in any chosen team, holding any chosen role, or chosen by name."""
    chosen = Q(team__in=list(teams)) | Q(role__in=list(roles)) | Q(pk__in=[p.pk for p in people])
    return Person.objects.filter(chosen, is_active=True).select_related("team")


@dataclass(frozen=True)
class DirectoryGroup:
    team: Team | None
    people: list[tuple[Person, bool]]  # (person, already invited); never whether they answered


def invite_directory(round_: Round) -> list[DirectoryGroup]:
    """Active people by team (those without a team last), marking who is invited already."""
    invited = set(round_.invitations.values_list("person_id", flat=True))
    people = Person.objects.filter(is_active=True).select_related("team")
    groups: dict[Team | None, list[tuple[Person, bool]]] = {}
    for person in people.order_by("team__name", "name"):
        groups.setdefault(person.team, []).append((person, person.pk in invited))
    ordered = sorted(groups.items(), key=lambda kv: (kv[0] is None, kv[0].name if kv[0] else ""))
    return [DirectoryGroup(team, members) for team, members in ordered]


def team_side(team_kind: str) -> str:
    if team_kind == TeamKind.SALES:
        return "sales"
    if team_kind == TeamKind.MARKETING:
        return "marketing"
    return "other"


def round_instrument(round_: Round) -> Instrument:
    return instrument_parse(round_.instrument.definition)


def round_answers(round_: Round) -> list[Answers]:
    responses = Response.objects.filter(round=round_).order_by("id")
    return [
        Answers(
            team=team_side(r.team_kind), role=r.role_group, answers=r.answers, comment=r.comment
        )
        for r in responses
    ]


def round_summary(round_: Round) -> Summary:
    return summarise(round_answers(round_), round_instrument(round_))


@dataclass(frozen=True)
class TrendPoint:
    round: Round
    opens_on: date
    respondents: int
    score: float | None
    type: str | None
    change: str  # "", "up", "down" or "same" against the previous shown round


def trend(rounds: list[Round]) -> list[TrendPoint]:
    """Score and type per round, oldest first, with the change in type."""
    points: list[TrendPoint] = []
    previous: tuple[int, str] | None = None
    for round_ in sorted(rounds, key=lambda r: (r.opens_on, r.pk)):
        instrument = round_instrument(round_)
        summary = summarise(round_answers(round_), instrument)
        kind = summary.overall.type
        change = ""
        if kind is not None:
            rank = [b.key for b in instrument.bands].index(kind)
            if previous is not None:
                change = "up" if rank > previous[0] else "down" if rank < previous[0] else "same"
            previous = (rank, kind)
        points.append(
            TrendPoint(
                round_, round_.opens_on, summary.respondents, summary.overall.score, kind, change
            )
        )
    return points


@dataclass(frozen=True)
class TrendCell:
    """One measure in one round: all respondents, each side, the gap; None where hidden."""

    round: Round
    respondents: int
    score: float | None
    type: str | None
    sales: float | None
    marketing: float | None
    gap: float | None


@dataclass(frozen=True)
class TrendMeasure:
    key: str  # "total" or a theme key
    label: str
    cells: list[TrendCell]


def _trend_cell(round_: Round, summary: Summary, instrument: Instrument, key: str) -> TrendCell:
    def pick(group: GroupResult | None) -> float | None:
        if group is None or group.suppressed:
            return None
        return group.score if key == "total" else group.themes.get(key)

    score = pick(summary.overall)
    gap = summary.gap if key == "total" else summary.theme_gaps.get(key)
    return TrendCell(
        round=round_,
        respondents=summary.respondents,
        score=score,
        type=None if score is None else band_of(score, instrument),
        sales=pick(summary.teams.get("sales")),
        marketing=pick(summary.teams.get("marketing")),
        gap=gap,
    )


def trend_by_theme(rounds: list[Round]) -> list[TrendMeasure]:
    """The total and each theme across rounds, oldest first, each side beside the whole.

    Figures come from ``summarise`` only, so a hidden group stays hidden here too.
    """
    measures: dict[str, TrendMeasure] = {"total": TrendMeasure("total", "Total score", [])}
    for round_ in sorted(rounds, key=lambda r: (r.opens_on, r.pk)):
        instrument = round_instrument(round_)
        summary = summarise(round_answers(round_), instrument)
        for theme in instrument.themes:
            measures.setdefault(theme.key, TrendMeasure(theme.key, theme.label, []))
        for key, measure in measures.items():
            if key == "total" or key in {t.key for t in instrument.themes}:
                measure.cells.append(_trend_cell(round_, summary, instrument, key))
    return list(measures.values())


@dataclass(frozen=True)
class RankedMove:
    index: int
    move: Move
    weakest: str
    weakest_label: str
    weakest_score: float


def moves_for(summary: Summary, instrument: Instrument) -> list[RankedMove]:
    """Moves from the current type to the next, the weakest themes' moves first."""
    kind = summary.overall.type
    if kind is None:
        return []
    themes = summary.overall.themes
    ranked = []
    for index, move in enumerate(instrument.moves):
        if move.from_type != kind:
            continue
        weakest = min(move.themes, key=lambda t: themes[t])
        ranked.append(
            RankedMove(index, move, weakest, instrument.theme_label(weakest), themes[weakest])
        )
    return sorted(ranked, key=lambda m: (m.weakest_score, m.index))


@dataclass(frozen=True)
class ThemeRow:
    key: str
    label: str
    score: float | None
    sales: float | None
    marketing: float | None
    gap: float | None


def theme_rows(summary: Summary, instrument: Instrument) -> list[ThemeRow]:
    """Theme scores overall and per side, for the sides shown, weakest first."""
    rows = []
    for theme in instrument.themes:
        side = {k: g.themes.get(theme.key) for k, g in summary.teams.items() if not g.suppressed}
        rows.append(
            ThemeRow(
                key=theme.key,
                label=theme.label,
                score=summary.overall.themes.get(theme.key),
                sales=side.get("sales"),
                marketing=side.get("marketing"),
                gap=summary.theme_gaps.get(theme.key),
            )
        )
    return sorted(rows, key=lambda r: (r.score is None, r.score or 0))
