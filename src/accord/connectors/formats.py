"""The export formats Accord reads: how to recognise each and what a row means.

A format is data: the vendor, the object, the columns that identify it
(API names and report labels alike) and a function turning one row into
staged items. Items are records for Accord's tables keyed by the source
system's id; references to other records stay external ids until applied.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from accord.connectors import values as v
from accord.crm.choices import Channel, LeadStage, TouchKind


class RowProblem(Exception):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


@dataclass
class Item:
    """One record to upsert: ``refs`` maps a field to (kind, external id)."""

    kind: str
    external_id: str
    fields: dict[str, Any]
    refs: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    primary: bool = True
    domain: str | None = None  # links to an account by e-mail domain when no id does


class Cells:
    """One row's cells by canonical name, parsed with the column named in errors."""

    def __init__(self, raw: dict[str, str], columns: dict[str, str]) -> None:
        self.raw, self.columns = raw, columns

    def has(self, name: str) -> bool:
        return name in self.columns

    def text(self, name: str) -> str:
        return v.parse_text(self.raw.get(self.columns.get(name, ""), ""))

    def get(self, name: str, parse: Callable[[str | None], Any]) -> Any:
        column = self.columns.get(name)
        if column is None:
            return None
        try:
            return parse(self.raw[column])
        except v.ValueProblem as exc:
            raise RowProblem(column, str(exc)) from None

    def required(self, name: str, parse: Callable[[str | None], Any]) -> Any:
        value = self.get(name, parse)
        if value in (None, ""):
            raise RowProblem(self.columns.get(name, name), "a value is required")
        return value

    def column(self, name: str) -> str:
        return self.columns.get(name, name)


@dataclass(frozen=True)
class Format:
    vendor: str
    object: str
    columns: dict[str, tuple[str, ...]]
    signature: tuple[str, ...]
    rows: Callable[[Cells], list[Item]]
    needs: tuple[str, ...] = ()  # columns the rows cannot do without

    def lacking(self, columns: dict[str, str]) -> list[str]:
        return [" or ".join(self.columns[n]) for n in self.needs if n not in columns]

    def match(self, headers: tuple[str, ...]) -> dict[str, str] | None:
        """Canonical name → header, or None when a signature column is missing."""
        lookup = {h.lower(): h for h in headers}
        found = {}
        for name, aliases in self.columns.items():
            header = next((lookup[a.lower()] for a in aliases if a.lower() in lookup), None)
            if header:
                found[name] = header
        return found if all(s in found for s in self.signature) else None


# ---- stage mapping -------------------------------------------------------

SALESFORCE_LEAD_STATUS = {
    "open - not contacted": LeadStage.INQUIRY,
    "open": LeadStage.INQUIRY,
    "new": LeadStage.INQUIRY,
    "marketing qualified": LeadStage.MQL,
    "mql": LeadStage.MQL,
    "working - contacted": LeadStage.SAL,
    "working": LeadStage.SAL,
    "sales accepted": LeadStage.SAL,
    "sales qualified": LeadStage.SQL,
    "sql": LeadStage.SQL,
    "qualified": LeadStage.SQL,
    "closed - converted": LeadStage.SQL,
    "closed - not converted": LeadStage.DISQUALIFIED,
    "unqualified": LeadStage.DISQUALIFIED,
    "disqualified": LeadStage.DISQUALIFIED,
    "nurture": LeadStage.RECYCLED,
    "recycled": LeadStage.RECYCLED,
}

SALESFORCE_USER_ID = re.compile(r"^005[A-Za-z0-9]{12}([A-Za-z0-5]{3})?$")

HUBSPOT_LIFECYCLE = {
    "subscriber": LeadStage.INQUIRY,
    "lead": LeadStage.INQUIRY,
    "marketingqualifiedlead": LeadStage.MQL,
    "salesqualifiedlead": LeadStage.SQL,
    "opportunity": LeadStage.OPPORTUNITY,
    "customer": LeadStage.CUSTOMER,
    "evangelist": LeadStage.CUSTOMER,
    "other": LeadStage.INQUIRY,
}

CAMPAIGN_CHANNELS = {
    "email": Channel.EMAIL,
    "webinar": Channel.WEBINAR,
    "conference": Channel.EVENT,
    "trade show": Channel.EVENT,
    "event": Channel.EVENT,
    "advertisement": Channel.DISPLAY,
    "banner ads": Channel.DISPLAY,
    "paid search": Channel.PAID_SEARCH,
    "paid social": Channel.PAID_SOCIAL,
    "content": Channel.CONTENT,
    "referral program": Channel.REFERRAL,
    "partners": Channel.PARTNER,
    "direct mail": Channel.DIRECT,
    "telemarketing": Channel.OUTBOUND,
    "public relations": Channel.OTHER,
}

MEMBER_KIND = {
    Channel.EMAIL: TouchKind.EMAIL_CLICK,
    Channel.WEBINAR: TouchKind.WEBINAR,
    Channel.EVENT: TouchKind.EVENT_VISIT,
    Channel.PAID_SEARCH: TouchKind.AD_CLICK,
    Channel.PAID_SOCIAL: TouchKind.AD_CLICK,
    Channel.DISPLAY: TouchKind.AD_CLICK,
    Channel.CONTENT: TouchKind.CONTENT_DOWNLOAD,
    Channel.OUTBOUND: TouchKind.CALL,
}

COUNTRIES = {
    "united states": "US", "usa": "US", "us": "US", "united kingdom": "GB", "uk": "GB",
    "germany": "DE", "deutschland": "DE", "france": "FR", "spain": "ES", "italy": "IT",
    "netherlands": "NL", "canada": "CA", "australia": "AU", "japan": "JP", "india": "IN",
    "switzerland": "CH", "austria": "AT", "sweden": "SE", "ireland": "IE", "brazil": "BR",
}  # fmt: skip


def country(raw: str | None) -> str:
    text = v.parse_text(raw)
    if not text:
        return ""
    code = COUNTRIES.get(text.lower(), text.upper() if len(text) == 2 else "")
    if not code:
        raise v.ValueProblem(f"unknown country {text!r} (use a country name or ISO code)")
    return code


def stage_from_status(status: str, converted: bool, opportunity_id: str | None) -> str:
    if opportunity_id:
        return LeadStage.OPPORTUNITY
    stage = SALESFORCE_LEAD_STATUS.get(status.lower(), LeadStage.INQUIRY)
    return LeadStage.SQL if converted and stage == LeadStage.INQUIRY else stage


def stage_from_lifecycle(label: str) -> str:
    return HUBSPOT_LIFECYCLE.get(label.lower().replace(" ", "").replace("-", ""), LeadStage.INQUIRY)


def hubspot_id(raw: str | None) -> str | None:
    if v.blank(raw):
        return None
    text = raw.strip()
    first = text.replace(",", ";").split(";")[0].strip()
    if not first.isdigit():
        raise v.ValueProblem(f"not a HubSpot record id: {text!r}")
    return first


def owner(raw: str | None) -> str | None:
    """A record owner as the export names it: a user id, a name or an address."""
    text = v.parse_text(raw)
    if not text:
        return None
    if "@" in text:
        return text.lower()
    return v.salesforce_id(text) if SALESFORCE_USER_ID.match(text) else text


def owner_ref(cells: Cells) -> tuple[str, str | None]:
    return ("person", cells.get("owner", owner))


def required_datetime(cells: Cells, *names: str) -> Any:
    for name in names:
        value = cells.get(name, v.parse_datetime)
        if value is not None:
            return value
    raise RowProblem(cells.column(names[0]), "a date is required")


def money(cells: Cells) -> tuple[Any, str | None]:
    amount, symbol_currency = cells.get("amount", v.parse_amount) or (None, None)
    column_currency = cells.text("currency").upper() or None
    if symbol_currency and column_currency and symbol_currency != column_currency:
        raise RowProblem(cells.column("amount"), "the amount's currency differs from the row's")
    return amount, column_currency or symbol_currency


# ---- Salesforce ----------------------------------------------------------


def sf_lead(cells: Cells) -> list[Item]:
    lead_id = cells.required("id", v.salesforce_id)
    email = cells.required("email", v.parse_email)
    converted = bool(cells.get("is_converted", v.parse_bool))
    opp_id = cells.get("converted_opportunity", v.salesforce_id)
    contact_id = cells.get("converted_contact", v.salesforce_id) or lead_id
    account_id = cells.get("converted_account", v.salesforce_id)
    created = required_datetime(cells, "created")
    converted_at = cells.get("converted_date", v.parse_datetime)
    stage = stage_from_status(cells.text("status"), converted, opp_id)
    contact = Item(
        "contact",
        contact_id,
        {
            "email": email,
            "first_name": cells.text("first_name"),
            "last_name": cells.text("last_name"),
            "title": cells.text("title"),
            "phone": cells.text("phone"),
            "country": cells.get("country", country) or "",
            "created_at": created,
        },
        {"account": ("account", account_id)},
        primary=False,
        domain=v.email_domain(email),
    )
    lead = Item(
        "lead",
        lead_id,
        {
            "stage": stage,
            "status": cells.text("status"),
            "lead_source": cells.text("lead_source"),
            "created_at": created,
            "sql_at": converted_at if converted else None,
            "opportunity_at": converted_at if opp_id else None,
        },
        {
            "contact": ("contact", contact_id),
            "account": ("account", account_id),
            "converted_opportunity": ("opportunity", opp_id),
            "owner": owner_ref(cells),
        },
        domain=v.email_domain(email),
    )
    return [contact, lead]


def sf_contact(cells: Cells) -> list[Item]:
    email = cells.required("email", v.parse_email)
    return [
        Item(
            "contact",
            cells.required("id", v.salesforce_id),
            {
                "email": email,
                "first_name": cells.text("first_name"),
                "last_name": cells.text("last_name"),
                "title": cells.text("title"),
                "phone": cells.text("phone"),
                "country": cells.get("country", country) or "",
                "created_at": required_datetime(cells, "created"),
            },
            {"account": ("account", cells.get("account", v.salesforce_id))},
            domain=v.email_domain(email),
        )
    ]


def account_item(cells: Cells, parse_id: Callable[[str | None], Any]) -> list[Item]:
    return [
        Item(
            "account",
            cells.required("id", parse_id),
            {
                "name": cells.required("name", v.parse_text),
                "domain": cells.get("website", v.parse_domain) or "",
                "industry": cells.text("industry"),
                "employees": cells.get("employees", v.parse_int),
                "country": cells.get("country", country) or "",
                "created_at": required_datetime(cells, "created"),
            },
            {"owner": owner_ref(cells)},
        )
    ]


def opportunity_item(
    cells: Cells, parse_id: Callable[[str | None], Any], closed_stages: bool
) -> list[Item]:
    stage = cells.required("stage", v.parse_text)
    is_closed = cells.get("is_closed", v.parse_bool)
    is_won = cells.get("is_won", v.parse_bool)
    if closed_stages or is_closed is None:
        is_closed = stage.lower().startswith("closed")
        is_won = stage.lower() in ("closed won", "closedwon", "won")
    if is_won and not is_closed:
        raise RowProblem(cells.column("is_won"), "an opportunity cannot be won and still open")
    amount, currency = money(cells)
    close = cells.get("close_date", v.parse_datetime)
    return [
        Item(
            "opportunity",
            cells.required("id", parse_id),
            {
                "name": cells.required("name", v.parse_text),
                "amount": amount,
                "currency": currency,
                "stage": stage,
                "is_closed": is_closed,
                "is_won": bool(is_won),
                "closed_at": close if is_closed else None,
                "created_at": required_datetime(cells, "created", "close_date"),
                "lost_reason": cells.text("lost_reason"),
            },
            {
                "account": ("account", cells.required("account", parse_id)),
                "campaign": ("campaign", cells.get("campaign", parse_id)),
                "owner": owner_ref(cells),
            },
        )
    ]


def sf_campaign(cells: Cells) -> list[Item]:
    kind = cells.text("type")
    budget, _ = cells.get("budget", v.parse_amount) or (None, None)
    return [
        Item(
            "campaign",
            cells.required("id", v.salesforce_id),
            {
                "name": cells.required("name", v.parse_text),
                "channel": CAMPAIGN_CHANNELS.get(kind.lower(), Channel.OTHER),
                "starts_on": cells.get("start_date", v.parse_date),
                "ends_on": cells.get("end_date", v.parse_date),
                "budget": budget,
                "created_at": required_datetime(cells, "created", "start_date"),
            },
            {"owner": owner_ref(cells)},
        )
    ]


def sf_campaign_member(cells: Cells) -> list[Item]:
    contact = cells.get("contact", v.salesforce_id)
    lead = cells.get("lead", v.salesforce_id)
    if contact is None and lead is None:
        raise RowProblem(cells.column("contact"), "a ContactId or LeadId is required")
    occurred = cells.get("first_responded", v.parse_datetime) or required_datetime(cells, "created")
    return [
        Item(
            "touch",
            cells.required("id", v.salesforce_id),
            {"occurred_at": occurred, "created_at": occurred},
            {
                "contact": ("contact", contact),
                "lead": ("lead", lead),
                "campaign": ("campaign", cells.required("campaign", v.salesforce_id)),
            },
        )
    ]


def sf_opportunity_history(cells: Cells) -> list[Item]:
    amount, _ = cells.get("amount", v.parse_amount) or (None, None)
    return [
        Item(
            "stage_change",
            cells.required("id", v.salesforce_id),
            {
                "stage": cells.required("stage", v.parse_text),
                "amount": amount,
                "changed_at": required_datetime(cells, "created"),
            },
            {"opportunity": ("opportunity", cells.required("opportunity", v.salesforce_id))},
        )
    ]


def sf_contact_role(cells: Cells) -> list[Item]:
    return [
        Item(
            "contact_role",
            cells.required("id", v.salesforce_id),
            {
                "role": cells.text("role"),
                "is_primary": bool(cells.get("is_primary", v.parse_bool)),
            },
            {
                "opportunity": ("opportunity", cells.required("opportunity", v.salesforce_id)),
                "contact": ("contact", cells.required("contact", v.salesforce_id)),
            },
        )
    ]


# ---- HubSpot -------------------------------------------------------------


def hs_contact(cells: Cells) -> list[Item]:
    record = cells.required("id", hubspot_id)
    company = cells.get("company_ids", hubspot_id)
    created = required_datetime(cells, "created")
    email = cells.required("email", v.parse_email)
    contact = Item(
        "contact",
        record,
        {
            "email": email,
            "first_name": cells.text("first_name"),
            "last_name": cells.text("last_name"),
            "title": cells.text("title"),
            "phone": cells.text("phone"),
            "country": cells.get("country", country) or "",
            "created_at": created,
        },
        {"account": ("account", company)},
        primary=False,
        domain=v.email_domain(email),
    )
    lead = Item(
        "lead",
        record,
        {
            "stage": stage_from_lifecycle(cells.text("lifecycle")),
            "status": cells.text("status") or cells.text("lifecycle"),
            "lead_source": cells.text("lead_source"),
            "created_at": created,
            "mql_at": cells.get("mql_at", v.parse_datetime),
            "sql_at": cells.get("sql_at", v.parse_datetime),
            "opportunity_at": cells.get("opportunity_at", v.parse_datetime),
            "customer_at": cells.get("customer_at", v.parse_datetime),
        },
        {
            "contact": ("contact", record),
            "account": ("account", company),
            "owner": owner_ref(cells),
        },
        domain=v.email_domain(email),
    )
    return [contact, lead]


SF_ID = ("Id", "Record ID")
FORMATS: tuple[Format, ...] = (
    Format(
        "salesforce",
        "Lead",
        {
            "id": ("Id", "Lead ID"),
            "email": ("Email",),
            "first_name": ("FirstName", "First Name"),
            "last_name": ("LastName", "Last Name"),
            "title": ("Title",),
            "phone": ("Phone",),
            "company": ("Company", "Company / Account"),
            "country": ("Country",),
            "status": ("Status", "Lead Status"),
            "lead_source": ("LeadSource", "Lead Source"),
            "is_converted": ("IsConverted", "Converted"),
            "converted_date": ("ConvertedDate", "Converted Date"),
            "converted_opportunity": ("ConvertedOpportunityId", "Converted Opportunity ID"),
            "converted_contact": ("ConvertedContactId", "Converted Contact ID"),
            "converted_account": ("ConvertedAccountId", "Converted Account ID"),
            "owner": ("OwnerId", "Lead Owner"),
            "created": ("CreatedDate", "Created Date"),
        },
        ("id", "email", "company", "status"),
        sf_lead,
        ("created",),
    ),
    Format(
        "salesforce",
        "Contact",
        {
            "id": ("Id", "Contact ID"),
            "account": ("AccountId", "Account ID"),
            "email": ("Email",),
            "first_name": ("FirstName", "First Name"),
            "last_name": ("LastName", "Last Name"),
            "title": ("Title",),
            "phone": ("Phone",),
            "country": ("MailingCountry", "Mailing Country"),
            "created": ("CreatedDate", "Created Date"),
        },
        ("id", "account", "email", "last_name"),
        sf_contact,
        ("created",),
    ),
    Format(
        "salesforce",
        "Opportunity",
        {
            "id": ("Id", "Opportunity ID"),
            "account": ("AccountId", "Account ID"),
            "name": ("Name", "Opportunity Name"),
            "amount": ("Amount",),
            "currency": ("CurrencyIsoCode", "Opportunity Currency", "Amount Currency"),
            "stage": ("StageName", "Stage"),
            "is_closed": ("IsClosed", "Closed"),
            "is_won": ("IsWon", "Won"),
            "close_date": ("CloseDate", "Close Date"),
            "created": ("CreatedDate", "Created Date"),
            "lost_reason": ("Loss_Reason__c", "Loss Reason"),
            "campaign": ("CampaignId", "Campaign ID", "Primary Campaign ID"),
            "owner": ("OwnerId", "Opportunity Owner"),
        },
        ("id", "account", "name", "stage", "close_date"),
        lambda cells: opportunity_item(cells, v.salesforce_id, closed_stages=False),
    ),
    Format(
        "salesforce",
        "OpportunityHistory",
        {
            "id": ("Id", "Opportunity History ID"),
            "opportunity": ("OpportunityId", "Opportunity ID"),
            "stage": ("StageName", "To Stage", "Stage"),
            "amount": ("Amount",),
            "created": ("CreatedDate", "Last Modified", "Created Date"),
        },
        ("id", "opportunity", "stage", "created"),
        sf_opportunity_history,
    ),
    Format(
        "salesforce",
        "OpportunityContactRole",
        {
            "id": ("Id", "Opportunity Contact Role ID", "Contact Role ID"),
            "opportunity": ("OpportunityId", "Opportunity ID"),
            "contact": ("ContactId", "Contact ID"),
            "role": ("Role", "Contact Role"),
            "is_primary": ("IsPrimary", "Primary", "Primary Contact"),
            "created": ("CreatedDate", "Created Date"),
        },
        ("id", "opportunity", "contact", "is_primary"),
        sf_contact_role,
    ),
    Format(
        "salesforce",
        "CampaignMember",
        {
            "id": ("Id", "Campaign Member ID"),
            "campaign": ("CampaignId", "Campaign ID"),
            "contact": ("ContactId", "Contact ID"),
            "lead": ("LeadId", "Lead ID"),
            "status": ("Status", "Member Status"),
            "first_responded": ("FirstRespondedDate", "First Responded Date"),
            "created": ("CreatedDate", "Created Date"),
        },
        ("id", "campaign", "status"),
        sf_campaign_member,
        ("created",),
    ),
    Format(
        "salesforce",
        "Campaign",
        {
            "id": ("Id", "Campaign ID"),
            "name": ("Name", "Campaign Name"),
            "type": ("Type",),
            "start_date": ("StartDate", "Start Date"),
            "end_date": ("EndDate", "End Date"),
            "budget": ("BudgetedCost", "Budgeted Cost in Campaign"),
            "owner": ("OwnerId", "Campaign Owner"),
            "created": ("CreatedDate", "Created Date"),
        },
        ("id", "name", "type", "start_date"),
        sf_campaign,
    ),
    Format(
        "salesforce",
        "Account",
        {
            "id": ("Id", "Account ID"),
            "name": ("Name", "Account Name"),
            "website": ("Website",),
            "industry": ("Industry",),
            "employees": ("NumberOfEmployees", "Employees"),
            "country": ("BillingCountry", "Billing Country"),
            "owner": ("OwnerId", "Account Owner"),
            "created": ("CreatedDate", "Created Date"),
        },
        ("id", "name", "country"),
        lambda cells: account_item(cells, v.salesforce_id),
        ("created",),
    ),
    Format(
        "hubspot",
        "contacts",
        {
            "id": ("Record ID", "Contact ID"),
            "email": ("Email",),
            "first_name": ("First Name",),
            "last_name": ("Last Name",),
            "title": ("Job Title",),
            "phone": ("Phone Number",),
            "country": ("Country/Region", "Country"),
            "lifecycle": ("Lifecycle Stage",),
            "status": ("Lead Status",),
            "lead_source": ("Original Source", "Original Traffic Source"),
            "created": ("Create Date",),
            "mql_at": ("Became a Marketing Qualified Lead Date",),
            "sql_at": ("Became a Sales Qualified Lead Date",),
            "opportunity_at": ("Became an Opportunity Date",),
            "customer_at": ("Became a Customer Date",),
            "owner": ("Contact owner", "HubSpot Owner"),
            "company_ids": (
                "Associated Company IDs",
                "Associated Company IDs (Primary)",
                "Associated Company ID",
            ),
        },
        ("id", "email", "lifecycle"),
        hs_contact,
        ("created",),
    ),
    Format(
        "hubspot",
        "companies",
        {
            "id": ("Record ID", "Company ID"),
            "name": ("Company name", "Name"),
            "website": ("Company Domain Name", "Website URL"),
            "industry": ("Industry",),
            "employees": ("Number of Employees",),
            "country": ("Country/Region", "Country"),
            "owner": ("Company owner", "HubSpot Owner"),
            "created": ("Create Date",),
        },
        ("id", "name", "website"),
        lambda cells: account_item(cells, hubspot_id),
        ("created",),
    ),
    Format(
        "hubspot",
        "deals",
        {
            "id": ("Record ID", "Deal ID"),
            "account": (
                "Associated Company IDs",
                "Associated Company IDs (Primary)",
                "Associated Company ID",
            ),
            "name": ("Deal Name",),
            "amount": ("Amount",),
            "currency": ("Currency",),
            "stage": ("Deal Stage",),
            "close_date": ("Close Date",),
            "created": ("Create Date",),
            "lost_reason": ("Closed Lost Reason",),
            "owner": ("Deal owner", "HubSpot Owner"),
        },
        ("id", "name", "stage", "account"),
        lambda cells: opportunity_item(cells, hubspot_id, closed_stages=True),
        ("created",),
    ),
)


def detect(headers: tuple[str, ...], vendor: str = "auto") -> tuple[Format, dict[str, str]]:
    """The best-matching format: the one whose columns cover most of the header."""
    best: tuple[int, Format, dict[str, str]] | None = None
    for candidate in FORMATS:
        if vendor not in ("auto", candidate.vendor):
            continue
        columns = candidate.match(headers)
        if columns is not None and (best is None or len(columns) > best[0]):
            best = (len(columns), candidate, columns)
    if best is None:
        wanted = "any known export" if vendor == "auto" else f"a {vendor} export"
        raise LookupError(f"the header does not look like {wanted}: {', '.join(headers[:12])}")
    _, fmt, columns = best
    if lacking := fmt.lacking(columns):
        raise LookupError(
            f"this looks like a {fmt.vendor} {fmt.object} export but lacks the column "
            f"{'; '.join(lacking)}"
        )
    return fmt, columns


# ---- Marketo -------------------------------------------------------------


def marketo_id(raw: str | None) -> str | None:
    if v.blank(raw):
        return None
    text = raw.strip()
    if not text.isdigit():
        raise v.ValueProblem(f"not a Marketo lead id: {text!r}")
    return text


def mk_lead(cells: Cells) -> list[Item]:
    record = cells.required("id", marketo_id)
    email = cells.required("email", v.parse_email)
    created = required_datetime(cells, "created")
    status = cells.text("status")
    contact = Item(
        "contact",
        record,
        {
            "email": email,
            "first_name": cells.text("first_name"),
            "last_name": cells.text("last_name"),
            "title": cells.text("title"),
            "phone": cells.text("phone"),
            "country": cells.get("country", country) or "",
            "created_at": created,
        },
        {"account": ("account", None)},
        primary=False,
        domain=v.email_domain(email),
    )
    lead = Item(
        "lead",
        record,
        {
            "stage": SALESFORCE_LEAD_STATUS.get(status.lower(), LeadStage.INQUIRY),
            "status": status,
            "lead_source": cells.text("lead_source"),
            "score": cells.get("score", v.parse_int) or 0,
            "created_at": created,
        },
        {"contact": ("contact", record), "account": ("account", None)},
        domain=v.email_domain(email),
    )
    return [contact, lead]


MARKETO_LEADS = Format(
    "marketo",
    "leads",
    {
        "id": ("Id", "Marketo ID", "id"),
        "email": ("Email Address", "email"),
        "first_name": ("First Name", "firstName"),
        "last_name": ("Last Name", "lastName"),
        "title": ("Job Title", "title"),
        "phone": ("Phone Number", "phone"),
        "company": ("Company Name", "company"),
        "country": ("Country", "country"),
        "status": ("Lead Status", "leadStatus"),
        "lead_source": ("Lead Source", "leadSource"),
        "score": ("Lead Score", "leadScore"),
        "created": ("Created At", "createdAt"),
    },
    ("id", "email", "created", "company"),
    mk_lead,
)
FORMATS = (*FORMATS, MARKETO_LEADS)


# Marketo activity types that are touches; the others (New Lead, Change Data
# Value, Email Delivered, …) are bookkeeping, not interactions.
MARKETO_TOUCH_TYPES = {
    "1": (TouchKind.WEB_VISIT, Channel.CONTENT, "Visit Webpage"),
    "2": (TouchKind.FORM_FILL, Channel.CONTENT, "Fill Out Form"),
    "3": (TouchKind.WEB_VISIT, Channel.CONTENT, "Click Link"),
    "10": (TouchKind.EMAIL_OPEN, Channel.EMAIL, "Open Email"),
    "11": (TouchKind.EMAIL_CLICK, Channel.EMAIL, "Click Email"),
}


def mk_activity(cells: Cells) -> list[Item]:
    type_id = cells.required("type", v.parse_text)
    if type_id not in MARKETO_TOUCH_TYPES:
        names = ", ".join(f"{k} {name}" for k, (_, _, name) in MARKETO_TOUCH_TYPES.items())
        raise RowProblem(
            cells.column("type"), f"activity type {type_id} is not a touch (touches: {names})"
        )
    kind, channel, _ = MARKETO_TOUCH_TYPES[type_id]
    occurred = required_datetime(cells, "occurred")
    return [
        Item(
            "touch",
            cells.required("id", v.parse_text),
            {"occurred_at": occurred, "created_at": occurred, "kind": kind, "channel": channel},
            {"contact": ("contact", cells.required("lead", marketo_id))},
        )
    ]


MARKETO_ACTIVITIES = Format(
    "marketo",
    "activities",
    {
        "id": ("marketoGUID",),
        "lead": ("leadId",),
        "occurred": ("activityDate",),
        "type": ("activityTypeId",),
    },
    ("id", "lead", "occurred", "type"),
    mk_activity,
)
FORMATS = (*FORMATS, MARKETO_ACTIVITIES)
