"""TRUNCATE of the audit tables is refused; only the test suite's own flush may empty them."""

import pytest
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction

from casework.audit.context import acting_user
from casework.audit.events import record_access
from casework.audit.models import AccessAction, AccessEvent, ChangeEvent
from clients.models import Client

AUDIT_TABLES = ["audit_changeevent", "audit_accessevent"]


def _record(worker, client):
    with acting_user(worker):
        Client.objects.filter(pk=client.pk).update(notes="změna")
    record_access(worker, AccessAction.VIEW_CASE_FILE, client=client, obj=client)
    return ChangeEvent.objects.count(), AccessEvent.objects.count()


def _truncate(statement):
    with (
        pytest.raises(DatabaseError, match="audit tables cannot be truncated"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement",
    [
        "TRUNCATE audit_changeevent",
        "TRUNCATE audit_accessevent",
        "TRUNCATE audit_changeevent, audit_accessevent RESTART IDENTITY",
        "TRUNCATE ONLY audit_accessevent CASCADE",
    ],
)
def test_truncate_from_the_app_connection_is_refused(worker_a, client_a, statement):
    before = _record(worker_a, client_a)

    _truncate(statement)

    assert (ChangeEvent.objects.count(), AccessEvent.objects.count()) == before
    assert before[0] > 0
    assert before[1] == 1


@pytest.mark.django_db(transaction=True)
def test_only_the_flush_of_the_test_suite_may_truncate(worker_a, client_a):
    _record(worker_a, client_a)
    _truncate("TRUNCATE audit_accessevent")
    assert AccessEvent.objects.count() == 1

    connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), AUDIT_TABLES))

    assert (ChangeEvent.objects.count(), AccessEvent.objects.count()) == (0, 0)
    # The permission ended with the flush's transaction.
    record_access(worker_a, AccessAction.VIEW_CASE_FILE, client=client_a)
    _truncate("TRUNCATE audit_accessevent")
    assert AccessEvent.objects.count() == 1
