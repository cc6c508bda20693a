"""Change-recording triggers on the tables that hold personal data, and append-only audit tables.

Tables added later are tracked by a later migration of this app (``track_table_sql``).
"""

from django.db import migrations

from casework.audit.triggers import (
    DROP_FUNCTIONS_SQL,
    FUNCTIONS_SQL,
    protect_table_sql,
    track_table_sql,
    untrack_table_sql,
)

INTERVENTION_PROJECT = "intervention_id:casework_intervention.project_id"
ENROLMENT_CLIENT = "enrolment_id:clients_enrolment.client_id"
ENROLMENT_PROJECT = "enrolment_id:clients_enrolment.project_id"
PLAN_CLIENT = "plan_id:clients_individualplan.client_id"
PLAN_PROJECT = "plan_id:clients_individualplan.project_id"
CASE_CLIENT = "case_id:debts_debtcase.client_id"
CASE_PROJECT = "case_id:debts_debtcase.project_id"
SITUATION_CLIENT = "situation_id:housing_housingsituation.client_id"
ASSESSMENT_CLIENT = "assessment_id:housing_riskassessment.client_id"
ASSESSMENT_PROJECT = "assessment_id:housing_riskassessment.project_id"

# table: (client path, project path)
TRACKED = {
    "casework_project": ("", "id"),
    "casework_membership": ("", "project_id"),
    "casework_intervention": ("", "project_id"),
    "casework_interventionparticipant": ("client_id", INTERVENTION_PROJECT),
    "casework_interventionworker": ("", INTERVENTION_PROJECT),
    "casework_intervention_topics": ("", INTERVENTION_PROJECT),
    "casework_intervention_institutions": ("", INTERVENTION_PROJECT),
    "casework_outreachcontact": ("identified_client_id", "project_id"),
    "clients_client": ("id", ""),
    "clients_household": ("", ""),
    "clients_householdmember": ("client_id", ""),
    "clients_consent": ("client_id", ""),
    "clients_caseassignment": ("client_id", "project_id"),
    "clients_enrolment": ("client_id", "project_id"),
    "clients_enrolment_disadvantages": (ENROLMENT_CLIENT, ENROLMENT_PROJECT),
    "clients_enrolment_exit_situations": (ENROLMENT_CLIENT, ENROLMENT_PROJECT),
    "clients_individualplan": ("client_id", "project_id"),
    "clients_plangoal": (PLAN_CLIENT, PLAN_PROJECT),
    "clients_task": ("client_id", "project_id"),
    "clients_document": ("client_id", "project_id"),
    "debts_debtcase": ("client_id", "project_id"),
    "debts_debt": (CASE_CLIENT, CASE_PROJECT),
    "debts_debtaction": (CASE_CLIENT, CASE_PROJECT),
    "debts_debtanalysis": (CASE_CLIENT, CASE_PROJECT),
    "debts_debtoutcome": (CASE_CLIENT, CASE_PROJECT),
    "debts_budgetline": (
        "analysis_id:debts_debtanalysis.case_id:debts_debtcase.client_id",
        "analysis_id:debts_debtanalysis.case_id:debts_debtcase.project_id",
    ),
    "debts_debtstatuschange": (
        "debt_id:debts_debt.case_id:debts_debtcase.client_id",
        "debt_id:debts_debt.case_id:debts_debtcase.project_id",
    ),
    "housing_housingsituation": ("client_id", ""),
    "housing_housingbenefit": (SITUATION_CLIENT, ""),
    "housing_riskevent": (SITUATION_CLIENT, ""),
    "housing_riskassessment": ("client_id", "project_id"),
    "housing_riskfactoranswer": (ASSESSMENT_CLIENT, ASSESSMENT_PROJECT),
    "housing_housingoutcome": ("client_id", "project_id"),
}

AUDIT_TABLES = ("audit_changeevent", "audit_accessevent")


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_audit_tables"),
        ("casework", "0005_add_intervention_institutions"),
        ("clients", "0006_task_list_indexes"),
        ("debts", "0003_add_debt_case_baseline"),
        ("housing", "0002_fill_reference_data"),
    ]

    operations = [
        migrations.RunSQL(FUNCTIONS_SQL, DROP_FUNCTIONS_SQL),
        *(
            migrations.RunSQL(
                track_table_sql(table, client=client, project=project), untrack_table_sql(table)
            )
            for table, (client, project) in TRACKED.items()
        ),
        *(
            migrations.RunSQL(
                protect_table_sql(table), f"DROP TRIGGER IF EXISTS audit_append_only ON {table};"
            )
            for table in AUDIT_TABLES
        ),
    ]
