"""Participant status: the known-answer edges of DOMAIN.md §2 and §3."""

import datetime as dt

import pytest

from clients.models import DisadvantageAnswer, Enrolment, MonitoringCodeKind
from clients.queries import participant_statuses, with_participant_status
from tests.factories import (
    ClientFactory,
    EnrolmentFactory,
    InterventionFactory,
    MonitoringCodeFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


def complete_enrolment(project, **client_fields):
    """An enrolment whose entry monitoring data are all there."""
    fields = {"municipality": "Ralsko", "postcode": "47124", **client_fields}
    client = ClientFactory(
        organisation=project.organisation,
        gender=MonitoringCodeFactory(kind=MonitoringCodeKind.GENDER, code="POHZENY"),
        **fields,
    )
    return EnrolmentFactory(
        client=client,
        project=project,
        labour_status=MonitoringCodeFactory(
            kind=MonitoringCodeKind.LABOUR_STATUS, code="TPDNEZ", name="Nezaměstnaný 12+"
        ),
        education=MonitoringCodeFactory(
            kind=MonitoringCodeKind.EDUCATION, code="VZISCED1-2", name="Základní"
        ),
        disadvantage_answer=DisadvantageAnswer.NONE,
    )


def support(project, client, minutes, *, day=None):
    return InterventionFactory(
        project=project,
        date=day or project.start_date,
        duration_minutes=minutes,
        participants=[client],
    )


def status_of(enrolment):
    return with_participant_status(Enrolment.objects.filter(pk=enrolment.pk)).get()


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        pytest.param([24 * 60, 16 * 60 - 1], False, id="39h59m"),
        pytest.param([24 * 60, 16 * 60], True, id="40h00m"),
    ],
)
def test_threshold_is_inclusive(minutes, expected):
    project = ProjectFactory()
    enrolment = complete_enrolment(project)
    for amount in minutes:
        support(project, enrolment.client, amount)

    row = status_of(enrolment)

    assert (row.support_minutes, row.is_participant) == (sum(minutes), expected)


def test_support_outside_entry_and_exit_does_not_count():
    project = ProjectFactory()
    enrolment = complete_enrolment(project)
    enrolment.entry_date = project.start_date + dt.timedelta(days=10)
    enrolment.exit_date = project.start_date + dt.timedelta(days=20)
    enrolment.save()
    client = enrolment.client
    support(project, client, 60, day=project.start_date + dt.timedelta(days=9))
    support(project, client, 30, day=project.start_date + dt.timedelta(days=10))
    support(project, client, 45, day=project.start_date + dt.timedelta(days=20))
    support(project, client, 90, day=project.start_date + dt.timedelta(days=21))

    assert status_of(enrolment).support_minutes == 75


def test_group_session_gives_each_identified_attendee_the_full_duration():
    project = ProjectFactory()
    enrolments = [complete_enrolment(project) for _ in range(8)]
    InterventionFactory(
        project=project,
        duration_minutes=120,
        is_group=True,
        anonymous_count=3,
        participants=[e.client for e in enrolments],
    )

    rows = with_participant_status(Enrolment.objects.filter(project=project))

    assert sorted(row.support_minutes for row in rows) == [120] * 8


def test_support_in_another_project_does_not_count_here():
    project = ProjectFactory()
    other = ProjectFactory(organisation=project.organisation)
    enrolment = complete_enrolment(project)
    EnrolmentFactory(client=enrolment.client, project=other)
    support(project, enrolment.client, 100)
    support(other, enrolment.client, 24 * 60)
    support(other, enrolment.client, 16 * 60)

    assert status_of(enrolment).support_minutes == 100


def test_incomplete_entry_data_keeps_a_person_over_the_threshold_from_counting():
    project = ProjectFactory()
    enrolment = complete_enrolment(project, postcode="")
    support(project, enrolment.client, 24 * 60)
    support(project, enrolment.client, 16 * 60)

    [status] = participant_statuses(Enrolment.objects.filter(pk=enrolment.pk))

    assert (status.support_minutes, status.is_participant) == (40 * 60, False)
    assert status.missing_fields == ["postcode"]
    assert status_of(enrolment).is_participant is False


def test_answered_disadvantage_needs_at_least_one_code():
    project = ProjectFactory()
    enrolment = complete_enrolment(project)
    enrolment.disadvantage_answer = DisadvantageAnswer.ANSWERED
    enrolment.save()

    assert status_of(enrolment).entry_complete is False
    enrolment.disadvantages.add(
        MonitoringCodeFactory(kind=MonitoringCodeKind.DISADVANTAGE, code="PBOBP", name="Bydlení")
    )
    assert status_of(enrolment).entry_complete is True
