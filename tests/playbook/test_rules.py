"""Each shipped rule of engagement fires, stays quiet or blocks as it says."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from accord.inbox.models import ActionItem, Notification
from accord.playbook import collateral as lib
from accord.playbook.engine import RuleBlocked, rules_fire
from accord.playbook.launches import launch_announce, launch_create, launch_point_set
from accord.playbook.models import FiringOutcome, LaunchState, Rule, RuleAction, RuleFiring
from accord.playbook.opportunities import opportunities_check, opportunity_update
from accord.playbook.plans import plan_review_schedule, plan_start, plan_update
from accord.playbook.rules import DEFAULT_RULES, default_rules_install, rule_save
from tests.playbook.conftest import World, deal


def _firings(key: str, outcome: str | None = None) -> list[RuleFiring]:
    rows = RuleFiring.objects.filter(rule__key=key)
    return list(rows.filter(outcome=outcome) if outcome else rows)


def test_the_four_rules_ship_with_the_database_and_install_idempotently(world: World) -> None:
    assert set(Rule.objects.values_list("key", flat=True)) == {r["key"] for r in DEFAULT_RULES}
    default_rules_install()
    assert Rule.objects.count() == 4
    assert set(Rule.objects.values_list("owner", flat=True)) == {world.cast.cro.pk}


def test_brand_manager_is_involved_once_when_a_deal_passes_two_million(world: World) -> None:
    big = deal(world.accounts[0], "1500000.00", owner=world.cast.rep)
    assert opportunity_update(opportunity=big, by=world.cast.rep, amount=Decimal("2000000")) == []
    [firing] = opportunity_update(opportunity=big, by=world.cast.rep, amount=Decimal("2000000.01"))
    assert firing.outcome == FiringOutcome.INVOLVED
    assert list(firing.recipients.all()) == [world.cast.brand]
    note = Notification.objects.get(recipient=world.cast.brand, kind="rule")
    assert "Acme 00" in note.title and "$2,000,000" in note.body
    # growing further, a retried request and a batch check repeat nothing
    opportunity_update(opportunity=big, by=world.cast.rep, amount=Decimal("2600000"))
    assert opportunities_check() == 0
    assert len(_firings("brand-manager-on-big-deals")) == 1
    big.refresh_from_db()
    assert big.amount_company == Decimal("2600000.00")


def test_stage_change_keeps_the_history(world: World) -> None:
    small = deal(world.accounts[1], "1000.00")
    opportunity_update(opportunity=small, by=None, stage="Negotiation")
    assert list(small.stage_changes.values_list("stage", flat=True)) == ["Negotiation"]
    assert _firings("brand-manager-on-big-deals") == []


def test_batch_check_after_an_import_involves_the_brand_manager(world: World) -> None:
    deal(world.accounts[0], "3000000.00")
    deal(world.accounts[1], "2500000.00", won=True)  # closed: not checked
    assert opportunities_check() == 1
    assert opportunities_check() == 0


def _approved_piece(world: World, reviewer) -> lib.Collateral:
    piece = lib.collateral_create(by=world.cast.marketer, title="Overview", kind="one_pager")
    lib.collateral_move(collateral=piece, to_state="in_sales_review", by=world.cast.marketer)
    lib.collateral_move(collateral=piece, to_state="approved", by=reviewer)
    return piece


def test_collateral_is_published_after_a_sales_approval(world: World) -> None:
    piece = _approved_piece(world, world.cast.sales_manager)
    lib.collateral_move(collateral=piece, to_state="published", by=world.cast.marketer)
    piece.refresh_from_db()
    assert piece.state == "published" and piece.published_at is not None
    [allowed] = _firings("sales-approves-collateral")
    assert allowed.outcome == FiringOutcome.APPROVED


def test_collateral_without_a_sales_approval_is_blocked_and_the_block_recorded(
    world: World,
) -> None:
    piece = _approved_piece(world, world.cast.rep)
    # someone fixed the approval by hand in the database: a marketer, not sales
    lib.Collateral.objects.filter(pk=piece.pk).update(approved_by=world.cast.marketer)
    piece.refresh_from_db()
    with pytest.raises(RuleBlocked) as blocked:
        lib.collateral_move(collateral=piece, to_state="published", by=world.cast.marketer)
    message = str(blocked.value)
    assert "No collateral is published until a sales reviewer has approved it" in message
    assert "a sales reviewer (a rep, a sales manager or a revenue leader) approves it" in message
    piece.refresh_from_db()
    assert piece.state == "approved" and piece.published_at is None
    [firing] = _firings("sales-approves-collateral")
    assert firing.outcome == FiringOutcome.BLOCKED and firing.actor == world.cast.marketer
    assert firing.object_label == "Overview"


def _key_plan(world: World, index: int):
    plan = plan_start(account=world.accounts[index], by=world.cast.sales_manager)
    plan_update(
        plan=plan,
        by=world.cast.sales_manager,
        marketer_owner=world.cast.marketer,
        marketers=[world.cast.brand],
    )
    return plan


def test_marketing_is_invited_to_the_review_of_a_top_ten_account(world: World) -> None:
    plan = _key_plan(world, 11)  # the most employees: first of the segment
    on = date.today() + timedelta(days=7)
    plan_review_schedule(plan=plan, on=on, by=world.cast.rep)
    [firing] = _firings("marketing-in-key-account-reviews")
    assert firing.outcome == FiringOutcome.INVOLVED
    invited = {p.name for p in firing.recipients.all()}
    assert invited == {"Liaison", "Marketer", "Brand"}
    assert Notification.objects.filter(kind="rule", recipient=world.cast.liaison).count() == 1
    # the same review again invites nobody twice; the next review invites again
    plan_review_schedule(plan=plan, on=on, by=world.cast.rep)
    plan_review_schedule(plan=plan, on=on + timedelta(days=30), by=world.cast.rep)
    assert len(_firings("marketing-in-key-account-reviews")) == 2


def test_an_account_outside_the_top_ten_gets_no_invitation(world: World) -> None:
    plan = _key_plan(world, 0)  # no employees, no pipeline: 12th of 12
    plan_review_schedule(plan=plan, on=date.today() + timedelta(days=7), by=world.cast.rep)
    assert _firings("marketing-in-key-account-reviews") == []


def test_a_launch_is_announced_only_when_sales_is_ready(world: World) -> None:
    launch = launch_create(by=world.cast.marketer, name="Add-on 2", planned_on=date(2026, 12, 1))
    points = list(launch.checklist.all())
    assert len(points) == 5
    for point in points[:4]:
        launch_point_set(point=point, done=True, by=world.cast.sales_manager)
    with pytest.raises(RuleBlocked) as blocked:
        launch_announce(launch=launch, by=world.cast.marketer)
    assert "sales-readiness checklist is complete" in str(blocked.value)
    assert "tick every point" in str(blocked.value)
    launch.refresh_from_db()
    assert launch.state == LaunchState.PLANNED
    assert [f.outcome for f in _firings("launch-after-sales-readiness")] == ["blocked"]
    launch_point_set(point=points[4], done=True, by=world.cast.rep)
    launch_announce(launch=launch, by=world.cast.marketer)
    launch.refresh_from_db()
    assert launch.state == LaunchState.ANNOUNCED
    outcomes = sorted(f.outcome for f in _firings("launch-after-sales-readiness"))
    assert outcomes == ["approved", "blocked"]
    assert Notification.objects.filter(kind="launch", recipient=world.cast.sales_manager).exists()


def test_a_switched_off_rule_does_not_block(world: World) -> None:
    Rule.objects.filter(key="launch-after-sales-readiness").update(is_active=False)
    launch = launch_create(by=world.cast.marketer, name="Early", planned_on=date(2026, 12, 1))
    launch_announce(launch=launch, by=world.cast.marketer)
    launch.refresh_from_db()
    assert launch.state == LaunchState.ANNOUNCED
    assert RuleFiring.objects.count() == 0


def test_a_task_rule_gives_each_target_one_action_item(world: World) -> None:
    rule_save(
        by=world.cast.sales_manager,
        statement="Negotiations above $100,000 get a reference customer from the liaison.",
        event="opportunity.changed",
        conditions=[
            {"field": "stage", "op": "changed"},
            {"field": "stage", "op": "eq", "value": "Negotiation"},
            {"field": "amount_company", "op": "gt", "value": 100000.0},
        ],
        action=RuleAction.TASK,
        target_relation="segment_liaison",
        task_due_days=3,
    )
    negotiation = deal(world.accounts[2], "250000.00")
    [firing] = opportunity_update(opportunity=negotiation, by=world.cast.rep, stage="Negotiation")
    item = ActionItem.objects.get()
    assert firing.action_item == item and item.owner == world.cast.liaison
    assert item.due_on == date.today() + timedelta(days=3)
    assert item.origin_label.startswith("Rule of engagement: Negotiations above")
    # the amount changes later: "stage has just changed" no longer holds
    opportunity_update(opportunity=negotiation, by=world.cast.rep, amount=Decimal("300000"))
    assert ActionItem.objects.count() == 1


def test_unknown_event_is_refused(world: World) -> None:
    with pytest.raises(ValueError, match="Unknown rule event"):
        rules_fire(event="lead.vanished", obj=world.accounts[0])


def test_a_change_waiting_for_a_managers_go_ahead(client, world: World) -> None:
    from accord.playbook.rules import NOT_AN_APPROVER, approval_grant
    from tests.conftest import login

    cast = world.cast
    rule = rule_save(
        by=cast.cro,
        statement="Deals above $1,000,000 change stage only with a manager's go-ahead.",
        event="opportunity.changed",
        conditions=[
            {"field": "stage", "op": "changed"},
            {"field": "amount_company", "op": "gt", "value": 1000000.0},
        ],
        action=RuleAction.REQUIRE,
        requirement="manager_approval",
    )
    big = deal(world.accounts[4], "1200000.00", owner=cast.rep)
    with pytest.raises(RuleBlocked, match="approves it from the log"):
        opportunity_update(opportunity=big, by=cast.rep, stage="Negotiation")
    big.refresh_from_db()
    assert big.stage == "Proposal" and not big.stage_changes.exists()
    blocked = RuleFiring.objects.get(rule=rule)
    assert blocked.outcome == FiringOutcome.BLOCKED and blocked.actor == cast.rep
    with pytest.raises(PermissionError, match=NOT_AN_APPROVER):
        approval_grant(firing=blocked, by=cast.rep)
    login(client, cast.sales_manager)
    log = client.get("/playbook/firings/?outcome=blocked").content.decode()
    assert "Give the go-ahead" in log
    page = client.post("/playbook/firings/", {"approve": str(blocked.pk)}, follow=True)
    assert "Approved: Acme 04 deal 1200000.00" in page.content.decode()
    again = client.post("/playbook/firings/", {"approve": str(blocked.pk)}, follow=True)
    assert "Already approved" in again.content.decode()
    assert (
        Notification.objects.filter(recipient=cast.rep, title__startswith="Go-ahead").count() == 1
    )
    opportunity_update(opportunity=big, by=cast.rep, stage="Negotiation")
    big.refresh_from_db()
    assert big.stage == "Negotiation"
    outcomes = sorted(RuleFiring.objects.filter(rule=rule).values_list("outcome", flat=True))
    assert outcomes == ["approved", "blocked"]
