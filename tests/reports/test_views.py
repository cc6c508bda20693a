"""The report screens: generate, status and progress, download, the list, the indicators."""

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from casework.audit.models import AccessAction, AccessEvent
from reports.models import GeneratedReport, ReportStatus
from reports.registry import REGISTRY, ReportSpec
from reports.tasks import run_report
from tests.factories import GeneratedReportFactory
from tests.reports.conftest import P3
from tests.reports.test_indicators import participant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_and_english(settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def worker_kind(monkeypatch):
    """A report kind field workers may generate about their own work."""

    def build(report, progress):
        return f"worker={report.parameters.get('worker')}".encode()

    monkeypatch.setitem(REGISTRY, "caseload", ReportSpec("caseload", ("csv",), build, True))
    return "caseload"


def generate(client, **data):
    return client.post(
        reverse("reports:generate"),
        {"period_choice": "period", "file_format": "pdf", **data},
    )


def test_guarantor_queues_a_report_with_only_its_id(client, guarantor, project, known):
    client.force_login(guarantor)
    period = known["periods"][2]
    response = generate(
        client,
        kind="indicators",
        project=project.pk,
        reporting_period=period.pk,
        locality=known["L2"].pk,
    )
    report = GeneratedReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:status", args=[report.pk])
    assert (report.period_start, report.period_end) == P3
    assert report.parameters == {
        "period": "period",
        "reporting_period": period.pk,
        "locality": known["L2"].pk,
    }
    assert (report.created_by, report.status, report.language) == (
        guarantor,
        ReportStatus.QUEUED,
        "en",
    )
    task = DBTaskResult.objects.get()
    assert task.args_kwargs == {"args": [report.pk], "kwargs": {}}


def test_custom_range_and_cumulative(client, guarantor, project):
    client.force_login(guarantor)
    generate(
        client,
        kind="indicators",
        project=project.pk,
        period_choice="custom",
        date_from="2021-01-01",
        date_to="2021-08-31",
        file_format="csv",
    )
    generate(
        client,
        kind="indicators",
        project=project.pk,
        period_choice="cumulative",
        date_to="2021-06-30",
        file_format="xlsx",
    )
    spans = list(GeneratedReport.objects.order_by("pk").values_list("period_start", "period_end"))
    assert [(str(a), str(b)) for a, b in spans] == [
        ("2021-01-01", "2021-08-31"),
        ("2020-09-01", "2021-06-30"),
    ]


def test_form_errors_keep_the_input(client, guarantor, project, other_project):
    client.force_login(guarantor)
    response = generate(
        client,
        kind="indicators",
        project=project.pk,
        period_choice="custom",
        date_from="2021-05-01",
        date_to="2021-04-01",
        file_format="docx",
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "The range ends before it starts." in form.errors["date_to"]
    assert "file_format" in form.errors
    assert 'value="2021-05-01"' in response.content.decode()
    assert not GeneratedReport.objects.exists()


def test_guarantor_cannot_generate_for_a_project_they_do_not_manage(
    client, guarantor, other_project
):
    client.force_login(guarantor)
    response = generate(client, kind="indicators", project=other_project.pk)
    assert "project" in response.context["form"].errors
    assert not GeneratedReport.objects.exists()


def test_worker_may_not_choose_a_project_report(client, worker_a, project, worker_kind):
    client.force_login(worker_a)
    response = client.get(reverse("reports:generate"))
    kinds = [k for k, _label in response.context["form"].fields["kind"].choices]
    assert worker_kind in kinds
    assert "indicators" not in kinds
    response = generate(client, kind="indicators", project=project.pk, period_choice="cumulative")
    assert "kind" in response.context["form"].errors


def test_worker_report_is_forced_to_the_worker(
    client, worker_a, worker_b, guarantor, project, worker_kind
):
    client.force_login(worker_a)
    generate(
        client,
        kind=worker_kind,
        project=project.pk,
        period_choice="cumulative",
        file_format="csv",
        worker=worker_b.pk,
    )
    report = GeneratedReport.objects.get()
    assert report.parameters["worker"] == worker_a.pk
    run_report(report.pk)
    # The worker sees their own report, the colleague does not, the guarantor does.
    response = client.get(reverse("reports:download", args=[report.pk]))
    assert b"".join(response.streaming_content) == f"worker={worker_a.pk}".encode()
    client.force_login(worker_b)
    assert client.get(reverse("reports:status", args=[report.pk])).status_code == 404
    client.force_login(guarantor)
    assert client.get(reverse("reports:status", args=[report.pk])).status_code == 200


def test_worker_does_not_see_a_project_report_they_made_as_a_worker(
    client, worker_a, project, worker_kind
):
    # An indicators report carrying the worker's id is still a project report.
    report = GeneratedReportFactory(
        project=project, created_by=worker_a, parameters={"worker": worker_a.pk}
    )
    client.force_login(worker_a)
    assert client.get(reverse("reports:status", args=[report.pk])).status_code == 404


def test_status_page_polls_until_ready_then_offers_the_download(client, guarantor, project):
    report = GeneratedReportFactory(
        project=project, created_by=guarantor, status=ReportStatus.RUNNING, progress=40
    )
    client.force_login(guarantor)
    page = client.get(reverse("reports:status", args=[report.pk])).content.decode()
    assert (
        '<progress id="report-progress-bar" class="report-progress" max="100" value="40">' in page
    )
    assert f'hx-get="{reverse("reports:progress", args=[report.pk])}"' in page
    assert "style=" not in page

    report.status, report.progress = ReportStatus.DONE, 100
    report.file.save(report.download_name, ContentFile(b"%PDF-1.4\n"), save=False)
    report.save()
    fragment = client.get(
        reverse("reports:progress", args=[report.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "hx-get" not in fragment
    assert reverse("reports:download", args=[report.pk]) in fragment
    assert "<html" not in fragment
    # Without htmx (a bookmark) the address shows the whole page.
    page = client.get(reverse("reports:progress", args=[report.pk])).content.decode()
    assert "<html" in page
    assert reverse("reports:download", args=[report.pk]) in page


def test_failed_report_shows_the_reason_and_no_download(client, guarantor, project):
    report = GeneratedReportFactory(
        project=project,
        created_by=guarantor,
        status=ReportStatus.FAILED,
        error="The project has no reporting periods.",
    )
    client.force_login(guarantor)
    page = client.get(reverse("reports:status", args=[report.pk])).content.decode()
    assert "The project has no reporting periods." in page
    assert reverse("reports:download", args=[report.pk]) not in page
    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 404


def test_download_is_recorded_and_named_without_personal_data(client, admin_user, project):
    report = GeneratedReportFactory(
        project=project, created_by=admin_user, status=ReportStatus.DONE, file_format="csv"
    )
    report.file.save("whatever.csv", ContentFile(b"a;b\r\n"), save=True)
    client.force_login(admin_user)
    for expected in (1, 2):
        response = client.get(reverse("reports:download", args=[report.pk]))
        assert b"".join(response.streaming_content) == b"a;b\r\n"
        report.refresh_from_db()
        assert report.download_count == expected
        assert report.last_downloaded_at is not None
    assert response["Content-Disposition"] == (
        'attachment; filename="indicators-RAL-2020-09-01-2022-06-30.csv"'
    )


def test_queued_report_is_not_downloadable(client, guarantor, project):
    report = GeneratedReportFactory(project=project, created_by=guarantor)
    client.force_login(guarantor)
    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 404
    report.refresh_from_db()
    assert report.download_count == 0


@pytest.mark.parametrize("count", [1, 3])
def test_report_list_query_count(
    client, guarantor, project, other_project, django_assert_num_queries, count
):
    for _ in range(count):
        GeneratedReportFactory(project=project)
    GeneratedReportFactory(project=other_project)  # not the guarantor's
    client.force_login(guarantor)
    # Session, user, the count, the page (with project and author), the projects with
    # indicators, the roles of the nav.
    with django_assert_num_queries(6):
        response = client.get(reverse("reports:list"))
    assert len(response.context["page"].object_list) == count


def test_report_list_newest_first(client, admin_user, project):
    older = GeneratedReportFactory(project=project)
    newer = GeneratedReportFactory(project=project)
    client.force_login(admin_user)
    response = client.get(reverse("reports:list"))
    assert list(response.context["page"].object_list) == [newer, older]
    assert reverse("reports:indicators", args=[project.pk]) in response.content.decode()


def test_indicator_screen(client, guarantor, project, known):
    client.force_login(guarantor)
    period = known["periods"][2]
    response = client.get(
        reverse("reports:indicators", args=[project.pk]),
        {"period_choice": "period", "reporting_period": period.pk},
    )
    rows = {row.code: row for row in response.context["table"].rows}
    assert (rows["6 00 00"].in_period, rows["6 00 00"].cumulative) == (1, 3)
    page = response.content.decode()
    assert reverse("reports:indicator_detail", args=[project.pk, "60000"]) in page
    assert "7.5 %" in page


def test_indicator_screen_defaults_to_the_latest_started_period(client, guarantor, project, known):
    client.force_login(guarantor)
    response = client.get(reverse("reports:indicators", args=[project.pk]))
    table = response.context["table"]
    assert (table.start, table.end) == P3


def test_drilldown_lists_who_counts_and_who_is_missing_what(client, guarantor, project, known):
    client.force_login(guarantor)
    query = {"period_choice": "period", "reporting_period": known["periods"][2].pk}
    response = client.get(reverse("reports:indicator_detail", args=[project.pk, "60000"]), query)
    names = [row["client_id"] for row in response.context["page"].object_list]
    assert sorted(names) == sorted(known[k].client_id for k in "BCD")
    page = response.content.decode()
    assert "new in the period" in page  # C crossed in P3

    response = client.get(
        reverse("reports:indicator_detail", args=[project.pk, "supported"]), query
    )
    page = response.content.decode()
    assert "39\u00a0h 59\u00a0min" in page
    assert "labour-market status" in page  # E's missing field
    assert "over the threshold, not counted" in page


def test_drilldown_of_an_unknown_code_is_404(client, guarantor, project):
    client.force_login(guarantor)
    url = reverse("reports:indicator_detail", args=[project.pk, "12345"])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_drilldown_query_count(client, guarantor, project, django_assert_num_queries, count):
    for _ in range(count):
        participant(project)
    client.force_login(guarantor)
    url = reverse("reports:indicator_detail", args=[project.pk, "60000"])
    # Session, user, project, the roles (the managed check and the nav), indicators, the
    # period choice, then the rows' count and page.
    with django_assert_num_queries(8):
        response = client.get(url, {"period_choice": "cumulative"})
    assert len(response.context["page"].object_list) == count


@pytest.mark.parametrize("persona", ["worker_a", "guarantor"])
def test_reports_in_the_navigation(request, client, persona):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("reports:list")}"' in page


def test_manager_may_narrow_a_worker_report_to_one_worker(
    client, guarantor, worker_b, other_guarantor, project, worker_kind
):
    client.force_login(guarantor)
    common = {"kind": worker_kind, "period_choice": "cumulative", "file_format": "csv"}
    generate(client, project=project.pk, worker=worker_b.pk, **common)
    report = GeneratedReport.objects.get()
    assert report.parameters["worker"] == worker_b.pk
    page = client.get(reverse("reports:status", args=[report.pk])).content.decode()
    assert "Bob Terénní" in page
    # Not for a project report, and not a worker from elsewhere.
    response = generate(
        client, **{**common, "kind": "indicators"}, project=project.pk, worker=worker_b.pk
    )
    assert response.context["form"].errors["worker"] == ["This report is about the whole project."]
    response = generate(client, project=project.pk, worker=other_guarantor.pk, **common)
    assert "worker" in response.context["form"].errors
    assert GeneratedReport.objects.count() == 1


def test_download_records_one_access_event(client, guarantor, project):
    report = GeneratedReportFactory(
        project=project, created_by=guarantor, status=ReportStatus.DONE, file_format="csv"
    )
    report.file.save("whatever.csv", ContentFile(b"a;b\r\n"), save=True)
    client.force_login(guarantor)
    response = client.get(reverse("reports:download", args=[report.pk]))
    assert b"".join(response.streaming_content) == b"a;b\r\n"
    event = AccessEvent.objects.get()
    assert (event.user_id, event.action, event.project_id, event.client_id) == (
        guarantor.pk,
        AccessAction.DOWNLOAD_REPORT,
        project.pk,
        None,
    )
    assert (event.object_type, event.object_id) == ("reports.generatedreport", str(report.pk))


def test_a_refused_download_records_nothing(client, guarantor, project):
    report = GeneratedReportFactory(project=project, created_by=guarantor)  # still queued
    client.force_login(guarantor)
    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 404
    assert not AccessEvent.objects.exists()


# --- Who cannot be exported to IS ESF 21+ ---------------------------------------------------


def test_export_blockers_list_who_and_why(client, guarantor, project):
    blocked = participant(project, labour=None)
    ready = participant(project)
    client.force_login(guarantor)
    url = reverse("reports:export_blockers", args=[project.pk])
    response = client.get(url, {"period_choice": "cumulative"})
    assert [c for c, _ in response.context["rows"]] == [blocked.client]
    page = response.content.decode()
    assert reverse("clients:detail", args=[blocked.client_id]) in page
    assert reverse("clients:detail", args=[ready.client_id]) not in page
    assert "missing entry data: labour-market status" in page
    # Nobody blocked: said so.
    response = client.get(
        url, {"period_choice": "custom", "date_from": "2019-01-01", "date_to": "2019-12-31"}
    )
    assert response.context["rows"] == []
    assert "Every person with valid support in the period can be exported." in (
        response.content.decode()
    )


def test_export_blockers_period_errors_keep_the_input(client, guarantor, project):
    client.force_login(guarantor)
    url = reverse("reports:export_blockers", args=[project.pk])
    response = client.get(url, {"period_choice": "custom", "date_from": "2021-02-01"})
    assert response.context["rows"] is None
    assert response.context["form"].errors["date_to"] == ["Enter the last day of the range."]
    assert 'value="2021-02-01"' in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"), [("worker_a", 403), ("other_guarantor", 404), ("admin_user", 200)]
)
def test_export_blockers_belong_to_the_managers(request, client, project, persona, status):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("reports:export_blockers", args=[project.pk])
    assert client.get(url, {"period_choice": "cumulative"}).status_code == status


@pytest.mark.parametrize("count", [1, 3])
def test_export_blockers_query_count(client, guarantor, project, django_assert_num_queries, count):
    for _ in range(count):
        participant(project, labour=None)
    participant(project)
    client.force_login(guarantor)
    url = reverse("reports:export_blockers", args=[project.pk])
    # Session, user, project, the roles (the managed check and the nav), the periods (default,
    # then the select's options), the blockers' three queries.
    with django_assert_num_queries(9):
        response = client.get(url, {"period_choice": "cumulative"})
    assert len(response.context["rows"]) == count


def test_report_list_links_the_export_blockers(client, guarantor, project):
    client.force_login(guarantor)
    page = client.get(reverse("reports:list")).content.decode()
    assert reverse("reports:export_blockers", args=[project.pk]) in page
