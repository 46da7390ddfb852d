"""Forms for the playbook pages; the rule form checks every condition against its event."""

from __future__ import annotations

from typing import Any

from django import forms

from accord.directory.models import Person, Segment
from accord.directory.roles import Role
from accord.playbook.models import (
    Collateral,
    PlanStatus,
    Rule,
    RuleAction,
)
from accord.playbook.rules import rule_validate
from accord.playbook.vocabulary import EVENTS, OPERATORS, RELATIONS, REQUIREMENTS, field_value

CONDITION_SLOTS = 3
# Grouped by event; a field name shared by two events (``segment``) means the same thing.
FIELD_CHOICES: list[Any] = [("", "—")] + [
    (event.label, [(name, field.label) for name, field in event.fields.items()])
    for event in EVENTS.values()
]


def _people() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Person.objects.filter(is_active=True).order_by("name"), required=False
    )


class RuleForm(forms.Form):
    statement = forms.CharField(
        max_length=300,
        help_text="The rule in plain words, as everyone will read it.",
        widget=forms.TextInput(attrs={"size": 80}),
    )
    owner = _people()
    event = forms.ChoiceField(
        label="When", choices=[("", "Choose an event…")] + [(k, e.label) for k, e in EVENTS.items()]
    )
    action = forms.ChoiceField(label="Then", choices=RuleAction.choices)
    target_role = forms.ChoiceField(
        label="Whom: a role",
        required=False,
        choices=[("", "—")] + [(r.value, r.label) for r in Role],
    )
    target_person = _people()
    target_relation = forms.ChoiceField(
        label="Whom: people related to the record",
        required=False,
        choices=[("", "—")] + [(k, label) for k, (label, _) in RELATIONS.items()],
    )
    requirement = forms.ChoiceField(
        label="What a blocking rule requires",
        required=False,
        choices=[("", "—")] + [(k, r.label) for k, r in REQUIREMENTS.items()],
    )
    task_due_days = forms.IntegerField(
        label="Action items due after (days)", min_value=0, max_value=365, initial=5
    )
    is_active = forms.BooleanField(label="Active", required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_person"].label = "Whom: one person"
        self.fields["owner"].help_text = "Who answers for the rule (you, if left empty)."
        for slot in range(1, CONDITION_SLOTS + 1):
            self.fields[f"field_{slot}"] = forms.ChoiceField(
                label=f"Condition {slot}: field", choices=FIELD_CHOICES, required=False
            )
            self.fields[f"op_{slot}"] = forms.ChoiceField(
                label=f"Condition {slot}: comparison",
                choices=list(OPERATORS.items()),
                required=False,
            )
            self.fields[f"value_{slot}"] = forms.CharField(
                label=f"Condition {slot}: value", required=False, max_length=120
            )

    @classmethod
    def for_rule(cls, rule: Rule) -> RuleForm:
        initial: dict[str, Any] = {
            name: getattr(rule, name)
            for name in ("statement", "event", "action", "target_role", "target_relation")
        }
        initial |= {
            "owner": rule.owner_id,
            "target_person": rule.target_person_id,
            "requirement": rule.requirement,
            "task_due_days": rule.task_due_days,
            "is_active": rule.is_active,
        }
        for slot, condition in enumerate(rule.conditions, start=1):
            initial[f"field_{slot}"] = condition["field"]
            initial[f"op_{slot}"] = condition["op"]
            value = condition.get("value")
            initial[f"value_{slot}"] = "" if value is None else _shown(value)
        return cls(initial=initial)

    def condition_rows(self) -> list[tuple[forms.BoundField, ...]]:
        return [
            (self[f"field_{s}"], self[f"op_{s}"], self[f"value_{s}"])
            for s in range(1, CONDITION_SLOTS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        event = EVENTS.get(data.get("event", ""))
        conditions = []
        for slot in range(1, CONDITION_SLOTS + 1):
            condition = self._condition(slot, event, data)
            if condition:
                conditions.append(condition)
        data["conditions"] = conditions
        data["target_person"] = data.get("target_person")
        for name, message in rule_validate(data).items():
            target = name if not name.startswith("condition_") else f"value_{name[-1]}"
            if target in self.fields and target not in self.errors:
                self.add_error(target, message)
        return data

    def _condition(self, slot: int, event: Any, data: dict[str, Any]) -> dict[str, Any] | None:
        name, op, raw = data.get(f"field_{slot}"), data.get(f"op_{slot}"), data.get(f"value_{slot}")
        if not name:
            if raw:
                self.add_error(f"field_{slot}", "Choose the field this value is compared with.")
            return None
        if event is None:
            return None
        field = event.fields.get(name)
        if field is None:
            self.add_error(f"field_{slot}", f"“{event.label}” has no such field.")
            return None
        if op == "changed":
            return {"field": name, "op": op}
        try:
            return {"field": name, "op": op or "eq", "value": field_value(field, raw or "")}
        except ValueError as exc:
            self.add_error(f"value_{slot}", str(exc))
            return None

    def rule_data(self) -> dict[str, Any]:
        names = (
            "statement",
            "owner",
            "event",
            "conditions",
            "action",
            "target_role",
            "target_person",
            "target_relation",
            "requirement",
            "task_due_days",
            "is_active",
        )
        return {name: self.cleaned_data.get(name) for name in names}


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class CollateralForm(forms.ModelForm):
    link = forms.URLField(required=False, assume_scheme="https", help_text="Where the file lives")

    class Meta:
        model = Collateral
        fields = ("title", "kind", "summary", "segment")
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}


class NoteForm(forms.Form):
    body = forms.CharField(
        label="Comment", max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(
        choices=[(i, f"{i} star{'s' if i > 1 else ''}") for i in range(1, 6)], coerce=int
    )


class GapForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="What is missing, in a few words.")
    need = forms.CharField(
        label="Who needs it and what it must answer",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    segment = forms.ModelChoiceField(queryset=Segment.objects.all(), required=False)


class GapCloseForm(forms.Form):
    resolution = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    collateral = forms.ModelChoiceField(
        queryset=Collateral.objects.filter(state="published"),
        required=False,
        label="Answered by (optional)",
    )


class PlanForm(forms.Form):
    rep_owner = forms.ModelChoiceField(
        label="Sales owner",
        queryset=Person.objects.filter(
            is_active=True, role__in=[Role.SALES_REP, Role.SALES_MANAGER]
        ),
        required=False,
    )
    marketer_owner = forms.ModelChoiceField(
        label="Marketing owner",
        queryset=Person.objects.filter(
            is_active=True,
            role__in=[Role.MARKETER, Role.BRAND_MANAGER, Role.LIAISON, Role.MARKETING_MANAGER],
        ),
        required=False,
    )
    marketers = forms.ModelMultipleChoiceField(
        label="Marketers attached to the account",
        queryset=Person.objects.filter(
            is_active=True,
            role__in=[Role.MARKETER, Role.BRAND_MANAGER, Role.LIAISON, Role.MARKETING_MANAGER],
        ),
        required=False,
    )
    status = forms.ChoiceField(choices=PlanStatus.choices)
    goals = forms.CharField(
        required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    plays = forms.CharField(
        required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_steps = forms.CharField(
        label="Next steps",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReviewForm(forms.Form):
    on = forms.DateField(label="Next review on", widget=forms.DateInput(attrs={"type": "date"}))


class LaunchForm(forms.Form):
    name = forms.CharField(max_length=200)
    planned_on = forms.DateField(
        label="Planned announcement", widget=forms.DateInput(attrs={"type": "date"})
    )
    summary = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
