"""Run bandit over src/ and fail on any medium or high finding not accepted in
bandit_accepted.toml (matched by file and check, so moving a line does not
break the gate, while the same risk appearing in a new file does).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ACCEPTED = Path(__file__).with_name("bandit_accepted.toml")


def accepted() -> dict[tuple[str, str], str]:
    entries = tomllib.loads(ACCEPTED.read_text())["accepted"]
    return {(e["file"], e["test"]): e["reason"] for e in entries}


def findings() -> list[dict[str, object]]:
    run = subprocess.run(
        [sys.executable, "-m", "bandit", "-q", "-r", "src", "-ll", "-f", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode not in (0, 1):  # 1 means "found something", which we judge below
        raise SystemExit(f"bandit failed to run:\n{run.stderr}")
    return json.loads(run.stdout)["results"]


def main() -> int:
    allowed = accepted()
    new = [f for f in findings() if (str(f["filename"]), str(f["test_id"])) not in allowed]
    for finding in new:
        print(
            f"{finding['filename']}:{finding['line_number']} {finding['test_id']} "
            f"{finding['issue_severity']}: {finding['issue_text']}"
        )
    if new:
        print(f"\n{len(new)} bandit finding(s) not accepted: fix them, or add an entry")
        print(f"with its reason to {ACCEPTED.relative_to(ROOT)}.")
        return 1
    print(f"bandit: no unaccepted findings ({len(allowed)} accepted with reasons)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
