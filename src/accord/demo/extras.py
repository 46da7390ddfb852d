"""A lived-in inbox: open action items and notifications for the cast."""

from __future__ import annotations

from datetime import datetime, timedelta

from accord.demo.company import Org
from accord.inbox.models import ActionItem, Notification

ITEMS = (
    ("sales_americas", "Review the three slowest reps' MQL response times", 5),
    ("marketing", "Stop or rework the display campaigns that produced no pipeline", 12),
    ("cro", "Agree the MQL definition change with both managers", -3),
    ("sales_emea", "Share the EMEA lost-deal reasons with product marketing", 9),
)


def inbox_build(org: Org, as_of: datetime) -> None:
    rep, marketer = org.reps[0], org.marketers[0]
    rows = [
        ActionItem(
            title=title,
            owner=org.managers[who],
            due_on=(as_of + timedelta(days=due)).date(),
            origin_label="Demo: last joint meeting",
            created_at=as_of - timedelta(days=20),
        )
        for who, title, due in ITEMS
    ]
    rows.append(
        ActionItem(
            title="Call back the Enterprise leads you accepted last week",
            owner=rep,
            due_on=(as_of + timedelta(days=2)).date(),
            origin_label="Demo: pipeline review",
            created_at=as_of - timedelta(days=3),
        )
    )
    rows.append(
        ActionItem(
            title="Send the updated pricing one-pager to sales for review",
            owner=marketer,
            due_on=(as_of + timedelta(days=4)).date(),
            origin_label="Demo: last joint meeting",
            created_at=as_of - timedelta(days=20),
        )
    )
    ActionItem.objects.bulk_create(rows)
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=rep,
                kind="sla",
                title="New MQLs are waiting for you",
                body="Accept or reject them before their SLA deadline.",
                link="/",
                created_at=as_of - timedelta(hours=2),
            ),
            Notification(
                recipient=marketer,
                kind="info",
                title="Three of your MQLs were rejected",
                body="Reason: not a fit. See what became of your campaigns' MQLs.",
                link="/",
                created_at=as_of - timedelta(hours=5),
            ),
        ]
    )
