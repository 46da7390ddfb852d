"""Small builders for funnel tests: a lead at a given stage, owned by someone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from accord.crm.choices import LeadStage
from accord.crm.models import Account, Contact, Lead
from accord.directory.models import Person
from tests.conftest import AS_OF

MakeLead = Callable[..., Lead]


@pytest.fixture
def make_lead(db) -> MakeLead:
    counter = iter(range(1, 10_000))

    def make(
        *,
        stage: str = LeadStage.MQL,
        owner: Person | None = None,
        created_at: datetime = AS_OF,
        title: str = "",
        account: Account | None = None,
        country: str = "",
        **fields: object,
    ) -> Lead:
        n = next(counter)
        contact = Contact.objects.create(
            email=f"buyer{n}@example.org", title=title, country=country, created_at=created_at
        )
        return Lead.objects.create(
            contact=contact,
            account=account,
            stage=stage,
            owner=owner,
            created_at=created_at,
            **fields,
        )

    return make
