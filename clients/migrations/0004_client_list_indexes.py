"""Indexes for the client list's status filter and the duplicate check by birth number."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("clients", "0003_client_search")]

    operations = [
        # Client list filter "status", in the list's order.
        migrations.AddIndex(
            model_name="client",
            index=models.Index(
                fields=["status", "last_name", "first_name", "id"], name="client_status_order_idx"
            ),
        ),
        # Duplicate check on creation: the same birth number in the organisation.
        migrations.AddIndex(
            model_name="client",
            index=models.Index(
                condition=models.Q(("birth_number", ""), _negated=True),
                fields=["organisation", "birth_number"],
                name="client_birth_number_idx",
            ),
        ),
    ]
