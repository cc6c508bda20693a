"""Accent-insensitive, typo-tolerant client search (ClientQuerySet.search) with indexes.

``unaccent()`` is STABLE, so it cannot appear in an index; ``casework_unaccent`` wraps it as
IMMUTABLE with the dictionary named explicitly (the ``f_unaccent`` pattern). The indexes
replace ``client_name_trgm_idx``, which indexed the names with their accents and so never
served an accent-insensitive search.
"""

import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.db import migrations, models

import clients.models

CREATE_UNACCENT = """
CREATE FUNCTION casework_unaccent(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT public.unaccent('public.unaccent', $1) $$
"""
DROP_UNACCENT = "DROP FUNCTION casework_unaccent(text)"


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0001_postgres_extensions"),
        ("clients", "0002_fill_monitoring_codes"),
    ]

    operations = [
        migrations.RunSQL(CREATE_UNACCENT, DROP_UNACCENT),
        migrations.RemoveIndex(model_name="client", name="client_name_trgm_idx"),
        migrations.AddIndex(
            model_name="client",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass(
                    clients.models.Unaccent(
                        django.db.models.functions.text.Lower(
                            django.db.models.functions.text.Concat(
                                "first_name", models.Value(" "), "last_name"
                            )
                        )
                    ),
                    name="gin_trgm_ops",
                ),
                name="client_full_name_trgm_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="client",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass(
                    clients.models.Unaccent(django.db.models.functions.text.Lower("last_name")),
                    name="gin_trgm_ops",
                ),
                django.contrib.postgres.indexes.OpClass(
                    clients.models.Unaccent(django.db.models.functions.text.Lower("first_name")),
                    name="gin_trgm_ops",
                ),
                name="client_name_parts_trgm_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="client",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("code"), name="gin_trgm_ops"
                ),
                name="client_code_trgm_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="client",
            index=models.Index(fields=["birth_date"], name="client_birth_date_idx"),
        ),
        migrations.AddIndex(
            model_name="client",
            index=models.Index(fields=["birth_year"], name="client_birth_year_idx"),
        ),
    ]
