"""Stored valid support per enrolment, kept by triggers (``clients.support_sql``)."""

import django.db.models.deletion
from django.db import migrations, models

from clients.support_sql import DROP_SQL, FUNCTIONS_SQL, REFRESH_ALL_SQL, TRIGGERS_SQL


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0006_task_list_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="EnrolmentSupport",
            fields=[
                (
                    "enrolment",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="support",
                        serialize=False,
                        to="clients.enrolment",
                    ),
                ),
                ("first_support_on", models.DateField(null=True)),
                ("last_support_on", models.DateField(null=True)),
                ("threshold_crossed_on", models.DateField(null=True)),
                ("support_minutes", models.PositiveIntegerField(default=0)),
            ],
            options={
                "verbose_name": "enrolment support",
                "verbose_name_plural": "enrolment support",
            },
        ),
        migrations.RunSQL(
            FUNCTIONS_SQL + TRIGGERS_SQL + REFRESH_ALL_SQL, reverse_sql=DROP_SQL, elidable=False
        ),
    ]
