"""Playbook pages: empty database, permissions, the rule form's field errors, plan access."""

from __future__ import annotations

import pytest

from accord.playbook.models import AccountPlan, Rule
from accord.playbook.plans import plan_start
from tests.conftest import Cast, login
from tests.playbook.conftest import World, account

ROLES = (
    "rep",
    "marketer",
    "brand",
    "liaison",
    "sales_manager",
    "marketing_manager",
    "cro",
    "admin",
)
PAGES = {
    "/playbook/": "Rules of engagement",
    "/playbook/firings/": "Nothing recorded yet.",
    "/playbook/collateral/": "No collateral yet.",
    "/playbook/gaps/": "No requests yet.",
    "/playbook/launches/": "No launches planned.",
    "/playbook/accounts/": "No accounts with a segment yet.",
}


@pytest.mark.parametrize("role", ROLES)
def test_every_page_renders_on_an_empty_database(client, cast: Cast, role: str) -> None:
    login(client, getattr(cast, role))
    for page, text in PAGES.items():
        response = client.get(page)
        assert response.status_code == 200, (role, page)
        assert text in response.content.decode(), (role, page)


def test_the_shipped_rules_are_shown_to_everyone(client, cast: Cast) -> None:
    login(client, cast.rep)
    html = client.get("/playbook/").content.decode()
    assert "The brand manager is involved on any opportunity above $2,000,000." in html
    assert "Amount (company currency) is above 2,000,000" in html
    assert "Block the change until: A sales reviewer approved it" in html
    assert "Write a new rule" not in html and "Switch off" not in html


def test_a_rep_cannot_write_or_switch_off_rules(client, cast: Cast) -> None:
    login(client, cast.rep)
    assert client.get("/playbook/rules/new/").status_code == 403
    rule = Rule.objects.get(key="brand-manager-on-big-deals")
    assert client.get(f"/playbook/rules/{rule.pk}/").status_code == 403
    assert client.post(f"/playbook/rules/{rule.pk}/active", {"active": "0"}).status_code == 403
    posted = client.post("/playbook/rules/new/", {"statement": "Mine", "event": "launch.announced"})
    assert posted.status_code == 403
    rule.refresh_from_db()
    assert rule.is_active and Rule.objects.count() == 4


def _rule_post(**extra: str) -> dict[str, str]:
    return {
        "statement": "Involve the sales manager on big enterprise deals.",
        "event": "opportunity.changed",
        "action": "involve",
        "target_role": "sales_manager",
        "task_due_days": "5",
        "is_active": "on",
        "field_1": "amount_company",
        "op_1": "gte",
        "value_1": "500,000",
        "field_2": "segment",
        "op_2": "eq",
        "value_2": "enterprise",
        **extra,
    }


def test_a_manager_writes_a_rule_with_clear_field_errors(client, cast: Cast) -> None:
    login(client, cast.sales_manager)
    bad = _rule_post(value_1="lots", target_role="", statement=" ")
    response = client.post("/playbook/rules/new/", bad)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Amount (company currency) compares with a number, not &#x27;lots&#x27;." in html
    assert "Say whom to involve: a role, a person or people related to the record." in html
    assert "This field is required." in html  # the blank statement
    assert Rule.objects.count() == 4
    wrong_field = _rule_post(field_1="open_points", op_1="gt", value_1="1")
    html = client.post("/playbook/rules/new/", wrong_field).content.decode()
    assert "has no such field" in html
    wrong_block = _rule_post(action="require", requirement="checklist_complete")
    html = client.post("/playbook/rules/new/", wrong_block).content.decode()
    assert "applies to a launch, not to this event" in html
    response = client.post("/playbook/rules/new/", _rule_post())
    assert response.status_code == 302
    rule = Rule.objects.get(statement__startswith="Involve the sales manager")
    assert rule.owner == cast.sales_manager
    assert rule.conditions == [
        {"field": "amount_company", "op": "gte", "value": 500000.0},
        {"field": "segment", "op": "eq", "value": "enterprise"},
    ]
    edit = client.get(f"/playbook/rules/{rule.pk}/").content.decode()
    assert 'value="500000"' in edit and 'value="enterprise"' in edit
    client.post(f"/playbook/rules/{rule.pk}/active", {"active": "0"})
    rule.refresh_from_db()
    assert not rule.is_active


def test_plans_reps_see_theirs_marketing_reads_managers_edit(client, world: World) -> None:
    cast = world.cast
    plan = plan_start(account=world.accounts[3], by=cast.sales_manager)
    url = f"/playbook/plans/{plan.pk}/"
    form = {"status": "active", "goals": "Expand to EMEA", "plays": "", "next_steps": ""}
    login(client, cast.other_rep)
    assert client.get(url).status_code == 404
    login(client, cast.marketer)
    html = client.get(url).content.decode()
    assert "Its owners and managers change it." in html
    assert client.post(url, form).status_code == 403
    login(client, cast.rep)  # owns the account
    assert client.post(url, form).status_code == 302
    plan.refresh_from_db()
    assert plan.goals == "Expand to EMEA" and plan.status == "active"
    login(client, cast.cro)
    assert "Save the plan" in client.get(url).content.decode()
    accounts_html = client.get("/playbook/accounts/").content.decode()
    assert "All account plans" in accounts_html and "Acme 03" in accounts_html


def test_only_the_owner_or_a_manager_starts_a_plan(client, world: World) -> None:
    cast = world.cast
    stranger = account("Stranger", world.enterprise, owner=cast.other_rep)
    login(client, cast.rep)
    assert client.post(f"/playbook/accounts/{stranger.pk}/plan").status_code == 403
    response = client.post(f"/playbook/accounts/{world.accounts[11].pk}/plan")
    plan = AccountPlan.objects.get()
    assert response["Location"] == f"/playbook/plans/{plan.pk}/"
    assert plan.rep_owner == cast.rep and plan.marketer_owner == cast.liaison


def test_managers_pin_by_name(client, world: World) -> None:
    login(client, world.cast.sales_manager)
    html = client.post("/playbook/accounts/pin", {"name": "Acme"}, follow=True).content.decode()
    assert "Several accounts match" in html
    html = client.post("/playbook/accounts/pin", {"name": "acme 00"}, follow=True)
    assert "Pinned: Acme 00" in html.content.decode()
    assert world.accounts[0].key_account_override.include is True
    login(client, world.cast.rep)
    html = client.post("/playbook/accounts/pin", {"name": "acme 01"}, follow=True)
    assert "Only managers" in html.content.decode()


def test_firings_on_deals_show_only_to_who_may_see_the_deal(client, world: World) -> None:
    from decimal import Decimal

    from accord.playbook.opportunities import opportunity_update
    from tests.playbook.conftest import deal

    cast = world.cast
    big = deal(world.accounts[5], "100.00", owner=cast.rep)
    opportunity_update(opportunity=big, by=cast.rep, amount=Decimal("2500000"))
    for person, sees in ((cast.rep, True), (cast.other_rep, False), (cast.brand, True)):
        login(client, person)
        html = client.get("/playbook/firings/").content.decode()
        assert ("Acme 05 deal 100.00" in html) is sees, person
