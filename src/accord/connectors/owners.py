"""The Accord person behind a record owner named in an export.

Exports name owners three ways: Salesforce's Data Loader by user id
(``OwnerId``), report exports and HubSpot by the user's name (``Lead Owner``,
``Contact owner``, ``Deal owner``), some by e-mail address. In that order of
trust: an e-mail address matches a person's address; an id or name matches
a ``crm.SourceUser`` row an admin keeps for that system; a name finally
matches the one active person of that name. Anything else is reported as a
warning on the row, and the record keeps the owner it had.
"""

from __future__ import annotations

from accord.crm.models import SourceUser
from accord.directory.models import Person

UNKNOWN_OWNER = (
    "owner {owner!r} is not a person in Accord; the record keeps its owner "
    "(add the person, or map this {source} user to a person under Source users)"
)


class Owners:
    def __init__(self, source: str) -> None:
        self.source = source
        self.found: dict[str, int | None] = {}

    def person_id(self, owner: str) -> int | None:
        if owner not in self.found:
            self.found[owner] = self._look_up(owner)
        return self.found[owner]

    def _look_up(self, owner: str) -> int | None:
        if "@" in owner:
            return Person.objects.filter(email__iexact=owner).values_list("pk", flat=True).first()
        # A mapped Salesforce id may be written in its 15- or 18-character form.
        spellings = {owner, owner[:15]} if self.source == "salesforce" else {owner}
        mapped = SourceUser.objects.filter(source=self.source, external_id__in=spellings)
        person = mapped.values_list("person_id", flat=True).first()
        if person is not None:
            return person
        named = list(Person.objects.filter(name__iexact=owner, is_active=True)[:2])
        return named[0].pk if len(named) == 1 else None

    def unknown(self, owner: str) -> str:
        return UNKNOWN_OWNER.format(owner=owner, source=self.source)
