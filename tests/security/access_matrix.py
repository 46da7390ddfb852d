"""Who may open what: one row per URL pattern, checked for every role.

Roles (columns): anonymous, outsider (a login with no person record), rep,
other_rep (a rep on another team: the outsider to rep's leads), marketer,
brand, liaison, sales_manager (manages rep's team), marketing_manager, cro,
admin. Groups usable in ``who``: reps, marketing, managers, leaders, people.

``get`` is what a GET returns; ``post`` what a POST *without a CSRF token*
returns (default: refused by the CSRF check, for everyone). API rows are asked
with each person's token for GET, and with only the session cookie for POST.
Records in ``params`` come from the small demo company; ``pick`` finds one.

Adding a page? Add its row here (``test_every_url_has_a_row`` prints the line
to start from). See CONTRIBUTING.md.
"""

from __future__ import annotations

from tests.security.matrix import (
    API_NEEDS_TOKEN,
    FORBIDDEN,
    GONE,
    LOGIN,
    MISSING,
    NO_SUCH_METHOD,
    OK,
    REDIRECT,
    UNAUTHENTICATED,
    UNAVAILABLE,
    Row,
    pick,
    who,
)

REP_LEAD = pick("crm.Lead", owner__user__username="rep")
REP_ITEM = pick("inbox.ActionItem", owner__user__username="rep")
ROUND = pick("diagnostic.Round")
# Forms that accept only POST refuse a GET (405) and a token-less POST (CSRF) before
# they look the record up, so any id serves.
ANY_ID = 1
RULE = pick("playbook.Rule")
COLLATERAL = pick("playbook.Collateral")
LAUNCH = pick("playbook.Launch")
PLAN = pick("playbook.AccountPlan")
MEETING = pick("cadence.Meeting")

# Pages every login may open (a login with no person record gets an empty page).
PAGE = who(OK, anonymous=LOGIN)
# Pages for people of the company: a login with no person record is refused.
PEOPLE_PAGE = who(OK, anonymous=LOGIN, outsider=FORBIDDEN)
# Pages for managers, the revenue leader and the admin only.
MANAGERS_PAGE = who(FORBIDDEN, anonymous=LOGIN, managers=OK, leaders=OK)
# Imports: sales and marketing managers and the admin (the demo has no upload, so an
# upload or run page is "not found" for them and refused for everyone else).
IMPORTERS_PAGE = who(FORBIDDEN, anonymous=LOGIN, managers=OK, admin=OK)
IMPORTERS_NO_SUCH_ID = who(FORBIDDEN, anonymous=LOGIN, managers=MISSING, admin=MISSING)
# Forms that only accept POST: a GET is refused once logged in.
POST_ONLY = who(NO_SUCH_METHOD, anonymous=LOGIN)
PEOPLE_POST_ONLY = who(NO_SUCH_METHOD, anonymous=LOGIN, outsider=FORBIDDEN)
# A survey round: managers and leaders only; others are told it does not exist.
ROUND_PAGE = who(MISSING, anonymous=LOGIN, managers=OK, leaders=OK)
# What the rep owns: rep, their manager and the leaders; marketing sees every lead.
REP_LEAD_PAGE = who(OK, anonymous=LOGIN, outsider=MISSING, other_rep=MISSING)
REP_ITEM_PAGE = who(MISSING, anonymous=LOGIN, rep=OK, sales_manager=OK, leaders=OK)
# A meeting: its attendees and the leaders (the demo's first meeting has no brand manager).
MEETING_PAGE = who(OK, anonymous=LOGIN, outsider=MISSING, other_rep=MISSING, brand=MISSING)
# API: each person's token stands in for their login; no token, no answer.
API_READ = who(OK, anonymous=UNAUTHENTICATED, outsider=UNAUTHENTICATED)
API_REP_RECORD = who(OK, anonymous=UNAUTHENTICATED, outsider=UNAUTHENTICATED, other_rep=MISSING)
# A POST to a read-only API address: no such method, whatever the cookie.
API_NO_POST = who(NO_SUCH_METHOD)

ROWS = (
    # --- log-in, home, health ---
    Row("login/", get=who(OK)),
    Row("logout/", get=who(NO_SUCH_METHOD)),
    Row("", get=PAGE),
    Row("health", get=who(OK)),
    Row("cockpit/", get=MANAGERS_PAGE),
    Row("cockpit/<slug:key>.csv", get=MANAGERS_PAGE, params={"key": "survey_themes"}),
    Row("audit/", get=MANAGERS_PAGE, note="managers see changes only; admins see log-ins too"),
    # --- people ---
    Row("people/", get=PEOPLE_PAGE, note="a login with no person reads no one's details"),
    # --- inbox ---
    Row("inbox/", get=PAGE),
    Row("inbox/action-items/<int:pk>/", get=REP_ITEM_PAGE, params={"pk": REP_ITEM}),
    Row("inbox/action-items/<int:pk>/close", get=POST_ONLY, params={"pk": ANY_ID}),
    Row("inbox/notifications/<int:pk>/read", get=POST_ONLY, params={"pk": ANY_ID}),
    # --- funnel ---
    Row("funnel/", get=PAGE),
    Row("funnel/leads/<int:pk>/", get=REP_LEAD_PAGE, params={"pk": REP_LEAD}),
    Row("funnel/leads/<int:pk>/accept", get=POST_ONLY, params={"pk": ANY_ID}),
    Row("funnel/leads/<int:pk>/reject", get=POST_ONLY, params={"pk": ANY_ID}),
    Row("funnel/leads/<int:pk>/contacted", get=POST_ONLY, params={"pk": ANY_ID}),
    Row("funnel/leads/<int:pk>/erase", get=POST_ONLY, params={"pk": ANY_ID}),
    Row("funnel/changes/", get=PAGE),
    Row("funnel/changes.csv", get=PAGE),
    Row("funnel/mqls/", get=PAGE),
    Row("funnel/scorecard/", get=PAGE),
    Row("funnel/scoring/", get=PAGE),
    Row("funnel/stages/", get=PAGE),
    Row("funnel/stages/propose", get=POST_ONLY),
    Row("funnel/scoring/propose", get=POST_ONLY),
    Row("funnel/scoring/<int:pk>/sign", get=POST_ONLY, params={"pk": ANY_ID}),
    Row("funnel/stages/<int:pk>/sign", get=POST_ONLY, params={"pk": ANY_ID}),
    # --- alignment diagnostic: results are aggregates, for managers and leaders ---
    Row("diagnostic/", get=MANAGERS_PAGE),
    Row("diagnostic/trend/", get=MANAGERS_PAGE),
    Row("diagnostic/trend.csv", get=MANAGERS_PAGE),
    Row("diagnostic/rounds/new/", get=MANAGERS_PAGE),
    Row("diagnostic/rounds/<int:pk>/", get=ROUND_PAGE, params={"pk": ROUND}),
    Row("diagnostic/rounds/<int:pk>/run/", get=ROUND_PAGE, params={"pk": ROUND}),
    Row("diagnostic/rounds/<int:pk>/invite/", get=ROUND_PAGE, params={"pk": ROUND}),
    Row("diagnostic/rounds/<int:pk>/remind", get=POST_ONLY, params={"pk": ANY_ID}),
    Row("diagnostic/rounds/<int:pk>/close", get=POST_ONLY, params={"pk": ANY_ID}),
    Row("diagnostic/rounds/<int:pk>/results.json", get=ROUND_PAGE, params={"pk": ROUND}),
    Row("diagnostic/rounds/<int:pk>/moves", get=POST_ONLY, params={"pk": ANY_ID}),
    Row(
        "diagnostic/answer/<str:token>/",
        get=who(GONE),
        params={"token": "no-such-link"},
        note="survey links need no login; an unknown or used link is gone",
    ),
    Row("diagnostic/checklist/", get=MANAGERS_PAGE),
    Row("diagnostic/checklist/<int:pk>", get=POST_ONLY, params={"pk": ANY_ID}),
    # --- playbook ---
    Row("playbook/", get=PEOPLE_PAGE),
    Row("playbook/firings/", get=PEOPLE_PAGE),
    Row("playbook/rules/new/", get=MANAGERS_PAGE),
    Row("playbook/rules/<int:pk>/", get=MANAGERS_PAGE, params={"pk": RULE}),
    Row("playbook/rules/<int:pk>/active", get=PEOPLE_POST_ONLY, params={"pk": ANY_ID}),
    Row("playbook/collateral/", get=PEOPLE_PAGE),
    Row("playbook/collateral/new/", get=PEOPLE_PAGE),
    Row("playbook/collateral/<int:pk>/", get=PEOPLE_PAGE, params={"pk": COLLATERAL}),
    Row("playbook/collateral/<int:pk>/move", get=PEOPLE_POST_ONLY, params={"pk": ANY_ID}),
    Row("playbook/collateral/<int:pk>/comment", get=PEOPLE_POST_ONLY, params={"pk": ANY_ID}),
    Row("playbook/collateral/<int:pk>/feedback", get=PEOPLE_POST_ONLY, params={"pk": ANY_ID}),
    Row("playbook/gaps/", get=PEOPLE_PAGE),
    Row("playbook/gaps/<int:pk>/pick", get=PEOPLE_POST_ONLY, params={"pk": ANY_ID}),
    Row("playbook/gaps/<int:pk>/close", get=PEOPLE_POST_ONLY, params={"pk": ANY_ID}),
    Row("playbook/launches/", get=PEOPLE_PAGE),
    Row("playbook/launches/<int:pk>/", get=PEOPLE_PAGE, params={"pk": LAUNCH}),
    Row("playbook/launches/points/<int:pk>", get=PEOPLE_POST_ONLY, params={"pk": ANY_ID}),
    Row("playbook/launches/<int:pk>/announce", get=PEOPLE_POST_ONLY, params={"pk": ANY_ID}),
    Row("playbook/accounts/", get=PEOPLE_PAGE),
    Row("playbook/accounts/pin", get=PEOPLE_POST_ONLY),
    Row("playbook/accounts/<int:pk>/override", get=PEOPLE_POST_ONLY, params={"pk": ANY_ID}),
    Row("playbook/accounts/<int:pk>/plan", get=PEOPLE_POST_ONLY, params={"pk": ANY_ID}),
    Row(
        "playbook/plans/<int:pk>/",
        get=who(OK, anonymous=LOGIN, outsider=FORBIDDEN, other_rep=MISSING),
        params={"pk": PLAN},
        note="the plan of an account the demo's rep owns",
    ),
    Row("playbook/plans/<int:pk>/review", get=PEOPLE_POST_ONLY, params={"pk": ANY_ID}),
    # --- joint meetings ---
    Row("meetings/", get=PAGE),
    Row("meetings/series/new", get=MANAGERS_PAGE),
    Row("meetings/new", get=MANAGERS_PAGE),
    Row("meetings/<int:pk>/", get=MEETING_PAGE, params={"pk": MEETING}),
    Row("meetings/<int:pk>/edit", get=POST_ONLY, params={"pk": ANY_ID}),
    Row("meetings/<int:pk>/agenda/generate", get=POST_ONLY, params={"pk": ANY_ID}),
    Row("meetings/<int:pk>/agenda/add", get=POST_ONLY, params={"pk": ANY_ID}),
    Row("meetings/agenda/<int:pk>/edit", get=POST_ONLY, params={"pk": ANY_ID}),
    Row("meetings/agenda/<int:pk>/move", get=POST_ONLY, params={"pk": ANY_ID}),
    Row("meetings/agenda/<int:pk>/remove", get=POST_ONLY, params={"pk": ANY_ID}),
    Row("meetings/<int:pk>/action-items/add", get=POST_ONLY, params={"pk": ANY_ID}),
    Row("meetings/action-items/<int:pk>/status", get=POST_ONLY, params={"pk": ANY_ID}),
    Row("meetings/<int:pk>/minutes.md", get=MEETING_PAGE, params={"pk": MEETING}),
    Row("meetings/<int:pk>/minutes.pdf", get=MEETING_PAGE, params={"pk": MEETING}),
    # --- shared metrics ---
    Row("metrics/", get=PEOPLE_PAGE),
    Row("metrics/refresh", get=POST_ONLY),
    Row("metrics/definitions/", get=PAGE),
    Row("metrics/definitions/propose", get=POST_ONLY),
    Row("metrics/definitions/<int:pk>/sign", get=POST_ONLY, params={"pk": ANY_ID}),
    Row("metrics/targets/", get=MANAGERS_PAGE),
    Row("metrics/targets/set", get=POST_ONLY),
    Row("metrics/targets/commit", get=POST_ONLY),
    # --- field feedback ---
    Row(
        "feedback/",
        get=who(OK, anonymous=LOGIN, outsider=REDIRECT, reps=REDIRECT),
        note="reps are sent to the short form they fill after calls",
    ),
    Row("feedback/new/", get=PEOPLE_PAGE),
    Row("feedback/mine/", get=PAGE),
    # --- imports in the browser ---
    Row("import/", get=IMPORTERS_PAGE),
    Row("import/uploads/<int:pk>/", get=IMPORTERS_NO_SUCH_ID, params={"pk": ANY_ID}),
    Row("import/uploads/<int:pk>/dry-run", get=POST_ONLY, params={"pk": ANY_ID}),
    Row("import/uploads/<int:pk>/apply", get=POST_ONLY, params={"pk": ANY_ID}),
    Row("import/uploads/<int:pk>/discard", get=POST_ONLY, params={"pk": ANY_ID}),
    Row("import/uploads/<int:pk>/errors.csv", get=IMPORTERS_NO_SUCH_ID, params={"pk": ANY_ID}),
    Row("import/runs/<int:pk>/", get=IMPORTERS_NO_SUCH_ID, params={"pk": ANY_ID}),
    Row(
        "import/records/<str:kind>/<int:pk>/",
        get=IMPORTERS_PAGE,
        params={"kind": "lead", "pk": REP_LEAD},
    ),
    # --- the quarterly alignment report ---
    Row("report/", get=MANAGERS_PAGE),
    Row("report.pdf", get=MANAGERS_PAGE),
    # --- API and webhook ---
    Row(
        "api/hooks/leads",
        get=who(NO_SUCH_METHOD),
        post=who(UNAVAILABLE),
        note="no ACCORD_WEBHOOK_SECRET in tests: the webhook says it is switched off",
    ),
    Row("api/v1/docs/assets/<str:name>", get=who(OK), params={"name": "swagger-ui.css"}),
    Row("api/v1/openapi.json", get=who(OK), api=True),
    Row("api/v1/docs", get=who(OK), api=True),
    Row("api/v1/", get=who(MISSING), api=True),
    Row("^api/v1/", get=who(MISSING), post=who(MISSING), path="/api/v1/no-such-thing"),
    Row("api/v1/touches/bulk", get=who(NO_SUCH_METHOD), post=API_NEEDS_TOKEN, api=True),
    Row("api/v1/lead-events", get=API_READ, post=API_NO_POST, api=True),
    Row("api/v1/lead-changes.csv", get=API_READ, post=API_NO_POST, api=True),
    *(
        Row(
            f"api/v1/leads/<lead_id>/{move}",
            get=who(NO_SUCH_METHOD),
            post=API_NEEDS_TOKEN,
            params={"lead_id": REP_LEAD},
            api=True,
        )
        for move in ("accept", "reject", "recycle")
    ),
    # --- Django's admin: staff only (the admin role); one row per kind of page ---
    Row("admin/", get=who(LOGIN, admin=OK)),
    Row("admin/audit/auditentry/", get=who(LOGIN, admin=OK)),
)

API_RECORDS = {
    "accounts": (pick("crm.Account", owner__user__username="rep"), API_READ),
    "contacts": (pick("crm.Contact", account__owner__user__username="rep"), API_READ),
    "campaigns": (pick("crm.Campaign"), API_READ),
    "touches": (pick("crm.Touch"), API_READ),
    "opportunities": (pick("crm.Opportunity", owner__user__username="rep"), API_REP_RECORD),
    "leads": (REP_LEAD, API_REP_RECORD),
    "spend": (pick("crm.Spend"), API_READ),
}
API_ROWS = tuple(
    row
    for kind, (record, detail) in API_RECORDS.items()
    for row in (
        Row(f"api/v1/{kind}", get=API_READ, post=API_NO_POST, api=True),
        Row(
            f"api/v1/{kind}/<int:record_id>",
            get=detail,
            post=API_NO_POST,
            params={"record_id": record},
            api=True,
        ),
    )
)

TABLE: dict[str, Row] = {row.route: row for row in (*ROWS, *API_ROWS)}
# Django's own admin pages all answer alike: staff log in at /admin/login/.
WILDCARDS = ("admin/",)
