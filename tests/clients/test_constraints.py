"""Every database constraint of clients rejects the row it exists to reject (saved via the ORM)."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from clients.models import (
    CaseAssignment,
    Document,
    HouseholdMember,
    MonitoringCode,
    MonitoringCodeKind,
    Relationship,
)
from tests.factories import (
    CaseAssignmentFactory,
    ClientFactory,
    ConsentFactory,
    DocumentFactory,
    EnrolmentFactory,
    HouseholdFactory,
    IndividualPlanFactory,
    ProjectFactory,
    UserFactory,
)
from tests.schema import column_constraint_name, single_row

pytestmark = pytest.mark.django_db

JAN_1 = dt.date(2024, 1, 1)
JAN_2 = dt.date(2024, 1, 2)


def _duplicate_monitoring_code():
    MonitoringCode.objects.create(kind=MonitoringCodeKind.EDUCATION, code="X-VZ", name="První")
    return lambda: MonitoringCode.objects.create(
        kind=MonitoringCodeKind.EDUCATION, code="X-VZ", name="Druhý"
    )


def _duplicate_client_code():
    first = ClientFactory(code="RAL-0042")
    return lambda: ClientFactory(organisation=first.organisation, code="RAL-0042")


def _member_without_identity():
    household = HouseholdFactory()
    return lambda: HouseholdMember.objects.create(
        household=household, client=None, name="", relationship=Relationship.CHILD
    )


def _second_current_assignment():
    first = CaseAssignmentFactory()
    return lambda: CaseAssignmentFactory(
        client=first.client, project=first.project, worker=first.worker, started_on=JAN_2
    )


def _second_enrolment():
    first = EnrolmentFactory()
    return lambda: EnrolmentFactory(client=first.client, project=first.project)


def _signature(**fields):
    def arrange():
        signer = UserFactory()
        values = {"signed_by": signer, "signed_at": timezone.now()}
        return lambda: IndividualPlanFactory(**(values | fields))

    return arrange


REJECTED = [
    pytest.param("monitoring_code_unique", _duplicate_monitoring_code, id="code-list-duplicate"),
    pytest.param(
        "client_unique_code_per_organisation", _duplicate_client_code, id="client-duplicate-code"
    ),
    pytest.param(
        "client_birth_year_plausible",
        single_row(ClientFactory, birth_date=None, birth_year=1899),
        id="client-born-1899",
    ),
    pytest.param(
        "client_birth_year_plausible",
        single_row(ClientFactory, birth_date=None, birth_year=2101),
        id="client-born-2101",
    ),
    pytest.param(
        "client_birth_year_matches_date",
        single_row(ClientFactory, birth_date=dt.date(1980, 12, 31), birth_year=1981),
        id="client-year-differs-from-date",
    ),
    pytest.param("household_member_has_identity", _member_without_identity, id="member-nameless"),
    pytest.param(
        "consent_withdrawn_after_given",
        single_row(ConsentFactory, given_on=JAN_2, withdrawn_on=JAN_1),
        id="consent-withdrawn-before-given",
    ),
    pytest.param(
        "assignment_end_after_start",
        single_row(CaseAssignmentFactory, started_on=JAN_2, ended_on=JAN_1),
        id="assignment-ends-before-start",
    ),
    pytest.param(
        "assignment_one_current_per_worker",
        _second_current_assignment,
        id="assignment-second-current",
    ),
    pytest.param("enrolment_once_per_project", _second_enrolment, id="enrolment-twice"),
    pytest.param(
        "enrolment_exit_after_entry",
        single_row(EnrolmentFactory, entry_date=JAN_2, exit_date=JAN_1),
        id="enrolment-exit-before-entry",
    ),
    pytest.param(
        "plan_signature_complete", _signature(signed_at=None), id="plan-signer-without-time"
    ),
    pytest.param(
        "plan_signature_complete", _signature(signed_by=None), id="plan-time-without-signer"
    ),
]


@pytest.mark.parametrize(("constraint", "arrange"), REJECTED)
def test_constraint_rejects_bad_row(constraint, arrange):
    save_bad_row = arrange()

    with pytest.raises(IntegrityError) as error, transaction.atomic():
        save_bad_row()

    assert f'"{constraint}"' in str(error.value)


def _same_client_code_in_another_organisation():
    ClientFactory(code="RAL-0042")
    return lambda: ClientFactory(code="RAL-0042")


def _member(*, is_client: bool, name: str):
    def arrange():
        household = HouseholdFactory()
        client = ClientFactory(organisation=household.organisation) if is_client else None
        return lambda: HouseholdMember.objects.create(
            household=household, client=client, name=name, relationship=Relationship.CHILD
        )

    return arrange


def _new_assignment_after_ended_one():
    first = CaseAssignmentFactory(started_on=JAN_1, ended_on=JAN_2)
    return lambda: CaseAssignmentFactory(
        client=first.client, project=first.project, worker=first.worker, started_on=JAN_2
    )


def _second_worker_on_same_client():
    first = CaseAssignmentFactory()
    return lambda: CaseAssignmentFactory(
        client=first.client,
        project=first.project,
        kind=CaseAssignment.Kind.SHARED,
    )


def _enrolment_in_second_project():
    first = EnrolmentFactory()
    return lambda: EnrolmentFactory(
        client=first.client, project=ProjectFactory(organisation=first.project.organisation)
    )


ACCEPTED = [
    pytest.param(_same_client_code_in_another_organisation, id="client-code-in-other-org"),
    pytest.param(single_row(ClientFactory, birth_date=None, birth_year=1900), id="born-1900"),
    pytest.param(single_row(ClientFactory, birth_date=None, birth_year=2100), id="born-2100"),
    pytest.param(
        single_row(ClientFactory, birth_date=dt.date(1980, 12, 31), birth_year=1980),
        id="client-year-matches-date",
    ),
    pytest.param(single_row(ClientFactory, birth_date=None, birth_year=None), id="born-unknown"),
    pytest.param(_member(is_client=True, name=""), id="member-client-without-name"),
    pytest.param(_member(is_client=False, name="Malý Tonda"), id="member-name-only"),
    pytest.param(
        single_row(ConsentFactory, given_on=JAN_1, withdrawn_on=JAN_1),
        id="consent-withdrawn-same-day",
    ),
    pytest.param(
        single_row(CaseAssignmentFactory, started_on=JAN_1, ended_on=JAN_1),
        id="assignment-one-day",
    ),
    pytest.param(_new_assignment_after_ended_one, id="assignment-after-an-ended-one"),
    pytest.param(_second_worker_on_same_client, id="assignment-shared-with-second-worker"),
    pytest.param(_enrolment_in_second_project, id="enrolment-in-two-projects"),
    pytest.param(
        single_row(EnrolmentFactory, entry_date=JAN_1, exit_date=JAN_1),
        id="enrolment-exit-same-day",
    ),
    pytest.param(_signature(), id="plan-signed"),
    pytest.param(single_row(DocumentFactory, size=0), id="document-empty-file"),
]


@pytest.mark.parametrize("arrange", ACCEPTED)
def test_constraint_accepts_edge_value(arrange):
    save_row = arrange()

    row = save_row()

    assert list(type(row).objects.filter(pk=row.pk)) == [row]


def test_client_is_member_of_one_household_only():
    client = ClientFactory()
    HouseholdMember.objects.create(
        household=HouseholdFactory(), client=client, relationship=Relationship.HEAD
    )

    with pytest.raises(IntegrityError) as error, transaction.atomic():
        HouseholdMember.objects.create(
            household=HouseholdFactory(), client=client, relationship=Relationship.HEAD
        )

    constraint = column_constraint_name(HouseholdMember, "client", kind="unique")
    assert f'"{constraint}"' in str(error.value)


def test_negative_document_size_is_rejected_by_the_column_check():
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        DocumentFactory(size=-1)

    column_check = column_constraint_name(Document, "size", kind="check")
    assert f'"{column_check}"' in str(error.value)
