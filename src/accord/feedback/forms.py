"""The one-minute feedback form: kind, what it is about, a line of text."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from django import forms

from accord.directory.access import User
from accord.feedback.models import TEXT_MAX, FeedbackKind
from accord.feedback.queries import target_choices_for_user, target_for_user, target_label
from accord.feedback.services import FeedbackError, Note, Target

TEXT_MIN = 10


class AboutField(forms.ChoiceField):
    """A select of likely records whose value is checked by access, not by the list.

    The list is a shortcut; a link may preselect any record the writer can
    see, and :func:`target_for_user` decides.
    """

    def valid_value(self, value: str) -> bool:
        return True


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(
        label="What did you hear?",
        choices=FeedbackKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of feedback this is."},
    )
    about = AboutField(
        label="About",
        error_messages={"required": "Choose the account, deal or lead this is about."},
    )
    text = forms.CharField(
        label="In a sentence",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        help_text=f"What the customer said, in their words if you can ({TEXT_MAX} characters).",
        error_messages={
            "required": "Write what you heard, a sentence is enough.",
            "max_length": f"Keep it under {TEXT_MAX} characters; a sentence or two is plenty.",
        },
    )
    competitor = forms.CharField(
        label="Competitor (if any)",
        max_length=80,
        required=False,
        error_messages={"max_length": "A competitor's name fits in 80 characters."},
    )
    key = forms.CharField(widget=forms.HiddenInput)

    def __init__(
        self,
        data: Mapping[str, object] | None = None,
        *,
        user: User,
        initial: dict[str, str] | None = None,
    ) -> None:
        super().__init__(data, initial={"key": uuid.uuid4().hex, **(initial or {})})
        self.user = user
        self.target: Target | None = None
        self.fields["about"].choices = [("", "Choose…"), *self._choices()]

    def _choices(self) -> list[tuple[str, list[tuple[str, str]]]]:
        groups = target_choices_for_user(self.user)
        preselected = self.data.get("about") or self.initial.get("about")
        known = {value for _, options in groups for value, _ in options}
        if preselected and preselected not in known:
            try:
                target = target_for_user(self.user, str(preselected))
            except FeedbackError:
                return groups
            groups.insert(0, ("Chosen", [(str(preselected), target_label(target))]))
        return groups

    def clean_text(self) -> str:
        text = " ".join(self.cleaned_data["text"].split())
        if len(text) < TEXT_MIN:
            raise forms.ValidationError(f"Say a little more: at least {TEXT_MIN} characters.")
        return text

    def clean_key(self) -> str:
        key = self.cleaned_data["key"]
        try:
            return uuid.UUID(key).hex
        except ValueError:
            raise forms.ValidationError("This form is damaged; reload the page.") from None

    def clean_about(self) -> str:
        about = self.cleaned_data["about"]
        try:
            self.target = target_for_user(self.user, about)
        except FeedbackError as exc:
            raise forms.ValidationError(str(exc)) from None
        return about

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("kind") == FeedbackKind.COMPETITOR and not data.get("competitor"):
            self.add_error("competitor", "Name the competitor you met.")
        return data

    @property
    def has_targets(self) -> bool:
        return len(self.fields["about"].choices) > 1

    @property
    def note(self) -> Note:
        data = self.cleaned_data
        return Note(kind=data["kind"], text=data["text"], competitor=data["competitor"])
