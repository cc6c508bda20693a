"""Subject export, anonymisation that keeps the statistics, and retention runs."""

import datetime as dt
import json

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.management import call_command
from django.db import connection

from casework.audit.context import acting_user
from casework.audit.events import record_access
from casework.audit.models import AccessAction, AccessEvent, ChangeEvent
from casework.models import Intervention, ProjectIndicator
from clients import gdpr
from clients.models import Client, DisadvantageAnswer, HouseholdMember, MonitoringCodeKind
from reports.queries import figure_counts, indicator_values
from tests.factories import (
    CaseAssignmentFactory,
    ClientFactory,
    ConsentFactory,
    DebtCaseFactory,
    DocumentFactory,
    EnrolmentFactory,
    HouseholdFactory,
    HousingSituationFactory,
    IndividualPlanFactory,
    InterventionFactory,
    MonitoringCodeFactory,
    TaskFactory,
)
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db

FIRST, LAST, BIRTH_NUMBER, STREET = "Zdislava", "Kvapilíková", "8553145557", "Šafaříkova"
TRACES = (FIRST, LAST, BIRTH_NUMBER, STREET, "zdislava@example.cz", "777123456")


def code(kind, value):
    return MonitoringCodeFactory(kind=kind, code=value, name=value)


def enrol(project, client, *, entry_date=None, disadvantages=()):
    enrolment = EnrolmentFactory(
        client=client,
        project=project,
        entry_date=entry_date or project.start_date,
        labour_status=code(MonitoringCodeKind.LABOUR_STATUS, "TPDNEZ"),
        education=code(MonitoringCodeKind.EDUCATION, "VZISCED1-2"),
        disadvantage_answer=DisadvantageAnswer.ANSWERED if disadvantages else "none",
    )
    enrolment.disadvantages.set([code(MonitoringCodeKind.DISADVANTAGE, c) for c in disadvantages])
    return enrolment


def person(project, first_name, last_name, birth_date, **fields):
    return ClientFactory(
        organisation=project.organisation,
        first_name=first_name,
        last_name=last_name,
        birth_date=birth_date,
        gender=code(MonitoringCodeKind.GENDER, "POHZENY"),
        municipality="Ralsko",
        postcode="47124",
        **fields,
    )


@pytest.fixture
def zdislava(project, worker_a, admin_user, client_a):
    """A client with something in every kind of record, her name in a group session's record
    shared with client_a, and a history in the audit trail."""
    household = HouseholdFactory(
        organisation=project.organisation,
        name=f"{LAST}, {STREET} 1234",
        address=f"{STREET} 1234, Ralsko",
    )
    client = person(
        project,
        FIRST,
        LAST,
        dt.date(1985, 3, 14),
        birth_number=BIRTH_NUMBER,
        email="zdislava@example.cz",
        street=STREET,
        house_number="1234",
        household=household,
        notes=f"{FIRST} {LAST} bydlí v ulici {STREET}.",
    )
    HouseholdMember.objects.create(household=household, client=client, relationship="head")
    HouseholdMember.objects.create(
        household=household, name=f"Petr {LAST[:-1]}", birth_year=2015, relationship="child"
    )
    enrol(project, client, disadvantages=["ZNMIG"])
    CaseAssignmentFactory(client=client, project=project, worker=worker_a)
    ConsentFactory(client=client, recorded_by=worker_a, note=f"Podepsala {FIRST} {LAST}")
    alone = InterventionFactory(
        project=project,
        duration_minutes=20 * 60,
        place=f"{STREET} 1234",
        record=f"Návštěva u paní {LAST}, r. č. {BIRTH_NUMBER}.",
        participants=[client],
        workers=[worker_a],
    )
    InterventionFactory(
        project=project,
        date=alone.date,
        duration_minutes=20 * 60,
        record=f"Skupina: {client_a.first_name} a {FIRST} {LAST} přišly spolu.",
        participants=[client, client_a],
        workers=[worker_a],
    )
    plan = IndividualPlanFactory(
        client=client, project=project, created_by=worker_a, evaluation=f"{FIRST} splnila cíle."
    )
    plan.goals.create(goal=f"{FIRST} si najde bydlení mimo {STREET}", steps="kroky")
    TaskFactory(owner=worker_a, client=client, project=project, title=f"Zavolat {LAST}")
    DocumentFactory(
        client=client,
        project=project,
        uploaded_by=worker_a,
        title=f"Smlouva {LAST}",
        original_name=f"{LAST}.pdf",
    )
    DebtCaseFactory(client=client, project=project, note=f"Dluhy {FIRST} {LAST}")
    HousingSituationFactory(client=client, note=f"Byt v ulici {STREET}")
    with acting_user(admin_user):
        Client.objects.filter(pk=client.pk).update(phone="777123456")
    record_access(worker_a, AccessAction.VIEW_CASE_FILE, client=client, obj=client)
    LogEntry.objects.log_actions(
        admin_user.pk, [client], CHANGE, change_message=f"Změněno: {LAST}", single_object=True
    )
    return client


def traces_in_database(traces) -> list[str]:
    """Every (table, column, term) where a text, JSON or array column holds one of the terms."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = 'public'
              AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb',
                                'ARRAY', 'bytea')
            """
        )
        columns = cursor.fetchall()
        found = []
        for table, column in columns:
            for term in traces:
                cursor.execute(
                    f'SELECT count(*) FROM "{table}" WHERE "{column}"::text ILIKE %s',  # noqa: S608
                    [f"%{term}%"],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column}: {term}")
        return found


def test_anonymisation_leaves_no_trace_anywhere_in_the_database(zdislava, admin_user):
    assert traces_in_database(TRACES)  # the search finds them before

    gdpr.anonymise_client(zdislava, by=admin_user)

    assert traces_in_database(TRACES) == []


def test_anonymisation_keeps_the_audit_trail_but_redacts_its_values(zdislava, admin_user):
    changes_before = ChangeEvent.objects.filter(client_id=zdislava.pk).count()

    gdpr.anonymise_client(zdislava, by=admin_user)

    phone_change = ChangeEvent.objects.filter(
        client_id=zdislava.pk, user=admin_user, changes__has_key="phone"
    ).earliest("pk")
    assert phone_change.changes == {"phone": ["[redacted]", "[redacted]"]}
    assert phone_change.redacted_at is not None
    assert ChangeEvent.objects.filter(client_id=zdislava.pk).count() > changes_before
    assert list(
        AccessEvent.objects.filter(client_id=zdislava.pk).values_list("action", flat=True)
    ) == ["anonymise", "view_case_file"]


def test_group_session_keeps_the_other_clients_record(zdislava, admin_user, client_a):
    gdpr.anonymise_client(zdislava, by=admin_user)

    group = Intervention.objects.filter(clients=client_a).get(clients=zdislava)
    assert group.record == "Skupina: Anna a [anonymizováno] přišly spolu."


def test_anonymisation_keeps_every_indicator(project, zdislava, admin_user):
    # A second participant born so that the generalised date matters at a band edge.
    other = person(project, "Věra", "Mladá", dt.date(1996, 6, 30))
    enrol(project, other, entry_date=dt.date(2020, 9, 1))
    InterventionFactory(project=project, duration_minutes=20 * 60, participants=[other])
    InterventionFactory(project=project, duration_minutes=20 * 60, participants=[other])
    for indicator_code in ("6 00 00", "6 00 02", "6 15 00", "6 70 10"):
        ProjectIndicator.objects.create(
            project=project, code=indicator_code, name=indicator_code, target=10
        )
    period_end = project.end_date
    counts_before = figure_counts(project, period_end)
    values_before = indicator_values(project, period_end)

    gdpr.anonymise_client(zdislava, by=admin_user)
    gdpr.anonymise_client(other, by=admin_user)

    assert figure_counts(project, period_end) == counts_before
    assert indicator_values(project, period_end) == values_before
    assert counts_before["participants"] == 2


def test_generalised_birth_date_keeps_the_age_at_every_entry(project, other_project, admin_user):
    client = person(project, "Ema", "Dvořáková", dt.date(1996, 10, 20))
    enrol(project, client, entry_date=dt.date(2020, 9, 1))  # 23 years: born after 1.9.1996
    enrol(other_project, client, entry_date=dt.date(2021, 10, 19))  # 24: after 19.10.1996

    gdpr.anonymise_client(client, by=admin_user)

    client.refresh_from_db()
    # The latest date keeping both ages: the real one lies within the year before it.
    assert (client.birth_date, client.birth_year) == (dt.date(1997, 9, 1), None)


def test_export_json_holds_every_record_and_is_recorded(zdislava, admin_user):
    data = json.loads(gdpr.export_json(zdislava, by=admin_user))

    types = {group["type"] for group in data["records"]}
    assert {"clients.Client", "clients.Enrolment", "casework.Intervention", "debts.DebtCase"} <= (
        types
    )
    client_row = next(g for g in data["records"] if g["type"] == "clients.Client")["rows"][0]
    assert (client_row["birth_number"], client_row["street"]) == (BIRTH_NUMBER, STREET)
    assert AccessEvent.objects.filter(action="export_client", client_id=zdislava.pk).exists()


def test_export_pdf_is_readable(zdislava, admin_user):
    pdf = gdpr.export_pdf(zdislava, by=admin_user)

    text = pdf_text(pdf)
    assert (pdf[:5], LAST in text, BIRTH_NUMBER in text) == (b"%PDF-", True, True)


# --- Retention -------------------------------------------------------------------------------


@pytest.fixture
def expired(project, other_project, client_a, client_other):
    project.retention_until = dt.date(2030, 12, 31)
    project.save(update_fields=["retention_until"])
    other_project.retention_until = dt.date(2033, 12, 31)
    other_project.save(update_fields=["retention_until"])
    return dt.date(2031, 1, 1)


def test_retention_lists_clients_whose_projects_expired(expired, client_a, client_b):
    assert list(gdpr.clients_past_retention(expired)) == [client_a, client_b]


def test_retention_skips_a_project_on_legal_hold(expired, project, client_a):
    project.legal_hold = True
    project.save(update_fields=["legal_hold"])

    assert list(gdpr.clients_past_retention(expired)) == []


def test_retention_keeps_a_client_still_in_a_live_project(expired, other_project, client_a):
    enrol(other_project, client_a)

    assert client_a not in gdpr.clients_past_retention(expired)


def test_retention_command_dry_run_changes_nothing_then_the_real_run_anonymises(
    expired, client_a, client_b, client_other, capsys
):
    call_command("retention", "--dry-run", "--today", "2031-01-01")
    dry = capsys.readouterr().out
    untouched = Client.objects.get(pk=client_a.pk).last_name

    call_command("retention", "--today", "2031-01-01")
    real = capsys.readouterr().out

    names = dict(Client.objects.values_list("pk", "last_name"))
    assert (untouched, client_a.code in dry, "2" in real) == (client_a.last_name, True, True)
    assert (names[client_a.pk], names[client_b.pk], names[client_other.pk]) == (
        "[anonymizováno]",
        "[anonymizováno]",
        client_other.last_name,
    )
    assert list(gdpr.clients_past_retention(expired)) == []


def test_export_does_not_name_other_clients_of_a_group_session(zdislava, admin_user, client_a):
    exported = gdpr.export_json(zdislava, by=admin_user).decode()

    assert (client_a.last_name in exported, client_a.code in exported) == (False, False)
