"""Generic exports: a small YAML file says which column holds what.

```yaml
object: opportunity      # account, contact, lead or opportunity
columns:                 # Accord field: the file's column header
  id: Deal Ref
  account: Customer Ref
  name: Title
  stage: Phase
  amount: Value
  close_date: Closed On
  created: Opened On
```
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml

from accord.connectors import formats as f
from accord.connectors import values as v
from accord.crm.choices import LeadStage


class MappingProblem(LookupError):
    pass


def plain_id(raw: str | None) -> str | None:
    if v.blank(raw):
        return None
    text = raw.strip()
    if len(text) > 64:
        raise v.ValueProblem(f"an id longer than 64 characters: {text[:20]!r}…")
    return text


def generic_contact(cells: f.Cells) -> list[f.Item]:
    email = cells.required("email", v.parse_email)
    return [
        f.Item(
            "contact",
            cells.required("id", plain_id),
            {
                "email": email,
                "first_name": cells.text("first_name"),
                "last_name": cells.text("last_name"),
                "title": cells.text("title"),
                "phone": cells.text("phone"),
                "country": cells.get("country", f.country) or "",
                "created_at": f.required_datetime(cells, "created"),
            },
            {"account": ("account", cells.get("account", plain_id))},
            domain=v.email_domain(email),
        )
    ]


def lead_stage(raw: str | None) -> str:
    text = v.parse_text(raw).lower()
    for stage in LeadStage:
        if text in (stage.value, stage.label.lower()):
            return stage.value
    if not text:
        return LeadStage.INQUIRY
    raise v.ValueProblem(f"unknown lead stage {text!r} (use one of {', '.join(LeadStage.values)})")


def generic_lead(cells: f.Cells) -> list[f.Item]:
    [contact] = generic_contact(cells)
    contact.primary = False
    dates = {f"{s}_at": cells.get(f"{s}_at", v.parse_datetime) for s in ("mql", "sql")}
    lead = f.Item(
        "lead",
        contact.external_id,
        {
            "stage": cells.get("stage", lead_stage) or LeadStage.INQUIRY,
            "status": cells.text("status"),
            "lead_source": cells.text("lead_source"),
            "created_at": contact.fields["created_at"],
            **dates,
        },
        {"contact": ("contact", contact.external_id), "account": contact.refs["account"]},
        domain=contact.domain,
    )
    return [contact, lead]


def generic_opportunity(cells: f.Cells) -> list[f.Item]:
    return f.opportunity_item(cells, plain_id, closed_stages=not cells.has("is_closed"))


OBJECTS: dict[str, tuple[Callable[[f.Cells], list[f.Item]], tuple[str, ...], tuple[str, ...]]] = {
    "account": (
        lambda cells: f.account_item(cells, plain_id),
        ("id", "name", "created"),
        ("website", "industry", "employees", "country"),
    ),
    "contact": (
        generic_contact,
        ("id", "email", "created"),
        ("account", "first_name", "last_name", "title", "phone", "country"),
    ),
    "lead": (
        generic_lead,
        ("id", "email", "created"),
        (
            "account",
            "first_name",
            "last_name",
            "title",
            "phone",
            "country",
            "stage",
            "status",
            "lead_source",
            "mql_at",
            "sql_at",
        ),
    ),
    "opportunity": (
        generic_opportunity,
        ("id", "account", "name", "stage", "created"),
        ("amount", "currency", "is_closed", "is_won", "close_date", "lost_reason"),
    ),
}


def mapping_format(path: Path) -> f.Format:
    """Read a mapping file into a format; every mistake in it is a :class:`MappingProblem`."""
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise MappingProblem(f"cannot read the mapping {path.name}: {exc}") from None
    if not isinstance(spec, dict) or not isinstance(spec.get("columns"), dict):
        raise MappingProblem(f"{path.name}: expected 'object:' and a 'columns:' table")
    kind = spec.get("object")
    if kind not in OBJECTS:
        raise MappingProblem(f"{path.name}: object must be one of {', '.join(OBJECTS)}")
    rows, required, optional = OBJECTS[kind]
    columns = {str(k): str(h) for k, h in spec["columns"].items()}
    unknown = sorted(set(columns) - set(required) - set(optional))
    missing = [name for name in required if name not in columns]
    if unknown or missing:
        raise MappingProblem(
            f"{path.name}: unknown fields {unknown or '-'}; missing fields {missing or '-'} "
            f"(a {kind} needs {', '.join(required)}; may have {', '.join(optional)})"
        )
    return f.Format("generic", kind, {k: (h,) for k, h in columns.items()}, required, rows)
