from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _own_data_dir(settings, tmp_path: Path) -> Path:
    """Each test gets its own metric snapshots, so no test reads another's data."""
    settings.DATA_DIR = tmp_path
    return tmp_path
