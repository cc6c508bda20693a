"""The project dashboard (issue 7 point 2): figures, lists, countdown and who may open it.

Access rule: a project the user holds no role in is a 404 (like the project page); a worker of
the project, who may see the project but does not manage it, is refused with 403.
"""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse

from casework.models import ProjectIndicator
from reports import queries as report_queries
from reports.queries import indicator_values
from tests.factories import ReportingPeriodFactory
from tests.reports.test_indicators import HOURS, enrol, participant, support

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    # The assertions read the page's English wording; Czech is covered by the catalog test.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


PRAGUE = ZoneInfo("Europe/Prague")
TODAY = dt.date(2021, 5, 31)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2021, 5, 31, 10, 0, tzinfo=PRAGUE))


@pytest.fixture
def periods(project):
    """Four half-year periods of the conftest project (1 Sep 2020 – 30 Jun 2022)."""
    spans = [
        (dt.date(2020, 9, 1), dt.date(2020, 12, 31), dt.date(2021, 1, 31)),
        (dt.date(2021, 1, 1), dt.date(2021, 6, 30), dt.date(2021, 7, 31)),
        (dt.date(2021, 7, 1), dt.date(2021, 12, 31), dt.date(2022, 1, 31)),
        (dt.date(2022, 1, 1), dt.date(2022, 6, 30), None),
    ]
    return [
        ReportingPeriodFactory(
            project=project, number=number, start_date=start, end_date=end, report_due=due
        )
        for number, (start, end, due) in enumerate(spans, start=1)
    ]


@pytest.fixture
def indicators(project):
    ProjectIndicator.objects.create(
        project=project, code="6 00 00", name="Celkový počet účastníků", target=Decimal(40)
    )
    ProjectIndicator.objects.create(
        project=project, code="6 70 10", name="Využívání podpořených služeb", target=Decimal(80)
    )


def url(project):
    return reverse("project_dashboard", args=[project.pk])


def get(client, user, project):
    client.force_login(user)
    return client.get(url(project))


# --- Figures ----------------------------------------------------------------------------------


def test_indicator_values_match_the_engine(client, project, guarantor, periods, indicators):
    participant(project)
    support(project, enrol(project).client, 10 * HOURS)

    response = get(client, guarantor, project)

    expected = indicator_values(project, TODAY)
    shown = response.context["dashboard"].indicators
    assert [(row.code, row.value, row.target) for row in shown] == [
        (row.code, row.value, row.target) for row in expected
    ]
    assert [(row.code, row.value) for row in shown] == [("6 00 00", 1), ("6 70 10", 2)]
    content = response.content.decode()
    assert '<progress class="w-100" id="progress-1" max="40.00" value="1"' in content
    assert '<progress class="w-100" id="progress-2" max="80.00" value="2"' in content


def test_chart_has_cumulative_participants_for_each_begun_period(
    client, project, guarantor, periods
):
    participant(project)  # 40 h on 15 Sep 2020: counted from period 1
    late = enrol(project)
    support(project, late.client, 40 * HOURS, day=dt.date(2021, 2, 1))

    response = get(client, guarantor, project)

    bars = response.context["dashboard"].bars
    assert [(bar.period.number, bar.participants) for bar in bars] == [(1, 1), (2, 2)]
    assert bars[1].height == 2 * bars[0].height
    # The one-query chart agrees with the indicator engine at every period end.
    assert [bar.participants for bar in bars] == [
        report_queries.participants(project, period_end=bar.period.end_date) for bar in bars
    ]


def test_approaching_list_edges(client, project, guarantor, periods):
    # Threshold 40 h = 2400 min; 75 % = 1800 min.
    below = enrol(project, last_name="Pod")
    at_75 = enrol(project, last_name="Sedmdesátpět")
    just_under = enrol(project, last_name="Těsně")
    at_100 = enrol(project, last_name="Plná")
    support(project, below.client, 1776)  # 74 %
    support(project, at_75.client, 1800)
    support(project, just_under.client, 2399)
    support(project, at_100.client, 2400)  # a participant

    response = get(client, guarantor, project)

    approaching = response.context["dashboard"].approaching
    assert [(e.client_id, e.support_minutes, e.remaining_minutes) for e in approaching] == [
        (just_under.client_id, 2399, 1),
        (at_75.client_id, 1800, 600),
    ]


def test_approaching_list_is_limited_to_20(client, project, guarantor, periods):
    for _ in range(21):
        support(project, enrol(project).client, 1800)

    response = get(client, guarantor, project)

    assert len(response.context["dashboard"].approaching) == 20


def test_missing_entry_data_lists_uncounted_persons_over_the_threshold(
    client, project, guarantor, periods
):
    incomplete = enrol(project, postcode="", education=None)
    support(project, incomplete.client, 40 * HOURS)
    participant(project)
    under = enrol(project, postcode="")
    support(project, under.client, 10 * HOURS)

    response = get(client, guarantor, project)

    missing = response.context["dashboard"].missing
    assert [(row["client_id"], row["missing_fields"]) for row in missing] == [
        (incomplete.client_id, ["education", "postcode"])
    ]
    assert response.context["dashboard"].approaching == []


# --- Countdown --------------------------------------------------------------------------------


def test_countdown_in_the_middle_of_a_period(client, project, guarantor, periods):
    countdown = get(client, guarantor, project).context["dashboard"].countdown

    assert (countdown.period.number, countdown.days_to_period_end, countdown.days_to_report) == (
        2,
        30,
        61,
    )


def test_countdown_on_the_period_end_day(client, project, guarantor, periods, time_machine):
    time_machine.move_to(dt.datetime(2021, 6, 30, 23, 30, tzinfo=PRAGUE))

    response = get(client, guarantor, project)

    countdown = response.context["dashboard"].countdown
    assert (countdown.period.number, countdown.days_to_period_end, countdown.days_to_report) == (
        2,
        0,
        31,
    )
    assert "The period ends today." in response.content.decode()


def test_countdown_without_a_report_due_date(client, project, guarantor, periods, time_machine):
    time_machine.move_to(dt.datetime(2022, 3, 1, 10, 0, tzinfo=PRAGUE))

    countdown = get(client, guarantor, project).context["dashboard"].countdown

    assert (countdown.period.number, countdown.days_to_period_end, countdown.days_to_report) == (
        4,
        121,
        None,
    )


def test_ended_project_says_so_and_counts_to_its_end(
    client, project, guarantor, periods, time_machine
):
    time_machine.move_to(dt.datetime(2022, 8, 1, 10, 0, tzinfo=PRAGUE))

    response = get(client, guarantor, project)

    dashboard = response.context["dashboard"]
    assert (dashboard.countdown.project_ended, dashboard.period_end) == (
        True,
        dt.date(2022, 6, 30),
    )
    assert "The project ended on" in response.content.decode()


# --- Access -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("guarantor", 200),
        ("admin_user", 200),
        ("worker_a", 403),
        ("other_guarantor", 404),
        ("foreign_admin", 404),
    ],
)
def test_access_per_role(client, request, project, periods, persona, status):
    response = get(client, request.getfixturevalue(persona), project)

    assert response.status_code == status


def test_worker_cannot_reach_the_dashboard_of_a_project_without_them(
    client, worker_a, other_project
):
    assert get(client, worker_a, other_project).status_code == 404


def test_project_page_and_home_cards_link_to_the_dashboard(client, project, guarantor):
    client.force_login(guarantor)
    link = f'href="{url(project)}"'

    assert link in client.get(reverse("project_detail", args=[project.pk])).content.decode()
    assert link in client.get(reverse("home")).content.decode()


# --- Query count ------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 3])
def test_query_count_does_not_grow_with_clients(
    client, django_assert_num_queries, project, guarantor, periods, indicators, count
):
    for _ in range(count):
        participant(project)
        support(project, enrol(project).client, 1800)
        support(project, enrol(project, postcode="").client, 40 * HOURS)
    client.force_login(guarantor)

    # Session, user, roles (also the managed check); the project with its periods and
    # extensions; the indicator rows; one query for every figure, the chart and both lists.
    with django_assert_num_queries(8):
        response = client.get(url(project))

    dashboard = response.context["dashboard"]
    assert (len(dashboard.approaching), len(dashboard.missing)) == (count, count)


def test_project_page_has_no_dashboard_link_for_a_worker(client, project, worker_a):
    client.force_login(worker_a)

    response = client.get(reverse("project_detail", args=[project.pk]))

    assert (response.status_code, f'href="{url(project)}"' in response.content.decode()) == (
        200,
        False,
    )


def test_page_renders_progress_text_and_chart(client, project, guarantor, periods, indicators):
    participant(project)

    content = get(client, guarantor, project).content.decode()

    assert ">1 of 40 (2.5 %)</progress>" in content
    assert '<rect x="4" y="16" width="152" height="120" fill="currentColor"></rect>' in content
    assert "style=" not in content
