"""Erasing a person's data on request while the funnel still adds up.

What goes: the contact's name, e-mail, phone, job title and source ids (a
webhook contact's id is a hash of the e-mail), every free-text note in the
event log of their leads, the form details kept on the "created" event, the
list of rules that fired on "scored" events (it spells out title words and
country; the score itself stays), and the text of field feedback written
about their leads.

What stays, with nothing personal in it: the contact row itself (blanked),
its country (territories and fit metrics need it), the leads with their
stages, stamps, owners and scores, every lead event (so stage counts, SLA
figures and the scorecard do not move), the touches (kind, channel, time).
Each lead gets an ``erased`` event and one ``Erasure`` row records who, when,
why and which fields were removed — counts and field names, never values.
"""

from __future__ import annotations

from django.apps import apps
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accord.crm.choices import LeadEventKind
from accord.crm.models import Contact, Lead, LeadEvent
from accord.directory.models import Person
from accord.directory.roles import MANAGER_ROLES, Role
from accord.funnel.models import Erasure, ErasureWhy

ERASE_NOT_ALLOWED = "Only an admin or a manager may erase a person's data."
ALREADY_ERASED = "This person's data was already erased."
WHY_REQUIRED = "Choose why the data is erased: {choices}."
ERASED_EMAIL = "erased-{pk}@erased.invalid"
ERASED_TEXT = "(erased at the person's request)"
RULE_ERASED = "Personal data erased"
PERSONAL_FIELDS = ("first_name", "last_name", "email", "phone", "title", "external_id")
ERASERS = MANAGER_ROLES | {Role.ADMIN}


class ErasureError(Exception):
    """An erasure that is not allowed or not complete."""


def may_erase(person: Person | None) -> bool:
    if person is None:
        return False
    return Role(person.role) in ERASERS or bool(person.user and person.user.is_superuser)


def contact_erase(*, contact: Contact, by: Person, why: str, reference: str = "") -> Erasure:
    """Remove the person's data everywhere, all of it or nothing, and record that it was done."""
    if not may_erase(by):
        raise ErasureError(ERASE_NOT_ALLOWED)
    if why not in ErasureWhy.values:
        raise ErasureError(WHY_REQUIRED.format(choices=", ".join(ErasureWhy.values)))
    now = timezone.now()
    with transaction.atomic():
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
        if contact.erasures.exists():
            raise ErasureError(ALREADY_ERASED)
        removed = {"contact": _contact_blank(contact)}
        leads = list(Lead.objects.filter(contact=contact).order_by("pk"))
        removed.update(_free_text_blank(leads))
        erasure = Erasure.objects.create(
            contact=contact,
            erased_at=now,
            erased_by=by,
            why=why,
            reference=reference.strip()[:80],
            removed=removed,
        )
        LeadEvent.objects.bulk_create(
            LeadEvent(
                lead=lead,
                occurred_at=now,
                kind=LeadEventKind.ERASED,
                actor=by,
                from_stage=lead.stage,
                rule=RULE_ERASED,
                data={"erasure": erasure.pk},
            )
            for lead in leads
        )
    return erasure


def _contact_blank(contact: Contact) -> list[str]:
    filled = [name for name in PERSONAL_FIELDS if getattr(contact, name)]
    for name in ("first_name", "last_name", "phone", "title"):
        setattr(contact, name, "")
    contact.email = ERASED_EMAIL.format(pk=contact.pk)
    contact.external_id = None
    contact.save()
    return filled


def _free_text_blank(leads: list[Lead]) -> dict[str, int]:
    """Notes in the event log, form details on "created" events, feedback text.

    Lead events are append-only for the application; erasure is the one
    sanctioned rewrite, done with a queryset update that bypasses ``save``.
    """
    events = LeadEvent.objects.filter(lead__in=leads)
    return {
        "leads": len(leads),
        "event_notes": events.exclude(note="").update(note=""),
        "form_details": events.filter(kind=LeadEventKind.CREATED).update(data={}),
        "score_explanations": _explanations_blank(events),
        "feedback_notes": _feedback_blank(leads),
    }


def _explanations_blank(events: QuerySet[LeadEvent]) -> int:
    """Scores stay; the rules that fired go, as they spell out title words and country."""
    scored = events.filter(kind=LeadEventKind.SCORED, data__has_key="fired")
    count = 0
    for pk, data in scored.values_list("pk", "data"):
        kept = {key: data[key] for key in ("score", "previous") if key in data}
        count += LeadEvent.objects.filter(pk=pk).update(data=kept)
    return count


def _feedback_blank(leads: list[Lead]) -> int:
    """Field feedback written about these leads, where the feedback app is installed."""
    try:
        feedback = apps.get_model("feedback", "Feedback")
    except LookupError:
        return 0
    return feedback.objects.filter(lead__in=leads).update(text=ERASED_TEXT)
