"""Erasing a person: their data goes, an anonymous trace stays, the funnel still adds up."""

from __future__ import annotations

import json

import pytest
import time_machine
from django.db.models import Count
from django.urls import reverse

from accord.crm.choices import LeadEventKind, LeadStage, RejectionReason
from accord.crm.models import Contact, Lead, LeadEvent, Touch
from accord.funnel import erasure, queries, scoring, services
from accord.funnel.models import Erasure, ErasureWhy
from tests.conftest import AS_OF, login


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(AS_OF, tick=False):
        yield


@pytest.fixture
def person(cast, make_lead):
    """Dana Fox with two leads: one rejected with a note, one created by the webhook."""
    first = make_lead(owner=cast.rep, title="VP Sales", mql_at=AS_OF)
    contact = first.contact
    contact.first_name, contact.last_name, contact.phone = "Dana", "Fox", "+44 20 7946 0000"
    contact.email, contact.external_id, contact.country = "dana@fox.example", "sf-1", "GB"
    contact.save()
    services.lead_reject(
        lead=first, by=cast.rep, reason=RejectionReason.OTHER, note="Dana said call her mobile"
    )
    second = Lead.objects.create(contact=contact, created_at=AS_OF, stage=LeadStage.INQUIRY)
    LeadEvent.objects.create(
        lead=second,
        occurred_at=AS_OF,
        kind=LeadEventKind.CREATED,
        to_stage=LeadStage.INQUIRY,
        data={"id": "form-9", "company": "Fox Ltd"},
    )
    Touch.objects.create(
        contact=contact, channel="webinar", kind="webinar", occurred_at=AS_OF, created_at=AS_OF
    )
    services.lead_score_record(
        lead=second, score=scoring.lead_score(second, AS_OF, scoring.DEFAULT_RULES), at=AS_OF
    )
    return contact


def _funnel_counts() -> list[tuple[str, int]]:
    return list(Lead.objects.values_list("stage").annotate(n=Count("pk")).order_by("stage"))


def test_erasing_removes_the_data_and_keeps_the_counts(cast, person) -> None:
    before_counts, before_events = _funnel_counts(), LeadEvent.objects.count()
    outcomes_before = queries.mql_outcomes(Lead.objects.all())

    done = erasure.contact_erase(
        contact=person, by=cast.marketing_manager, why=ErasureWhy.REQUEST, reference="DSR-17"
    )

    person.refresh_from_db()
    assert (person.first_name, person.last_name, person.phone, person.title) == ("", "", "", "")
    assert person.email == f"erased-{person.pk}@erased.invalid"
    assert person.external_id is None and person.country == "GB"
    assert not LeadEvent.objects.exclude(note="").exists()
    assert LeadEvent.objects.get(kind=LeadEventKind.CREATED).data == {}
    assert Touch.objects.filter(contact=person).count() == 1

    assert _funnel_counts() == before_counts
    assert queries.mql_outcomes(Lead.objects.all()) == outcomes_before
    erased = LeadEvent.objects.filter(kind=LeadEventKind.ERASED)
    assert LeadEvent.objects.count() == before_events + 2 == before_events + erased.count()
    assert before_events == 3  # rejected, created, scored
    assert {e.actor for e in erased} == {cast.marketing_manager}
    rejected = LeadEvent.objects.get(kind=LeadEventKind.REJECTED)
    assert rejected.reason == RejectionReason.OTHER  # the reason code stays; the note went

    assert (done.erased_by, done.erased_at, done.why) == (cast.marketing_manager, AS_OF, "request")
    assert done.removed == {
        "contact": ["first_name", "last_name", "email", "phone", "title", "external_id"],
        "leads": 2,
        "event_notes": 1,
        "form_details": 1,
        "score_explanations": 1,
        "feedback_notes": 0,
    }
    scored = LeadEvent.objects.get(kind=LeadEventKind.SCORED)
    assert scored.data == {"score": 35, "previous": 0}  # vp 20 + webinar 15
    record = json.dumps([done.removed, done.reference, *erased.values_list("data", flat=True)])
    for personal in ("Dana", "Fox", "dana@fox.example", "7946", "VP", "mobile", "sf-1"):
        assert personal not in record


@pytest.mark.parametrize("who", ["rep", "marketer", "other_rep"])
def test_only_admins_and_managers_erase(cast, person, who) -> None:
    with pytest.raises(erasure.ErasureError, match=erasure.ERASE_NOT_ALLOWED):
        erasure.contact_erase(contact=person, by=getattr(cast, who), why=ErasureWhy.REQUEST)
    person.refresh_from_db()
    assert person.first_name == "Dana" and not Erasure.objects.exists()


@pytest.mark.parametrize("who", ["admin", "sales_manager", "marketing_manager", "cro"])
def test_admins_and_managers_may(cast, person, who) -> None:
    erasure.contact_erase(contact=person, by=getattr(cast, who), why=ErasureWhy.RETENTION)
    assert Contact.objects.get(pk=person.pk).first_name == ""


def test_a_second_erasure_and_a_missing_why_are_refused(cast, person) -> None:
    with pytest.raises(erasure.ErasureError, match="Choose why"):
        erasure.contact_erase(contact=person, by=cast.admin, why="")
    erasure.contact_erase(contact=person, by=cast.admin, why=ErasureWhy.REQUEST)
    with pytest.raises(erasure.ErasureError, match=erasure.ALREADY_ERASED):
        erasure.contact_erase(contact=person, by=cast.admin, why=ErasureWhy.REQUEST)
    assert Erasure.objects.count() == 1


def test_the_lead_page_erases_for_a_manager_and_says_what_went(client, cast, person) -> None:
    lead = person.leads.order_by("pk").first()
    url = reverse("funnel:history", args=[lead.pk])
    login(client, cast.rep)
    assert "Erase personal data" not in client.get(url).content.decode()
    client.post(reverse("funnel:erase", args=[lead.pk]), {"why": "request"})
    assert Contact.objects.get(pk=person.pk).first_name == "Dana"

    login(client, cast.sales_manager)
    html = client.get(url).content.decode()
    assert "Erase personal data" in html and "Dana Fox" in html
    form = {"why": "request", "reference": "DSR-17"}
    response = client.post(reverse("funnel:erase", args=[lead.pk]), form, follow=True)
    html = response.content.decode()
    assert "Erased: first_name, last_name, email, phone, title, external_id of the contact" in html
    assert "1 notes, 1 form records, 1 score explanations and 0 feedback notes on 2 leads" in html
    assert "Dana" not in html and "mobile" not in html
    assert "The person asked to be forgotten (ref. DSR-17)" in html
    assert "Erase personal data</button>" not in html


def test_a_lead_without_a_contact_has_nothing_to_erase(client, cast, make_lead) -> None:
    lead = make_lead(owner=cast.rep)
    Lead.objects.filter(pk=lead.pk).update(contact=None)
    login(client, cast.sales_manager)
    response = client.post(reverse("funnel:erase", args=[lead.pk]), {"why": "request"}, follow=True)
    assert "no personal data to erase" in response.content.decode()
