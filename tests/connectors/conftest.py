from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def exports(tmp_path: Path, settings) -> Path:
    """A copy of the fixture exports, so error reports land in a temporary folder."""
    settings.DATA_DIR = tmp_path / "data"
    folder = tmp_path / "exports"
    shutil.copytree(FIXTURES, folder)
    return folder
