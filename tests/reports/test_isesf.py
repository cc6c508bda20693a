"""IS ESF 21+ exports against hand-written files (DOMAIN.md §3) and the export blockers."""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import translation

from casework.models import ReportingPeriod
from clients.models import DisadvantageAnswer, MonitoringCodeKind
from reports import isesf
from reports.builders.isesf import build_persons, build_supports
from reports.isesf import export_blockers, format_date, format_hours, split_orientation_number
from reports.models import ReportKind, ReportStatus
from reports.registry import load_builders
from reports.tasks import run_report
from tests.factories import (
    ClientFactory,
    DeliveryModeFactory,
    EnrolmentFactory,
    GeneratedReportFactory,
    InterventionFactory,
    KeyActivityFactory,
    MonitoringCodeFactory,
)

pytestmark = pytest.mark.django_db

EXPECTED = Path(__file__).parent / "expected"
PERIOD_START = dt.date(2021, 1, 1)
PERIOD_END = dt.date(2021, 6, 30)


def code(kind, value):
    return MonitoringCodeFactory(kind=kind, code=value, name=value)


def enrol(project, *, gender, labour, education, disadvantages=(), answer=None, **fields):
    enrolment_fields = {
        key: fields.pop(key) for key in ("entry_date", "exit_date") if key in fields
    }
    exit_situations = fields.pop("exit_situations", ())
    client = ClientFactory(
        organisation=project.organisation,
        gender=code(MonitoringCodeKind.GENDER, gender) if gender else None,
        **{"municipality": "Ralsko", "postcode": "47124", **fields},
    )
    enrolment = EnrolmentFactory(
        project=project,
        client=client,
        labour_status=code(MonitoringCodeKind.LABOUR_STATUS, labour) if labour else None,
        education=code(MonitoringCodeKind.EDUCATION, education) if education else None,
        disadvantage_answer=answer
        or (DisadvantageAnswer.ANSWERED if disadvantages else DisadvantageAnswer.NONE),
        **enrolment_fields,
    )
    enrolment.disadvantages.set([code(MonitoringCodeKind.DISADVANTAGE, c) for c in disadvantages])
    enrolment.exit_situations.set(
        [code(MonitoringCodeKind.EXIT_SITUATION, c) for c in exit_situations]
    )
    return client


@pytest.fixture
def known_answer(project, other_project):
    """Three exportable persons, one blocked, one without support in the period."""
    field = DeliveryModeFactory(code="field_visit")
    office = DeliveryModeFactory(code="office")
    phone = DeliveryModeFactory(code="phone")
    group = DeliveryModeFactory(code="group")
    ka = KeyActivityFactory(project=project, code="KA 03")

    def support(day, minutes, mode, *clients, target=project, **extra):
        return InterventionFactory(
            project=target,
            key_activity=ka if target == project else KeyActivityFactory(project=target),
            date=day,
            duration_minutes=minutes,
            delivery_mode=mode,
            participants=clients,
            **extra,
        )

    jan = enrol(
        project,
        first_name="Jan",
        last_name="Novák",
        birth_date=dt.date(1980, 1, 5),
        title_before="Bc.",
        municipality_part="Kuřívody",
        street="Hlavní",
        house_number="12",
        orientation_number="3a",
        postcode="471 24",
        email="jan@example.cz",
        phone="+420 777 123 456",
        gender="POHMUZI",
        labour="TPDNEZ",
        education="VZISCED3-4",
        disadvantages=("ZNMIG", "PBOBP"),
        entry_date=dt.date(2020, 10, 1),
    )
    marie = enrol(
        project,
        first_name="Marie",
        last_name="Dvořáková",
        birth_date=dt.date(1995, 11, 23),
        street="Nádražní",
        house_number="5",
        gender="POHZENY",
        labour="TPNEAKO",
        education="VZ0",
        entry_date=dt.date(2021, 2, 15),
        exit_date=dt.date(2021, 5, 31),
        exit_situations=("SPVZD", "SPUINU"),
    )
    petr = enrol(
        project,
        first_name="Petr",
        last_name="Svoboda",
        birth_date=dt.date(1970, 7, 7),
        title_after="Ph.D.",
        street="=SUM(A1)",
        house_number="101",
        phone="777 000 111",
        gender="POHMUZI",
        labour="TPSTD",
        education="VZJN",
        answer=DisadvantageAnswer.DECLINED,
        entry_date=dt.date(2020, 9, 1),
    )
    eva = enrol(
        project,
        first_name="Eva",
        last_name="Malá",
        birth_date=dt.date(1990, 2, 2),
        postcode="",
        gender="POHZENY",
        labour="TPDNEZ",
        education=None,
    )
    karel = enrol(
        project,
        first_name="Karel",
        last_name="Bez Podpory",
        gender="POHMUZI",
        labour="TPDNEZ",
        education="VZ0",
    )
    # Jan: before the period (left out), 90 min in the field, 40 min on the phone.
    support(dt.date(2020, 12, 15), 60, field, jan)
    support(dt.date(2021, 1, 4), 90, field, jan)
    support(dt.date(2021, 2, 10), 40, phone, jan, marie)  # before Marie's entry: not hers
    # A group session: each identified attendee gets the full 120 min; head count 3 adds none.
    support(dt.date(2021, 3, 3), 120, group, jan, marie, is_group=True, anonymous_count=3)
    support(dt.date(2021, 4, 1), 25, phone, marie)
    support(dt.date(2021, 6, 10), 30, field, marie)  # after Marie's exit
    support(dt.date(2021, 6, 30), 60, office, petr)  # the period's last day counts
    support(dt.date(2021, 6, 30), 3, phone, petr)  # 0.05 h rounds half up to 0,1
    support(dt.date(2021, 7, 1), 60, office, petr)  # after the period
    support(dt.date(2021, 3, 1), 600, field, eva)
    support(dt.date(2020, 10, 1), 600, field, karel)
    # Petr in another project of the organisation: not this project's support.
    EnrolmentFactory(project=other_project, client=petr)
    support(dt.date(2021, 3, 1), 600, field, petr, target=other_project)
    return {"jan": jan, "marie": marie, "petr": petr, "eva": eva, "karel": karel}


def _report(project, kind, created_by=None, **parameters):
    made_by = {"created_by": created_by} if created_by else {}
    return GeneratedReportFactory(
        **made_by,
        project=project,
        kind=kind,
        period_start=PERIOD_START,
        period_end=PERIOD_END,
        file_format="csv",
        parameters=parameters,
    )


def test_persons_csv_matches_the_hand_written_file_byte_for_byte(project, known_answer, admin_user):
    # Made by an administrator: the special-category code ZNMIG is in the file.
    report = _report(project, ReportKind.ISESF_PERSONS, created_by=admin_user)
    content = build_persons(report, lambda percent: None)
    assert content == (EXPECTED / "isesf_persons.csv").read_bytes()


def test_supports_csv_matches_the_hand_written_file_byte_for_byte(project, known_answer):
    report = _report(project, ReportKind.ISESF_SUPPORTS)
    content = build_supports(report, lambda percent: None)
    assert content == (EXPECTED / "isesf_supports.csv").read_bytes()


def test_both_builders_are_registered_as_csv():
    registry = load_builders()
    assert registry[ReportKind.ISESF_PERSONS].formats == ("csv",)
    assert registry[ReportKind.ISESF_SUPPORTS].build is build_supports


def test_blockers_name_the_person_and_every_reason(project, known_answer):
    with translation.override("en"):
        blockers = export_blockers(project, PERIOD_START, PERIOD_END)
    assert blockers == [
        (
            known_answer["eva"],
            ["missing entry data: education", "missing entry data: postcode"],
        )
    ]


def test_only_a_year_of_birth_and_a_shared_identity_block_the_export(project):
    ka = KeyActivityFactory(project=project)
    first = enrol(
        project,
        first_name="Jan",
        last_name="Novák",
        gender="POHMUZI",
        labour="TPDNEZ",
        education="VZ0",
        code="RAL-0001",
    )
    twin = enrol(
        project,
        first_name="jan ",
        last_name="NOVÁK",
        gender="POHMUZI",
        labour="TPDNEZ",
        education="VZ0",
        code="RAL-0002",
    )
    year_only = enrol(
        project,
        first_name="Ota",
        last_name="Rok",
        gender="POHMUZI",
        labour="TPDNEZ",
        education="VZ0",
        birth_date=None,
        birth_year=1960,
    )
    for client in (first, twin, year_only):
        InterventionFactory(
            project=project, key_activity=ka, date=dt.date(2021, 2, 1), participants=[client]
        )
    with translation.override("en"):
        blockers = dict(export_blockers(project, PERIOD_START, PERIOD_END))
    assert "RAL-0002" in blockers[first][0]
    assert "merge" in blockers[first][0]
    assert "RAL-0001" in blockers[twin][0]
    assert blockers[year_only] == ["only the year of birth is known (1960)"]
    content = isesf.persons_csv(project, PERIOD_START, PERIOD_END).decode("utf-8-sig")
    assert content.count("\r\n") == 1  # the header only


def test_the_final_report_needs_an_exit_date(project, known_answer):
    ReportingPeriod.objects.create(
        project=project, number=2, start_date=PERIOD_START, end_date=PERIOD_END, is_final=True
    )
    with translation.override("en"):
        blockers = dict(export_blockers(project, PERIOD_START, PERIOD_END))
    assert blockers[known_answer["jan"]] == ["no exit date, which the final report requires"]
    assert known_answer["marie"] not in blockers  # she exited


def test_participants_only_leaves_out_persons_under_the_threshold(project, known_answer):
    ka = KeyActivityFactory(project=project)
    # Jan reaches 40 h by the period end (2 400 min; he had 310 min so far).
    InterventionFactory(
        project=project,
        key_activity=ka,
        date=dt.date(2021, 5, 5),
        duration_minutes=1440,
        participants=[known_answer["jan"]],
    )
    InterventionFactory(
        project=project,
        key_activity=ka,
        date=dt.date(2021, 5, 6),
        duration_minutes=650,
        participants=[known_answer["jan"]],
    )
    content = isesf.persons_csv(project, PERIOD_START, PERIOD_END, participants_only=True).decode(
        "utf-8-sig"
    )
    lines = content.split("\r\n")
    assert [line.split(";")[1] for line in lines[1:-1]] == ["Novák"]


def test_export_queries_do_not_grow_with_persons(project, known_answer, django_assert_num_queries):
    with django_assert_num_queries(3):
        isesf.supports_csv(project, PERIOD_START, PERIOD_END)


def test_formats():
    assert format_date(dt.date(2021, 1, 5)) == "5.1.2021"
    assert format_date(dt.date(2021, 12, 25)) == "25.12.2021"
    assert format_hours(0) == "0,0"
    assert format_hours(3) == "0,1"
    assert format_hours(100) == "1,7"
    assert format_hours(2400) == "40,0"
    assert split_orientation_number("12a") == ("12", "a")
    assert split_orientation_number(" 7 ") == ("7", "")
    assert split_orientation_number("") == ("", "")


def test_only_plain_phone_numbers_skip_the_formula_guard():
    assert isesf.isesf_cell("+420 777 123 456") == "+420 777 123 456"
    assert isesf.isesf_cell("+cmd|' /C calc'!A0") == "'+cmd|' /C calc'!A0"
    assert isesf.isesf_cell("-1") == "'-1"  # free text, e.g. a street: guarded
    assert isesf.isesf_cell("@SUM(A1)") == "'@SUM(A1)"


def test_the_background_task_saves_the_export(project, known_answer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = _report(project, ReportKind.ISESF_SUPPORTS)
    run_report(report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE
    with report.file.open("rb") as stored:
        assert stored.read() == (EXPECTED / "isesf_supports.csv").read_bytes()
