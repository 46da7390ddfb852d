"""Docs that stay true: every setting and CLI command is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.nodb
ROOT = Path(__file__).resolve().parent.parent


def _variables_read_in_code() -> set[str]:
    names: set[str] = set()
    pattern = re.compile(r"""(?:env_\w+|environ\.get|getenv)\(\s*["']([A-Z][A-Z0-9_]+)["']""")
    for path in [*(ROOT / "src").rglob("*.py"), ROOT / "run.py", ROOT / "tests" / "conftest.py"]:
        names |= set(pattern.findall(path.read_text()))
    return names


def test_every_setting_is_documented() -> None:
    documented = set(
        re.findall(r"^\| `([A-Z0-9_]+)`", (ROOT / "docs/settings.md").read_text(), re.M)
    )
    missing = _variables_read_in_code() - documented
    assert not missing, f"add these to docs/settings.md: {sorted(missing)}"


def test_every_cli_command_is_in_the_readme() -> None:
    from accord.cli import app

    readme = (ROOT / "README.md").read_text()
    names = [c.name or c.callback.__name__ for c in app.registered_commands]
    names += [g.name for g in app.registered_groups]
    missing = [name for name in names if f"accord {name}" not in readme]
    assert not missing, f"document these commands in README.md: {missing}"
