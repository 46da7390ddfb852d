"""Who may see and change playbook records. Pages fetch through these helpers.

- Rules and their firings are read by everyone; managers and admins change them.
- Collateral: marketing, managers and leaders see every state; sales sees everything
  past the draft (what waits for its review, what it approved, what is published).
- Account plans: a rep sees and edits the plans of accounts they own or plans they
  own; marketing sees every plan and edits those it is attached to; managers,
  revenue leaders and admins see and edit all.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from accord.directory.access import User, person_for_user, sees_everything
from accord.directory.models import Person
from accord.directory.roles import MANAGER_ROLES, MARKETING_ROLES, Role
from accord.playbook.models import AccountPlan, Collateral, CollateralState

SALES_SEES = (
    CollateralState.IN_SALES_REVIEW,
    CollateralState.APPROVED,
    CollateralState.PUBLISHED,
    CollateralState.RETIRED,
)


def is_manager(person: Person | None) -> bool:
    return person is not None and (Role(person.role) in MANAGER_ROLES or sees_everything(person))


def is_marketing(person: Person | None) -> bool:
    return person is not None and Role(person.role) in MARKETING_ROLES


def is_sales(person: Person | None) -> bool:
    return person is not None and person.side in ("sales", "both")


def collateral_for_user(user: User) -> QuerySet[Collateral]:
    person = person_for_user(user)
    if person is None:
        return Collateral.objects.none()
    rows = Collateral.objects.select_related("owner", "segment", "approved_by")
    if is_manager(person) or is_marketing(person):
        return rows
    return rows.filter(state__in=SALES_SEES)


def collateral_get_for_user(user: User, pk: int) -> Collateral:
    found = collateral_for_user(user).filter(pk=pk).first()
    if found is None:
        raise Http404("No such collateral, or it is not yours to see yet.")
    return found


def plans_for_user(user: User) -> QuerySet[AccountPlan]:
    person = person_for_user(user)
    if person is None:
        return AccountPlan.objects.none()
    rows = AccountPlan.objects.select_related(
        "account", "account__segment", "account__owner", "rep_owner", "marketer_owner"
    )
    if is_manager(person) or is_marketing(person):
        return rows
    return rows.filter(Q(rep_owner=person) | Q(account__owner=person))


def plan_get_for_user(user: User, pk: int) -> AccountPlan:
    found = plans_for_user(user).filter(pk=pk).first()
    if found is None:
        raise Http404("No such account plan, or it is not yours to see.")
    return found


def can_edit_plan(person: Person | None, plan: AccountPlan) -> bool:
    if person is None:
        return False
    if is_manager(person):
        return True
    if is_marketing(person):
        return plan.marketer_owner_id == person.pk or plan.marketers.filter(pk=person.pk).exists()
    return person.pk in (plan.rep_owner_id, plan.account.owner_id)
