from django.db import migrations, models

SQLITE_GUARD = (
    "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;"
)
POSTGRES_GUARD = (
    "CREATE OR REPLACE FUNCTION audit_entry_no_update() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'audit entries are append-only'; END; $$ LANGUAGE plpgsql; "
    "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry "
    "FOR EACH ROW EXECUTE FUNCTION audit_entry_no_update();"
)


def guard_add(apps, schema_editor):
    """Refuse UPDATE in the database itself (deletes stay possible for retention)."""
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_GUARD)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_GUARD)


def guard_remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor in ("sqlite", "postgresql"):
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS audit_entry_no_update"
            + (" ON audit_auditentry" if vendor == "postgresql" else "")
        )


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="AuditEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("at", models.DateTimeField(db_index=True)),
                ("action", models.CharField(db_index=True, max_length=40)),
                (
                    "actor_id",
                    models.IntegerField(blank=True, help_text="The login's user id", null=True),
                ),
                ("actor_name", models.CharField(blank=True, max_length=150)),
                (
                    "target",
                    models.CharField(blank=True, help_text="What was acted on", max_length=255),
                ),
                ("detail", models.JSONField(blank=True, default=dict)),
                ("ip", models.GenericIPAddressField(blank=True, null=True)),
            ],
            options={"ordering": ["-at", "-id"], "verbose_name_plural": "audit entries"},
        ),
        migrations.RunPython(guard_add, guard_remove),
    ]
