from __future__ import annotations

import threading
from datetime import date

import pytest
from django.core import mail
from django.db import connection

from accord.diagnostic import services
from accord.diagnostic.models import Invitation, Response, Round
from accord.diagnostic.queries import round_summary
from accord.directory.models import Person

TODAY = date(2026, 11, 23)
ALL_THREES = {f"q{i}": 3 for i in range(1, 21)}


def _token(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[1]


@pytest.fixture
def survey_round(db) -> Round:
    return services.round_create(
        name="Q4 2026", opens_on=date(2026, 11, 1), closes_on=date(2026, 11, 30)
    )


def test_round_create_publishes_the_instrument_version(survey_round: Round) -> None:
    assert survey_round.instrument.version == "2026.1"
    assert "q20" in survey_round.instrument.definition
    with pytest.raises(services.SurveyError, match="close on or after"):
        services.round_create(name="x", opens_on=TODAY, closes_on=date(2026, 1, 1))


def test_invite_mails_single_use_links_and_stores_only_a_hash(
    survey_round: Round,
    cast,
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.round_invite(
            round=survey_round, people=[cast.rep, cast.marketer], base_url="https://accord.test"
        )
    assert [s.person for s in sent] == [cast.rep, cast.marketer]
    assert sent[0].link.startswith("https://accord.test/diagnostic/answer/")
    assert len(mail.outbox) == 2 and sent[0].link in mail.outbox[0].body
    token = _token(sent[0].link)
    stored = Invitation.objects.get(person=cast.rep)
    assert token not in (stored.token_hash, stored.nonce)
    assert stored.token_hash == services.token_hash(token)
    # Inviting again skips people already invited.
    assert services.round_invite(round=survey_round, people=[cast.rep]) == []


def test_submit_then_used_link_is_refused(survey_round: Round, cast) -> None:
    [sent] = services.round_invite(round=survey_round, people=[cast.rep])
    token = _token(sent.link)
    response = services.response_submit(
        token=token, answers=ALL_THREES, comment=" fine ", today=TODAY
    )
    assert response.answers["q7"] == 3 and response.comment == "fine"
    assert response.team_kind == "sales" and response.role_group == "sales"
    assert response.submitted_on == TODAY
    assert Invitation.objects.get(person=cast.rep).used
    with pytest.raises(services.SurveyError, match="already been used"):
        services.response_submit(token=token, answers=ALL_THREES, today=TODAY)
    assert Response.objects.count() == 1


def test_response_holds_nothing_that_links_it_to_the_person() -> None:
    fields = {f.name for f in Response._meta.get_fields()}
    assert fields == {
        "id",
        "round",
        "team_kind",
        "role_group",
        "answers",
        "comment",
        "submitted_on",
    }
    assert Response._meta.get_field("id").get_internal_type() == "UUIDField"
    assert Response._meta.get_field("submitted_on").get_internal_type() == "DateField"
    assert Response._meta.ordering == ["id"]
    assert "used_at" not in {f.name for f in Invitation._meta.get_fields()}


def test_incomplete_or_out_of_range_answers_store_nothing(
    survey_round: Round,
    cast,
) -> None:
    [sent] = services.round_invite(round=survey_round, people=[cast.rep])
    for answers in ({**ALL_THREES, "q20": "6"}, {k: v for k, v in ALL_THREES.items() if k != "q1"}):
        with pytest.raises(services.SurveyError, match="answer every statement"):
            services.response_submit(token=_token(sent.link), answers=answers, today=TODAY)
    assert not Invitation.objects.get(person=cast.rep).used
    assert Response.objects.count() == 0


def test_closed_late_early_and_unknown_links_are_refused(
    survey_round: Round,
    cast,
) -> None:
    [sent] = services.round_invite(round=survey_round, people=[cast.rep])
    token = _token(sent.link)
    with pytest.raises(services.SurveyError, match="not opened yet"):
        services.response_submit(token=token, answers=ALL_THREES, today=date(2026, 10, 1))
    with pytest.raises(services.SurveyError, match="closed"):
        services.response_submit(token=token, answers=ALL_THREES, today=date(2026, 12, 1))
    with pytest.raises(services.SurveyError, match="not valid"):
        services.response_submit(token="nope", answers=ALL_THREES, today=TODAY)
    services.round_close(round=survey_round)
    with pytest.raises(services.SurveyError, match="closed"):
        services.response_submit(token=token, answers=ALL_THREES, today=TODAY)
    assert Response.objects.count() == 0


def test_remind_mails_only_those_who_have_not_answered(
    survey_round: Round,
    cast,
    django_capture_on_commit_callbacks,
) -> None:
    sent = services.round_invite(round=survey_round, people=[cast.rep, cast.marketer, cast.brand])
    services.response_submit(token=_token(sent[0].link), answers=ALL_THREES, today=TODAY)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.round_remind(round=survey_round) == 2
    assert sorted(m.to[0] for m in mail.outbox) == [cast.brand.email, cast.marketer.email]
    # Same wording for everyone, and the same (still valid) link as the invitation.
    assert mail.outbox[0].subject == mail.outbox[1].subject
    assert "answered" not in mail.outbox[0].body
    assert any(sent[1].link in m.body for m in mail.outbox)


def test_summary_of_a_round(survey_round: Round, cast) -> None:
    people = [
        Person.objects.create(name=f"P{i}", email=f"p{i}@x.test", role="sales_rep", team=t)
        for i, t in enumerate([cast.sales_team] * 5 + [cast.marketer.team] * 5)
    ]
    for person, link in (
        (s.person, s.link) for s in services.round_invite(round=survey_round, people=people)
    ):
        value = 2 if person.team == cast.sales_team else 4
        answers = dict.fromkeys(ALL_THREES, value)
        services.response_submit(token=_token(link), answers=answers, today=TODAY)
    summary = round_summary(survey_round)
    assert summary.overall.score == 60 and summary.overall.type == "aligned"
    assert summary.teams["sales"].score == 40 and summary.teams["marketing"].score == 80
    assert summary.gap == 40


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submit_stores_one_response(cast) -> None:
    survey_round = services.round_create(
        name="Race", opens_on=date(2026, 11, 1), closes_on=date(2026, 11, 30)
    )
    [sent] = services.round_invite(round=survey_round, people=[cast.rep])
    token = _token(sent.link)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit() -> None:
        try:
            barrier.wait()
            services.response_submit(token=token, answers=ALL_THREES, today=TODAY)
            outcomes.append("ok")
        except services.SurveyError as exc:
            outcomes.append(str(exc))
        except Exception as exc:  # SQLite may report the lock instead
            outcomes.append(f"db: {exc}")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1, outcomes
    assert Response.objects.filter(round=survey_round).count() == 1
