"""``access.lead_get_to_work``: the one check pages and API share before a move."""

from __future__ import annotations

import pytest
from django.http import Http404

from accord.directory import access


def test_the_owner_and_their_manager_may_work_the_lead(cast, make_lead) -> None:
    lead = make_lead(owner=cast.rep)
    assert access.lead_get_to_work(cast.rep.user, lead.pk) == (lead, cast.rep)
    assert access.lead_get_to_work(cast.sales_manager.user, lead.pk)[1] == cast.sales_manager


@pytest.mark.parametrize("who", ["other_rep", "marketer", "marketing_manager"])
def test_others_and_marketing_get_a_404(cast, make_lead, who) -> None:
    lead = make_lead(owner=cast.rep)
    with pytest.raises(Http404):
        access.lead_get_to_work(getattr(cast, who).user, lead.pk)


def test_marketing_is_told_why(cast, make_lead) -> None:
    lead = make_lead(owner=cast.rep)
    with pytest.raises(Http404, match=access.LEAD_NOT_YOURS_TO_WORK):
        access.lead_get_to_work(cast.marketer.user, lead.pk)
