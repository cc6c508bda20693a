from django.contrib.postgres.operations import (
    BtreeGistExtension,
    TrigramExtension,
    UnaccentExtension,
)
from django.db import migrations


class Migration(migrations.Migration):
    """Extensions the schema relies on: accent-insensitive and typo-tolerant search
    (unaccent, pg_trgm) and exclusion constraints over date ranges (btree_gist)."""

    initial = True
    dependencies = []
    operations = [UnaccentExtension(), TrigramExtension(), BtreeGistExtension()]
