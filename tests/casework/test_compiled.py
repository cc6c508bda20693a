"""Statements compiled once and bound per call (``casework.compiled``) match a fresh build."""

import datetime as dt

import pytest

from casework import compiled

JAN, FEB, MAR = dt.date(2024, 1, 31), dt.date(2024, 2, 29), dt.date(2024, 3, 31)


def _calls():
    calls = []

    def build(label, dates):
        calls.append(list(dates))
        # Orders the dates among themselves, as ``_flag_rows`` does with ``max``.
        latest = max(dates)
        return f"SELECT {label} WHERE d <= %s AND x IN (%s, %s) AND e = %s", [
            latest,
            *dates[:2],
            "constant",
        ]

    return calls, build


@pytest.mark.parametrize("dates", [[JAN, FEB], [FEB, JAN], [MAR, MAR]], ids=str)
def test_bound_statement_equals_a_fresh_build(dates):
    _, build = _calls()
    sql, params = compiled.bound_sql(build, ("a",), dates)
    assert (sql, params) == build("a", dates)


def test_the_shape_is_built_once_then_only_bound():
    calls, build = _calls()
    compiled.bound_sql(build, ("once",), [JAN, FEB])
    built = len(calls)  # the three stand-in builds that check the statement
    assert compiled.bound_sql(build, ("once",), [FEB, MAR])[1] == [MAR, FEB, MAR, "constant"]
    assert len(calls) == built == 3
    # Another order of the dates is another shape (``max`` picks another position).
    assert compiled.bound_sql(build, ("once",), [MAR, FEB])[1] == [MAR, MAR, FEB, "constant"]
    assert len(calls) == 6


def test_a_date_moved_by_days_is_bound_moved():
    def month_ahead(dates):
        return "SELECT %s, %s", [dates[0] + dt.timedelta(days=30), dates[1] - dt.timedelta(days=1)]

    assert compiled.compiled(month_ahead, (), [JAN, FEB]) is not None
    assert compiled.bound_sql(month_ahead, (), [MAR, JAN])[1] == [
        dt.date(2024, 4, 30),
        dt.date(2024, 1, 30),
    ]


def test_a_builder_that_computes_dates_otherwise_is_compiled_every_time():
    calls = []

    def first_of_month(dates):
        calls.append(dates)
        return "SELECT %s", [dates[0].replace(day=1)]

    assert compiled.compiled(first_of_month, (), [FEB]) is None
    assert compiled.bound_sql(first_of_month, (), [FEB]) == ("SELECT %s", [dt.date(2024, 2, 1)])
    assert compiled.bound_sql(first_of_month, (), [MAR]) == ("SELECT %s", [dt.date(2024, 3, 1)])
    assert len(calls) == 3 + 2  # the check's three builds, then one build per call


def _id_builder(calls):
    def build(label, dates, ids):
        calls.append(list(ids))
        client, household = ids
        return f"SELECT {label} WHERE c = %s AND h = %s AND p IN (%s) AND d <= %s", [
            client,
            household,
            7,
            *dates,
        ]

    return build


def test_ids_are_bound_like_a_fresh_build():
    calls = []
    build = _id_builder(calls)
    first = compiled.bound_sql(build, ("ids",), [JAN], ids=[219, 175])
    assert first == build("ids", [JAN], [219, 175])
    built = len(calls)
    assert compiled.bound_sql(build, ("ids",), [FEB], ids=[5, 6]) == (
        "SELECT ids WHERE c = %s AND h = %s AND p IN (%s) AND d <= %s",
        [5, 6, 7, FEB],
    )
    assert len(calls) == built  # bound, not built again


def test_an_id_computed_otherwise_is_compiled_every_time():
    calls = []

    def next_one(dates, ids):
        calls.append(ids)
        return "SELECT %s", [ids[0] + 1]

    assert compiled.compiled(next_one, (), [], ids=[3]) is None
    assert compiled.bound_sql(next_one, (), [], ids=[3]) == ("SELECT %s", [4])
    assert compiled.bound_sql(next_one, (), [], ids=[8]) == ("SELECT %s", [9])
    assert len(calls) == 3 + 2


@pytest.mark.django_db
def test_queryset_rows_with_their_related_rows(project, client_a, client_other):
    """``compiled_rows`` and ``attach_related`` give what ``select_related`` and ``only``
    would, for the ids of each call; a queryset that matches nothing runs no statement."""
    from django.db.models import F

    from clients.models import Enrolment

    def build(dates, ids):
        (client,) = ids
        return compiled.queryset_sql(
            Enrolment.objects.filter(client=client)
            .only("entry_date", "project")
            .annotate(project_code=F("project__code"))
        )

    for person in (client_a, client_other):
        rows = compiled.compiled_rows(Enrolment, build, (), ids=[person.pk])
        compiled.attach_related(rows, {"project": ("code",)})
        expected = list(
            Enrolment.objects.filter(client=person)
            .select_related("project")
            .only("entry_date", "project__code")
        )
        assert [(r.pk, r.entry_date, r.project.pk, r.project.code) for r in rows] == [
            (e.pk, e.entry_date, e.project.pk, e.project.code) for e in expected
        ]
        assert rows[0].get_deferred_fields() >= {"exit_date", "client_id"}

    def nothing(dates, ids):
        return compiled.queryset_sql(Enrolment.objects.filter(pk__in=[]))

    assert compiled.compiled_rows(Enrolment, nothing, (), ids=[1]) == []


@pytest.mark.django_db
def test_scope_owners_are_equal_exactly_when_the_scopes_are(other_project, worker_a, worker_b):
    from django.contrib.auth import get_user_model

    from casework.models import Membership
    from casework.roles import Role, scope_owner

    def fresh(user):
        return get_user_model().objects.get(pk=user.pk)

    assert scope_owner(fresh(worker_a)) == scope_owner(fresh(worker_a))
    assert hash(scope_owner(fresh(worker_a))) == hash(scope_owner(fresh(worker_a)))
    assert scope_owner(worker_a) != scope_owner(worker_b)  # the same roles, another person
    before = scope_owner(fresh(worker_a))
    Membership.objects.create(user=worker_a, project=other_project, role=Role.GUARANTOR)
    assert scope_owner(fresh(worker_a)) != before
    inactive = fresh(worker_a)
    inactive.is_active = False
    assert scope_owner(inactive) != scope_owner(fresh(worker_a))
