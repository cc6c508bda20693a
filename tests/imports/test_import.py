import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError

from casework.imports import layouts as L
from casework.imports import services
from casework.imports.cells import read_table, strip_apostrophe
from casework.imports.models import ImportRun, ImportStatus
from casework.imports.services import ImportRefused, check_file, confirm_run
from casework.models import Intervention
from clients.models import CaseAssignment, Client, DisadvantageAnswer, Enrolment, HouseholdMember
from debts.models import Debt, DebtStatusChange
from reports.spreadsheets import xlsx_bytes
from tests.factories import ClientFactory, EnrolmentFactory
from tests.imports.conftest import (
    CLIENT_HEADER,
    DEBT_HEADER,
    INTERVENTION_HEADER,
    client_row,
    csv_file,
    debt_row,
    intervention_row,
)

pytestmark = pytest.mark.django_db


def errors_of(run: ImportRun) -> list[tuple[int, str, str]]:
    return [(e["row"], e["column"], e["message"]) for e in run.summary["errors"]]


# --- Clients ----------------------------------------------------------------------------------


def test_clients_are_created_with_household_enrolment_and_key_worker(project, worker_a, run_import):
    rows = [
        client_row(
            1,
            **{
                L.BIRTH_NUMBER: "855314/1003",
                L.HOUSEHOLD: "Novákovi, Husova 12",
                L.RELATIONSHIP: "Hlava domácnosti",
                L.KEY_WORKER: "alice",
                L.PHONE: "+420 777 123 456",
            },
        ),
        client_row(2, **{L.HOUSEHOLD: "Novákovi, Husova 12", L.RELATIONSHIP: "child"}),
    ]
    run = run_import(project, "clients", csv_file(CLIENT_HEADER, rows))

    assert run.status == ImportStatus.IMPORTED
    assert run.result == {"create": 2, "update": 0, "unchanged": 0}
    assert run.content is None
    first = Client.objects.get(code="RAL-0001")
    assert first.birth_number == "8553141003"
    assert first.birth_date == dt.date(1985, 3, 14)
    assert first.postcode == "471 24"
    assert first.phone == "+420 777 123 456"
    assert first.gender.code == "POHZENY"
    second = Client.objects.get(code="RAL-0002")
    assert first.household_id == second.household_id
    assert HouseholdMember.objects.get(client=first).relationship == "head"
    assert HouseholdMember.objects.get(client=second).relationship == "child"
    enrolment = Enrolment.objects.get(client=first, project=project)
    assert enrolment.entry_date == dt.date(2020, 10, 1)
    assert enrolment.labour_status.code == "TPDNEZ"
    assert enrolment.disadvantage_answer == DisadvantageAnswer.ANSWERED
    assert {c.code for c in enrolment.disadvantages.all()} == {"ZNMIG", "PBOBP"}
    assert CaseAssignment.objects.get(client=first, project=project).worker == worker_a
    assert not CaseAssignment.objects.filter(client=second).exists()


def test_importing_the_same_file_twice_changes_nothing(project, worker_a, run_import):
    content = csv_file(CLIENT_HEADER, [client_row(1, **{L.KEY_WORKER: "alice"}), client_row(2)])
    run_import(project, "clients", content)
    versions = list(Client.objects.order_by("pk").values_list("version", "updated_at"))

    again = run_import(project, "clients", content)

    assert again.summary["changes"] == []
    assert again.result == {"create": 0, "update": 0, "unchanged": 2}
    assert list(Client.objects.order_by("pk").values_list("version", "updated_at")) == versions
    assert CaseAssignment.objects.count() == 1


def test_a_changed_row_updates_the_client_and_reports_the_columns(project, run_import):
    run_import(project, "clients", csv_file(CLIENT_HEADER, [client_row(1)]))
    changed = client_row(1, **{L.PHONE: "777 000 111", L.EXIT_DATE: "30.6.2022"})

    run = run_import(project, "clients", csv_file(CLIENT_HEADER, [changed]), confirm=False)
    assert run.summary["changes"] == [
        {
            "row": 2,
            "action": "update",
            "label": "RAL-0001 Jana Nováková1",
            "fields": [L.PHONE, L.EXIT_DATE],
        }
    ]
    confirm_run(run, by=run.created_by)

    client = Client.objects.get(code="RAL-0001")
    assert client.phone == "777 000 111"
    assert client.enrolments.get().exit_date == dt.date(2022, 6, 30)
    assert client.status == "closed"


def test_dry_run_writes_nothing(project, run_import):
    run = run_import(project, "clients", csv_file(CLIENT_HEADER, [client_row(1)]), confirm=False)
    assert run.status == ImportStatus.CHECKED
    assert run.summary["create"] == 1
    assert not Client.objects.exists()


# --- Every error class, with row number, column and reason -------------------------------------


def test_client_errors_name_row_column_and_reason(project, run_import):
    ClientFactory(
        organisation=project.organisation,
        code="RAL-0100",
        first_name="Karel",
        last_name="Dvořák",
        birth_date=dt.date(1970, 1, 1),
    )
    rows = [
        client_row(1),
        client_row(1, **{L.FIRST_NAME: "Petr"}),  # the same code again in the file
        client_row(100),  # an existing client with a different identity
        client_row(3, **{L.BIRTH_NUMBER: "855314/1004"}),
        client_row(4, **{L.ENTRY_DATE: "1.1.2019"}),
        client_row(5, **{L.LAST_NAME: ""}),
        client_row(6, **{L.BIRTH_DATE: "31.2.1985"}),
        client_row(7, **{L.GENDER: "XYZ"}),
    ]
    run = run_import(project, "clients", csv_file(CLIENT_HEADER, rows))

    errors = errors_of(run)
    assert [(row, column) for row, column, _message in errors] == [
        (3, L.CLIENT_CODE),
        (4, L.CLIENT_CODE),
        (5, L.BIRTH_NUMBER),
        (6, L.ENTRY_DATE),
        (7, L.LAST_NAME),
        (8, L.BIRTH_DATE),
        (9, L.GENDER),
    ]
    messages = [message for _row, _column, message in errors]
    assert messages[0] == str(
        services.DUPLICATE_IN_FILE % {"what": services.KIND_LABEL["clients"], "row": 2}
    )
    assert "Karel Dvořák" in messages[1]
    assert messages[2] == str(services.BAD_BIRTH_NUMBER % {"value": "855314/1004"})
    assert "2019" in messages[3]
    assert messages[4] == str(services.MISSING_VALUE)
    assert "31.2.1985" in messages[5]
    assert run.status == ImportStatus.CHECKED
    assert Client.objects.count() == 1


def test_an_existing_person_under_a_new_code_is_a_duplicate(project, run_import):
    ClientFactory(
        organisation=project.organisation,
        code="RAL-0100",
        first_name="Jana",
        last_name="Nováková1",
        birth_date=dt.date(1985, 3, 14),
    )
    run = run_import(project, "clients", csv_file(CLIENT_HEADER, [client_row(1)]))
    assert errors_of(run) == [
        (2, L.CLIENT_CODE, str(services.ALREADY_REGISTERED % {"code": "RAL-0100"}))
    ]


def test_a_missing_required_column_is_reported_on_row_one(project, run_import):
    header = [h for h in CLIENT_HEADER if h != L.ENTRY_DATE]
    run = run_import(project, "clients", csv_file(header, [client_row(1)]))
    assert errors_of(run) == [
        (1, L.ENTRY_DATE, str(services.MISSING_COLUMN % {"column": L.ENTRY_DATE}))
    ]


def test_an_unreadable_file_is_an_error(project, run_import):
    run = run_import(project, "clients", b"PK\x03\x04 not really a workbook")
    assert [m for _r, _c, m in errors_of(run)] == [str(services.cells.UNREADABLE_FILE)]


def test_intervention_errors(project, ka03, client_a, worker_a, run_import):
    rows = [
        intervention_row(**{L.KEY_ACTIVITY: "KA 09"}),
        intervention_row(**{L.DURATION: "-30"}),
        intervention_row(**{L.DATE: "1.1.2023"}),
        intervention_row(**{L.DATE: "včera"}),
        intervention_row(**{L.WORKERS: ""}),
        intervention_row(**{L.CLIENT_CODES: "RAL-9999"}),
        intervention_row(**{L.WORKERS: "nobody"}),
        intervention_row(),
        intervention_row(),
    ]
    run = run_import(project, "interventions", csv_file(INTERVENTION_HEADER, rows))

    errors = errors_of(run)
    assert [(row, column) for row, column, _message in errors] == [
        (2, L.KEY_ACTIVITY),
        (3, L.DURATION),
        (4, L.DATE),
        (5, L.DATE),
        (6, L.WORKERS),
        (7, L.CLIENT_CODES),
        (8, L.WORKERS),
        (10, L.DATE),
    ]
    messages = [message for _row, _column, message in errors]
    assert messages[0] == str(services.UNKNOWN_KEY_ACTIVITY % {"value": "KA 09"})
    assert messages[1] == str(services.NEGATIVE_DURATION)
    assert messages[4] == str(services.MISSING_VALUE)
    assert messages[7] == str(
        services.DUPLICATE_IN_FILE % {"what": services.KIND_LABEL["interventions"], "row": 9}
    )
    assert not Intervention.objects.exists()


def test_debt_errors(project, client_a, run_import):
    rows = [
        debt_row(**{L.PRINCIPAL: "12 tisíc"}),
        debt_row(**{L.INTEREST: "-5"}),
        debt_row(**{L.CLIENT_CODE: "RAL-0404"}),
        debt_row(**{L.CREDITOR: "Nový věřitel", L.CREDITOR_TYPE: ""}),
        debt_row(**{L.DEBT_KIND: "loan"}),
        debt_row(**{L.STATUS_SINCE: ""}),
    ]
    run = run_import(project, "debts", csv_file(DEBT_HEADER, rows))
    assert [(row, column) for row, column, _message in errors_of(run)] == [
        (2, L.PRINCIPAL),
        (3, L.INTEREST),
        (4, L.CLIENT_CODE),
        (5, L.CREDITOR_TYPE),
        (6, L.DEBT_KIND),
        (7, L.STATUS_SINCE),
    ]
    assert errors_of(run)[1][2] == str(services.NEGATIVE_AMOUNT)
    assert not Debt.objects.exists()


# --- Interventions and debts ------------------------------------------------------------------


def test_interventions_are_imported_once(project, ka03, client_a, client_b, worker_a, run_import):
    rows = [
        intervention_row(),
        intervention_row(
            **{
                L.DATE: "2020-10-06",
                L.START_TIME: "",
                L.KEY_ACTIVITY: "ka3",
                L.CLIENT_CODES: "RAL-0001, RAL-0002",
                L.DELIVERY_MODE: "group",
                L.ANONYMOUS_COUNT: "3",
            }
        ),
    ]
    content = csv_file(INTERVENTION_HEADER, rows)
    run = run_import(project, "interventions", content)
    assert run.result == {"create": 2, "update": 0, "unchanged": 0}
    group = Intervention.objects.get(date=dt.date(2020, 10, 6))
    assert group.is_group
    assert group.anonymous_count == 3
    assert set(group.clients.all()) == {client_a, client_b}
    assert list(group.workers.all()) == [worker_a]
    visit = Intervention.objects.get(date=dt.date(2020, 10, 5))
    assert visit.start_time == dt.time(9, 30)
    assert {t.code for t in visit.topics.all()} == {"debts", "housing"}

    again = run_import(project, "interventions", content)
    assert again.result == {"create": 0, "update": 0, "unchanged": 2}
    assert Intervention.objects.count() == 2


def test_debts_are_imported_with_case_and_status_history(project, client_a, run_import):
    content = csv_file(DEBT_HEADER, [debt_row(), debt_row(**{L.CASE_REFERENCE: "12 E 1/2020"})])
    run = run_import(project, "debts", content)

    assert run.result == {"create": 2, "update": 0, "unchanged": 0}
    debt = Debt.objects.get(case_reference="120 EX 1234/21")
    assert debt.principal == Decimal("12500.50")
    assert debt.interest == Decimal("1000.25")
    assert debt.case.client == client_a
    assert debt.case.opened_on == project.start_date
    assert DebtStatusChange.objects.count() == 2
    assert run_import(project, "debts", content).result["unchanged"] == 2

    paid = csv_file(DEBT_HEADER, [debt_row(**{L.STATUS: "Paid", L.STATUS_SINCE: "1.3.2021"})])
    updated = run_import(project, "debts", paid)
    assert updated.result["update"] == 1
    debt.refresh_from_db()
    assert (debt.status, debt.status_since) == ("paid", dt.date(2021, 3, 1))


# --- All or nothing ---------------------------------------------------------------------------


def test_ten_good_rows_and_one_bad_row_write_nothing(project, run_import, admin_user):
    rows = [client_row(n) for n in range(1, 11)] + [client_row(11, **{L.ENTRY_DATE: "x"})]
    content = csv_file(CLIENT_HEADER, rows)
    run = run_import(project, "clients", content, confirm=False)
    assert run.summary["create"] == 10
    assert errors_of(run) == [(12, L.ENTRY_DATE, str(services.cells.BAD_DATE % {"value": "x"}))]

    with pytest.raises(ImportRefused):
        confirm_run(run, by=admin_user)

    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED
    assert not Client.objects.exists()


def test_a_database_error_midway_writes_nothing(project, run_import, admin_user, monkeypatch):
    content = csv_file(CLIENT_HEADER, [client_row(n) for n in range(1, 11)])
    run = run_import(project, "clients", content, confirm=False)
    assert run.error_count == 0
    save_members = services._save_members
    calls = []

    def failing(client, **kwargs):
        calls.append(client)
        if len(calls) == 6:
            raise IntegrityError("simulated failure")
        return save_members(client, **kwargs)

    monkeypatch.setattr(services, "_save_members", failing)

    with pytest.raises(ImportRefused):
        confirm_run(run, by=admin_user)

    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED
    assert "simulated failure" in run.result["error"]
    assert not Client.objects.exists()
    assert not Enrolment.objects.exists()
    assert len(calls) == 6


def test_confirm_checks_the_file_again(project, run_import, admin_user):
    run = run_import(project, "clients", csv_file(CLIENT_HEADER, [client_row(1)]), confirm=False)
    # Meanwhile someone registers another person under the same code.
    other = ClientFactory(organisation=project.organisation, code="RAL-0001", first_name="Ota")
    EnrolmentFactory(client=other, project=project)

    with pytest.raises(ImportRefused):
        confirm_run(run, by=admin_user)

    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED
    assert errors_of(run)[0][:2] == (2, L.CLIENT_CODE)
    assert Client.objects.count() == 1


def test_a_kept_file_that_changed_is_refused(project, run_import, admin_user):
    run = run_import(project, "clients", csv_file(CLIENT_HEADER, [client_row(1)]), confirm=False)
    ImportRun.objects.filter(pk=run.pk).update(content=csv_file(CLIENT_HEADER, [client_row(2)]))
    with pytest.raises(ImportRefused, match=str(services.FILE_CHANGED)):
        confirm_run(run, by=admin_user)
    assert not Client.objects.exists()


def test_a_finished_run_is_not_imported_again(project, run_import, admin_user):
    run = run_import(project, "clients", csv_file(CLIENT_HEADER, [client_row(1)]))
    with pytest.raises(ImportRefused):
        confirm_run(run, by=admin_user)


# --- Cells ------------------------------------------------------------------------------------


def test_xlsx_cells_are_read_as_typed(project, run_import):
    header = [L.CLIENT_CODE, L.FIRST_NAME, L.LAST_NAME, L.BIRTH_DATE, L.ENTRY_DATE, L.NOTES]
    rows = [["RAL-0001", "Jana", "Nová", dt.date(1985, 3, 14), dt.date(2020, 10, 1), "=1+1"]]
    content = xlsx_bytes([("Klienti", header, rows)])
    table = read_table(content)
    assert table.rows[0][1][L.NOTES] == "'=1+1"

    run = run_import(project, "clients", content, name="klienti.xlsx")

    assert run.status == ImportStatus.IMPORTED
    client = Client.objects.get()
    assert client.notes == "=1+1"
    assert client.birth_date == dt.date(1985, 3, 14)


def test_strip_apostrophe_only_undoes_the_formula_escape():
    assert strip_apostrophe("'=SUM(A1)") == "=SUM(A1)"
    assert strip_apostrophe("'-5") == "-5"
    assert strip_apostrophe("'s Hertogenbosch") == "'s Hertogenbosch"


def test_check_file_keeps_the_file_by_hash(project, admin_user):
    content = csv_file(CLIENT_HEADER, [client_row(1)])
    run = check_file(
        project=project, kind="clients", content=content, file_name="a.csv", by=admin_user
    )
    assert run.sha256 == services.sha256(content)
    assert bytes(run.content) == content


# --- The documented samples -------------------------------------------------------------------


def test_the_samples_import_into_a_project_like_the_demo(project, admin_user, run_import):
    from pathlib import Path

    from casework.roles import Role
    from tests.factories import KeyActivityFactory, MembershipFactory, UserFactory

    for code in ("KA 02", "KA 03", "KA 04"):
        KeyActivityFactory(project=project, code=code)
    for username in (
        "pracovnik.dluhy.ralsko",
        "pracovnik.mladez.ralsko",
        "pracovnik.bydleni.ralsko",
    ):
        MembershipFactory(user=UserFactory(username=username), project=project, role=Role.WORKER)
    samples = Path(__file__).resolve().parents[2] / "docs" / "samples"
    for file_format in ("csv", "xlsx"):
        for name, kind in (
            ("klienti", "clients"),
            ("intervence", "interventions"),
            ("dluhy", "debts"),
        ):
            content = (samples / f"{name}.{file_format}").read_bytes()
            run = run_import(project, kind, content, name=f"{name}.{file_format}")
            assert run.summary["errors"] == [], (name, file_format)
            expected = "create" if file_format == "csv" else "unchanged"
            assert run.result[expected] == {"clients": 3, "interventions": 3, "debts": 2}[kind]
