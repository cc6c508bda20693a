"""Write the sample import files of docs/import.md (run from the repository root).

    .venv/bin/python docs/samples/make_samples.py

The samples fit the Ralsko demo project (``make demo``): import the clients first, then the
interventions and debts, which refer to the clients' codes.
"""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from casework.imports import layouts as L  # noqa: E402
from reports.spreadsheets import csv_bytes, xlsx_bytes  # noqa: E402

HERE = Path(__file__).resolve().parent

CLIENTS = [
    {
        L.CLIENT_CODE: "RAL-0901",
        L.FIRST_NAME: "Jana",
        L.LAST_NAME: "Horáková",
        L.BIRTH_DATE: dt.date(1985, 3, 14),
        L.BIRTH_NUMBER: "855314/1003",
        L.GENDER: "POHZENY",
        L.PHONE: "+420 777 123 456",
        L.HOUSE_NUMBER: "112",
        L.MUNICIPALITY: "Ralsko",
        L.MUNICIPALITY_PART: "Kuřívody",
        L.POSTCODE: "471 24",
        L.HOUSEHOLD: "Horákovi, Kuřívody 112",
        L.RELATIONSHIP: "Hlava domácnosti",
        L.KEY_WORKER: "pracovnik.dluhy.ralsko",
        L.ENTRY_DATE: dt.date(2020, 10, 1),
        L.LABOUR_STATUS: "TPDNEZ",
        L.EDUCATION: "VZISCED1-2",
        L.DISADVANTAGE: "ZNMIG | PBOBP",
        L.NOTES: "Dluhy po bývalém partnerovi.",
    },
    {
        L.CLIENT_CODE: "RAL-0902",
        L.FIRST_NAME: "Tomáš",
        L.LAST_NAME: "Horák",
        L.BIRTH_YEAR: 2006,
        L.GENDER: "POHMUZI",
        L.MUNICIPALITY: "Ralsko",
        L.MUNICIPALITY_PART: "Kuřívody",
        L.POSTCODE: "471 24",
        L.HOUSEHOLD: "Horákovi, Kuřívody 112",
        L.RELATIONSHIP: "child",
        L.KEY_WORKER: "pracovnik.mladez.ralsko",
        L.ENTRY_DATE: "2.11.2020",
        L.EXIT_DATE: "2022-06-30",
        L.EXIT_REASON: "Cíle plánu splněny",
        L.LABOUR_STATUS: "TPSTUD",
        L.EDUCATION: "VZISCED1-2",
        L.DISADVANTAGE: "odmítl",
        L.EXIT_LABOUR_STATUS: "TPSTUD",
        L.EXIT_SITUATIONS: "SPUINU",
    },
    {
        L.CLIENT_CODE: "RAL-0903",
        L.FIRST_NAME: "Marie",
        L.LAST_NAME: "Veselá",
        L.BIRTH_DATE: "1.1.1980",
        L.GENDER: "POHZENY",
        L.MUNICIPALITY: "Ralsko",
        L.POSTCODE: "471 24",
        L.ENTRY_DATE: "15.1.2021",
        L.DISADVANTAGE: "žádné",
    },
]

INTERVENTIONS = [
    {
        L.DATE: dt.date(2020, 10, 5),
        L.START_TIME: "9:30",
        L.DURATION: 90,
        L.KEY_ACTIVITY: "KA 03",
        L.DELIVERY_MODE: "field_visit",
        L.INTERVENTION_TYPE: "basic_counselling",
        L.CLIENT_CODES: "RAL-0901",
        L.WORKERS: "pracovnik.dluhy.ralsko",
        L.PLACE: "Kuřívody 112",
        L.TOPICS: "debts | housing",
        L.IS_ONE_OFF: "ano",
        L.RECORD: "Sepsali jsme seznam dluhů, domluvena návštěva ÚP.",
    },
    {
        L.DATE: "12.10.2020",
        L.DURATION: 45,
        L.KEY_ACTIVITY: "KA 02",
        L.DELIVERY_MODE: "phone",
        L.INTERVENTION_TYPE: "outreach",
        L.CLIENT_CODES: "RAL-0901",
        L.WORKERS: "pracovnik.dluhy.ralsko",
        L.TOPICS: "debts",
    },
    {
        L.DATE: "2020-11-20",
        L.START_TIME: "16:00",
        L.DURATION: 120,
        L.KEY_ACTIVITY: "KA 04",
        L.DELIVERY_MODE: "group",
        L.INTERVENTION_TYPE: "group_work",
        L.CLIENT_CODES: "RAL-0902",
        L.WORKERS: "pracovnik.mladez.ralsko | pracovnik.bydleni.ralsko",
        L.PLACE: "Klub mladých, Kuřívody",
        L.TOPICS: "youth",
        L.IS_GROUP: "ano",
        L.ANONYMOUS_COUNT: 6,
        L.IS_ONE_OFF: "ano",
    },
]

DEBTS = [
    {
        L.CLIENT_CODE: "RAL-0901",
        L.CREDITOR: "Home Credit a.s.",
        L.CREDITOR_TYPE: "non_bank_lender",
        L.CREDITOR_ICO: "26978636",
        L.DEBT_KIND: "enforcement",
        L.BAILIFF_OFFICE: "Exekutorský úřad Česká Lípa",
        L.CASE_REFERENCE: "120 EX 1234/19",
        L.PRINCIPAL: Decimal("18450.00"),
        L.INTEREST: "2 310,50",
        L.COSTS: "7865",
        L.MONTHLY_INSTALMENT: "0",
        L.STATUS: "active",
        L.STATUS_SINCE: dt.date(2020, 10, 5),
        L.SOURCE: "cee",
        L.ORIGINATED_ON: "3.6.2016",
        L.IS_PUBLIC_LAW: "ne",
    },
    {
        L.CLIENT_CODE: "RAL-0901",
        L.CREDITOR: "Všeobecná zdravotní pojišťovna",
        L.CREDITOR_TYPE: "health_insurer",
        L.DEBT_KIND: "Exekuce",
        L.CASE_REFERENCE: "VZP 4512/2018",
        L.PRINCIPAL: "6 120",
        L.STATUS: "Splácí se",
        L.STATUS_SINCE: "1.2.2021",
        L.SOURCE: "client",
        L.IS_PUBLIC_LAW: "ano",
    },
]


def _rows(columns, records):
    return [[record.get(column.header, "") for column in columns] for record in records]


def _csv_cell(value):
    if isinstance(value, dt.date):
        return f"{value.day}.{value.month}.{value.year}"
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    return value


def main() -> None:
    samples = [
        ("klienti", "clients", L.CLIENT_COLUMNS, CLIENTS),
        ("intervence", "interventions", L.INTERVENTION_COLUMNS, INTERVENTIONS),
        ("dluhy", "debts", L.DEBT_COLUMNS, DEBTS),
    ]
    for name, kind, columns, records in samples:
        header = [column.header for column in columns]
        rows = _rows(columns, records)
        (HERE / f"{name}.xlsx").write_bytes(xlsx_bytes([(L.SHEET_TITLES[kind], header, rows)]))
        csv_rows = [[_csv_cell(value) for value in row] for row in rows]
        (HERE / f"{name}.csv").write_bytes(csv_bytes(header, csv_rows))


if __name__ == "__main__":
    main()
