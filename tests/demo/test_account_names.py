from __future__ import annotations

import random

import pytest

from accord.demo.accounts import account_names

pytestmark = pytest.mark.nodb


def test_more_accounts_than_word_combinations_still_get_unique_names() -> None:
    names = account_names(random.Random(1), 12_000)  # the large size needs 10,000
    assert len(names) == 12_000 == len(set(names))


def test_names_are_deterministic() -> None:
    assert account_names(random.Random(5), 500) == account_names(random.Random(5), 500)
