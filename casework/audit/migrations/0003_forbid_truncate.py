"""TRUNCATE of the audit tables raises, like UPDATE and DELETE of their rows."""

from django.db import migrations

from casework.audit.triggers import (
    DROP_FORBID_TRUNCATE_SQL,
    FORBID_TRUNCATE_SQL,
    protect_table_from_truncate_sql,
)

AUDIT_TABLES = ("audit_changeevent", "audit_accessevent")


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_audit_triggers")]

    operations = [
        migrations.RunSQL(FORBID_TRUNCATE_SQL, DROP_FORBID_TRUNCATE_SQL),
        *(
            migrations.RunSQL(
                protect_table_from_truncate_sql(table),
                f"DROP TRIGGER IF EXISTS audit_no_truncate ON {table};",
            )
            for table in AUDIT_TABLES
        ),
    ]
