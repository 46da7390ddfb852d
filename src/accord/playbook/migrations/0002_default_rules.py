"""Ship the research's four rules of engagement, so they hold from the first day.

They have no owner yet (there are no people at migration time);
``accord.playbook.rules.default_rules_install`` gives them one later.
"""

from __future__ import annotations

from django.db import migrations
from django.utils import timezone


def install(apps, schema_editor) -> None:
    from accord.playbook.rules import DEFAULT_RULES

    rule_model = apps.get_model("playbook", "Rule")
    now = timezone.now()
    for spec in DEFAULT_RULES:
        values = {k: str(v) if k == "action" else v for k, v in spec.items()}
        rule_model.objects.get_or_create(
            key=spec["key"], defaults={**values, "created_at": now, "updated_at": now}
        )


class Migration(migrations.Migration):
    dependencies = [("playbook", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
