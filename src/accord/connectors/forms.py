from __future__ import annotations

from django import forms

FORMAT_CHOICES = [
    ("auto", "Detect from the header"),
    ("salesforce", "Salesforce"),
    ("hubspot", "HubSpot"),
    ("marketo", "Marketo"),
]


class UploadForm(forms.Form):
    file = forms.FileField(label="Export file", help_text="CSV or Parquet, as your CRM wrote it")
    format = forms.ChoiceField(label="System", choices=FORMAT_CHOICES, initial="auto")


class ApplyForm(forms.Form):
    skip_invalid = forms.BooleanField(
        label="Apply the valid rows and skip the invalid ones", required=False
    )
