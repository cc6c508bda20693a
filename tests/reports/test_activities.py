"""The key activity report against a hand-built log (hours per activity, month and worker).

The log, period 1 Sep – 31 Oct 2020:

=====  ==========  =====  ========  ========================  ===============================
#      date        KA     minutes   workers                   people
=====  ==========  =====  ========  ========================  ===============================
1      10 Sep      KA 01  60        Alice + Bob (in a pair)   client A
2      20 Sep      KA 03  90        Alice                     clients A and B
3      5 Oct       KA 03  30        Bob                       client B + 2 anonymous
out    12 Oct      KA 01  45        Bob (outreach row)        5 people, anonymous
-      1 Nov       KA 01  120       Alice                     after the period: left out
-      10 Sep      other project's activity, 60 min, Alice    another project: left out
=====  ==========  =====  ========  ========================  ===============================

By hand: KA 01 — 1 intervention, 60 min (1.0 h; the pair counts once), worker time 60 + 60 +
45 = 165 min, outreach 5 people 45 min, total 105 min (1.75 h), 1 client. KA 03 — 2
interventions, 120 min, worker time 120 min, 2 clients, 2 anonymous. Project — 3
interventions, 180 min, worker time 285 min, total 225 min (3.75 h), 2 distinct clients.
September 150 min (2 interventions), October 75 min (1 intervention). Alice 150 min (2
interventions), Bob 60 + 30 + 45 = 135 min (2 interventions); 150 + 135 = 285.
"""

import datetime as dt
import io

import openpyxl
import pytest
from django.utils import translation

from casework.models import OutreachContact
from reports.activity import activity_report
from reports.builders import activities as builder
from tests.factories import (
    ClientFactory,
    GeneratedReportFactory,
    InterventionFactory,
    KeyActivityFactory,
    UserFactory,
)
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db

START, END = dt.date(2020, 9, 1), dt.date(2020, 10, 31)


def xlsx_rows(data: bytes, sheet: str) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return list(workbook[sheet].iter_rows(values_only=True))


def make_log(project, other_project, worker_a, worker_b, client_a, client_b):
    """The log of the module docstring; returns the two key activities by code."""
    ka01 = KeyActivityFactory(project=project, code="KA 01", name="Outreach")
    ka03 = KeyActivityFactory(project=project, code="KA 03", name="Individual work")
    InterventionFactory(
        project=project,
        key_activity=ka01,
        date=dt.date(2020, 9, 10),
        duration_minutes=60,
        workers=[worker_a, worker_b],
        participants=[client_a],
    )
    InterventionFactory(
        project=project,
        key_activity=ka03,
        date=dt.date(2020, 9, 20),
        duration_minutes=90,
        workers=[worker_a],
        participants=[client_a, client_b],
    )
    InterventionFactory(
        project=project,
        key_activity=ka03,
        date=dt.date(2020, 10, 5),
        duration_minutes=30,
        anonymous_count=2,
        workers=[worker_b],
        participants=[client_b],
    )
    OutreachContact.objects.create(
        project=project,
        key_activity=ka01,
        date=dt.date(2020, 10, 12),
        head_count=5,
        duration_minutes=45,
        worker=worker_b,
    )
    InterventionFactory(
        project=project,
        key_activity=ka01,
        date=dt.date(2020, 11, 1),
        duration_minutes=120,
        workers=[worker_a],
        participants=[client_a],
    )
    InterventionFactory(
        project=other_project, date=dt.date(2020, 9, 10), workers=[worker_a], participants=[]
    )
    return {"KA 01": ka01, "KA 03": ka03}


@pytest.fixture
def log(project, other_project, worker_a, worker_b, client_a, client_b):
    return make_log(project, other_project, worker_a, worker_b, client_a, client_b)


def report_for(project, file_format, **parameters):
    return GeneratedReportFactory(
        project=project,
        kind="activities",
        period_start=START,
        period_end=END,
        file_format=file_format,
        parameters=parameters,
    )


def test_activity_totals_count_an_intervention_once_and_workers_each(project, log):
    data = activity_report(project, START, END)

    ka01, ka03 = data.by_activity[log["KA 01"].pk], data.by_activity[log["KA 03"].pk]
    assert (ka01.interventions, ka01.minutes, ka01.worker_minutes) == (1, 60, 165)
    assert (ka01.outreach_people, ka01.outreach_minutes, ka01.total_minutes) == (5, 45, 105)
    assert (ka03.interventions, ka03.minutes, ka03.worker_minutes, ka03.anonymous) == (
        2,
        120,
        120,
        2,
    )
    assert data.clients_by_activity == {log["KA 01"].pk: 1, log["KA 03"].pk: 2}
    assert (data.total.interventions, data.total.minutes, data.total.worker_minutes) == (
        3,
        180,
        285,
    )
    assert (data.total.total_minutes, data.clients_total) == (225, 2)


def test_activity_months_and_workers_add_up_by_hand(project, log, worker_a, worker_b):
    data = activity_report(project, START, END)

    september, october = data.months
    assert [data.month_total(september).total_minutes, data.month_total(october).total_minutes] == [
        150,
        75,
    ]
    assert data.month_total(september).interventions == 2
    alice, bob = data.worker_total(worker_a.pk), data.worker_total(worker_b.pk)
    assert (alice.total_minutes, alice.interventions) == (150, 2)
    assert (bob.total_minutes, bob.interventions) == (135, 2)
    assert alice.total_minutes + bob.total_minutes == data.total.worker_minutes


def test_activity_pdf_shows_the_hand_computed_hours(project, log):
    report = report_for(project, "pdf")

    with translation.override("en"):
        text = pdf_text(builder.build(report, lambda percent: None))

    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "KA 01 – Outreach 1 1.0 h 2.8 h 1 5 0.8 h 1.8 h" in lines
    assert "KA 03 – Individual work 2 2.0 h 2.0 h 2 2 0.0 h 2.0 h" in lines
    assert "Total 3 3.0 h 4.8 h 2 7 0.8 h 3.8 h" in lines
    assert "September 2020 1.0 h 1.5 h 2.5 h 2" in lines
    assert "October 2020 0.8 h 0.5 h 1.3 h 1" in lines
    assert "Alice Terénní 1.0 h 1.5 h 2.5 h 2" in lines
    assert "Bob Terénní 1.8 h 0.5 h 2.3 h 2" in lines


def test_activity_xlsx_reads_back_with_numbers(project, log):
    report = report_for(project, "xlsx")

    with translation.override("en"):
        data = builder.build(report, lambda percent: None)

    activities = xlsx_rows(data, "Key activities")
    assert activities[1:] == [
        ("KA 01", "Outreach", 1, 1, 1, 5, 0.75, 1.75, 2.75, 1, 0),
        ("KA 03", "Individual work", 2, 2, 0, 0, 0, 2, 2, 2, 2),
        ("Total", "", 3, 3, 1, 5, 0.75, 3.75, 4.75, 2, 2),
    ]
    assert xlsx_rows(data, "By month")[1:] == [
        ("2020-09", "KA 01", 1, 1, 0, 0, 0, 1),
        ("2020-09", "KA 03", 1, 1.5, 0, 0, 0, 1.5),
        ("2020-10", "KA 01", 0, 0, 1, 5, 0.75, 0.75),
        ("2020-10", "KA 03", 1, 0.5, 0, 0, 0, 0.5),
    ]
    assert xlsx_rows(data, "By worker")[1:] == [
        ("Alice Terénní", "KA 01", 1, 1, 0, 0, 0, 1),
        ("Alice Terénní", "KA 03", 1, 1.5, 0, 0, 0, 1.5),
        ("Bob Terénní", "KA 01", 1, 1, 1, 5, 0.75, 1.75),
        ("Bob Terénní", "KA 03", 1, 0.5, 0, 0, 0, 0.5),
    ]


def _more_work(project, log, n):
    """``n`` more interventions, each with a new worker and a new client."""
    for i in range(n):
        InterventionFactory(
            project=project,
            key_activity=log["KA 03"],
            date=dt.date(2020, 9, 1) + dt.timedelta(days=i),
            workers=[UserFactory()],
            participants=[ClientFactory(organisation=project.organisation)],
        )


@pytest.mark.parametrize("file_format", ["pdf", "xlsx"])
@pytest.mark.parametrize("extra", [0, 12])
def test_activity_report_query_count_does_not_grow(
    project, log, django_assert_num_queries, file_format, extra
):
    _more_work(project, log, extra)
    report = report_for(project, file_format)

    # Key activities, interventions by activity and month, worker time, outreach, clients by
    # activity, clients in all, the workers' names.
    with django_assert_num_queries(7):
        builder.build(report, lambda percent: None)
