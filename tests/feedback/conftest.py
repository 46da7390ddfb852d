"""Feedback test ground: two accounts, one per rep, each with a deal and a lead."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from accord.crm.models import Account, Contact, Lead, Opportunity
from accord.directory.models import Segment
from tests.conftest import AS_OF, Cast


@dataclass
class Ground:
    smb: Segment
    enterprise: Segment
    rep_account: Account
    rep_deal: Opportunity
    rep_lead: Lead
    other_account: Account
    other_deal: Opportunity
    other_lead: Lead


@pytest.fixture
def ground(cast: Cast) -> Ground:
    smb = Segment.objects.create(name="SMB", slug="smb")
    enterprise = Segment.objects.create(name="Enterprise", slug="enterprise")

    def account(name: str, owner, segment: Segment, ext: str) -> Account:
        return Account.objects.create(
            name=name, owner=owner, segment=segment, external_id=ext, created_at=AS_OF
        )

    def deal(name: str, acct: Account, owner, ext: str) -> Opportunity:
        return Opportunity.objects.create(
            name=name,
            account=acct,
            owner=owner,
            stage="Proposal",
            external_id=ext,
            created_at=AS_OF,
        )

    def lead(acct: Account, owner, email: str) -> Lead:
        contact = Contact.objects.create(email=email, account=acct, created_at=AS_OF)
        return Lead.objects.create(
            contact=contact, account=acct, owner=owner, stage="sal", created_at=AS_OF
        )

    rep_account = account("Acme Tools", cast.rep, smb, "ACC-1")
    other_account = account("Globex", cast.other_rep, enterprise, "ACC-2")
    return Ground(
        smb=smb,
        enterprise=enterprise,
        rep_account=rep_account,
        rep_deal=deal("Acme renewal", rep_account, cast.rep, "OPP-1"),
        rep_lead=lead(rep_account, cast.rep, "buyer@acme.example"),
        other_account=other_account,
        other_deal=deal("Globex expansion", other_account, cast.other_rep, "OPP-2"),
        other_lead=lead(other_account, cast.other_rep, "buyer@globex.example"),
    )
