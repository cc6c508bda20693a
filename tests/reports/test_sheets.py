"""Monitoring sheets (one page per person, ready to sign) and the participant evidence pack."""

import datetime as dt

import pytest
from django.utils import translation

from casework.roles import access_of
from clients.models import ConsentScope, DisadvantageAnswer, ExitReason, MonitoringCodeKind
from reports.builders.sheets import (
    ReportParameterError,
    build_evidence_pack,
    build_monitoring_sheets,
)
from reports.models import ReportKind, ReportStatus
from reports.registry import load_builders
from reports.tasks import run_report
from tests.factories import (
    ClientFactory,
    ConsentFactory,
    DeliveryModeFactory,
    EnrolmentFactory,
    GeneratedReportFactory,
    InterventionFactory,
    KeyActivityFactory,
    MembershipFactory,
    MonitoringCodeFactory,
    UserFactory,
)
from tests.pdf import pdf_text

pytestmark = [
    pytest.mark.django_db,
]

PERIOD_START = dt.date(2021, 1, 1)
PERIOD_END = dt.date(2021, 6, 30)


def page_count(content: bytes) -> int:
    return pdf_text(content).count("\f")


def code(kind, value, name=None):
    return MonitoringCodeFactory(kind=kind, code=value, name=name or value)


def person(project, last_name, *, entry_date=dt.date(2021, 2, 1), **fields):
    client = ClientFactory(
        organisation=project.organisation,
        first_name="Anna",
        last_name=last_name,
        gender=code(MonitoringCodeKind.GENDER, "POHZENY", "žena"),
        municipality="Ralsko",
        postcode="47124",
        street="Hlavní",
        house_number="7",
    )
    return EnrolmentFactory(
        project=project,
        client=client,
        entry_date=entry_date,
        labour_status=code(MonitoringCodeKind.LABOUR_STATUS, "TPDNEZ", "dlouhodobě nezaměstnaný"),
        education=code(MonitoringCodeKind.EDUCATION, "VZISCED1-2", "základní"),
        disadvantage_answer=DisadvantageAnswer.ANSWERED,
        **fields,
    )


def sheets_report(project, moment="entry", created_by=None):
    """Sheets made by ``created_by``, by default an administrator of the organisation."""
    if created_by is None:
        created_by = UserFactory()
        MembershipFactory(user=created_by, project=project, role="admin")
    return GeneratedReportFactory(
        created_by=created_by,
        project=project,
        kind=ReportKind.MONITORING_SHEETS,
        period_start=PERIOD_START,
        period_end=PERIOD_END,
        parameters={"moment": moment},
    )


def test_one_page_per_person_who_entered_in_the_period(project):
    minority = code(MonitoringCodeKind.DISADVANTAGE, "ZNMIG", "národnostní menšina")
    code(MonitoringCodeKind.DISADVANTAGE, "PBOBP", "bez domova")
    first = person(project, "Alfa")
    first.disadvantages.add(minority)
    person(project, "Beta")
    person(project, "Gama", entry_date=dt.date(2021, 6, 30))
    person(project, "Dříve", entry_date=dt.date(2020, 12, 31))  # entered before the period
    with translation.override("en"):
        content = build_monitoring_sheets(sheets_report(project), lambda percent: None)
    text = pdf_text(content)
    assert page_count(content) == 3
    pages = text.split("\f")
    assert "Anna Alfa" in pages[0]
    assert "Anna Beta" in pages[1]
    assert "Anna Gama" in pages[2]
    assert "Dříve" not in text
    assert "Participant monitoring sheet at entry" in pages[0]
    assert "☒ ZNMIG" in pages[0]
    assert "☐ PBOBP" in pages[0]
    assert "☒ TPDNEZ" in pages[1]
    assert "☐ ZNMIG" in pages[1]
    assert "1 Feb 2021" in pages[0]  # the entry date
    assert "participant's signature" in pages[0]
    assert project.registration_number in pages[2]


def test_exit_sheets_list_who_left_with_the_situation_after_exit(project):
    fulfilled = code(MonitoringCodeKind.EXIT_SITUATION, "SPUINU", "intervence naplnila účel")
    code(MonitoringCodeKind.EXIT_SITUATION, "SPVZD", "ve vzdělávání")
    left = person(
        project,
        "Odešla",
        entry_date=dt.date(2020, 10, 1),
        exit_date=dt.date(2021, 3, 31),
        exit_reason=ExitReason.GOALS_MET,
    )
    left.exit_situations.add(fulfilled)
    person(project, "Zůstala")
    with translation.override("en"):
        text = pdf_text(build_monitoring_sheets(sheets_report(project, "exit"), lambda p: None))
    assert "Participant monitoring sheet at exit" in text
    assert "Odešla" in text
    assert "Zůstala" not in text
    assert "31 Mar 2021 (Goals of the plan met)" in text
    assert "☒ SPUINU" in text
    assert "☐ SPVZD" in text


def test_participants_only_leaves_out_persons_under_the_threshold(project):
    ka = KeyActivityFactory(project=project)
    counted = person(project, "Účastnice")
    counted.disadvantages.add(code(MonitoringCodeKind.DISADVANTAGE, "ZNZP"))
    for day in (2, 3):
        InterventionFactory(
            project=project,
            key_activity=ka,
            date=dt.date(2021, 2, day),
            duration_minutes=1200,
            participants=[counted.client],
        )
    person(project, "Krátká").disadvantages.add(code(MonitoringCodeKind.DISADVANTAGE, "ZNZP"))
    report = sheets_report(project)
    report.parameters["participants_only"] = True
    text = pdf_text(build_monitoring_sheets(report, lambda p: None))
    assert "Účastnice" in text
    assert "Krátká" not in text


def test_no_sheets_says_so(project):
    with translation.override("en"):
        text = pdf_text(build_monitoring_sheets(sheets_report(project), lambda p: None))
    assert "Nobody entered the project in this period." in text


def test_an_unknown_moment_is_refused(project):
    with pytest.raises(ReportParameterError):
        build_monitoring_sheets(sheets_report(project, "middle"), lambda p: None)


def test_sheets_take_the_same_queries_for_one_and_three_persons(project, django_assert_num_queries):
    person(project, "Jedna")
    report = sheets_report(project)
    # Code lists and enrolments; whether the maker administers the organisation comes from
    # their roles, read once per user object (one more query, made here beforehand).
    access_of(report.created_by)
    with django_assert_num_queries(2):
        build_monitoring_sheets(report, lambda p: None)
    person(project, "Dva").disadvantages.add(code(MonitoringCodeKind.DISADVANTAGE, "ZNZP"))
    person(project, "Tři", exit_date=dt.date(2021, 5, 1))
    with django_assert_num_queries(2):
        content = build_monitoring_sheets(report, lambda p: None)
    assert page_count(content) == 3


def test_builders_are_registered_as_pdf():
    registry = load_builders()
    assert registry[ReportKind.MONITORING_SHEETS].formats == ("pdf",)
    assert registry[ReportKind.EVIDENCE_PACK].formats == ("pdf",)


# --- Evidence pack ------------------------------------------------------------------------------


def evidence_report(project, client_id):
    return GeneratedReportFactory(
        project=project,
        kind=ReportKind.EVIDENCE_PACK,
        period_start=PERIOD_START,
        period_end=PERIOD_END,
        parameters={"client": client_id},
    )


@pytest.fixture
def evidence_data(project, other_project):
    enrolment = person(project, "Důkazová", entry_date=dt.date(2021, 1, 10))
    enrolment.disadvantages.add(code(MonitoringCodeKind.DISADVANTAGE, "PBOBP", "bez domova"))
    client = enrolment.client
    ConsentFactory(client=client, scope=ConsentScope.MONITORING, given_on=dt.date(2021, 1, 10))
    ConsentFactory(
        client=client,
        scope=ConsentScope.PHOTOS,
        given_on=dt.date(2021, 1, 10),
        withdrawn_on=dt.date(2021, 2, 1),
    )
    ka1 = KeyActivityFactory(project=project, code="KA 01", name="Motivace")
    ka3 = KeyActivityFactory(project=project, code="KA 03", name="Individuální práce")
    field = DeliveryModeFactory(code="field_visit")
    phone = DeliveryModeFactory(code="phone")

    def support(ka, day, minutes, mode=field, target=project):
        InterventionFactory(
            project=target,
            key_activity=ka,
            date=day,
            duration_minutes=minutes,
            delivery_mode=mode,
            participants=[client],
        )

    support(ka1, dt.date(2021, 1, 5), 45)  # before entry: listed, not counted
    support(ka1, dt.date(2021, 1, 12), 90)
    support(ka3, dt.date(2021, 2, 2), 1440)
    support(ka3, dt.date(2021, 2, 3), 960)  # 41.5 h: the threshold is reached on 3 Feb
    support(ka3, dt.date(2021, 3, 4), 30, phone)
    support(ka3, dt.date(2021, 7, 2), 600)  # after the period end: not listed
    EnrolmentFactory(project=other_project, client=client)
    support(
        KeyActivityFactory(project=other_project, code="KA 09"),
        dt.date(2021, 3, 1),
        60,
        target=other_project,
    )
    return client


def test_evidence_pack_shows_consents_data_and_dated_support(project, evidence_data):
    with translation.override("en"):
        text = pdf_text(
            build_evidence_pack(evidence_report(project, evidence_data.pk), lambda p: None)
        )
    assert "Anna Důkazová" in text
    assert "Monitoring data for the funder" in text
    assert "Photographs" in text
    assert "1 Feb 2021" in text  # withdrawn
    assert "PBOBP Bezdomovec" in text
    assert "TPDNEZ Dlouhodobě nezaměstnaný" in text
    assert "KA 01 – Motivace" in text
    assert "KA 03 – Individuální práce" in text
    assert "no: before entry" in text
    assert "5 Jan 2021" in text
    assert "2 Jul 2021" not in text
    assert "KA 09" not in text
    # 90 + 2400 + 30 minutes valid: 42.0 h, of which 0.5 h by phone.
    assert "42.0 h" in text
    assert "in person 41.5 h, electronic 0.5 h" in text
    assert "reached on 3 Feb 2021" in text
    assert "Valid support KA 01" in text
    assert "1.5 h" in text
    assert "1 support outside the entry and exit dates is not counted." in text
    assert "Counts as a participant" in text


def test_evidence_pack_needs_a_client_of_the_project(project, other_project, evidence_data):
    stranger = EnrolmentFactory(project=other_project).client
    with pytest.raises(ReportParameterError):
        build_evidence_pack(evidence_report(project, stranger.pk), lambda p: None)
    with pytest.raises(ReportParameterError):
        build_evidence_pack(evidence_report(project, "x"), lambda p: None)


def test_evidence_pack_queries_do_not_grow_with_supports(
    project, evidence_data, django_assert_num_queries
):
    report = evidence_report(project, evidence_data.pk)
    with django_assert_num_queries(4):
        build_evidence_pack(report, lambda p: None)
    InterventionFactory(project=project, date=dt.date(2021, 4, 1), participants=[evidence_data])
    with django_assert_num_queries(4):
        build_evidence_pack(report, lambda p: None)


def test_a_wrong_client_fails_the_report_with_a_reason(project, other_project, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    stranger = EnrolmentFactory(project=other_project).client
    report = evidence_report(project, stranger.pk)
    report.language = "en"
    report.save()
    run_report(report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert report.error == "The client is not enrolled in this project by the end of the period."
