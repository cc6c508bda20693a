import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from casework.audit.models import AccessAction, AccessEvent
from casework.imports import layouts as L
from casework.imports.forms import NOT_A_SPREADSHEET
from casework.imports.models import ImportRun, ImportStatus
from clients.models import Client
from tests.imports.conftest import CLIENT_HEADER, client_row, csv_file

pytestmark = pytest.mark.django_db


def upload(client, project, content, name="klienti.csv", kind="clients"):
    return client.post(
        reverse("imports:upload", args=[project.pk]),
        {"kind": kind, "file": SimpleUploadedFile(name, content)},
    )


@pytest.mark.parametrize("persona", ["worker_a", "guarantor"])
def test_the_screen_is_for_administrators_only(request, client, project, persona):
    client.force_login(request.getfixturevalue(persona))
    for url in [
        reverse("imports:index"),
        reverse("imports:upload", args=[project.pk]),
        reverse("imports:export", args=[project.pk, "clients"]),
    ]:
        assert client.get(url).status_code == 403
    response = upload(client, project, csv_file(CLIENT_HEADER, [client_row(1)]))
    assert response.status_code == 403
    assert not ImportRun.objects.exists()


def test_projects_of_another_organisation_are_not_found(client, admin_user, foreign_project):
    client.force_login(admin_user)
    assert client.get(reverse("imports:upload", args=[foreign_project.pk])).status_code == 404
    url = reverse("imports:export", args=[foreign_project.pk, "clients"])
    assert client.get(url).status_code == 404
    response = upload(client, foreign_project, csv_file(CLIENT_HEADER, [client_row(1)]))
    assert response.status_code == 404


def test_runs_of_another_organisation_are_not_found(client, foreign_admin, project, admin_user):
    run = ImportRun.objects.create(
        project=project, kind="clients", file_name="a.csv", sha256="0" * 64, created_by=admin_user
    )
    client.force_login(foreign_admin)
    assert client.get(reverse("imports:run", args=[run.pk])).status_code == 404
    assert client.post(reverse("imports:confirm", args=[run.pk])).status_code == 404


def test_upload_dry_run_and_confirm(client, admin_user, project):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(admin_user)
    assert client.get(reverse("imports:upload", args=[project.pk])).status_code == 200

    response = upload(client, project, csv_file(CLIENT_HEADER, [client_row(1), client_row(2)]))

    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:run", args=[run.pk])
    page = client.get(response["Location"]).content.decode()
    assert "2 to create, 0 to change, 0 unchanged." in page
    assert "RAL-0001 Jana Nováková1" in page
    assert reverse("imports:confirm", args=[run.pk]) in page
    assert not Client.objects.exists()

    response = client.post(reverse("imports:confirm", args=[run.pk]), follow=True)

    assert "The file was imported." in response.content.decode()
    run.refresh_from_db()
    assert run.status == ImportStatus.IMPORTED
    assert run.confirmed_by == admin_user
    assert Client.objects.count() == 2
    assert AccessEvent.objects.filter(
        action=AccessAction.IMPORT, object_id=str(run.pk), project_id=project.pk
    ).exists()


def test_bad_rows_are_listed_and_cannot_be_confirmed(client, admin_user, project):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(admin_user)
    content = csv_file(CLIENT_HEADER, [client_row(1, **{L.BIRTH_NUMBER: "123"})])

    page = client.get(upload(client, project, content)["Location"]).content.decode()

    run = ImportRun.objects.get()
    assert "1 bad row" in page
    assert L.BIRTH_NUMBER in page
    assert reverse("imports:confirm", args=[run.pk]) not in page
    response = client.post(reverse("imports:confirm", args=[run.pk]), follow=True)
    assert "Nothing was imported" in response.content.decode()
    assert not Client.objects.exists()


def test_only_spreadsheets_are_accepted(client, admin_user, project):
    client.force_login(admin_user)
    response = upload(client, project, b"%PDF-1.4\n...", name="klienti.csv")
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [str(NOT_A_SPREADSHEET)]
    assert not ImportRun.objects.exists()


def test_export_download(client, admin_user, project, client_a):
    client.force_login(admin_user)
    response = client.get(reverse("imports:export", args=[project.pk, "clients"]) + "?format=csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="RAL-clients.csv"'
    assert "RAL-0001;Anna;Adámková" in response.content.decode("utf-8-sig")
    xlsx = client.get(reverse("imports:export", args=[project.pk, "debts"]))
    assert xlsx.content.startswith(b"PK")
    assert client.get(reverse("imports:export", args=[project.pk, "nope"])).status_code == 404


def _runs(project, admin_user, count):
    for n in range(count):
        ImportRun.objects.create(
            project=project,
            kind="clients",
            file_name=f"{n}.csv",
            sha256="0" * 64,
            created_by=admin_user,
        )


@pytest.mark.parametrize("count", [1, 3])
def test_index_query_count(
    client, admin_user, project, other_project, count, django_assert_num_queries
):
    _runs(project, admin_user, count)
    client.force_login(admin_user)
    client.get(reverse("imports:index"))  # warm the session
    # session, user, roles (for the check and the navigation), projects, runs
    with django_assert_num_queries(5):
        response = client.get(reverse("imports:index"))
    assert len(response.context["runs"]) == count


def test_command_dry_run_writes_nothing_and_reports_rows(tmp_path, project, admin_user, capsys):
    path = tmp_path / "klienti.csv"
    path.write_bytes(csv_file(CLIENT_HEADER, [client_row(1)]))
    call_command("import_xlsx", str(path), project="RAL", kind="clients", dry_run=True)
    assert not Client.objects.exists()
    assert ImportRun.objects.get().status == ImportStatus.CHECKED

    call_command("import_xlsx", str(path), project="RAL", kind="clients")
    assert Client.objects.count() == 1
    assert ImportRun.objects.filter(status=ImportStatus.IMPORTED, created_by=admin_user).exists()


def test_command_refuses_a_file_with_bad_rows(tmp_path, project, admin_user):
    path = tmp_path / "klienti.csv"
    path.write_bytes(csv_file(CLIENT_HEADER, [client_row(1), client_row(2, **{L.ENTRY_DATE: ""})]))
    with pytest.raises(CommandError, match="1 errors"):
        call_command("import_xlsx", str(path), project="RAL", kind="clients")
    assert not Client.objects.exists()
