"""Which account an e-mail address belongs to, by its domain.

One matcher serves the importers (a contact or lead without an account id)
and the demo generator (which links its contacts the same way), so both
agree on what a company domain is: the part after the ``@``, never a
free-mail provider's.
"""

from __future__ import annotations

from collections.abc import Iterable

FREE_MAIL_DOMAINS = frozenset(
    {
        "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "hotmail.com",
        "outlook.com", "live.com", "msn.com", "aol.com", "icloud.com", "me.com",
        "mac.com", "gmx.de", "gmx.net", "web.de", "proton.me", "protonmail.com",
        "mail.com", "yandex.ru", "zoho.com", "t-online.de", "orange.fr", "free.fr",
    }
)  # fmt: skip
CACHE_LIMIT = 50_000


def email_domain(email: str | None) -> str | None:
    """The company domain of an address, or None for free-mail providers."""
    if not email:
        return None
    domain = email.rsplit("@", 1)[-1].lower()
    return None if domain in FREE_MAIL_DOMAINS else domain


class AccountsByDomain:
    """Account ids by company domain, looked up in batches and remembered.

    Several accounts may share a domain (a Salesforce account and a HubSpot
    company): the one from ``prefer_source`` wins, then the oldest.
    """

    def __init__(self, *, prefer_source: str = "") -> None:
        self.prefer_source = prefer_source
        self.found: dict[str, int | None] = {}
        self.from_database = True

    @classmethod
    def known(cls, pairs: Iterable[tuple[str, int]]) -> AccountsByDomain:
        """A matcher over accounts not saved yet (the demo builds them in memory)."""
        matcher = cls()
        matcher.from_database = False
        for domain, pk in pairs:
            matcher.found.setdefault(domain.lower(), pk)
        return matcher

    def load(self, domains: Iterable[str | None]) -> None:
        """Look up the domains not seen yet with one query."""
        wanted = {d for d in domains if d and d not in self.found}  # no copy of the keys
        if not wanted or not self.from_database:
            return
        if len(self.found) > CACHE_LIMIT:
            self.found.clear()
        self.found.update(dict.fromkeys(wanted))
        from accord.crm.models import Account  # the parsers import this module without Django

        rows = Account.objects.filter(domain__in=wanted).values_list("domain", "source", "pk")
        for domain, _source, pk in sorted(rows, key=lambda r: (r[1] != self.prefer_source, r[2])):
            if self.found[domain] is None:
                self.found[domain] = pk

    def account_for_domain(self, domain: str | None) -> int | None:
        if not domain:
            return None
        self.load([domain])
        return self.found.get(domain)

    def account_for_email(self, email: str | None) -> int | None:
        return self.account_for_domain(email_domain(email))
