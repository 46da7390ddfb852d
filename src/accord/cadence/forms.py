"""Forms for planning meetings, editing agendas and agreeing action items."""

from __future__ import annotations

from django import forms

from accord.cadence.models import AgendaItem, Meeting, MeetingSeries
from accord.cadence.queries import eligible_participants
from accord.cadence.services import NEEDS_BOTH_SIDES, sides_missing
from accord.directory.models import Person
from accord.inbox.models import ActionItemStatus


class PersonChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Person) -> str:  # type: ignore[override]
        return f"{obj.name} ({obj.role_label})"


class SeriesForm(forms.ModelForm):
    class Meta:
        model = MeetingSeries
        fields = [
            "name",
            "cadence",
            "involvement_threshold",
            "stalled_after_days",
            "conversion_drop_points",
            "conversion_min_leads",
        ]
        labels = {
            "involvement_threshold": "Involvement threshold",
            "conversion_min_leads": "Fewest leads to compare",
        }


class MeetingForm(forms.Form):
    series = forms.ModelChoiceField(queryset=MeetingSeries.objects.all(), empty_label=None)
    held_on = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    participants = PersonChoices(
        queryset=Person.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text="At least one person from sales and one from marketing.",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["participants"].queryset = eligible_participants()

    def clean_participants(self) -> list[Person]:
        people = list(self.cleaned_data["participants"])
        if sides_missing(people):
            raise forms.ValidationError(NEEDS_BOTH_SIDES)
        return people


class MeetingEditForm(MeetingForm):
    summary = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["series"]


class AgendaItemAddForm(forms.Form):
    title = forms.CharField(max_length=200)
    detail = forms.CharField(
        required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AgendaItemForm(AgendaItemAddForm):
    notes = forms.CharField(
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What was said; it goes into the minutes.",
    )


class ActionItemForm(forms.Form):
    title = forms.CharField(max_length=200, label="Action item")
    owner = forms.ModelChoiceField(queryset=Person.objects.none())
    due_on = forms.DateField(
        required=False,
        label="Due",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Left empty: due by the next meeting.",
    )
    agenda_item = forms.ModelChoiceField(
        queryset=AgendaItem.objects.none(), required=False, label="Agenda point"
    )

    def __init__(self, *args: object, meeting: Meeting, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["owner"].queryset = meeting.participants.order_by("name")
        self.fields["agenda_item"].queryset = meeting.agenda.order_by("position", "id")


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(ActionItemStatus.DONE, "Done"), (ActionItemStatus.CANCELLED, "Cancelled")]
    )
