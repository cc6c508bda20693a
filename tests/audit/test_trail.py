"""Changes are recorded by triggers (bulk updates included), reads by the views; neither can be
rewritten."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from casework.audit.context import acting_user
from casework.audit.events import record_access
from casework.audit.models import AccessAction, AccessEvent, ChangeEvent
from casework.models import InterventionParticipant
from clients.models import Client, Document
from tests.factories import DocumentFactory, InterventionFactory, TaskFactory

pytestmark = pytest.mark.django_db


def changes_of(table, row_id):
    return list(
        ChangeEvent.objects.filter(table=table, row_id=str(row_id))
        .order_by("pk")
        .values_list("action", "user_id", "changes")
    )


def test_bulk_update_is_recorded_with_the_acting_user_and_the_changed_fields(
    admin_user, client_a, client_b
):
    with acting_user(admin_user):
        Client.objects.filter(pk__in=[client_a.pk, client_b.pk]).update(notes="Přestěhován")

    recorded = ChangeEvent.objects.filter(table="clients_client", action="U")
    assert sorted(recorded.values_list("client_id", "user_id", "changes")) == [
        (client_a.pk, admin_user.pk, {"notes": ["", "Přestěhován"]}),
        (client_b.pk, admin_user.pk, {"notes": ["", "Přestěhován"]}),
    ]


def test_insert_and_delete_are_recorded_with_client_and_project(project, worker_a, client_a):
    intervention = InterventionFactory(project=project, participants=[client_a])
    participant = InterventionParticipant.objects.get(intervention=intervention)

    participant.delete()

    events = ChangeEvent.objects.filter(table="casework_interventionparticipant").order_by("pk")
    assert [(e.action, e.client_id, e.project_id) for e in events] == [
        ("I", client_a.pk, project.pk),
        ("D", client_a.pk, project.pk),
    ]


def test_update_that_changes_nothing_records_nothing(client_a):
    before = ChangeEvent.objects.count()

    Client.objects.filter(pk=client_a.pk).update(notes=client_a.notes)

    assert ChangeEvent.objects.count() == before


def test_a_request_announces_its_user_to_the_triggers(client, project, worker_a, client_a):
    task = TaskFactory(owner=worker_a, client=client_a, project=project)
    client.force_login(worker_a)

    client.post(reverse("clients:task_done", args=[task.pk]))

    action, user_id, changes = changes_of("clients_task", task.pk)[-1]
    assert (action, user_id, "done_at" in changes) == ("U", worker_a.pk, True)


def test_changes_outside_a_request_have_no_user_and_the_setting_does_not_leak(
    client, worker_a, client_a
):
    client.force_login(worker_a)
    client.get(reverse("clients:detail", args=[client_a.pk]))

    Client.objects.filter(pk=client_a.pk).update(notes="mimo požadavek")

    assert changes_of("clients_client", client_a.pk)[-1][:2] == ("U", None)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_changeevent SET user_id = NULL",
        "DELETE FROM audit_changeevent",
        "UPDATE audit_changeevent SET changes = '{}'",
        "UPDATE audit_accessevent SET ip = NULL",
        "DELETE FROM audit_accessevent",
    ],
)
def test_audit_rows_cannot_be_changed_or_deleted(worker_a, client_a, statement):
    with acting_user(worker_a):
        Client.objects.filter(pk=client_a.pk).update(notes="změna")
    record_access(worker_a, AccessAction.VIEW_CASE_FILE, client=client_a, obj=client_a)

    with (
        pytest.raises(DatabaseError, match="cannot be changed or deleted"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)

    assert (ChangeEvent.objects.filter(changes={}).count(), AccessEvent.objects.count()) == (0, 1)


def test_orm_delete_of_audit_rows_raises(worker_a, client_a):
    record_access(worker_a, AccessAction.VIEW_CASE_FILE, client=client_a)

    with pytest.raises(DatabaseError), transaction.atomic():
        AccessEvent.objects.all().delete()

    assert AccessEvent.objects.count() == 1


def test_opening_the_case_file_is_recorded(client, worker_a, client_a):
    client.force_login(worker_a)

    client.get(reverse("clients:detail", args=[client_a.pk]), REMOTE_ADDR="10.1.2.3")

    assert list(
        AccessEvent.objects.values_list("user", "action", "client_id", "object_type", "ip")
    ) == [(worker_a.pk, "view_case_file", client_a.pk, "clients.client", "10.1.2.3")]


def test_a_refused_case_file_is_not_recorded(client, worker_b, client_a):
    client.force_login(worker_b)

    response = client.get(reverse("clients:detail", args=[client_a.pk]))

    assert (response.status_code, AccessEvent.objects.count()) == (404, 0)


def test_document_download_is_recorded(client, settings, tmp_path, project, worker_a, client_a):
    settings.MEDIA_ROOT = tmp_path
    document = DocumentFactory(client=client_a, project=project, uploaded_by=worker_a)
    document.file.save("x", ContentFile(b"%PDF-1.4"), save=True)
    client.force_login(worker_a)

    response = client.get(reverse("clients:document_download", args=[document.pk]))
    b"".join(response.streaming_content)

    assert list(
        AccessEvent.objects.values_list("action", "client_id", "project_id", "object_id")
    ) == [("download_document", client_a.pk, project.pk, str(document.pk))]
    assert Document.objects.count() == 1


def test_record_access_is_one_insert(django_assert_num_queries, worker_a, client_a):
    with django_assert_num_queries(1):
        record_access(worker_a, AccessAction.EXPORT_LIST, client=client_a.pk)


def test_redaction_may_replace_values_but_never_who_when_or_what(worker_a, client_a):
    with acting_user(worker_a):
        Client.objects.filter(pk=client_a.pk).update(notes="změna")

    with (
        pytest.raises(DatabaseError, match="cannot be changed or deleted"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "SELECT set_config('casework.audit_redaction', 'on', true); "
            "UPDATE audit_changeevent SET user_id = NULL, changes = '{}'"
        )

    assert ChangeEvent.objects.filter(user=worker_a).count() == 1
