"""The kinds of audit entry, as data: code → (label, who may read it).

Add a line here to record a new kind; no migration is needed. ``security``
entries (logins, tokens, backups: they carry addresses) are for admins;
``change`` entries (who changed a shared definition or an owner) are also
shown to managers and the revenue leader.
"""

from __future__ import annotations

from dataclasses import dataclass

SECURITY = "security"
CHANGE = "change"


@dataclass(frozen=True)
class ActionKind:
    label: str
    audience: str


ACTIONS: dict[str, ActionKind] = {
    "login": ActionKind("Logged in", SECURITY),
    "login_failed": ActionKind("Failed log-in", SECURITY),
    "logout": ActionKind("Logged out", SECURITY),
    "token_created": ActionKind("API token created", SECURITY),
    "token_revoked": ActionKind("API token revoked", SECURITY),
    "backup": ActionKind("Database backed up", SECURITY),
    "restore": ActionKind("Database restored", SECURITY),
    "export": ActionKind("Data exported", SECURITY),
    "erasure": ActionKind("Personal data erased", SECURITY),
    "import_applied": ActionKind("Import applied", CHANGE),
    "role_changed": ActionKind("Role changed", CHANGE),
    "owner_changed": ActionKind("Owner changed", CHANGE),
    "stage_changed": ActionKind("Funnel stage definition changed", CHANGE),
    "funnel_changed": ActionKind("Funnel definition changed", CHANGE),
    "rule_changed": ActionKind("Rule changed", CHANGE),
    "score_model_changed": ActionKind("Score model changed", CHANGE),
    "metric_changed": ActionKind("Metric definition changed", CHANGE),
}
