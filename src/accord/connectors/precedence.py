"""Which source system wins when two of them write the same field of one record.

A contact imported from Salesforce and again from HubSpot (matched by e-mail
address) is one record, so both exports carry its title, phone and owner.
The rule for a field is either "most recent" (the import that runs last
wins; the default) or an order of systems: a system may overwrite a value
set by itself or by one after it in the order, never one before it. An empty
field is always filled. Rules come from ``ACCORD_IMPORT_PRECEDENCE``:

    contact.title=hubspot>salesforce; contact.*=salesforce>hubspot; *.owner=recent

The most specific rule applies: ``kind.field``, then ``kind.*``, then
``*.field``, then ``*``/``*.*``.
"""

from __future__ import annotations

from dataclasses import dataclass

from accord.crm.choices import SourceSystem

RECENT = "recent"
SOURCES = frozenset(SourceSystem.values)


class PrecedenceProblem(ValueError):
    """The precedence setting cannot be read; the message says where."""


@dataclass(frozen=True)
class Rule:
    order: tuple[str, ...] = ()  # empty: the most recent import wins

    def wins(self, *, incoming: str, holder: str) -> bool:
        if not self.order or incoming == holder:
            return True
        last = len(self.order)
        rank = {source: i for i, source in enumerate(self.order)}
        return rank.get(incoming, last) <= rank.get(holder, last)

    def describe(self) -> str:
        return " before ".join(self.order) if self.order else "most recent import"


MOST_RECENT = Rule()


class Precedence:
    def __init__(self, rules: dict[str, Rule]) -> None:
        self.rules = rules

    @classmethod
    def parse(cls, text: str) -> Precedence:
        rules: dict[str, Rule] = {}
        for part in filter(None, (p.strip() for p in text.split(";"))):
            target, sep, order = part.partition("=")
            if not sep:
                raise PrecedenceProblem(f"{part!r}: write KIND.FIELD=SOURCE>SOURCE or =recent")
            rules[_target(target.strip())] = _rule(part, order.strip())
        return cls(rules)

    def rule_for(self, kind: str, field: str) -> Rule:
        for key in (f"{kind}.{field}", f"{kind}.*", f"*.{field}", "*.*"):
            if key in self.rules:
                return self.rules[key]
        return MOST_RECENT

    def wins(self, kind: str, field: str, *, incoming: str, holder: str) -> bool:
        return self.rule_for(kind, field).wins(incoming=incoming, holder=holder)


def _target(text: str) -> str:
    if text == "*":
        return "*.*"
    kind, dot, field = text.partition(".")
    if not dot or not kind or not field:
        raise PrecedenceProblem(f"{text!r}: name a record kind and field, e.g. contact.title")
    return f"{kind}.{field}"


def _rule(part: str, order: str) -> Rule:
    if order.lower() == RECENT:
        return MOST_RECENT
    sources = tuple(s.strip().lower() for s in order.split(">"))
    unknown = [s for s in sources if s not in SOURCES]
    if unknown or not sources:
        raise PrecedenceProblem(
            f"{part!r}: unknown source {', '.join(unknown) or '(none)'}; "
            f"use {', '.join(sorted(SOURCES))} or recent"
        )
    return Rule(sources)
