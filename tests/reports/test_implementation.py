"""The indicator table and the key activity summary for the implementation report."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import translation

from casework.models import OutreachContact, ProjectIndicator
from clients.models import DisadvantageAnswer, MonitoringCodeKind
from reports.builders.implementation import _csv_cell, activity_summaries, build_implementation
from reports.models import ReportKind
from reports.registry import load_builders
from tests.factories import (
    ClientFactory,
    DeliveryModeFactory,
    EnrolmentFactory,
    GeneratedReportFactory,
    InterventionFactory,
    KeyActivityFactory,
    MonitoringCodeFactory,
    UserFactory,
)
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db

PERIOD_START = dt.date(2021, 1, 1)
PERIOD_END = dt.date(2021, 6, 30)


def code(kind, value):
    return MonitoringCodeFactory(kind=kind, code=value, name=value)


def complete_client(project, last_name):
    client = ClientFactory(
        organisation=project.organisation,
        last_name=last_name,
        gender=code(MonitoringCodeKind.GENDER, "POHZENY"),
        municipality="Ralsko",
        postcode="47124",
    )
    EnrolmentFactory(
        project=project,
        client=client,
        labour_status=code(MonitoringCodeKind.LABOUR_STATUS, "TPDNEZ"),
        education=code(MonitoringCodeKind.EDUCATION, "VZ0"),
        disadvantage_answer=DisadvantageAnswer.NONE,
    )
    return client


@pytest.fixture
def data(project):
    """Two participants (one crossed the threshold before the period), one person below it."""
    ka1 = KeyActivityFactory(project=project, code="KA 01", name="Motivace")
    ka3 = KeyActivityFactory(project=project, code="KA 03", name="Individuální práce")
    KeyActivityFactory(project=project, code="KA 06", name="Materiály")
    field = DeliveryModeFactory(code="field_visit")
    phone = DeliveryModeFactory(code="phone")
    early, late, short = (complete_client(project, n) for n in ("Raná", "Pozdní", "Krátká"))

    def support(ka, day, minutes, mode, *clients, **extra):
        InterventionFactory(
            project=project,
            key_activity=ka,
            date=day,
            duration_minutes=minutes,
            delivery_mode=mode,
            participants=clients,
            **extra,
        )

    support(ka3, dt.date(2020, 10, 1), 1440, field, early)
    support(ka3, dt.date(2020, 10, 2), 960, field, early)  # 40 h in period 1
    support(ka3, dt.date(2021, 2, 1), 1440, field, late)
    support(ka3, dt.date(2021, 2, 2), 930, field, late)
    support(ka3, dt.date(2021, 2, 3), 30, phone, late)  # 40 h on 3 Feb, in this period
    support(ka1, dt.date(2021, 3, 1), 120, field, late, short, is_group=True, anonymous_count=4)
    support(ka1, dt.date(2021, 3, 2), 45, phone, short)
    OutreachContact.objects.create(
        project=project,
        key_activity=ka1,
        date=dt.date(2021, 4, 1),
        head_count=6,
        duration_minutes=60,
        worker=UserFactory(),
    )
    ProjectIndicator.objects.create(
        project=project, code="6 00 00", name="Celkový počet účastníků", target=Decimal(8)
    )
    ProjectIndicator.objects.create(
        project=project,
        code="6 70 01",
        name="Kapacita podpořených služeb",
        unit="místa",
        target=Decimal("2.5"),
        manual_value=Decimal("2.5"),
    )
    ProjectIndicator.objects.create(
        project=project, code="6 70 10", name="Využívání podpořených služeb", target=Decimal(40)
    )
    return project


def _report(project, file_format):
    return GeneratedReportFactory(
        project=project,
        kind=ReportKind.IMPLEMENTATION,
        period_start=PERIOD_START,
        period_end=PERIOD_END,
        file_format=file_format,
    )


def test_key_activity_summary_counts_interventions_persons_and_hours(data):
    with translation.override("en"):
        rows = {row.code: row for row in activity_summaries(data, PERIOD_START, PERIOD_END)}
        ka1, ka3, ka6 = rows["KA 01"], rows["KA 03"], rows["KA 06"]
        assert (ka1.interventions, ka1.group_sessions, ka1.persons) == (2, 1, 2)
        assert (ka1.minutes, ka1.in_person_minutes, ka1.electronic_minutes) == (165, 120, 45)
        assert ka1.anonymous == 10  # 4 at the group session, 6 in outreach
        assert (ka3.interventions, ka3.persons, ka3.minutes) == (3, 1, 2400)
        assert ka1.narrative.replace("\xa0", " ") == (
            "In the period the team carried out 2 interventions and 1 group session with "
            "2 identified persons, 2.8 h in total (2.0 h in person, 0.8 h electronic). "
            "It also reached 10 persons anonymously."
        )
        assert ka6.narrative == "No work was recorded in this key activity in the period."


def test_csv_has_the_indicator_table_then_the_key_activities(data):
    with translation.override("en"):
        content = build_implementation(_report(data, "csv"), lambda p: None)
    assert content.startswith("\ufeff".encode())
    lines = content.decode("utf-8-sig").split("\r\n")
    assert lines[0].startswith("Code;Indicator;Unit;Baseline;Target;Achieved in the period;")
    # Participants: Raná before the period, Pozdní in it → 1 in the period, 2 cumulative.
    assert lines[1] == "6 00 00;Celkový počet účastníků;osoby;0,00;8,00;1;2;25,0;"
    assert lines[2] == "6 70 01;Kapacita podpořených služeb;místa;0,00;2,50;2,50;2,50;100,0;"
    assert lines[3] == "6 70 10;Využívání podpořených služeb;osoby;0,00;40,00;2;3;7,5;"
    assert lines[4] == ""
    assert lines[5].startswith("Key activity;Name;Interventions;")
    assert lines[6].startswith("KA 01;Motivace;2;1;2;2,75;2,00;0,75;10;In the period")
    assert lines[7].startswith("KA 03;Individuální práce;3;0;1;40,00;39,50;0,50;0;")


def test_csv_numbers_are_never_quoted_but_text_is():
    assert _csv_cell(-3) == "-3"
    assert _csv_cell(Decimal("-1.5")) == "-1,5"
    assert _csv_cell("-1") == "'-1"
    assert _csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _csv_cell(None) == ""


def test_xlsx_reads_back_with_three_sheets(data):
    with translation.override("en"):
        content = build_implementation(_report(data, "xlsx"), lambda p: None)
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Indicators", "Key activities", "Persons"]
    indicators = list(workbook["Indicators"].iter_rows(values_only=True))
    assert indicators[1][:8] == ("6 00 00", "Celkový počet účastníků", "osoby", 0, 8, 1, 2, 25)
    activities = list(workbook["Key activities"].iter_rows(values_only=True))
    assert activities[1][:9] == ("KA 01", "Motivace", 2, 1, 2, 2.75, 2, 0.75, 10)
    persons = {
        row[1].split()[0]: row for row in workbook["Persons"].iter_rows(min_row=2, values_only=True)
    }
    assert persons["Pozdní"][4] == "yes"
    assert persons["Krátká"][4] == "no"


def test_pdf_shows_the_table_and_the_narrative(data):
    with translation.override("en"):
        content = build_implementation(_report(data, "pdf"), lambda p: None)
    text = pdf_text(content)
    assert "Celkový počet účastníků" in text
    assert "25.0 %" in text
    assert "KA 03 – Individuální práce" in text
    assert "2 identified persons" in text
    assert "40.0 h" in text


def test_registered_in_three_formats():
    assert load_builders()[ReportKind.IMPLEMENTATION].formats == ("pdf", "xlsx", "csv")


def test_queries_do_not_grow_with_the_data(data, django_assert_num_queries):
    report = _report(data, "csv")
    with django_assert_num_queries(10):
        build_implementation(report, lambda p: None)
    complete_client(data, "Další")
    InterventionFactory(project=data, date=dt.date(2021, 5, 5), participants=[])
    with django_assert_num_queries(10):
        build_implementation(report, lambda p: None)
