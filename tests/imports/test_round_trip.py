"""Export → import is the identity: on the same record nothing changes; into an empty record
the same rows come back."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from casework.imports import layouts as L
from casework.imports.cells import read_table
from casework.imports.exports import export_bytes
from casework.models import Intervention, InterventionType
from clients.models import (
    Client,
    DisadvantageAnswer,
    ExitReason,
    Household,
    HouseholdMember,
    MonitoringCode,
    MonitoringCodeKind,
)
from debts.models import Creditor, DebtCase, DebtKind, DebtStatus, InformationSource
from tests.factories import (
    CaseAssignmentFactory,
    ClientFactory,
    CreditorFactory,
    CreditorTypeFactory,
    DebtCaseFactory,
    DebtFactory,
    DeliveryModeFactory,
    EnrolmentFactory,
    InterventionFactory,
    LocalityFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

KINDS = ["clients", "interventions", "debts"]


def code(kind, value):
    return MonitoringCode.objects.get(kind=kind, code=value)


@pytest.fixture
def record(project, ka03, worker_a, worker_b):
    organisation = project.organisation
    locality = LocalityFactory(organisation=organisation, name="Hvězdov")
    household = Household.objects.create(organisation=organisation, name="Novákovi, Husova 12")
    first = ClientFactory(
        organisation=organisation,
        code="RAL-0001",
        first_name="Jana",
        last_name="Nováková",
        title_before="Mgr.",
        birth_date=dt.date(1985, 3, 14),
        birth_number="8553141003",
        gender=code(MonitoringCodeKind.GENDER, "POHZENY"),
        phone="+420 777 123 456",
        email="jana@example.cz",
        street="Husova",
        house_number="12",
        municipality="Ralsko",
        postcode="47124",
        locality=locality,
        household=household,
        notes="=1+1 is not a formula",
    )
    HouseholdMember.objects.create(household=household, client=first, relationship="head")
    enrolment = EnrolmentFactory(
        client=first,
        project=project,
        entry_date=dt.date(2020, 10, 1),
        labour_status=code(MonitoringCodeKind.LABOUR_STATUS, "TPDNEZ"),
        education=code(MonitoringCodeKind.EDUCATION, "VZISCED1-2"),
        disadvantage_answer=DisadvantageAnswer.ANSWERED,
    )
    enrolment.disadvantages.set(
        [code(MonitoringCodeKind.DISADVANTAGE, "ZNMIG"), code("disadvantage", "PBOBP")]
    )
    CaseAssignmentFactory(
        client=first, project=project, worker=worker_a, started_on=enrolment.entry_date
    )
    second = ClientFactory(
        organisation=organisation,
        code="RAL-0002",
        first_name="Petr",
        last_name="Novák",
        birth_date=None,
        birth_year=2010,
        household=household,
    )
    HouseholdMember.objects.create(household=household, client=second, relationship="child")
    closed = EnrolmentFactory(
        client=second,
        project=project,
        entry_date=dt.date(2020, 11, 2),
        exit_date=dt.date(2021, 12, 31),
        exit_reason=ExitReason.GOALS_MET,
        disadvantage_answer=DisadvantageAnswer.DECLINED,
        exit_labour_status=code(MonitoringCodeKind.LABOUR_STATUS, "TPSTUD"),
    )
    closed.exit_situations.set([code(MonitoringCodeKind.EXIT_SITUATION, "SPUINU")])
    CaseAssignmentFactory(
        client=second, project=project, worker=worker_b, started_on=closed.entry_date
    )

    visit = InterventionFactory(
        project=project,
        key_activity=ka03,
        date=dt.date(2020, 10, 5),
        start_time=dt.time(9, 30),
        duration_minutes=90,
        intervention_type=InterventionType.objects.get(code="outreach"),
        place="-doma",
        record="@ návštěva",
        workers=[worker_a],
        participants=[first],
        created_by=worker_a,
    )
    visit.topics.set([TopicFactory(code="debts"), TopicFactory(code="housing")])
    InterventionFactory(
        project=project,
        key_activity=ka03,
        date=dt.date(2020, 12, 1),
        duration_minutes=120,
        delivery_mode=DeliveryModeFactory(code="group"),
        is_group=True,
        anonymous_count=4,
        is_one_off=True,
        workers=[worker_a, worker_b],
        participants=[first, second],
        created_by=worker_b,
    )

    case = DebtCaseFactory(project=project, client=first, opened_on=enrolment.entry_date)
    creditor = CreditorFactory(
        organisation=organisation,
        name="Banka Praha",
        creditor_type=CreditorTypeFactory(code="bank"),
        ico="45244782",
    )
    DebtFactory(
        case=case,
        creditor=creditor,
        case_reference="120 EX 1234/21",
        principal=Decimal("12500.50"),
        interest=Decimal("1000.25"),
        monthly_instalment=Decimal("500"),
        status=DebtStatus.REPAYING,
        status_since=dt.date(2021, 1, 4),
        originated_on=dt.date(2015, 6, 30),
        is_public_law=False,
    )
    DebtFactory(
        case=case,
        creditor=CreditorFactory(
            organisation=organisation,
            name="Dopravní podnik",
            creditor_type=CreditorTypeFactory(code="transport"),
        ),
        kind=DebtKind.REMINDER,
        principal=Decimal("1500"),
        source=InformationSource.CLIENT_PAPERS,
        is_public_law=True,
    )
    return project


def exported(project, file_format):
    return {kind: export_bytes(project, kind, file_format)[0] for kind in KINDS}


def table_rows(content):
    table = read_table(content)
    return table.headers, [[row.get(h) for h in table.headers] for _n, row in table.rows]


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_importing_an_export_into_the_same_project_changes_nothing(record, run_import, file_format):
    files = exported(record, file_format)
    for kind in KINDS:
        run = run_import(record, kind, files[kind], name=f"{kind}.{file_format}")
        assert run.summary["errors"] == []
        assert run.summary["changes"] == [], kind
        assert run.result["unchanged"] == {"clients": 2, "interventions": 2, "debts": 2}[kind]


def test_the_export_holds_the_layout_and_safe_text(record):
    headers, rows = table_rows(exported(record, "xlsx")["clients"])
    assert headers == [c.header for c in L.CLIENT_COLUMNS]
    notes = rows[0][headers.index(L.NOTES)]
    assert notes == "'=1+1 is not a formula"
    headers, rows = table_rows(exported(record, "csv")["interventions"])
    assert rows[0][headers.index(L.RECORD)] == "'@ návštěva"


def _empty(project):
    Intervention.objects.filter(project=project).delete()
    DebtCase.objects.filter(project=project).delete()
    Creditor.objects.filter(organisation=project.organisation).delete()
    Client.objects.filter(organisation=project.organisation).delete()
    Household.objects.filter(organisation=project.organisation).delete()


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_importing_an_export_into_an_empty_record_gives_the_same_rows(
    record, run_import, file_format
):
    before = exported(record, "csv")
    files = exported(record, file_format)
    _empty(record)
    assert not Client.objects.exists()

    for kind in KINDS:
        run = run_import(record, kind, files[kind], name=f"{kind}.{file_format}")
        assert run.summary["errors"] == [], kind
        assert run.result["create"] == 2

    assert exported(record, "csv") == before


def test_the_export_command_writes_a_file_the_import_command_reads(record, tmp_path, admin_user):
    target = tmp_path / "klienti.xlsx"
    call_command("export_xlsx", project="RAL", kind="clients", output=target)
    call_command("import_xlsx", str(target), project="RAL", kind="clients", user="adela")
    assert Client.objects.count() == 2
