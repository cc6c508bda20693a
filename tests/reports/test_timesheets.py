"""Worker timesheets on the hand-built log of ``test_activities`` (1 Sep – 31 Oct 2020).

By hand: Alice — 10 Sep KA 01 60 min (with Bob), 20 Sep KA 03 90 min: 150 min, 2
interventions, all in September. Bob — 10 Sep KA 01 60 min (with Alice), 5 Oct KA 03 30 min,
12 Oct KA 01 anonymous outreach of 5 people, 45 min: 135 min, 2 interventions. The pair's hour
is in both timesheets. Alice's 1 Nov intervention and her other project's work are left out.
"""

import datetime as dt

import pytest
from django.utils import translation

from reports.activity import timesheets
from reports.builders import timesheets as builder
from reports.builders.timesheets import _sheet_title
from reports.registry import REGISTRY, ReportError, load_builders
from tests.factories import GeneratedReportFactory, InterventionFactory, UserFactory
from tests.pdf import pdf_text
from tests.reports.test_activities import END, START, make_log, xlsx_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(project, other_project, worker_a, worker_b, client_a, client_b):
    return make_log(project, other_project, worker_a, worker_b, client_a, client_b)


def report_for(project, file_format, **parameters):
    return GeneratedReportFactory(
        project=project,
        kind="timesheets",
        period_start=START,
        period_end=END,
        file_format=file_format,
        parameters=parameters,
    )


def test_timesheets_are_registered_for_workers():
    load_builders()

    assert (REGISTRY["timesheets"].formats, REGISTRY["timesheets"].for_workers) == (
        ("pdf", "xlsx"),
        True,
    )


def test_each_worker_gets_the_full_duration_of_shared_work(project, log, worker_a, worker_b):
    data = timesheets(project, START, END)

    alice, bob = data.sheets
    assert (alice.worker, bob.worker) == (worker_a, worker_b)
    assert (alice.total.total_minutes, alice.total.interventions) == (150, 2)
    assert (bob.total.total_minutes, bob.total.interventions, bob.total.outreach_people) == (
        135,
        2,
        5,
    )
    assert [(day, activity.code, t.total_minutes) for day, activity, t in bob.days] == [
        (dt.date(2020, 9, 10), "KA 01", 60),
        (dt.date(2020, 10, 5), "KA 03", 30),
        (dt.date(2020, 10, 12), "KA 01", 45),
    ]
    september, october = data.months
    assert [bob.month_total(september).total_minutes, bob.month_total(october).total_minutes] == [
        60,
        75,
    ]


def test_one_worker_timesheet_pdf(project, log, worker_b):
    report = report_for(project, "pdf", worker=worker_b.pk)

    with translation.override("en"):
        text = pdf_text(builder.build(report, lambda percent: None))

    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "Timesheet: Bob Terénní" in lines
    assert "Alice" not in text
    assert "September 2020 1.0 h 0.0 h 1.0 h 1" in lines
    assert "October 2020 0.8 h 0.5 h 1.3 h 1" in lines
    assert "Total 1.8 h 0.5 h 2.3 h 2" in lines
    assert "12 Oct 2020 KA 01 0 5 0.8 h" in lines


def test_all_workers_xlsx_has_a_sheet_each(project, log):
    report = report_for(project, "xlsx")

    with translation.override("en"):
        data = builder.build(report, lambda percent: None)

    assert xlsx_rows(data, "Summary")[1:] == [
        ("Alice Terénní", "2020-09", "KA 01", 1, 1),
        ("Alice Terénní", "2020-09", "KA 03", 1, 1.5),
        ("Bob Terénní", "2020-09", "KA 01", 1, 1),
        ("Bob Terénní", "2020-10", "KA 01", 0, 0.75),
        ("Bob Terénní", "2020-10", "KA 03", 1, 0.5),
    ]
    bob = xlsx_rows(data, "Bob Terénní")
    assert [row[1:] for row in bob[1:]] == [
        ("KA 01", "Outreach", 1, 1, 0, 0, 0, 1),
        ("KA 03", "Individual work", 1, 0.5, 0, 0, 0, 0.5),
        ("KA 01", "Outreach", 0, 0, 1, 5, 0.75, 0.75),
        ("", "", 2, 1.5, 1, 5, 0.75, 2.25),
    ]
    assert bob[-1][0] == "Total"


def test_unknown_worker_is_refused(project, log):
    report = report_for(project, "pdf", worker="nobody")

    with pytest.raises(ReportError):
        builder.build(report, lambda percent: None)


def test_sheet_titles_are_valid_and_unique():
    used = {"summary"}

    titles = [_sheet_title(name, used) for name in ["Eva [1]: a/b", "Eva [1]: a/b", "Summary"]]

    assert titles == ["Eva  1   a b", "Eva  1   a b (2)", "Summary (2)"]


@pytest.mark.parametrize("file_format", ["pdf", "xlsx"])
@pytest.mark.parametrize("extra", [0, 10])
def test_timesheets_query_count_does_not_grow(
    project, log, django_assert_num_queries, file_format, extra
):
    for i in range(extra):
        InterventionFactory(
            project=project,
            key_activity=log["KA 03"],
            date=START + dt.timedelta(days=i),
            workers=[UserFactory()],
        )
    report = report_for(project, file_format)

    # Key activities, the workers, their intervention time, their outreach.
    with django_assert_num_queries(4):
        builder.build(report, lambda percent: None)


@pytest.mark.parametrize("extra", [0, 10])
def test_own_timesheet_query_count_does_not_grow(
    project, log, worker_a, django_assert_num_queries, extra
):
    for i in range(extra):
        InterventionFactory(
            project=project,
            key_activity=log["KA 03"],
            date=START + dt.timedelta(days=i),
            workers=[worker_a],
        )
    report = report_for(project, "pdf", worker=worker_a.pk)

    # The worker check, then the four queries of the timesheets.
    with django_assert_num_queries(5):
        builder.build(report, lambda percent: None)
