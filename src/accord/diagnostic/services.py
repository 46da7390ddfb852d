"""Writes for the alignment survey: rounds, invitations, responses, moves.

``response_submit`` marks the invitation used and stores the response in one
transaction, and the mark is a conditional update, so one link gives at most
one response even when two submits race.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accord.diagnostic.instrument import (
    DEFAULT_INSTRUMENT,
    INSTRUMENT_DIR,
    Move,
    instrument_parse,
)
from accord.diagnostic.models import (
    Instrument,
    Invitation,
    Response,
    RoleGroup,
    Round,
    RoundStatus,
)
from accord.directory.models import Person
from accord.inbox.services import action_item_create

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from accord.inbox.models import ActionItem

LINK_UNKNOWN = "This survey link is not valid. Check that you copied the whole link."
LINK_USED = "This survey link has already been used. Each link records one answer."
ROUND_CLOSED = "This survey round is closed and no longer takes answers."
ROUND_NOT_YET_OPEN = "This survey round has not opened yet."
ANSWERS_INCOMPLETE = "Please answer every statement with a rating from {low} to {high}."
ROUND_DATES = "A round must close on or after the day it opens."
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


class SurveyError(ValueError):
    pass


@dataclass(frozen=True)
class SentLink:
    person: Person
    link: str


def instrument_publish(name: str = DEFAULT_INSTRUMENT) -> Instrument:
    """The stored copy of an instrument file's current version."""
    text = (INSTRUMENT_DIR / f"{name}.yaml").read_text(encoding="utf-8")
    parsed = instrument_parse(text)
    row, _ = Instrument.objects.get_or_create(
        version=parsed.version, defaults={"name": parsed.name, "definition": text}
    )
    return row


def instruments_publish() -> list[Instrument]:
    """Every shipped instrument file's current version, stored; admins' own rows are kept."""
    return [instrument_publish(path.stem) for path in sorted(INSTRUMENT_DIR.glob("*.yaml"))]


def round_create(
    *,
    name: str,
    opens_on: date,
    closes_on: date,
    instrument: str | Instrument = DEFAULT_INSTRUMENT,
    created_by: Person | None = None,
) -> Round:
    """Start a round on an instrument file's name or on an already published version."""
    if closes_on < opens_on:
        raise SurveyError(ROUND_DATES)
    if isinstance(instrument, str):
        instrument = instrument_publish(instrument)
    return Round.objects.create(
        name=name,
        instrument=instrument,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=created_by,
    )


def _token(nonce: str) -> str:
    return salted_hmac("accord.diagnostic.invitation", nonce, algorithm="sha256").hexdigest()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _link(invitation: Invitation, base_url: str | None) -> str:
    base = (base_url or getattr(settings, "ACCORD_BASE_URL", "") or DEFAULT_BASE_URL).rstrip("/")
    path = reverse("diagnostic:answer", kwargs={"token": _token(invitation.nonce)})
    return f"{base}{path}"


def _mail(invitation: Invitation, link: str, *, reminder: bool) -> None:
    round_ = invitation.round
    prefix = "Reminder: " if reminder else ""
    subject = f"{prefix}{round_.name}: how well do sales and marketing work together?"
    body = (
        f"Twenty short statements, about five minutes. Your answers are anonymous: results are\n"
        f"shown only for groups of five or more, and nothing you submit is tied to your name.\n\n"
        f"Answer by {round_.closes_on:%d %b %Y} at this personal, single-use link:\n{link}\n"
    )
    email = invitation.person.email
    transaction.on_commit(lambda: send_mail(subject, body, None, [email]))


def round_invite(
    *, round: Round, people: Iterable[Person], base_url: str | None = None, email: bool = True
) -> list[SentLink]:
    """Invite people who are not invited yet; e-mail each a single-use link.

    ``email=False`` only returns the links (the demo data, or links handed out by hand).
    """
    if not round.is_open:
        raise SurveyError(ROUND_CLOSED)
    sent = []
    with transaction.atomic():
        for person in people:
            if Invitation.objects.filter(round=round, person=person).exists():
                continue
            nonce = secrets.token_hex(16)
            invitation = Invitation.objects.create(
                round=round, person=person, nonce=nonce, token_hash=token_hash(_token(nonce))
            )
            link = _link(invitation, base_url)
            if email:
                _mail(invitation, link, reminder=False)
            sent.append(SentLink(person=person, link=link))
    return sent


def round_remind(*, round: Round, base_url: str | None = None) -> int:
    """E-mail the same link again to everyone who has not answered; return how many.

    The reminder reads the same for everyone and goes only to those invited
    people who have not answered, so no recipient learns who has.
    """
    if not round.is_open:
        raise SurveyError(ROUND_CLOSED)
    pending = round.invitations.filter(used=False).select_related("person", "round")
    with transaction.atomic():
        for invitation in pending:
            _mail(invitation, _link(invitation, base_url), reminder=True)
    return len(pending)


def round_close(*, round: Round) -> Round:
    Round.objects.filter(pk=round.pk).update(status=RoundStatus.CLOSED)
    round.refresh_from_db()
    return round


def invitation_for_token(token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("round__instrument", "person__team")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None:
        raise SurveyError(LINK_UNKNOWN)
    return invitation


def invitation_check(invitation: Invitation, *, today: date | None = None) -> None:
    """Raise with a clear message if this link cannot take an answer today."""
    today = today or timezone.localdate()
    round_ = invitation.round
    if invitation.used:
        raise SurveyError(LINK_USED)
    if not round_.is_open or today > round_.closes_on:
        raise SurveyError(ROUND_CLOSED)
    if today < round_.opens_on:
        raise SurveyError(ROUND_NOT_YET_OPEN)


def answers_clean(raw: Mapping[str, object], *, version: str) -> dict[str, int]:
    instrument = instrument_parse(Instrument.objects.get(version=version).definition)
    lo, hi = instrument.scale_min, instrument.scale_max
    cleaned = {}
    for key in instrument.item_keys:
        value = str(raw.get(key, "")).strip()
        if not value.isdigit() or not lo <= int(value) <= hi:
            raise SurveyError(ANSWERS_INCOMPLETE.format(low=lo, high=hi))
        cleaned[key] = int(value)
    return cleaned


def _role_group(person: Person) -> str:
    side = person.side
    return side if side in (RoleGroup.SALES, RoleGroup.MARKETING) else RoleGroup.OTHER


def response_submit(
    *, token: str, answers: Mapping[str, object], comment: str = "", today: date | None = None
) -> Response:
    """Store one anonymous response for a link and use the link up, atomically."""
    today = today or timezone.localdate()
    invitation = invitation_for_token(token)
    invitation_check(invitation, today=today)
    cleaned = answers_clean(answers, version=invitation.round.instrument.version)
    team = invitation.person.team
    with transaction.atomic():
        if not Invitation.objects.filter(pk=invitation.pk, used=False).update(used=True):
            raise SurveyError(LINK_USED)
        return Response.objects.create(
            round=invitation.round,
            team_kind=team.kind if team else "",
            role_group=_role_group(invitation.person),
            answers=cleaned,
            comment=comment.strip()[:2000],
            submitted_on=today,
        )


def move_adopt(
    *,
    round: Round,
    move: Move,
    owner: Person,
    created_by: Person | None,
    due_on: date | None = None,
) -> ActionItem:
    """Turn a recommended move into an action item owned by someone."""
    return action_item_create(
        title=move.title,
        description=move.why,
        owner=owner,
        created_by=created_by,
        due_on=due_on or timezone.localdate() + timedelta(days=30),
        origin=round,
        origin_label=f"Alignment survey: {round.name}",
    )
