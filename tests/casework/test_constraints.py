"""Every database constraint of casework rejects the row it exists to reject.

Rows are saved through the ORM without ``full_clean()``: the database is the last line of
defence, so these tests prove it holds on its own.
"""

import datetime as dt
import importlib
import uuid
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from casework.models import (
    DeliveryMode,
    Draft,
    Intervention,
    InterventionParticipant,
    InterventionType,
    InterventionWorker,
    Membership,
    Organisation,
    OutreachContact,
    Project,
    ProjectIndicator,
    Topic,
)
from casework.roles import Role
from tests.factories import (
    ClientFactory,
    DeliveryModeFactory,
    InstitutionFactory,
    InterventionFactory,
    KeyActivityFactory,
    LocalityFactory,
    MembershipFactory,
    OrganisationFactory,
    ProjectFactory,
    ReportingPeriodFactory,
    UserFactory,
    add_participant,
    add_worker,
)
from tests.schema import column_constraint_name, single_row

pytestmark = pytest.mark.django_db

JAN_1 = dt.date(2024, 1, 1)
JAN_2 = dt.date(2024, 1, 2)
FULL_DAY = 24 * 60


def _duplicate_locality():
    first = LocalityFactory()
    return lambda: LocalityFactory(organisation=first.organisation, name=first.name)


def _duplicate_institution():
    first = InstitutionFactory()
    return lambda: InstitutionFactory(organisation=first.organisation, name=first.name)


def _duplicate_project_code():
    first = ProjectFactory()
    return lambda: ProjectFactory(organisation=first.organisation, code=first.code)


def _duplicate_key_activity():
    first = KeyActivityFactory()
    return lambda: KeyActivityFactory(project=first.project, code=first.code)


def _indicator(**fields):
    def arrange():
        project = ProjectFactory()
        values = {"project": project, "code": "6 00 00", "name": "Účastníci", "target": 60}
        return lambda: ProjectIndicator.objects.create(**(values | fields))

    return arrange


def _duplicate_indicator():
    first = _indicator()()()
    return lambda: ProjectIndicator.objects.create(
        project=first.project, code=first.code, name="Znovu", target=1
    )


def _second_period(number, start, end):
    def arrange():
        first = ReportingPeriodFactory(number=1, start_date=JAN_1, end_date=dt.date(2024, 6, 30))
        return lambda: ReportingPeriodFactory(
            project=first.project, number=number, start_date=start, end_date=end
        )

    return arrange


def _second_role_in_same_project():
    first = MembershipFactory(role=Role.WORKER)
    return lambda: MembershipFactory(user=first.user, project=first.project, role=Role.GUARANTOR)


def _worker_twice():
    intervention = InterventionFactory()
    worker = UserFactory()
    add_worker(intervention, worker)
    return lambda: add_worker(intervention, worker)


def _participant_twice():
    intervention = InterventionFactory()
    client = ClientFactory(organisation=intervention.project.organisation)
    add_participant(intervention, client)
    return lambda: add_participant(intervention, client)


def _outreach(**fields):
    def arrange():
        key_activity = KeyActivityFactory()
        values = {
            "project": key_activity.project,
            "key_activity": key_activity,
            "date": JAN_1,
            "head_count": 3,
            "worker": UserFactory(),
        }
        return lambda: OutreachContact.objects.create(**(values | fields))

    return arrange


def _draft_twice():
    user = UserFactory()
    now = dt.datetime(2021, 3, 1, 10, tzinfo=dt.UTC)
    Draft.objects.create(user=user, form_key="intervention-new", updated_at=now)
    return lambda: Draft.objects.create(user=user, form_key="intervention-new", updated_at=now)


REJECTED = [
    pytest.param(
        "locality_unique_name_per_organisation", _duplicate_locality, id="locality-duplicate-name"
    ),
    pytest.param("project_unique_code", _duplicate_project_code, id="project-duplicate-code"),
    pytest.param(
        "institution_unique_name_per_organisation",
        _duplicate_institution,
        id="institution-duplicate-name",
    ),
    pytest.param(
        "project_end_after_start",
        single_row(ProjectFactory, start_date=JAN_2, end_date=JAN_1),
        id="project-end-before-start",
    ),
    pytest.param(
        "project_budget_not_negative",
        single_row(
            ProjectFactory,
            budget_total=Decimal(100),
            budget_eu=Decimal(110),
            budget_state=Decimal(-10),
            budget_own=Decimal(0),
        ),
        id="project-negative-state-share-that-still-adds-up",
    ),
    pytest.param(
        "project_budget_split_adds_up",
        single_row(
            ProjectFactory,
            budget_total=Decimal("4008375.00"),
            budget_eu=Decimal("3407118.75"),
            budget_state=Decimal("400837.50"),
            budget_own=Decimal("200418.74"),
        ),
        id="project-split-short-by-a-haler",
    ),
    pytest.param(
        "project_threshold_positive",
        single_row(ProjectFactory, participant_threshold_minutes=0),
        id="project-threshold-zero",
    ),
    pytest.param("key_activity_unique_code", _duplicate_key_activity, id="ka-duplicate-code"),
    pytest.param("indicator_unique_code", _duplicate_indicator, id="indicator-duplicate-code"),
    pytest.param("indicator_not_negative", _indicator(target=-1), id="indicator-negative-target"),
    pytest.param(
        "indicator_not_negative", _indicator(baseline=-1), id="indicator-negative-baseline"
    ),
    pytest.param(
        "period_unique_number",
        _second_period(1, dt.date(2024, 7, 1), dt.date(2024, 12, 31)),
        id="period-duplicate-number",
    ),
    pytest.param(
        "period_end_after_start",
        single_row(ReportingPeriodFactory, start_date=JAN_2, end_date=JAN_1),
        id="period-end-before-start",
    ),
    pytest.param(
        "period_no_overlap",
        _second_period(2, dt.date(2024, 6, 30), dt.date(2024, 12, 31)),
        id="period-shares-the-last-day",
    ),
    pytest.param(
        "period_no_overlap",
        _second_period(2, dt.date(2024, 3, 1), dt.date(2024, 3, 31)),
        id="period-inside-another",
    ),
    pytest.param(
        "period_no_overlap",
        _second_period(2, dt.date(2023, 7, 1), dt.date(2024, 12, 31)),
        id="period-around-another",
    ),
    pytest.param(
        "membership_one_role_per_project",
        _second_role_in_same_project,
        id="membership-second-role",
    ),
    pytest.param(
        "intervention_duration_within_a_day",
        single_row(InterventionFactory, duration_minutes=0),
        id="intervention-zero-minutes",
    ),
    pytest.param(
        "intervention_duration_within_a_day",
        single_row(InterventionFactory, duration_minutes=FULL_DAY + 1),
        id="intervention-a-day-and-a-minute",
    ),
    pytest.param("intervention_worker_unique", _worker_twice, id="intervention-worker-twice"),
    pytest.param(
        "intervention_participant_unique", _participant_twice, id="intervention-client-twice"
    ),
    pytest.param("outreach_count_positive", _outreach(head_count=0), id="outreach-nobody"),
    pytest.param(
        "outreach_duration_within_a_day",
        _outreach(duration_minutes=FULL_DAY + 1),
        id="outreach-a-day-and-a-minute",
    ),
    pytest.param("draft_one_per_user_form", _draft_twice, id="draft-twice-for-one-form"),
]


@pytest.mark.parametrize(("constraint", "arrange"), REJECTED)
def test_constraint_rejects_bad_row(constraint, arrange):
    save_bad_row = arrange()

    with pytest.raises(IntegrityError) as error, transaction.atomic():
        save_bad_row()

    assert f'"{constraint}"' in str(error.value)


def _same_code_elsewhere():
    ProjectFactory(code="RAL")
    return lambda: ProjectFactory(code="RAL")


def _period_after(start, end, *, other_project=False):
    def arrange():
        first = ReportingPeriodFactory(number=1, start_date=JAN_1, end_date=dt.date(2024, 6, 30))
        project = ProjectFactory() if other_project else first.project
        return lambda: ReportingPeriodFactory(
            project=project, number=2, start_date=start, end_date=end
        )

    return arrange


def _roles_in_two_projects():
    first = MembershipFactory(role=Role.WORKER)
    return lambda: MembershipFactory(user=first.user, role=Role.GUARANTOR)


ACCEPTED = [
    pytest.param(
        single_row(ProjectFactory, start_date=JAN_1, end_date=JAN_1), id="project-one-day"
    ),
    pytest.param(_same_code_elsewhere, id="project-same-code-in-another-organisation"),
    pytest.param(
        single_row(
            ProjectFactory,
            budget_total=Decimal(0),
            budget_eu=Decimal(0),
            budget_state=Decimal(0),
            budget_own=Decimal(0),
        ),
        id="project-zero-budget",
    ),
    pytest.param(
        single_row(ProjectFactory, participant_threshold_minutes=1), id="project-threshold-1-min"
    ),
    pytest.param(
        single_row(ReportingPeriodFactory, start_date=JAN_1, end_date=JAN_1), id="period-one-day"
    ),
    pytest.param(
        _period_after(dt.date(2024, 7, 1), dt.date(2024, 12, 31)), id="period-starts-next-day"
    ),
    pytest.param(
        _period_after(JAN_1, dt.date(2024, 6, 30), other_project=True),
        id="period-same-dates-in-another-project",
    ),
    pytest.param(_indicator(target=0, baseline=0), id="indicator-zero"),
    pytest.param(_roles_in_two_projects, id="membership-different-roles-in-two-projects"),
    pytest.param(single_row(InterventionFactory, duration_minutes=1), id="intervention-1-min"),
    pytest.param(
        single_row(InterventionFactory, duration_minutes=FULL_DAY), id="intervention-exactly-24-h"
    ),
    pytest.param(_outreach(head_count=1), id="outreach-one-person"),
    pytest.param(_outreach(duration_minutes=FULL_DAY), id="outreach-exactly-24-h"),
]


@pytest.mark.parametrize("arrange", ACCEPTED)
def test_constraint_accepts_edge_value(arrange):
    save_row = arrange()

    row = save_row()

    assert list(type(row).objects.filter(pk=row.pk)) == [row]


def _two_rows_with(model, factory, field_name, value):
    def arrange():
        factory(**{field_name: value})
        return lambda: factory(**{field_name: value})

    return model, field_name, arrange


@pytest.mark.parametrize(
    ("model", "field_name", "arrange"),
    [
        pytest.param(
            *_two_rows_with(Organisation, OrganisationFactory, "ico", "00064581"), id="ico"
        ),
        pytest.param(*_two_rows_with(Topic, Topic.objects.create, "code", "x-topic"), id="topic"),
        pytest.param(
            *_two_rows_with(DeliveryMode, DeliveryMode.objects.create, "code", "x-mode"),
            id="delivery-mode",
        ),
        pytest.param(
            *_two_rows_with(InterventionType, InterventionType.objects.create, "code", "x-type"),
            id="intervention-type",
        ),
        pytest.param(
            *_two_rows_with(
                Intervention,
                InterventionFactory,
                "submission_id",
                uuid.UUID("5f0c6c1e-2b9d-4c43-9d64-0c3f5a1b2c3d"),
            ),
            id="intervention-submission-id",
        ),
    ],
)
def test_unique_field_rejects_duplicate(model, field_name, arrange):
    save_duplicate = arrange()

    with pytest.raises(IntegrityError) as error, transaction.atomic():
        save_duplicate()

    constraint = column_constraint_name(model, field_name, kind="unique")
    assert f'"{constraint}"' in str(error.value)


def test_negative_anonymous_count_is_rejected_by_the_column_check():
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        InterventionFactory(anonymous_count=-1)

    column_check = column_constraint_name(Intervention, "anonymous_count", kind="check")
    assert f'"{column_check}"' in str(error.value)


# --- Foreign keys keep the history ------------------------------------------------------------


def test_deleting_project_with_interventions_is_refused():
    intervention = InterventionFactory()

    with pytest.raises(ProtectedError) as error:
        intervention.project.delete()

    assert intervention in error.value.protected_objects
    assert Project.objects.filter(pk=intervention.project_id).count() == 1


def test_deleting_worker_with_interventions_is_refused():
    worker = UserFactory()
    intervention = InterventionFactory(workers=[worker])

    with pytest.raises(ProtectedError) as error:
        worker.delete()

    assert list(error.value.protected_objects) == [
        InterventionWorker.objects.get(intervention=intervention, worker=worker)
    ]


def test_deleting_client_with_interventions_is_refused():
    client = ClientFactory()
    intervention = InterventionFactory(participants=[client])

    with pytest.raises(ProtectedError) as error:
        client.delete()

    assert list(error.value.protected_objects) == [
        InterventionParticipant.objects.get(intervention=intervention, client=client)
    ]


def test_deleting_member_user_is_refused():
    membership = MembershipFactory()

    with pytest.raises(ProtectedError) as error:
        membership.user.delete()

    assert list(error.value.protected_objects) == [membership]
    assert Membership.objects.filter(pk=membership.pk).count() == 1


def test_delivery_mode_in_use_cannot_be_deleted():
    mode = DeliveryModeFactory(code="phone", name="Telefon")
    intervention = InterventionFactory(delivery_mode=mode)

    with pytest.raises(ProtectedError) as error:
        mode.delete()

    assert list(error.value.protected_objects) == [intervention]


# --- Every named constraint has a rejection case -----------------------------------------------

APPS = ["casework", "clients", "debts", "housing", "reports"]


def test_every_named_constraint_has_a_rejection_case():
    declared = {
        constraint.name
        for app in APPS
        for model in apps.get_app_config(app).get_models()
        for constraint in model._meta.constraints
    }

    tested = set()
    for app in APPS:
        module = importlib.import_module(f"tests.{app}.test_constraints")
        tested |= {case.values[0] for case in module.REJECTED}

    assert sorted(tested) == sorted(declared)
