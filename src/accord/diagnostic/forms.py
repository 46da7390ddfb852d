from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from accord.diagnostic import models
from accord.diagnostic.instrument import Instrument
from accord.diagnostic.services import ROUND_DATES
from accord.directory.models import Person, Team
from accord.directory.roles import Role

SCALE_LABELS = {
    1: "Strongly disagree",
    2: "Disagree",
    3: "Neutral",
    4: "Agree",
    5: "Strongly agree",
}


class AnswerForm(forms.Form):
    """One radio group per statement, built from the round's instrument."""

    comment = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Anything else? (optional)",
        help_text="Shown to managers only among the comments of a group of five or more.",
    )

    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        choices = [
            (str(v), SCALE_LABELS.get(v, str(v)))
            for v in range(instrument.scale_min, instrument.scale_max + 1)
        ]
        for number, item in enumerate(instrument.items, start=1):
            self.fields[item.key] = forms.ChoiceField(
                label=f"{number}. {item.text}",
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={"required": "Please choose a rating for this statement."},
            )
        self.order_fields([*instrument.item_keys, "comment"])

    def statements(self) -> list[forms.BoundField]:
        return [self[key] for key in self.instrument.item_keys]


class MoveAdoptForm(forms.Form):
    move = forms.IntegerField(min_value=0)
    owner = forms.ModelChoiceField(queryset=Person.objects.filter(is_active=True))
    due_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean_due_on(self) -> date | None:
        return self.cleaned_data.get("due_on")


class RoundForm(forms.Form):
    name = forms.CharField(max_length=160, help_text="A name people will recognise, e.g. Q1 2027.")
    instrument = forms.ModelChoiceField(
        queryset=models.Instrument.objects.all(),
        empty_label=None,
        label="Instrument version",
        help_text="Results always say which version produced them.",
    )
    opens_on = forms.DateField(
        label="Opens on", widget=forms.DateInput(attrs={"type": "date"}), help_text="First day."
    )
    closes_on = forms.DateField(
        label="Closes on", widget=forms.DateInput(attrs={"type": "date"}), help_text="Last day."
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", ROUND_DATES)
        return data


NOBODY_CHOSEN = "Choose at least one person, team or role to invite."


class InviteForm(forms.Form):
    """Invitees as the union of whole teams, whole roles and single people."""

    teams = forms.ModelMultipleChoiceField(queryset=Team.objects.all(), required=False)
    roles = forms.MultipleChoiceField(choices=[(r.value, r.label) for r in Role], required=False)
    people = forms.ModelMultipleChoiceField(
        queryset=Person.objects.filter(is_active=True), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not any(data.get(key) for key in ("teams", "roles", "people")):
            raise forms.ValidationError(NOBODY_CHOSEN)
        return data
