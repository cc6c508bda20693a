"""Checks that hold in every configuration; ``test_production`` also runs them with a PgBouncer
flag and a replica pointing at the same server."""

import os

import pytest
from django.conf import settings
from django.db import connection, connections

from casework.models import Organisation
from casework.routers import reading_replica, replica_configured
from tests.factories import OrganisationFactory


def test_pooler_options_follow_the_environment(db):
    pooled = os.environ.get("DATABASE_POOLER") == "pgbouncer"
    options = connection.settings_dict.get("OPTIONS", {})
    assert ("prepare_threshold" in options and options["prepare_threshold"] is None) == pooled
    assert connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS", False) == pooled
    connection.ensure_connection()
    if pooled:
        assert connection.connection.prepare_threshold is None
    # A query that would use a server-side cursor, and the same one repeated (prepared
    # statements start at the fifth execution by default).
    OrganisationFactory.create_batch(3)
    for _ in range(6):
        assert len(list(Organisation.objects.order_by("pk").iterator(chunk_size=2))) == 3


@pytest.mark.django_db(
    transaction=True,
    databases=["default", "replica"] if "replica" in settings.DATABASES else ["default"],
)
def test_reports_read_from_the_replica_when_there_is_one():
    organisation = OrganisationFactory()
    with reading_replica():
        queryset = Organisation.objects.filter(pk=organisation.pk)
        assert queryset.db == ("replica" if replica_configured() else "default")
        assert queryset.get() == organisation
    assert Organisation.objects.filter(pk=organisation.pk).db == "default"
    if replica_configured():
        assert connections["replica"].settings_dict["NAME"] == connection.settings_dict["NAME"]
