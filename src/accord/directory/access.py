"""Who may see what. Every page and API call fetches through these helpers.

- Revenue leaders and admins see everything.
- Marketing roles see every lead and opportunity: they need to follow what
  became of the demand they produced.
- A sales manager sees the work of the teams they manage, and their own.
- A sales rep sees what they own, and the leads and deals of accounts they own.
- A login without a person record sees nothing.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from accord.crm.models import Account, Lead, Opportunity
from accord.directory.models import Person
from accord.directory.roles import MARKETING_ROLES, Role
from accord.inbox.models import ActionItem, Notification

User = AbstractBaseUser | AnonymousUser
SEE_ALL_ROLES = frozenset({Role.REVENUE_LEADER, Role.ADMIN})


def person_for_user(user: User) -> Person | None:
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user, is_active=True).select_related("team").first()


def sees_directory(user: User) -> bool:
    """Colleagues' contact details are for people in the directory (and superusers) only.

    A login whose person was removed or deactivated keeps no view of the others.
    """
    return person_for_user(user) is not None or bool(getattr(user, "is_superuser", False))


def sees_everything(person: Person) -> bool:
    return Role(person.role) in SEE_ALL_ROLES or bool(person.user and person.user.is_superuser)


def team_member_ids(person: Person) -> set[int]:
    members = Person.objects.filter(team__manager=person).values_list("pk", flat=True)
    return {person.pk, *members}


def _owned_scope(person: Person) -> Q | None:
    """None means no restriction; otherwise the filter on ``owner``/``account__owner``."""
    role = Role(person.role)
    if sees_everything(person) or role in MARKETING_ROLES:
        return None
    if role == Role.SALES_MANAGER:
        ids = team_member_ids(person)
        return Q(owner_id__in=ids) | Q(account__owner_id__in=ids)
    return Q(owner=person) | Q(account__owner=person)


def leads_for_user(user: User) -> QuerySet[Lead]:
    person = person_for_user(user)
    if person is None:
        return Lead.objects.none()
    scope = _owned_scope(person)
    return Lead.objects.all() if scope is None else Lead.objects.filter(scope)


def opportunities_for_user(user: User) -> QuerySet[Opportunity]:
    person = person_for_user(user)
    if person is None:
        return Opportunity.objects.none()
    scope = _owned_scope(person)
    return Opportunity.objects.all() if scope is None else Opportunity.objects.filter(scope)


def accounts_for_user(user: User) -> QuerySet[Account]:
    """Accounts are the shared ground both teams stand on: every person sees them."""
    if person_for_user(user) is None:
        return Account.objects.none()
    return Account.objects.all()


def lead_get_for_user(user: User, lead_id: int) -> Lead:
    lead = leads_for_user(user).filter(pk=lead_id).first()
    if lead is None:
        raise Http404("No such lead, or it is not yours to see.")
    return lead


LEAD_NOT_YOURS_TO_WORK = "Only sales works leads; this lead is not yours to change."


def lead_get_to_work(user: User, lead_id: int) -> tuple[Lead, Person]:
    """A lead the user may act on (accept, reject, recycle), and the person acting.

    Marketing may look at every lead but works none; for them, and for a
    login without a person, the lead does not exist (404) as far as moves go.
    """
    lead = lead_get_for_user(user, lead_id)
    person = person_for_user(user)
    if person is None or person.side == "marketing":
        raise Http404(LEAD_NOT_YOURS_TO_WORK)
    return lead, person


def notifications_for_user(user: User) -> QuerySet[Notification]:
    person = person_for_user(user)
    if person is None:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=person)


def action_items_for_user(user: User) -> QuerySet[ActionItem]:
    """Your own items; managers also see their teams'; leaders see all."""
    person = person_for_user(user)
    if person is None:
        return ActionItem.objects.none()
    if sees_everything(person):
        return ActionItem.objects.all()
    return ActionItem.objects.filter(owner_id__in=team_member_ids(person))
