"""The sweeper's memory for the demo's past breaches.

The demo writes its history in bulk, breach events included. Without the
matching marks, the first real sweep would breach every old MQL a second time.
"""

from __future__ import annotations

from accord.crm.models import LeadEvent
from accord.funnel.models import SlaMark, SlaMarkKind

CLOCK_OF_RULE = {"SLA: accept": "accept", "SLA: first_contact": "first_contact"}


def sla_marks_build() -> int:
    breaches = LeadEvent.objects.filter(kind="sla_breach", rule__in=CLOCK_OF_RULE).values_list(
        "lead_id", "rule", "occurred_at"
    )
    marks = [
        SlaMark(
            lead_id=lead,
            clock=CLOCK_OF_RULE[rule],
            kind=SlaMarkKind.BREACH,
            due_at=at,
            marked_at=at,
        )
        for lead, rule, at in breaches.iterator(chunk_size=5000)
    ]
    SlaMark.objects.bulk_create(marks, batch_size=5000, ignore_conflicts=True)
    return len(marks)
