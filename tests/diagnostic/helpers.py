from __future__ import annotations

from pathlib import Path

from accord.diagnostic.scoring import Answers

KEYS = [f"q{i}" for i in range(1, 21)]


def answers_totalling(total: int, *, team: str = "sales", role: str = "unstated") -> Answers:
    """Twenty answers summing to ``total`` (20..100), spread as evenly as possible."""
    base, extra = divmod(total - 20, 20)
    values = [1 + base + (1 if i < extra else 0) for i in range(20)]
    return Answers(team=team, role=role, answers=dict(zip(KEYS, values, strict=True)))


def uniform(value: int, *, team: str = "sales", role: str = "unstated") -> Answers:
    return Answers(team=team, role=role, answers=dict.fromkeys(KEYS, value))


def csv_write(path: Path, rows: list[tuple[str, list[int | str]]], comment: str = "") -> Path:
    lines = ["team,role," + ",".join(KEYS) + ",comment"]
    lines += [f"{team},{team}," + ",".join(map(str, a)) + f",{comment}" for team, a in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
