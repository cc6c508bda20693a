"""factory_boy factories for the main models.

Defaults are the plainest valid row: related rows belong to the same organisation and project,
dates fall inside the project, amounts are round numbers, nothing is closed, signed or ended
unless a test says so. Code-list rows (delivery modes, creditor types, ETHOS categories,
monitoring codes) are fetched or created by code, so the factories work with or without the
reference-data migrations.

Factories never grant access on their own: a ``CaseAssignmentFactory`` does not make its worker
a project member — tests say who is a member with ``MembershipFactory``.
"""

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from casework import models as casework
from casework.roles import Role
from clients import models as clients
from debts import models as debts
from housing import models as housing
from reports import models as reports

PROJECT_START = dt.date(2020, 9, 1)
PROJECT_END = dt.date(2022, 6, 30)


def ico(seven_digits: str) -> str:
    """A valid IČO for the first seven digits: weights 8…2, check digit (11 − sum mod 11) mod 10."""
    weights = range(8, 1, -1)
    total = sum(int(digit) * weight for digit, weight in zip(seven_digits, weights, strict=True))
    return seven_digits + str((11 - total % 11) % 10)


# --- Users and the organisation ---------------------------------------------------------------


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Jana"
    last_name = factory.Sequence(lambda n: f"Pracovnice{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.cz")
    password = factory.django.Password("heslo-pro-testy-2026")
    is_active = True


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = casework.Organisation

    name = factory.Sequence(lambda n: f"Obec {n}")
    # Leading 1: never collides with the real IČOs the personas use (00…, 25…).
    ico = factory.Sequence(lambda n: ico(f"{1000000 + n:07d}"))


class LocalityFactory(DjangoModelFactory):
    class Meta:
        model = casework.Locality

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Lokalita {n}")
    municipality = "Ralsko"


class ProjectFactory(DjangoModelFactory):
    """A project with the Ralsko budget split (85 % EU, 10 % state, 5 % own), which adds up."""

    class Meta:
        model = casework.Project

    organisation = factory.SubFactory(OrganisationFactory)
    code = factory.Sequence(lambda n: f"P{n}")
    name = factory.Sequence(lambda n: f"Projekt {n}")
    registration_number = factory.Sequence(lambda n: f"CZ.03.2.60/0.0/0.0/16_052/{n:07d}")
    programme = casework.Programme.OPZ
    start_date = PROJECT_START
    end_date = PROJECT_END
    budget_eu = Decimal("3407118.75")
    budget_state = Decimal("400837.50")
    budget_own = Decimal("200418.75")
    budget_total = factory.LazyAttribute(lambda p: p.budget_eu + p.budget_state + p.budget_own)


class KeyActivityFactory(DjangoModelFactory):
    class Meta:
        model = casework.KeyActivity

    project = factory.SubFactory(ProjectFactory)
    code = factory.Sequence(lambda n: f"KA {n:02d}")
    name = "Individuální práce s klienty"


class ReportingPeriodFactory(DjangoModelFactory):
    class Meta:
        model = casework.ReportingPeriod

    project = factory.SubFactory(ProjectFactory)
    number = 1
    start_date = factory.SelfAttribute("project.start_date")
    end_date = factory.LazyAttribute(lambda p: p.start_date + dt.timedelta(days=180))


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = casework.Membership

    user = factory.SubFactory(UserFactory)
    project = factory.SubFactory(ProjectFactory)
    role = Role.WORKER


# --- Code lists (get or create by code) -------------------------------------------------------


class DeliveryModeFactory(DjangoModelFactory):
    class Meta:
        model = casework.DeliveryMode
        django_get_or_create = ("code",)

    code = "field_visit"
    name = "Terénní návštěva"


class TopicFactory(DjangoModelFactory):
    class Meta:
        model = casework.Topic
        django_get_or_create = ("code",)

    code = "debts"
    name = "Dluhy"


class MonitoringCodeFactory(DjangoModelFactory):
    class Meta:
        model = clients.MonitoringCode
        django_get_or_create = ("kind", "code")

    kind = clients.MonitoringCodeKind.GENDER
    code = "POHZENY"
    name = "Ženy"


class CreditorTypeFactory(DjangoModelFactory):
    class Meta:
        model = debts.CreditorType
        django_get_or_create = ("code",)

    code = "bank"
    name = "Banka"


class EthosCategoryFactory(DjangoModelFactory):
    class Meta:
        model = housing.EthosCategory
        django_get_or_create = ("code",)

    code = "9.1"
    name = "Pod hrozbou vystěhování z nájmu"
    conceptual_category = "insecure"


# --- Clients ----------------------------------------------------------------------------------


class HouseholdFactory(DjangoModelFactory):
    class Meta:
        model = clients.Household

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Domácnost {n}")


class ClientFactory(DjangoModelFactory):
    class Meta:
        model = clients.Client

    organisation = factory.SubFactory(OrganisationFactory)
    code = factory.Sequence(lambda n: f"KL-{n:05d}")
    first_name = "Marie"
    last_name = factory.Sequence(lambda n: f"Klientová{n}")
    birth_date = dt.date(1985, 3, 14)


class EnrolmentFactory(DjangoModelFactory):
    """Entry on the project's first day; no exit, no monitoring codes."""

    class Meta:
        model = clients.Enrolment

    project = factory.SubFactory(ProjectFactory)
    client = factory.SubFactory(
        ClientFactory, organisation=factory.SelfAttribute("..project.organisation")
    )
    entry_date = factory.SelfAttribute("project.start_date")


class CaseAssignmentFactory(DjangoModelFactory):
    """A current primary assignment; the worker is not made a project member here."""

    class Meta:
        model = clients.CaseAssignment

    project = factory.SubFactory(ProjectFactory)
    client = factory.SubFactory(
        ClientFactory, organisation=factory.SelfAttribute("..project.organisation")
    )
    worker = factory.SubFactory(UserFactory)
    kind = clients.CaseAssignment.Kind.PRIMARY
    started_on = factory.SelfAttribute("project.start_date")


class ConsentFactory(DjangoModelFactory):
    class Meta:
        model = clients.Consent

    client = factory.SubFactory(ClientFactory)
    given_on = PROJECT_START
    scope = clients.ConsentScope.RECORDS
    recorded_by = factory.SubFactory(UserFactory)


class IndividualPlanFactory(DjangoModelFactory):
    """A draft plan, not signed."""

    class Meta:
        model = clients.IndividualPlan

    project = factory.SubFactory(ProjectFactory)
    client = factory.SubFactory(
        ClientFactory, organisation=factory.SelfAttribute("..project.organisation")
    )
    created_on = factory.SelfAttribute("project.start_date")
    created_by = factory.SubFactory(UserFactory)


class TaskFactory(DjangoModelFactory):
    """An open task of its owner, linked to no client unless given one."""

    class Meta:
        model = clients.Task

    title = factory.Sequence(lambda n: f"Úkol {n}")
    due_date = PROJECT_START
    owner = factory.SubFactory(UserFactory)
    created_by = factory.SelfAttribute("owner")


class DocumentFactory(DjangoModelFactory):
    """A document row; no file is written (the name is what a stored upload would have)."""

    class Meta:
        model = clients.Document

    client = factory.SubFactory(ClientFactory)
    kind = clients.DocumentKind.LETTER
    title = factory.Sequence(lambda n: f"Dopis {n}")
    file = factory.Sequence(lambda n: f"documents/{n:032x}")
    original_name = "dopis.pdf"
    content_type = "application/pdf"
    size = 1024
    sha256 = "0" * 64
    uploaded_by = factory.SubFactory(UserFactory)


# --- Interventions ----------------------------------------------------------------------------


class InterventionFactory(DjangoModelFactory):
    """One hour in the field on the project's first day.

    ``workers=[user, ...]`` and ``participants=[client, ...]`` add the through rows.
    """

    class Meta:
        model = casework.Intervention
        skip_postgeneration_save = True

    project = factory.SubFactory(ProjectFactory)
    key_activity = factory.SubFactory(
        KeyActivityFactory, project=factory.SelfAttribute("..project")
    )
    date = factory.SelfAttribute("project.start_date")
    duration_minutes = 60
    delivery_mode = factory.SubFactory(DeliveryModeFactory)
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def workers(self, create, extracted, **kwargs):
        for worker in extracted or ():
            add_worker(self, worker)

    @factory.post_generation
    def participants(self, create, extracted, **kwargs):
        for client in extracted or ():
            add_participant(self, client)


def add_worker(intervention, worker):
    return casework.InterventionWorker.objects.create(intervention=intervention, worker=worker)


def add_participant(intervention, client):
    return casework.InterventionParticipant.objects.create(intervention=intervention, client=client)


# --- Debts ------------------------------------------------------------------------------------


class CreditorFactory(DjangoModelFactory):
    class Meta:
        model = debts.Creditor

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Věřitel {n}")
    creditor_type = factory.SubFactory(CreditorTypeFactory)


class DebtCaseFactory(DjangoModelFactory):
    class Meta:
        model = debts.DebtCase

    project = factory.SubFactory(ProjectFactory)
    client = factory.SubFactory(
        ClientFactory, organisation=factory.SelfAttribute("..project.organisation")
    )
    opened_on = factory.SelfAttribute("project.start_date")


class DebtFactory(DjangoModelFactory):
    """An active enforcement of 10 000 Kč principal, no interest or costs."""

    class Meta:
        model = debts.Debt

    case = factory.SubFactory(DebtCaseFactory)
    creditor = factory.SubFactory(
        CreditorFactory, organisation=factory.SelfAttribute("..case.project.organisation")
    )
    kind = debts.DebtKind.ENFORCEMENT
    principal = Decimal("10000.00")
    status_since = factory.SelfAttribute("case.opened_on")
    source = debts.InformationSource.CEE


class LegalParameterSetFactory(DjangoModelFactory):
    """The 2020 values of the protected amount (DOMAIN.md §7) under a date of their own.

    ``valid_from`` is unique and the reference-data migration already holds the real dates, so
    each row gets a distinct day in 2000.
    """

    class Meta:
        model = debts.LegalParameterSet

    valid_from = factory.Sequence(lambda n: dt.date(2000, 1, 1) + dt.timedelta(days=n))
    subsistence_minimum = Decimal("3410.00")
    housing_costs = Decimal("6502.00")
    base_amount = Decimal("9912.00")
    debtor_share = "2/3"
    dependant_share = "1/6"
    threshold_multiple = Decimal("2.00")
    source = "Mzdová příručka"


class DebtAnalysisFactory(DjangoModelFactory):
    class Meta:
        model = debts.DebtAnalysis

    case = factory.SubFactory(DebtCaseFactory)
    analysed_on = factory.SelfAttribute("case.opened_on")
    parameters = factory.SubFactory(LegalParameterSetFactory)
    created_by = factory.SubFactory(UserFactory)


# --- Housing ----------------------------------------------------------------------------------


class HousingSituationFactory(DjangoModelFactory):
    """An open-ended lease (ETHOS 9.1) from the project's first day, no arrears."""

    class Meta:
        model = housing.HousingSituation

    client = factory.SubFactory(ClientFactory)
    valid_from = PROJECT_START
    ethos = factory.SubFactory(EthosCategoryFactory)
    tenure = housing.Tenure.LEASE


class RiskFactorSetFactory(DjangoModelFactory):
    """The project's active checklist: medium from 3, high from 6, acute from 10 points."""

    class Meta:
        model = housing.RiskFactorSet

    project = factory.SubFactory(ProjectFactory)
    version = factory.Sequence(lambda n: n + 1)
    is_active = True
    medium_from = 3
    high_from = 6
    acute_from = 10


def _active_factor_set(assessment):
    active = assessment.project.risk_factor_sets.filter(is_active=True).first()
    return active or RiskFactorSetFactory(project=assessment.project)


class RiskAssessmentFactory(DjangoModelFactory):
    """A low-risk assessment made with the project's active factor set (created if missing)."""

    class Meta:
        model = housing.RiskAssessment

    project = factory.SubFactory(ProjectFactory)
    client = factory.SubFactory(
        ClientFactory, organisation=factory.SelfAttribute("..project.organisation")
    )
    factor_set = factory.LazyAttribute(_active_factor_set)
    assessed_on = factory.SelfAttribute("project.start_date")
    score = 0
    level = housing.RiskLevel.LOW
    assessed_by = factory.SubFactory(UserFactory)


# --- Reports ----------------------------------------------------------------------------------


class GeneratedReportFactory(DjangoModelFactory):
    class Meta:
        model = reports.GeneratedReport

    project = factory.SubFactory(ProjectFactory)
    kind = reports.ReportKind.INDICATORS
    period_start = factory.SelfAttribute("project.start_date")
    period_end = factory.SelfAttribute("project.end_date")
    file_format = "pdf"
    created_by = factory.SubFactory(UserFactory)


# --- Institutions (parties to interventions) --------------------------------------------------


class InstitutionFactory(DjangoModelFactory):
    class Meta:
        model = "casework.Institution"

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Instituce {n}")
    kind = "other"
