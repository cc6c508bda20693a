import csv
import io

import pytest

from casework.imports import layouts as L
from casework.imports.models import ImportRun
from casework.imports.services import check_file, confirm_run
from tests.factories import KeyActivityFactory

CLIENT_HEADER = [c.header for c in L.CLIENT_COLUMNS]
INTERVENTION_HEADER = [c.header for c in L.INTERVENTION_COLUMNS]
DEBT_HEADER = [c.header for c in L.DEBT_COLUMNS]


def csv_file(header, rows) -> bytes:
    """A CSV as a team saves it from Excel: ``;``-separated, UTF-8 with BOM."""
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header])
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def client_row(number: int, **values) -> dict:
    row = {
        L.CLIENT_CODE: f"RAL-{number:04d}",
        L.FIRST_NAME: "Jana",
        L.LAST_NAME: f"Nováková{number}",
        L.BIRTH_DATE: "14.3.1985",
        L.GENDER: "POHZENY",
        L.MUNICIPALITY: "Ralsko",
        L.POSTCODE: "471 24",
        L.ENTRY_DATE: "1.10.2020",
        L.LABOUR_STATUS: "TPDNEZ",
        L.EDUCATION: "VZISCED1-2",
        L.DISADVANTAGE: "ZNMIG | PBOBP",
    }
    row.update(values)
    return row


def intervention_row(**values) -> dict:
    row = {
        L.DATE: "5.10.2020",
        L.START_TIME: "9:30",
        L.DURATION: "60",
        L.KEY_ACTIVITY: "KA 03",
        L.DELIVERY_MODE: "field_visit",
        L.INTERVENTION_TYPE: "field_work",
        L.CLIENT_CODES: "RAL-0001",
        L.WORKERS: "alice",
        L.TOPICS: "debts | housing",
        L.IS_ONE_OFF: "ano",
        L.RECORD: "Návštěva v domácnosti.",
    }
    row.update(values)
    return row


def debt_row(**values) -> dict:
    row = {
        L.CLIENT_CODE: "RAL-0001",
        L.CREDITOR: "Banka Praha",
        L.CREDITOR_TYPE: "bank",
        L.DEBT_KIND: "enforcement",
        L.CASE_REFERENCE: "120 EX 1234/21",
        L.PRINCIPAL: "12 500,50",
        L.INTEREST: "1000.25",
        L.STATUS: "active",
        L.STATUS_SINCE: "2020-10-01",
        L.SOURCE: "cee",
    }
    row.update(values)
    return row


@pytest.fixture
def ka03(project):
    return KeyActivityFactory(project=project, code="KA 03", name="Individuální práce")


@pytest.fixture
def run_import(admin_user):
    """Dry run a file and, when it is clean, confirm it; returns the run."""

    def run(project, kind, content, *, confirm=True, name="data.csv") -> ImportRun:
        checked = check_file(
            project=project, kind=kind, content=content, file_name=name, by=admin_user
        )
        if confirm and not checked.error_count:
            confirm_run(checked, by=admin_user)
            checked.refresh_from_db()
        return checked

    return run
