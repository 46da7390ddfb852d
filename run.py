#!/usr/bin/env python3
"""Set up Accord in ./.venv and run it: the README's two commands.

    python3 run.py demo [accord demo options]   # build the demo company and serve it
    python3 run.py test [pytest options]        # run the whole test suite

Only the standard library is used here, so it works on a fresh machine with
Python 3.11+. Dependencies are installed once and again only when
pyproject.toml or constraints.txt change.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("ACCORD_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
EXTRAS = {"demo": "", "test": "[test]"}


def _stamp(extra: str) -> str:
    digest = hashlib.sha256(extra.encode())
    for name in ("pyproject.toml", "constraints.txt"):
        path = ROOT / name
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_installed(extra: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - run.py may be started by an older python3
        sys.exit("Accord needs Python 3.11 or newer.")
    if not (BIN / "python").exists():
        print(f"Creating a virtual environment in {VENV} …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp_file = VENV / f".accord-installed{extra or '-base'}"
    if stamp_file.exists() and stamp_file.read_text() == _stamp(extra):
        return
    print("Installing Accord and its dependencies (first run only) …", flush=True)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    constraints = ROOT / "constraints.txt"
    if constraints.exists():
        pip += ["-c", str(constraints)]
    subprocess.run([*pip, "-e", f"{ROOT}{extra}"], check=True)
    stamp_file.write_text(_stamp(extra))


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in EXTRAS:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    ensure_installed(EXTRAS[command])
    os.chdir(ROOT)
    if command == "demo":
        args = [str(BIN / "accord"), "demo", *rest]
    else:
        args = [str(BIN / "python"), "-m", "pytest", "-n", "2", *rest]
    return subprocess.call(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
