"""The intervention log: its default date range, its rows, its pages and the access scope."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from casework.addresses import address_by_pk
from casework.filters import months_before
from casework.models import Intervention, Membership, ProjectExtension, Topic
from casework.pagination import RowsFirstPaginator
from casework.roles import Role
from tests.factories import (
    CaseAssignmentFactory,
    InterventionFactory,
    KeyActivityFactory,
    MembershipFactory,
    UserFactory,
)


def at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=ZoneInfo("Europe/Prague"))


@pytest.fixture
def ka03(project):
    return KeyActivityFactory(project=project, code="KA 03", name="Individuální práce")


def logged(project, ka03, day, worker, clients=()):
    return InterventionFactory(
        project=project,
        key_activity=ka03,
        date=day,
        created_by=worker,
        workers=[worker],
        participants=list(clients),
    )


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2021, 3, 15), dt.date(2020, 12, 15)),
        (dt.date(2021, 5, 31), dt.date(2021, 2, 28)),
        (dt.date(2024, 5, 31), dt.date(2024, 2, 29)),
        (dt.date(2022, 1, 31), dt.date(2021, 10, 31)),
    ],
)
def test_months_before(day, expected):
    assert months_before(day, 3) == expected


def test_log_opens_on_the_last_three_months(client, time_machine, project, worker_a, ka03):
    time_machine.move_to(at(dt.date(2021, 3, 15)))
    older = logged(project, ka03, dt.date(2020, 12, 14), worker_a)
    first_day = logged(project, ka03, dt.date(2020, 12, 15), worker_a)
    client.force_login(worker_a)

    response = client.get(reverse("intervention_list"))

    assert list(response.context["page"].object_list) == [first_day]
    assert older not in response.context["page"].object_list
    assert 'value="2020-12-15"' in response.text
    assert "data-default-range" in response.text


def test_after_the_project_the_log_opens_on_its_last_three_months(
    client, time_machine, project, guarantor, worker_a, ka03
):
    ProjectExtension.objects.create(project=project, new_end_date=dt.date(2022, 8, 31))
    time_machine.move_to(at(dt.date(2026, 1, 10)))
    before = logged(project, ka03, dt.date(2022, 5, 30), worker_a)
    last_day = logged(project, ka03, dt.date(2022, 8, 31), worker_a)
    client.force_login(guarantor)

    response = client.get(reverse("intervention_list"))

    assert list(response.context["page"].object_list) == [last_day]
    assert before not in response.context["page"].object_list
    assert 'value="2022-05-31"' in response.text
    assert 'value="2022-08-31"' in response.text


def test_cleared_dates_show_the_whole_log(client, time_machine, project, worker_a, ka03):
    time_machine.move_to(at(dt.date(2021, 3, 15)))
    older = logged(project, ka03, dt.date(2020, 9, 1), worker_a)
    client.force_login(worker_a)

    response = client.get(reverse("intervention_list"), {"date_from": "", "date_to": ""})

    assert list(response.context["page"].object_list) == [older]
    assert "data-default-range" not in response.text


def test_any_filter_searches_all_dates(client, time_machine, project, worker_a, client_a, ka03):
    time_machine.move_to(at(dt.date(2021, 3, 15)))
    older = logged(project, ka03, dt.date(2020, 9, 1), worker_a, [client_a])
    client.force_login(worker_a)

    response = client.get(reverse("intervention_list"), {"client": client_a.code})

    assert list(response.context["page"].object_list) == [older]
    assert response.context["filter"].default_range is None


def test_a_row_shows_the_names_of_clients_topics_and_workers(
    client, project, worker_a, worker_b, client_a, client_b, ka03
):
    nameless = UserFactory(username="zz-nameless", first_name="", last_name="")
    intervention = logged(project, ka03, project.start_date, worker_b, [client_b, client_a])
    intervention.workers.add(worker_a, nameless)
    first, second = Topic.objects.order_by("order", "name")[:2]
    intervention.topics.set([second, first])
    client.force_login(worker_a)

    response = client.get(reverse("intervention_list"), {"date_from": "", "date_to": ""})

    (row,) = response.context["page"].object_list
    assert row == intervention
    assert row.client_names == ["Adámková Anna", "Bartoš Bedřich"]
    assert row.topic_names == [first.name, second.name]
    # By surname; without a name, the user name (as User.get_full_name|default shows it).
    assert row.worker_names == ["zz-nameless", "Alice Terénní", "Bob Terénní"]
    assert (row.key_activity_code, row.delivery_mode_name) == ("KA 03", "Terénní návštěva")
    assert f"{first.name}, {second.name}" in response.text
    assert "zz-nameless, Alice Terénní, Bob Terénní" in response.text


def test_a_row_links_the_intervention_and_shows_its_date_and_start_time(
    client, project, worker_a, ka03
):
    with_time = logged(project, ka03, project.start_date, worker_a)
    with_time.start_time = dt.time(9, 5)
    with_time.save()
    without_time = logged(project, ka03, project.start_date + dt.timedelta(days=1), worker_a)
    client.force_login(worker_a)

    response = client.get(reverse("intervention_list"), {"date_from": "", "date_to": ""})

    for intervention, shown in [
        (with_time, f"{date_format(project.start_date, 'SHORT_DATE_FORMAT')} 09:05"),
        (without_time, date_format(without_time.date, "SHORT_DATE_FORMAT")),
    ]:
        link = f'href="{intervention.get_absolute_url()}">\n                {shown}\n'
        assert link in response.text


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("cs", ["Klíčová aktivita", "Minuty", "Forma", "Témata", "Pracovníci"]),
        ("en", ["Key activity", "Minutes", "Form", "Topics", "Workers"]),
    ],
)
def test_each_cell_of_a_row_carries_its_columns_header(
    client, project, worker_a, ka03, language, labels
):
    """The stacked table on a phone shows each cell with its column's name."""
    intervention = logged(project, ka03, project.start_date, worker_a)
    intervention.duration_minutes = 45
    intervention.save()
    client.force_login(worker_a)

    response = client.get(
        reverse("intervention_list"),
        {"date_from": "", "date_to": ""},
        HTTP_ACCEPT_LANGUAGE=language,
    )

    (row,) = response.context["page"].object_list
    assert [cell[0] for cell in row.cells] == labels
    for label in labels:
        assert f">{label}</th>" in response.text
    assert f'<td data-label="{labels[1]}" class="num">45</td>' in response.text
    assert f'<td data-label="{labels[3]}">–</td>' in response.text  # no topics


@pytest.mark.parametrize("pk", [1, 42, 2_147_483_647, 10**12])
def test_address_by_pk_is_what_reverse_gives(pk):
    for viewname in ["intervention_detail", "clients:detail"]:
        assert address_by_pk(viewname)(pk) == reverse(viewname, args=[pk])


# --- Pages without a separate count (casework.pagination) -------------------------------------


@pytest.fixture
def five(project, worker_a, ka03):
    days = [project.start_date + dt.timedelta(days=n) for n in range(5)]
    return [logged(project, ka03, day, worker_a) for day in days]


def paged(project, number, **kwargs):
    rows = Intervention.objects.filter(project=project).order_by("date", "pk")
    return RowsFirstPaginator(rows, 2, **kwargs).get_page(number)


def test_a_full_page_is_counted(django_assert_num_queries, project, five):
    with django_assert_num_queries(1):
        page = paged(project, 1)
    with django_assert_num_queries(1):
        assert page.paginator.count == 5

    assert (page.object_list, page.paginator.count, page.paginator.num_pages) == (five[:2], 5, 3)


def test_a_short_page_ends_the_list_without_a_count(django_assert_num_queries, project, five):
    with django_assert_num_queries(1):
        page = paged(project, 3)

    assert (page.object_list, page.paginator.count, page.number) == (five[4:], 5, 3)
    assert page.start_index() == 5
    assert not page.has_next()


def test_the_count_can_come_with_the_rows(django_assert_num_queries, project, five):
    with django_assert_num_queries(1):
        page = paged(project, 2, count_with_rows=True)

    assert (page.object_list, page.paginator.count, page.paginator.num_pages) == (five[2:4], 5, 3)


@pytest.mark.parametrize("count_with_rows", [False, True])
@pytest.mark.parametrize(("number", "shown"), [("9", 3), ("0", 3), ("-1", 3), ("x", 1), (None, 1)])
def test_a_page_out_of_range_shows_what_paginator_shows(
    project, five, count_with_rows, number, shown
):
    page = paged(project, number, count_with_rows=count_with_rows)

    assert (page.number, page.paginator.count) == (shown, 5)
    assert page.object_list == five[(shown - 1) * 2 : shown * 2]


def test_an_empty_list_is_one_empty_page(django_assert_num_queries, project):
    with django_assert_num_queries(1):
        page = paged(project, 1)

    assert (list(page.object_list), page.paginator.count, page.paginator.num_pages) == ([], 0, 1)


# --- Who sees an intervention (InterventionQuerySet.visible_to) --------------------------------


def visible(user) -> set[int]:
    return set(Intervention.objects.visible_to(user).values_list("pk", flat=True))


def test_a_worker_who_took_part_keeps_seeing_it_after_leaving_the_project(project, worker_a, ka03):
    own = logged(project, ka03, project.start_date, worker_a)
    Membership.objects.filter(user=worker_a, project=project).delete()

    assert visible(worker_a) == {own.pk}


def test_a_current_client_in_the_interventions_project_shows_it(
    project, worker_a, worker_b, client_b, ka03
):
    by_colleague = logged(project, ka03, project.start_date, worker_b, [client_b])
    assert visible(worker_a) == set()

    CaseAssignmentFactory(client=client_b, project=project, worker=worker_a)

    assert visible(worker_a) == {by_colleague.pk}


def test_the_client_must_be_the_workers_in_the_interventions_project(
    project, other_project, worker_a, worker_b, client_b, ka03
):
    """Assigned in another project, or no longer a worker here: the colleague's entry is hidden."""
    by_colleague = logged(project, ka03, project.start_date, worker_b, [client_b])
    MembershipFactory(user=worker_a, project=other_project, role=Role.WORKER)
    CaseAssignmentFactory(client=client_b, project=other_project, worker=worker_a)
    assert visible(worker_a) == set()

    assignment = CaseAssignmentFactory(client=client_b, project=project, worker=worker_a)
    assert visible(worker_a) == {by_colleague.pk}

    Membership.objects.filter(user=worker_a, project=project).delete()
    assert visible(worker_a) == set()

    MembershipFactory(user=worker_a, project=project, role=Role.WORKER)
    assignment.ended_on = project.start_date
    assignment.save()
    assert visible(worker_a) == set()


def test_guarantor_sees_the_whole_project_only(project, other_project, guarantor, worker_a, ka03):
    here = logged(project, ka03, project.start_date, worker_a)
    elsewhere = InterventionFactory(project=other_project, created_by=worker_a)

    assert visible(guarantor) == {here.pk}
    assert elsewhere.pk not in visible(guarantor)


def test_case_file_timeline_is_the_clients_visible_interventions(
    client, project, worker_a, worker_b, client_a, client_b, ka03
):
    shared = logged(project, ka03, project.start_date, worker_b, [client_a, client_b])
    logged(project, ka03, project.start_date, worker_b, [client_b])
    client.force_login(worker_a)

    response = client.get(reverse("clients:detail", args=[client_a.pk]))

    assert response.context["case"].timeline.interventions == [shared]


@pytest.mark.parametrize(
    "query",
    [{"date_from": "", "date_to": ""}, {}, {"date_from": "", "date_to": "", "client": "RAL-0001"}],
    ids=["all dates", "default range", "one client"],
)
def test_the_log_count_in_two_parts_equals_the_visible_rows(
    rf, project, other_project, worker_a, worker_b, client_a, client_b, ka03, query
):
    """A worker who is also guarantor elsewhere: every way of seeing an intervention, one
    intervention seen two ways, and one not seen at all."""
    from casework.filters import InterventionFilter
    from casework.views import _log_count

    Membership.objects.create(user=worker_a, project=other_project, role=Role.GUARANTOR)
    elsewhere = KeyActivityFactory(project=other_project)
    day = project.start_date + dt.timedelta(days=30)
    logged(project, ka03, day, worker_a)  # took part
    logged(project, ka03, day, worker_b, [client_a])  # a current client of hers
    logged(project, ka03, day, worker_b, [client_b])  # not hers: not seen
    logged(other_project, elsewhere, day, worker_b)  # a project she manages
    logged(other_project, elsewhere, day, worker_a)  # managed and took part: once
    request = rf.get("/interventions/", query)
    request.user = worker_a

    log = InterventionFilter(
        request.GET, queryset=Intervention.objects.visible_to(worker_a), request=request
    )
    count = _log_count(log, worker_a)

    assert count is not None
    assert count() == log.qs.count() == (0 if query == {} else 1 if "client" in query else 4)


def test_a_worker_without_managed_projects_is_counted_in_one_query(rf, project, worker_a):
    from casework.filters import InterventionFilter
    from casework.views import _log_count

    request = rf.get("/interventions/")
    request.user = worker_a
    log = InterventionFilter(
        request.GET, queryset=Intervention.objects.visible_to(worker_a), request=request
    )

    assert _log_count(log, worker_a) is None
