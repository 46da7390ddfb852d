"""The shared vocabulary of the CRM records: channels, touch kinds, stages."""

from __future__ import annotations

from django.db import models


class Channel(models.TextChoices):
    PAID_SEARCH = "paid_search", "Paid search"
    PAID_SOCIAL = "paid_social", "Paid social"
    DISPLAY = "display", "Display"
    ORGANIC_SEARCH = "organic_search", "Organic search"
    EMAIL = "email", "Email"
    WEBINAR = "webinar", "Webinar"
    EVENT = "event", "Event"
    CONTENT = "content", "Content"
    REFERRAL = "referral", "Referral"
    PARTNER = "partner", "Partner"
    OUTBOUND = "outbound", "Sales outbound"
    DIRECT = "direct", "Direct"
    OTHER = "other", "Other"


class TouchKind(models.TextChoices):
    AD_CLICK = "ad_click", "Ad click"
    WEB_VISIT = "web_visit", "Web visit"
    EMAIL_OPEN = "email_open", "Email open"
    EMAIL_CLICK = "email_click", "Email click"
    FORM_FILL = "form_fill", "Form fill"
    CONTENT_DOWNLOAD = "content_download", "Content download"
    WEBINAR = "webinar", "Webinar attended"
    EVENT_VISIT = "event_visit", "Event visit"
    CALL = "call", "Call"
    MEETING = "meeting", "Meeting"


class LeadStage(models.TextChoices):
    """The waterfall both sides agreed on, plus the two side exits."""

    INQUIRY = "inquiry", "Inquiry"
    MQL = "mql", "Marketing qualified lead"
    SAL = "sal", "Sales accepted lead"
    SQL = "sql", "Sales qualified lead"
    OPPORTUNITY = "opportunity", "Opportunity"
    CUSTOMER = "customer", "Customer"
    RECYCLED = "recycled", "Recycled"
    DISQUALIFIED = "disqualified", "Disqualified"


WATERFALL = (
    LeadStage.INQUIRY,
    LeadStage.MQL,
    LeadStage.SAL,
    LeadStage.SQL,
    LeadStage.OPPORTUNITY,
    LeadStage.CUSTOMER,
)


class RejectionReason(models.TextChoices):
    NOT_A_FIT = "not_a_fit", "Not a fit"
    NO_BUDGET = "no_budget", "No budget"
    NO_AUTHORITY = "no_authority", "No authority"
    BAD_TIMING = "bad_timing", "Bad timing"
    UNREACHABLE = "unreachable", "Unreachable"
    DUPLICATE = "duplicate", "Duplicate"
    COMPETITOR = "competitor", "Competitor"
    STUDENT = "student", "Student"
    OTHER = "other", "Other (with a note)"


class LeadEventKind(models.TextChoices):
    CREATED = "created", "Created"
    SCORED = "scored", "Scored"
    STAGE_CHANGED = "stage_changed", "Stage changed"
    ASSIGNED = "assigned", "Assigned"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    CONTACTED = "contacted", "First contact"
    RECYCLED = "recycled", "Recycled"
    DISQUALIFIED = "disqualified", "Disqualified"
    SLA_WARNING = "sla_warning", "SLA warning"
    SLA_BREACH = "sla_breach", "SLA breach"
    ERASED = "erased", "Personal data erased"


class SourceSystem(models.TextChoices):
    ACCORD = "accord", "Accord"
    SALESFORCE = "salesforce", "Salesforce"
    HUBSPOT = "hubspot", "HubSpot"
    MARKETO = "marketo", "Marketo"
    WEBHOOK = "webhook", "Webhook"
    GENERIC = "generic", "Generic file"
    DEMO = "demo", "Demo generator"
