"""The one-minute form: field errors, one row per submit, only visible records."""

from __future__ import annotations

import uuid

import pytest

from accord.feedback.models import Feedback, FeedbackKind
from tests.conftest import Cast, login

URL = "/feedback/new/"


def post(client, **fields):
    data = {
        "kind": FeedbackKind.OBJECTION,
        "text": "Price per seat is above their budget",
        "competitor": "",
        "key": uuid.uuid4().hex,
        **fields,
    }
    return client.post(URL, data)


@pytest.fixture
def rep_client(client, cast: Cast):
    login(client, cast.rep)
    return client


def test_the_form_lists_what_the_rep_owns_with_a_label_on_every_control(rep_client, ground) -> None:
    html = rep_client.get(URL).content.decode()
    assert f'value="opportunity:{ground.rep_deal.pk}"' in html
    assert f'value="lead:{ground.rep_lead.pk}"' in html
    assert f'value="account:{ground.rep_account.pk}"' in html
    assert f'value="opportunity:{ground.other_deal.pk}"' not in html
    assert f'value="lead:{ground.other_lead.pk}"' not in html
    for control in ("id_about", "id_text", "id_competitor", "id_kind_0"):
        assert f'for="{control}"' in html
    assert 'type="hidden" name="key"' in html


def test_a_valid_note_is_saved_with_the_deal_account_and_segment(rep_client, cast, ground) -> None:
    response = post(rep_client, about=f"opportunity:{ground.rep_deal.pk}")
    assert response.status_code == 302
    note = Feedback.objects.get()
    assert (note.author, note.account, note.opportunity, note.lead) == (
        cast.rep,
        ground.rep_account,
        ground.rep_deal,
        None,
    )
    assert note.segment == ground.smb
    assert note.kind == FeedbackKind.OBJECTION
    assert note.noted_at.utcoffset().total_seconds() == 0


def test_a_double_submit_saves_one_row(rep_client, ground) -> None:
    key = uuid.uuid4().hex
    about = f"lead:{ground.rep_lead.pk}"
    first = post(rep_client, about=about, key=key)
    second = post(rep_client, about=about, key=key)
    assert first.status_code == second.status_code == 302
    assert Feedback.objects.count() == 1
    page = rep_client.get(URL).content.decode()
    assert "Already saved; nothing was added twice." in page
    post(rep_client, about=about)  # a fresh form is a new note
    assert Feedback.objects.count() == 2


def test_a_key_used_by_someone_else_is_refused(client, cast, ground) -> None:
    key = uuid.uuid4().hex
    login(client, cast.rep)
    post(client, about=f"account:{ground.rep_account.pk}", key=key)
    login(client, cast.other_rep)
    response = post(client, about=f"account:{ground.other_account.pk}", key=key)
    assert response.status_code == 200
    assert "already used by someone else" in response.content.decode()
    assert Feedback.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"kind": ""}, "kind", "Choose what kind of feedback this is."),
        ({"kind": "gossip"}, "kind", "Select a valid choice."),
        ({"text": ""}, "text", "Write what you heard, a sentence is enough."),
        ({"text": "too dear"}, "text", "Say a little more: at least 10 characters."),
        ({"text": "x" * 601}, "text", "Keep it under 600 characters"),
        ({"about": ""}, "about", "Choose the account, deal or lead this is about."),
        ({"about": "deal:7"}, "about", "Choose the account, deal or lead this is about."),
        ({"kind": "competitor"}, "competitor", "Name the competitor you met."),
        ({"key": "not-a-key"}, "key", "This form is damaged; reload the page."),
    ],
)
def test_bad_input_names_the_field(rep_client, ground, fields, field, message) -> None:
    fields.setdefault("about", f"account:{ground.rep_account.pk}")
    response = post(rep_client, **fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert message in response.context["form"].errors[field][0]
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("record", ["other_deal", "other_lead"])
def test_a_rep_cannot_attach_feedback_to_records_they_cannot_see(
    rep_client, ground, record
) -> None:
    target = getattr(ground, record)
    kind = "opportunity" if record == "other_deal" else "lead"
    response = post(rep_client, about=f"{kind}:{target.pk}")
    assert response.status_code == 200
    assert f"That {kind} does not exist or is not one you can see." in response.content.decode()
    assert not Feedback.objects.exists()


def test_a_link_preselects_any_record_the_writer_can_see(client, cast, ground) -> None:
    login(client, cast.marketer)  # marketing sees every deal
    html = client.get(f"{URL}?about=opportunity:{ground.other_deal.pk}").content.decode()
    assert f'value="opportunity:{ground.other_deal.pk}" selected' in html
    login(client, cast.rep)
    html = client.get(f"{URL}?about=opportunity:{ground.other_deal.pk}").content.decode()
    assert f'value="opportunity:{ground.other_deal.pk}"' not in html


def test_a_login_without_a_person_cannot_leave_feedback(client, django_user_model) -> None:
    user = django_user_model.objects.create_user("ghost", password="x-pw-123456")
    client.force_login(user)
    assert client.get(URL).status_code == 403
