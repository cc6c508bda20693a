"""The stored support of an enrolment follows every write to what it is computed from."""

import datetime as dt
import random
import threading

import pytest
from django.db import connection, transaction

from casework.models import Intervention, InterventionParticipant, Project
from clients.models import Enrolment, EnrolmentSupport
from clients.queries import valid_support_minutes
from tests.factories import (
    ClientFactory,
    EnrolmentFactory,
    InterventionFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db

START = dt.date(2021, 1, 4)


def stored(enrolment) -> tuple:
    row = EnrolmentSupport.objects.get(enrolment=enrolment)
    return (
        row.support_minutes,
        row.first_support_on,
        row.last_support_on,
        row.threshold_crossed_on,
    )


def from_the_log(enrolment) -> tuple:
    """The same four facts recomputed in Python from the intervention rows."""
    enrolment.refresh_from_db()
    threshold = Project.objects.get(pk=enrolment.project_id).participant_threshold_minutes
    rows = sorted(
        Intervention.objects.filter(
            project=enrolment.project_id,
            participants__client=enrolment.client_id,
            date__gte=enrolment.entry_date,
            date__lte=enrolment.exit_date or dt.date.max,
        ).values_list("date", "id", "duration_minutes")
    )
    running, crossed = 0, None
    for day, _, minutes in rows:
        running += minutes
        if crossed is None and running >= threshold:
            crossed = day
    dates = [day for day, _, _ in rows]
    return (running, min(dates, default=None), max(dates, default=None), crossed)


@pytest.fixture
def project():
    return ProjectFactory(start_date=START, participant_threshold_minutes=600)


@pytest.fixture
def enrolment(project):
    client = ClientFactory(organisation=project.organisation)
    return EnrolmentFactory(
        client=client, project=project, entry_date=START + dt.timedelta(days=10)
    )


def log(project, client, minutes, day):
    return InterventionFactory(
        project=project, date=day, duration_minutes=minutes, participants=[client]
    )


def test_a_new_enrolment_has_a_row_with_no_support(enrolment):
    assert stored(enrolment) == (0, None, None, None)


def test_support_is_counted_from_entry_to_exit_with_the_crossing_date(project, enrolment):
    client = enrolment.client
    log(project, client, 500, START)  # before entry: not valid support
    log(project, client, 300, START + dt.timedelta(days=20))
    log(project, client, 300, START + dt.timedelta(days=30))  # 600: crosses here
    log(project, client, 60, START + dt.timedelta(days=40))
    assert stored(enrolment) == (
        660,
        START + dt.timedelta(days=20),
        START + dt.timedelta(days=40),
        START + dt.timedelta(days=30),
    )
    assert stored(enrolment) == from_the_log(enrolment)


def test_every_kind_of_change_refreshes_the_row(project, enrolment):
    client = enrolment.client
    other_project = ProjectFactory(organisation=project.organisation, start_date=START)
    first = log(project, client, 400, START + dt.timedelta(days=20))
    second = log(project, client, 400, START + dt.timedelta(days=25))
    assert stored(enrolment)[3] == START + dt.timedelta(days=25)

    # A single save of the duration.
    second.duration_minutes = 100
    second.save()
    assert stored(enrolment) == from_the_log(enrolment)
    assert (stored(enrolment)[0], stored(enrolment)[3]) == (500, None)

    # A bulk update of the date, moving support before the entry.
    Intervention.objects.filter(pk=first.pk).update(date=START)
    assert stored(enrolment) == from_the_log(enrolment)
    assert stored(enrolment)[0] == 100

    # Moving an intervention to another project.
    Intervention.objects.filter(pk=first.pk).update(
        project=other_project, date=START + dt.timedelta(days=20)
    )
    assert stored(enrolment)[0] == 100
    Intervention.objects.filter(pk=first.pk).update(project=project)
    assert stored(enrolment)[0] == 500

    # The participant removed, then the intervention deleted.
    InterventionParticipant.objects.filter(intervention=second).delete()
    assert stored(enrolment)[0] == 400
    first.delete()
    assert stored(enrolment) == (0, None, None, None)


def test_entry_exit_and_threshold_changes_refresh_the_row(project, enrolment):
    client = enrolment.client
    log(project, client, 400, START + dt.timedelta(days=20))
    log(project, client, 400, START + dt.timedelta(days=60))
    assert stored(enrolment)[3] == START + dt.timedelta(days=60)

    Enrolment.objects.filter(pk=enrolment.pk).update(exit_date=START + dt.timedelta(days=30))
    day = START + dt.timedelta(days=20)
    assert stored(enrolment) == (400, day, day, None)

    enrolment.refresh_from_db()
    enrolment.exit_date = None
    enrolment.save()
    project.participant_threshold_minutes = 400
    project.save()
    assert stored(enrolment)[3] == START + dt.timedelta(days=20)
    assert stored(enrolment) == from_the_log(enrolment)


def test_a_group_session_counts_for_each_identified_attendee(project):
    people = [
        EnrolmentFactory(
            client=ClientFactory(organisation=project.organisation),
            project=project,
            entry_date=START,
        )
        for _ in range(3)
    ]
    InterventionFactory(
        project=project, date=START, duration_minutes=90, participants=[e.client for e in people]
    )
    assert [stored(e)[0] for e in people] == [90, 90, 90]


def test_stored_support_equals_the_log_on_random_histories(project):
    chooser = random.Random(20261123)  # noqa: S311 - a reproducible history, not a secret
    enrolments = [
        EnrolmentFactory(
            client=ClientFactory(organisation=project.organisation),
            project=project,
            entry_date=START + dt.timedelta(days=chooser.randrange(0, 30)),
            exit_date=chooser.choice([None, START + dt.timedelta(days=chooser.randrange(60, 120))]),
        )
        for _ in range(6)
    ]
    interventions = []
    for _ in range(40):
        attendees = chooser.sample([e.client for e in enrolments], chooser.randrange(1, 4))
        interventions.append(
            InterventionFactory(
                project=project,
                date=START + dt.timedelta(days=chooser.randrange(0, 150)),
                duration_minutes=chooser.choice([15, 30, 45, 60, 120]),
                participants=attendees,
            )
        )
    for intervention in chooser.sample(interventions, 10):
        Intervention.objects.filter(pk=intervention.pk).update(
            date=START + dt.timedelta(days=chooser.randrange(0, 150))
        )
    for enrolment in enrolments:
        assert stored(enrolment) == from_the_log(enrolment)
    # And the SQL definition used for periods with later support agrees with the stored total.
    totals = dict(
        Enrolment.objects.filter(project=project)
        .annotate(minutes=valid_support_minutes())
        .values_list("pk", "minutes")
    )
    assert totals == {e.pk: stored(e)[0] for e in enrolments}


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_for_one_client_both_count():
    """Two transactions log support for the same client at once: the total has both."""
    project = ProjectFactory(start_date=START, participant_threshold_minutes=600)
    client = ClientFactory(organisation=project.organisation)
    enrolment = EnrolmentFactory(client=client, project=project, entry_date=START)
    first_inserted = threading.Event()
    errors = []

    def write(minutes, *, wait_before_commit):
        try:
            with transaction.atomic():
                log(project, client, minutes, START + dt.timedelta(days=1))
                first_inserted.set()
                if wait_before_commit:
                    # Hold the transaction open while the other one writes.
                    threading.Event().wait(0.5)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    holder = threading.Thread(target=write, args=(100,), kwargs={"wait_before_commit": True})
    holder.start()
    first_inserted.wait(5)
    second = threading.Thread(target=write, args=(50,), kwargs={"wait_before_commit": False})
    second.start()
    holder.join(10)
    second.join(10)
    assert errors == []
    assert stored(enrolment)[0] == 150
