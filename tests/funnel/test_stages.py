from __future__ import annotations

import pytest
from django.urls import reverse

from accord.crm.choices import LeadStage
from accord.funnel import queries, services
from accord.funnel.models import StageDefinition
from accord.funnel.services import LeadMoveError
from tests.conftest import login


def _propose(by, text="Score reached 50 and a human checked the fit") -> StageDefinition:
    return services.stage_definition_propose(
        stage=LeadStage.MQL,
        definition=text,
        owner_side="marketing",
        by=by,
        buyer_doing="Comparing options",
        we_do="Hand over to sales",
    )


def test_in_force_only_after_both_sides_sign(cast) -> None:
    draft = _propose(cast.marketing_manager)
    assert draft.version == 1
    draft = services.stage_definition_sign(definition=draft, by=cast.marketing_manager)
    assert draft.in_force_from is None
    with pytest.raises(LeadMoveError, match=services.ALREADY_SIGNED):
        services.stage_definition_sign(definition=draft, by=cast.marketing_manager)
    assert queries.stage_rows()[1].in_force is None
    draft = services.stage_definition_sign(definition=draft, by=cast.sales_manager)
    assert draft.in_force_from is not None
    row = queries.stage_rows()[1]
    assert (row.stage, row.in_force, row.pending) == (LeadStage.MQL, draft, None)


def test_the_old_version_holds_until_the_new_one_is_signed(cast) -> None:
    first = _propose(cast.sales_manager)
    for manager in (cast.sales_manager, cast.marketing_manager):
        first = services.stage_definition_sign(definition=first, by=manager)
    second = _propose(cast.cro, "Score reached 60")
    row = queries.stage_rows()[1]
    assert (row.in_force, row.pending, second.version) == (first, second, 2)


def test_only_managers_propose_and_sign(cast) -> None:
    with pytest.raises(LeadMoveError, match=services.PROPOSE_NOT_ALLOWED):
        _propose(cast.rep)
    draft = _propose(cast.cro)
    for person in (cast.rep, cast.marketer, cast.cro):
        with pytest.raises(LeadMoveError, match=services.SIGN_NEEDS_MANAGER):
            services.stage_definition_sign(definition=draft, by=person)


def test_signing_an_outdated_version_is_refused(cast) -> None:
    old = _propose(cast.cro)
    _propose(cast.cro, "Newer wording")
    with pytest.raises(LeadMoveError, match=services.SUPERSEDED):
        services.stage_definition_sign(definition=old, by=cast.sales_manager)


def test_the_page_proposes_and_signs(client, cast) -> None:
    login(client, cast.rep)
    html = client.get(reverse("funnel:stages")).content.decode()
    assert "Not agreed yet" in html and "Propose a new wording" not in html
    login(client, cast.marketing_manager)
    client.post(
        reverse("funnel:stage_propose"),
        {"stage": "sal", "definition": "Sales took it", "owner_side": "sales"},
    )
    draft = StageDefinition.objects.get()
    assert "Sign for marketing" in client.get(reverse("funnel:stages")).content.decode()
    client.post(reverse("funnel:stage_sign", args=[draft.pk]))
    login(client, cast.sales_manager)
    client.post(reverse("funnel:stage_sign", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.in_force_from is not None
    html = client.get(reverse("funnel:stages")).content.decode()
    assert "Sales took it" in html and "Nothing awaits a signature" in html
