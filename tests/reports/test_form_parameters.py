"""The generate form's report-specific parameters: moment, participants only, the client.

Each is posted through the form, the report is made by the task, and the file shows that the
builder received it; a client outside the project or the user's reach is refused.
"""

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import translation

from clients.models import ExitReason, MonitoringCodeKind
from reports.models import GeneratedReport, ReportKind, ReportStatus
from reports.tasks import run_report
from tests.factories import (
    ClientFactory,
    EnrolmentFactory,
    InterventionFactory,
    KeyActivityFactory,
    MonitoringCodeFactory,
)
from tests.pdf import pdf_text
from tests.reports.test_isesf import enrol
from tests.reports.test_sheets import person

pytestmark = pytest.mark.django_db


PERIOD = {"period_choice": "custom", "date_from": "2021-01-01", "date_to": "2021-06-30"}


@pytest.fixture(autouse=True)
def _media_and_english(settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"


def generate(client, project, kind, file_format="pdf", **data):
    return client.post(
        reverse("reports:generate"),
        {"kind": kind, "project": project.pk, "file_format": file_format, **PERIOD, **data},
    )


def made(response) -> GeneratedReport:
    assert response.status_code == 302, response.context["form"].errors
    report = GeneratedReport.objects.latest("pk")
    run_report(report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.error
    return report


def content(report) -> bytes:
    with report.file.open("rb") as handle:
        return handle.read()


def errors(response, field):
    assert response.status_code == 200
    assert not GeneratedReport.objects.exists()
    return response.context["form"].errors[field]


def support(project, client, *days, minutes=1200):
    ka = KeyActivityFactory(project=project)
    for day in days:
        InterventionFactory(
            project=project,
            key_activity=ka,
            date=day,
            duration_minutes=minutes,
            participants=[client],
        )


# --- Monitoring sheets: moment and participants only ------------------------------------------


def test_monitoring_sheets_get_the_moment_and_participants_only(client, guarantor, project):
    left = person(
        project,
        "Odešla",
        entry_date=dt.date(2020, 10, 1),
        exit_date=dt.date(2021, 3, 31),
        exit_reason=ExitReason.GOALS_MET,
    )
    left.disadvantages.add(MonitoringCodeFactory(kind=MonitoringCodeKind.DISADVANTAGE, code="ZNZP"))
    support(project, left.client, dt.date(2021, 2, 2), dt.date(2021, 2, 3))
    person(
        project,
        "Krátce",
        entry_date=dt.date(2020, 10, 1),
        exit_date=dt.date(2021, 3, 31),
        exit_reason=ExitReason.GOALS_MET,
    )
    person(project, "Vstoupila")  # entered in the period, has not left
    client.force_login(guarantor)

    report = made(
        generate(
            client, project, ReportKind.MONITORING_SHEETS, moment="exit", participants_only="on"
        )
    )
    assert report.parameters["moment"] == "exit"
    assert report.parameters["participants_only"] is True
    text = pdf_text(content(report))
    assert "Participant monitoring sheet at exit" in text
    assert "Odešla" in text
    assert "Krátce" not in text
    assert "Vstoupila" not in text

    report = made(generate(client, project, ReportKind.MONITORING_SHEETS, moment="entry"))
    assert report.parameters["participants_only"] is False
    text = pdf_text(content(report))
    assert "Participant monitoring sheet at entry" in text
    assert "Vstoupila" in text
    assert "Odešla" not in text


def test_monitoring_sheets_need_a_moment(client, guarantor, project):
    client.force_login(guarantor)
    response = generate(client, project, ReportKind.MONITORING_SHEETS, moment="")
    with translation.override("en"):
        assert errors(response, "moment") == [
            "Choose whether the sheets are for the entry or the exit."
        ]
    # The typed input is kept.
    assert response.context["form"]["kind"].value() == ReportKind.MONITORING_SHEETS


def test_an_unknown_moment_is_refused(client, guarantor, project):
    client.force_login(guarantor)
    response = generate(client, project, ReportKind.MONITORING_SHEETS, moment="midway")
    assert errors(response, "moment")


def test_options_of_other_reports_are_refused(client, guarantor, project):
    client.force_login(guarantor)
    response = generate(
        client,
        project,
        "indicators",
        moment="exit",
        participants_only="on",
        client_code="RAL-0001",
    )
    with translation.override("en"):
        assert errors(response, "moment") == ["Only monitoring sheets are made at entry or exit."]
        assert errors(response, "participants_only") == [
            "Only monitoring sheets and the IS ESF 21+ exports can be limited to participants."
        ]
        assert errors(response, "client_code") == ["Only the evidence pack is about one client."]


# --- IS ESF 21+: participants only --------------------------------------------------------------


def isesf_people(project):
    full = {
        "birth_date": dt.date(1980, 1, 5),
        "street": "Hlavní",
        "house_number": "12",
        "gender": "POHZENY",
        "labour": "TPDNEZ",
        "education": "VZ0",
        "entry_date": dt.date(2020, 10, 1),
    }
    counted = enrol(project, first_name="Hana", last_name="Účastná", **full)
    support(project, counted, dt.date(2021, 2, 2), dt.date(2021, 2, 3))
    short = enrol(project, first_name="Ivo", last_name="Krátký", **full)
    support(project, short, dt.date(2021, 2, 2), minutes=60)


@pytest.mark.parametrize("kind", [ReportKind.ISESF_PERSONS, ReportKind.ISESF_SUPPORTS])
def test_isesf_exports_get_participants_only(client, guarantor, project, kind):
    isesf_people(project)
    client.force_login(guarantor)

    report = made(generate(client, project, kind, "csv", participants_only="on"))
    assert report.parameters["participants_only"] is True
    text = content(report).decode("utf-8-sig")
    assert "Účastná" in text
    assert "Krátký" not in text

    report = made(generate(client, project, kind, "csv"))
    assert report.parameters["participants_only"] is False
    text = content(report).decode("utf-8-sig")
    assert "Účastná" in text
    assert "Krátký" in text


# --- Evidence pack: the client by code ----------------------------------------------------------


def test_evidence_pack_gets_the_client_by_code(client, guarantor, project):
    enrolment = person(project, "Důkazová", entry_date=dt.date(2021, 1, 10))
    enrolment.client.code = "RAL-0042"
    enrolment.client.save()
    client.force_login(guarantor)
    report = made(generate(client, project, ReportKind.EVIDENCE_PACK, client_code=" ral-0042 "))
    # Only the id: no name or code of the person in the parameters.
    assert report.parameters == {"period": "custom", "client": enrolment.client_id}
    assert "Anna Důkazová" in pdf_text(content(report))


def test_evidence_pack_needs_a_client_code(client, guarantor, project):
    client.force_login(guarantor)
    response = generate(client, project, ReportKind.EVIDENCE_PACK)
    with translation.override("en"):
        assert errors(response, "client_code") == [
            "Enter the code of the client the evidence pack is about."
        ]


def test_a_client_of_another_project_is_refused(
    client, guarantor, admin_user, project, client_other
):
    # The guarantor does not see the other project's client at all.
    client.force_login(guarantor)
    response = generate(client, project, ReportKind.EVIDENCE_PACK, client_code="MLA-0001")
    with translation.override("en"):
        assert errors(response, "client_code") == [
            "None of the clients you may see has the code MLA-0001."
        ]
    # The organisation's admin sees them, but they are not enrolled in this project.
    client.force_login(admin_user)
    response = generate(client, project, ReportKind.EVIDENCE_PACK, client_code="MLA-0001")
    with translation.override("en"):
        assert errors(response, "client_code") == [
            "The client MLA-0001 is not enrolled in this project."
        ]
    # Typed input is kept.
    assert response.context["form"]["client_code"].value() == "MLA-0001"


def test_a_client_of_another_organisation_is_refused(
    client, admin_user, project, foreign_project, client_foreign
):
    # The same code in another organisation, even enrolled in the foreign project.
    twin = ClientFactory(organisation=foreign_project.organisation, code="RAL-0077")
    EnrolmentFactory(project=foreign_project, client=twin)
    client.force_login(admin_user)
    for code in (client_foreign.code, "RAL-0077"):
        response = generate(client, project, ReportKind.EVIDENCE_PACK, client_code=code)
        with translation.override("en"):
            assert errors(response, "client_code") == [
                f"None of the clients you may see has the code {code}."
            ]


def test_status_page_shows_the_options_by_code(client, guarantor, project, client_a):
    client.force_login(guarantor)
    generate(client, project, ReportKind.EVIDENCE_PACK, client_code="RAL-0001")
    report = GeneratedReport.objects.get()
    page = client.get(reverse("reports:status", args=[report.pk])).content.decode()
    assert "RAL-0001" in page
    assert client_a.last_name not in page
    generate(client, project, ReportKind.MONITORING_SHEETS, moment="exit", participants_only="on")
    report = GeneratedReport.objects.latest("pk")
    page = client.get(reverse("reports:status", args=[report.pk])).content.decode()
    assert "At exit from the project" in page
    assert "Participants only" in page
