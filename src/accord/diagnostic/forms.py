from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from accord.diagnostic.instrument import Instrument
from accord.directory.models import Person

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
