"""The roles people hold, as data: each becomes an auth group with permissions.

A role says what a person may do; which records they may *see* is decided by
``accord.directory.access`` from their role and team.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    SALES_REP = "sales_rep"
    MARKETER = "marketer"
    BRAND_MANAGER = "brand_manager"
    LIAISON = "marketing_liaison"
    SALES_MANAGER = "sales_manager"
    MARKETING_MANAGER = "marketing_manager"
    REVENUE_LEADER = "revenue_leader"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return ROLE_INFO[self].label

    @property
    def side(self) -> str:
        return ROLE_INFO[self].side


@dataclass(frozen=True)
class RoleInfo:
    label: str
    side: str  # "sales", "marketing" or "both"
    permissions: tuple[str, ...]


_READ_CRM = (
    "crm.view_account",
    "crm.view_contact",
    "crm.view_campaign",
    "crm.view_touch",
    "crm.view_opportunity",
    "crm.view_lead",
    "crm.view_spend",
)
_MANAGE_PEOPLE = ("directory.view_person", "directory.change_person", "directory.view_team")

ROLE_INFO: dict[Role, RoleInfo] = {
    Role.SALES_REP: RoleInfo("Sales rep", "sales", (*_READ_CRM, "crm.change_lead")),
    Role.MARKETER: RoleInfo("Marketer", "marketing", (*_READ_CRM, "crm.change_campaign")),
    Role.BRAND_MANAGER: RoleInfo("Brand manager", "marketing", (*_READ_CRM, "crm.change_campaign")),
    Role.LIAISON: RoleInfo("Marketing liaison", "marketing", (*_READ_CRM, "crm.change_campaign")),
    Role.SALES_MANAGER: RoleInfo(
        "Sales manager", "sales", (*_READ_CRM, "crm.change_lead", *_MANAGE_PEOPLE)
    ),
    Role.MARKETING_MANAGER: RoleInfo(
        "Marketing manager",
        "marketing",
        (*_READ_CRM, "crm.change_campaign", "crm.add_spend", "crm.change_spend", *_MANAGE_PEOPLE),
    ),
    Role.REVENUE_LEADER: RoleInfo(
        "Revenue leader", "both", (*_READ_CRM, "crm.change_lead", *_MANAGE_PEOPLE)
    ),
    Role.ADMIN: RoleInfo("Admin", "both", ()),
}

MANAGER_ROLES = frozenset({Role.SALES_MANAGER, Role.MARKETING_MANAGER, Role.REVENUE_LEADER})
MARKETING_ROLES = frozenset(r for r, info in ROLE_INFO.items() if info.side == "marketing")
