"""Record counts for ``accord stats``: one flat key per record kind.

Each capability adds its own keys here (key → model label).
"""

from __future__ import annotations

from django.apps import apps

COUNTS: dict[str, str] = {
    "people": "directory.Person",
    "teams": "directory.Team",
    "segments": "directory.Segment",
    "accounts": "crm.Account",
    "contacts": "crm.Contact",
    "leads": "crm.Lead",
    "lead_events": "crm.LeadEvent",
    "touches": "crm.Touch",
    "opportunities": "crm.Opportunity",
    "campaigns": "crm.Campaign",
    "spend": "crm.Spend",
    "notifications": "inbox.Notification",
    "action_items": "inbox.ActionItem",
    "meetings": "cadence.Meeting",
    "survey_rounds": "diagnostic.Round",
    "survey_responses": "diagnostic.Response",
    "imports": "connectors.ImportRun",
    "api_tokens": "api.ApiToken",
    "scoring_rule_sets": "funnel.ScoringRuleSet",
    "sla_marks": "funnel.SlaMark",
    "feedback": "feedback.Feedback",
    "rules": "playbook.Rule",
    "rule_firings": "playbook.RuleFiring",
    "collateral": "playbook.Collateral",
    "account_plans": "playbook.AccountPlan",
    "targets": "metrics.Target",
    "sales_costs": "metrics.SalesCost",
    "metric_versions": "metrics.MetricVersion",
}


def record_counts() -> dict[str, int]:
    return {key: apps.get_model(label).objects.count() for key, label in COUNTS.items()}
