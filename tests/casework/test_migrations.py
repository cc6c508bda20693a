"""The schema in the migrations matches the models, and the extensions it relies on exist."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db

EXTENSIONS = ["btree_gist", "pg_trgm", "unaccent"]


def test_no_pending_migrations():
    out = io.StringIO()

    # Exits with status 1 (SystemExit) when a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", stdout=out)

    assert out.getvalue().strip() == "No changes detected"


def test_postgres_extensions_are_installed():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT extname FROM pg_extension WHERE extname = ANY(%s) ORDER BY extname",
            [EXTENSIONS],
        )
        installed = [name for (name,) in cursor.fetchall()]

    assert installed == EXTENSIONS
