"""The REST API: token auth, role-scoped reads, cursor pages, updated_since, error shape."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from accord.api.models import ApiToken
from accord.api.services import token_revoke
from accord.crm.models import Account, Lead, Opportunity

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def make_lead(owner=None, **fields) -> Lead:
    return Lead.objects.create(created_at=NOW, owner=owner, **fields)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_no_token_is_401_in_the_error_shape(client, db) -> None:
    response = client.get("/api/v1/leads")
    assert response.status_code == 401
    assert set(response.json()) == {"detail", "errors"}
    assert response.json()["errors"] == []


@pytest.mark.parametrize("header", ["Bearer acc_wrong", "Basic abc", "Bearer", "acc_x"])
def test_a_wrong_token_is_401(client, cast, header) -> None:
    response = client.get("/api/v1/leads", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["errors"] == []


def test_a_revoked_token_is_401(api_as, cast) -> None:
    api = api_as(cast.cro)
    assert api.get("/api/v1/leads").status_code == 200
    token_revoke(token=ApiToken.objects.get())
    assert api.get("/api/v1/leads").status_code == 401


def test_a_deactivated_person_is_401(api_as, cast) -> None:
    api = api_as(cast.rep)
    cast.rep.is_active = False
    cast.rep.save()
    assert api.get("/api/v1/leads").status_code == 401


def test_only_the_hash_is_stored(api_as, cast) -> None:
    api = api_as(cast.rep)
    stored = ApiToken.objects.get()
    assert api.token not in (stored.key_hash, stored.prefix) and api.token.startswith(stored.prefix)
    api.get("/api/v1/leads")
    stored.refresh_from_db()
    assert stored.last_used_at is not None


def test_a_rep_sees_their_own_leads_and_deals_a_leader_sees_all(api_as, cast) -> None:
    mine, theirs = make_lead(cast.rep), make_lead(cast.other_rep)
    account = Account.objects.create(name="Acme", created_at=NOW)
    deal = Opportunity.objects.create(
        account=account, name="Acme deal", stage="Prospecting", owner=cast.rep, created_at=NOW
    )
    Opportunity.objects.create(
        account=account, name="Other", stage="Prospecting", owner=cast.other_rep, created_at=NOW
    )
    rep, cro = api_as(cast.rep), api_as(cast.cro)
    assert ids(rep.get("/api/v1/leads")) == [mine.pk]
    assert ids(rep.get("/api/v1/opportunities")) == [deal.pk]
    assert sorted(ids(cro.get("/api/v1/leads"))) == sorted([mine.pk, theirs.pk])
    assert len(ids(cro.get("/api/v1/opportunities"))) == 2
    assert rep.get(f"/api/v1/leads/{mine.pk}").json()["owner_id"] == cast.rep.pk


def test_someone_elses_lead_is_a_json_404(api_as, cast) -> None:
    theirs = make_lead(cast.other_rep)
    response = api_as(cast.rep).get(f"/api/v1/leads/{theirs.pk}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": []}


def test_an_unknown_api_path_is_a_json_404(api_as, cast) -> None:
    response = api_as(cast.rep).get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["errors"] == []


def test_every_kind_lists_for_a_leader(api_as, cast) -> None:
    api = api_as(cast.cro)
    for path in ("accounts", "contacts", "campaigns", "touches", "opportunities", "leads", "spend"):
        response = api.get(f"/api/v1/{path}")
        assert response.status_code == 200, path
        assert response.json() == {"items": [], "next_cursor": None}


@pytest.mark.parametrize("same_time", [False, True], ids=["distinct", "all-same-updated_at"])
def test_pages_have_no_duplicates_and_no_gaps(api_as, cast, same_time) -> None:
    created = [Account.objects.create(name=f"A{n:02}", created_at=NOW).pk for n in range(23)]
    if same_time:
        Account.objects.update(updated_at=NOW)
    api, seen, cursor, pages = api_as(cast.rep), [], None, 0
    while True:
        params = {"limit": 5, **({"cursor": cursor} if cursor else {})}
        response = api.get("/api/v1/accounts", **params)
        seen += ids(response)
        pages += 1
        cursor = response.json()["next_cursor"]
        if cursor is None:
            break
    assert pages == 5
    assert seen == sorted(created) and len(set(seen)) == len(created)


def test_updated_since_returns_changes_at_or_after(api_as, cast) -> None:
    old, new = make_lead(cast.rep), make_lead(cast.rep)
    Lead.objects.filter(pk=old.pk).update(updated_at=NOW - timedelta(days=2))
    Lead.objects.filter(pk=new.pk).update(updated_at=NOW)
    api = api_as(cast.rep)
    assert ids(api.get("/api/v1/leads", updated_since="2026-11-22T00:00:00Z")) == [new.pk]
    assert ids(api.get("/api/v1/leads", updated_since=NOW.isoformat())) == [new.pk]
    assert ids(api.get("/api/v1/leads", updated_since="2026-11-22T00:00:00")) == [new.pk]
    assert len(ids(api.get("/api/v1/leads", updated_since="2026-01-01"))) == 2


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"cursor": "!!!"}, "cursor"),
        ({"limit": 0}, "limit"),
        ({"limit": 10_000}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"updated_since": "last tuesday"}, "updated_since"),
    ],
)
def test_bad_query_parameters_are_400_with_the_field(api_as, cast, params, field) -> None:
    response = api_as(cast.rep).get("/api/v1/leads", **params)
    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == [field]


def test_a_token_whose_person_lost_their_login_is_401(api_as, cast) -> None:
    api = api_as(cast.rep)
    type(cast.rep).objects.filter(pk=cast.rep.pk).update(user=None)
    assert api.get("/api/v1/leads").status_code == 401


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/leads/99999999999999999999999",
        "/api/v1/leads/9223372036854775808",
        "/api/v1/leads/0",
    ],
)
def test_ids_out_of_range_are_404(api_as, cast, path) -> None:
    assert api_as(cast.cro).get(path).status_code == 404


@pytest.mark.parametrize(
    "cursor",
    [
        "MDAwMS0wMS0wMVQwMDowMDowMCswMTowMHwx",
        "MjAyNi0wMS0wMVQwMDowMDowMCswMDowMHw5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OQ",
    ],
    ids=["year-1", "huge-id"],
)
def test_forged_cursors_are_400(api_as, cast, cursor) -> None:
    response = api_as(cast.cro).get("/api/v1/leads", cursor=cursor)
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("rep", {"rep"}),
        ("other_rep", {"other_rep"}),
        ("sales_manager", {"rep"}),
        ("marketer", {"rep", "other_rep"}),
        ("cro", {"rep", "other_rep"}),
        ("admin", {"rep", "other_rep"}),
    ],
)
def test_leads_follow_the_role_as_the_pages_do(api_as, cast, who, sees) -> None:
    leads = {owner: make_lead(getattr(cast, owner)).pk for owner in ("rep", "other_rep")}
    seen = set(ids(api_as(getattr(cast, who)).get("/api/v1/leads")))
    assert seen == {leads[owner] for owner in sees}
