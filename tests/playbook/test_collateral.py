"""The collateral workflow cannot be skipped; ratings, usage and content requests."""

from __future__ import annotations

import re
from datetime import date

import pytest

from accord.inbox.models import Notification
from accord.playbook import collateral as lib
from accord.playbook.models import CollateralComment, CollateralRating, CollateralUse, GapStatus
from tests.conftest import login


@pytest.fixture
def piece(cast) -> lib.Collateral:
    return lib.collateral_create(by=cast.marketer, title="Battlecard", kind="battlecard")


@pytest.mark.parametrize("target", ["approved", "published", "retired"])
def test_a_draft_cannot_skip_the_sales_review(cast, piece, target: str) -> None:
    with pytest.raises(lib.CollateralError, match="cannot go to"):
        lib.collateral_move(collateral=piece, to_state=target, by=cast.marketing_manager)
    piece.refresh_from_db()
    assert piece.state == "draft"


def test_skipping_through_the_page_is_refused_too(client, cast, piece) -> None:
    login(client, cast.marketing_manager)
    url = f"/playbook/collateral/{piece.pk}/move"
    response = client.post(url, {"to": "published"}, follow=True)
    assert "cannot go to" in response.content.decode()
    piece.refresh_from_db()
    assert piece.state == "draft" and piece.published_at is None


def test_the_whole_way_with_the_right_people(cast, piece) -> None:
    lib.collateral_move(collateral=piece, to_state="in_sales_review", by=cast.marketer)
    assert Notification.objects.filter(recipient=cast.sales_manager, kind="review_request")
    with pytest.raises(lib.CollateralError, match=re.escape(lib.SALES_ONLY)):
        lib.collateral_move(collateral=piece, to_state="approved", by=cast.marketer)
    with pytest.raises(lib.CollateralError, match=re.escape(lib.REASON_NEEDED)):
        lib.collateral_move(collateral=piece, to_state="draft", by=cast.rep)
    lib.collateral_move(collateral=piece, to_state="approved", by=cast.rep, note="Good")
    assert Notification.objects.filter(recipient=cast.marketer, kind="review_verdict")
    with pytest.raises(lib.CollateralError, match=re.escape(lib.MARKETING_ONLY)):
        lib.collateral_move(collateral=piece, to_state="published", by=cast.rep)
    lib.collateral_move(collateral=piece, to_state="published", by=cast.marketer)
    lib.collateral_move(collateral=piece, to_state="published", by=cast.marketer)  # a retry
    lib.collateral_move(collateral=piece, to_state="retired", by=cast.marketer)
    piece.refresh_from_db()
    assert piece.state == "retired" and piece.approved_by == cast.rep
    [comment] = CollateralComment.objects.all()
    assert (comment.from_state, comment.to_state, comment.body) == (
        "in_sales_review",
        "approved",
        "Good",
    )


def test_sent_back_clears_the_approval_path(cast, piece) -> None:
    lib.collateral_move(collateral=piece, to_state="in_sales_review", by=cast.marketer)
    lib.collateral_move(collateral=piece, to_state="draft", by=cast.rep, note="Wrong prices")
    piece.refresh_from_db()
    assert piece.state == "draft" and piece.approved_by is None


def _published(cast, piece) -> lib.Collateral:
    lib.collateral_move(collateral=piece, to_state="in_sales_review", by=cast.marketer)
    lib.collateral_move(collateral=piece, to_state="approved", by=cast.sales_manager)
    return lib.collateral_move(collateral=piece, to_state="published", by=cast.marketer)


def test_ratings_one_per_rep_and_updatable_uses_once_a_day(cast, piece) -> None:
    with pytest.raises(lib.CollateralError, match=re.escape(lib.ONLY_PUBLISHED)):
        lib.collateral_rate(collateral=piece, by=cast.rep, stars=4)
    piece = _published(cast, piece)
    lib.collateral_rate(collateral=piece, by=cast.rep, stars=2)
    lib.collateral_rate(collateral=piece, by=cast.rep, stars=5)
    lib.collateral_rate(collateral=piece, by=cast.other_rep, stars=4)
    assert sorted(CollateralRating.objects.values_list("stars", flat=True)) == [4, 5]
    with pytest.raises(lib.CollateralError, match=re.escape(lib.STARS_RANGE)):
        lib.collateral_rate(collateral=piece, by=cast.rep, stars=6)
    with pytest.raises(lib.CollateralError, match="come from sales"):
        lib.collateral_rate(collateral=piece, by=cast.marketer, stars=5)
    day = date(2026, 11, 20)
    assert lib.collateral_use(collateral=piece, by=cast.rep, on=day) is True
    assert lib.collateral_use(collateral=piece, by=cast.rep, on=day) is False
    assert lib.collateral_use(collateral=piece, by=cast.rep, on=date(2026, 11, 21)) is True
    assert CollateralUse.objects.count() == 2


def test_rating_through_htmx_swaps_the_feedback_box(client, cast, piece) -> None:
    piece = _published(cast, piece)
    login(client, cast.rep)
    url = f"/playbook/collateral/{piece.pk}/feedback"
    html = client.post(url, {"stars": "3"}, HTTP_HX_REQUEST="true").content.decode()
    assert html.lstrip().startswith('<section class="card" id="feedback"')
    assert "Rated 3.0 of 5 by 1 person" in html and "Your rating: 3." in html
    html = client.post(url, {"used": "1"}, HTTP_HX_REQUEST="true").content.decode()
    assert "used 1 time." in html
    client.post(url, {"used": "1"}, HTTP_HX_REQUEST="true")
    assert CollateralUse.objects.count() == 1


def test_content_requests_are_picked_up_and_closed(cast) -> None:
    gap = lib.gap_request(by=cast.rep, title="German overview", need="EMEA prospects")
    with pytest.raises(lib.CollateralError, match="Marketing picks up"):
        lib.gap_pick(gap=gap, by=cast.other_rep)
    lib.gap_pick(gap=gap, by=cast.marketer)
    with pytest.raises(lib.CollateralError, match=re.escape(lib.GAP_NOT_OPEN)):
        lib.gap_pick(gap=gap, by=cast.brand)
    with pytest.raises(lib.CollateralError, match=re.escape(lib.RESOLUTION_NEEDED)):
        lib.gap_close(gap=gap, by=cast.marketer, resolution=" ")
    lib.gap_close(gap=gap, by=cast.marketer, resolution="Translated and published.")
    gap.refresh_from_db()
    assert gap.status == GapStatus.CLOSED and gap.closed_at is not None
    titles = list(
        Notification.objects.filter(recipient=cast.rep, kind="content_gap").values_list(
            "title", flat=True
        )
    )
    assert sorted(titles) == [
        "Marketer picked up your request: German overview",
        "Your request is answered: German overview",
    ]
