"""The data inventory: every field of every model of the project, classified.

Each model has one ``Entry``: why it is kept (purpose), the legal basis, how long, how its rows
are reached from a client (for subject export and anonymisation), and each field's class —
personal, sensitive (GDPR art. 9/10 special categories) or not personal — with what
anonymisation does to it. The record of processing (``manage.py record_of_processing``) is
generated from it, ``clients.gdpr`` anonymises by it, and a test walks every model of the
project's apps and fails when a field is missing here.

Anonymisation actions:

- ``KEEP``: the value stays (codes, dates and amounts the funder's statistics are built from,
  and references to staff, projects and code lists);
- ``CLEAR``: emptied ("" or NULL);
- ``PLACEHOLDER``: replaced by ``ANONYMISED`` where a value is required;
- ``REDACT``: in a record shared with other people (a group session), only the client's
  identifying words are replaced; a record of the client alone is emptied;
- ``GENERALISE``: replaced by a coarser value that keeps the statistics (date of birth → a
  date that gives the same age at every entry into a project).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

ANONYMISED = "[anonymizováno]"


class Category(StrEnum):
    PERSONAL = "personal"
    SENSITIVE = "sensitive"
    NOT_PERSONAL = "not_personal"


class Action(StrEnum):
    KEEP = "keep"
    CLEAR = "clear"
    PLACEHOLDER = "placeholder"
    REDACT = "redact"
    GENERALISE = "generalise"


K, C, P, R, G = Action.KEEP, Action.CLEAR, Action.PLACEHOLDER, Action.REDACT, Action.GENERALISE

# Legal bases (DOMAIN.md §9; the organisation's DPO confirms them).
SOCIAL_WORK = _("GDPR art. 6(1)(c) and (e): Act 108/2006 on social services, Act 111/2006")
SOCIAL_WORK_SPECIAL = _(
    "GDPR art. 9(2)(h) with Act 108/2006 on social services: social care records"
)
ESF_MONITORING = _("GDPR art. 6(1)(c): ESF+ regulation 2021/1057 monitoring of participants")
ESF_MONITORING_SPECIAL = _(
    "GDPR art. 9(2)(g) with regulation 2021/1057 annex; the person may decline to answer"
)
CONSENT = _("GDPR art. 6(1)(a): the client's consent")
STAFF = _("GDPR art. 6(1)(b) and (f): employment and the security of the system")
NO_PERSONAL_DATA = _("no personal data")

# Retention rules.
PROJECT_RETENTION = _("until the project's retention date, then anonymised")
AUDIT_RETENTION = _("as long as the records it describes; values redacted on anonymisation")
REFERENCE = _("as long as it is in use")
STAFF_RETENTION = _("while the account exists")


@dataclass(frozen=True)
class Entry:
    purpose: str
    basis: str
    retention: str
    # ORM path from the model to the client its rows describe ("" if none).
    client_path: str = ""
    personal: dict[str, Action] = field(default_factory=dict)
    sensitive: dict[str, Action] = field(default_factory=dict)
    not_personal: tuple[str, ...] = ()
    # The legal basis for the special categories (GDPR art. 9/10), required with ``sensitive``.
    sensitive_basis: str = ""
    # Computed by the database from other tables, never written by anyone: its changes follow
    # from audited changes of those tables, so it has no change trail of its own.
    derived: bool = False

    def category_of(self, name: str) -> Category | None:
        if name in self.sensitive:
            return Category.SENSITIVE
        if name in self.personal:
            return Category.PERSONAL
        if name in self.not_personal:
            return Category.NOT_PERSONAL
        return None

    def action_of(self, name: str) -> Action:
        return self.sensitive.get(name) or self.personal.get(name) or Action.KEEP


def reference(purpose, *fields: str) -> Entry:
    """A code list or configuration without personal data."""
    return Entry(purpose, NO_PERSONAL_DATA, REFERENCE, not_personal=("id", *fields))


CASE = _("Social work with the client (case file)")
MONITORING = _("Monitoring of participants for the funder (ESF)")

INVENTORY: dict[str, Entry] = {
    # --- casework -----------------------------------------------------------------------------
    "casework.Organisation": reference(
        _("The organisation running projects"), "name", "ico", "address"
    ),
    "casework.Locality": reference(_("Localities served"), "organisation", "name", "municipality"),
    "casework.Project": reference(
        _("Projects, budgets and retention"),
        "organisation",
        "code",
        "name",
        "registration_number",
        "programme",
        "start_date",
        "end_date",
        "budget_total",
        "budget_eu",
        "budget_state",
        "budget_own",
        "participant_threshold_minutes",
        "participants_in_service_use",
        "housing_months_as_hours",
        "retention_until",
        "legal_hold",
        "localities",
    ),
    "casework.ProjectExtension": reference(
        _("Project extensions"), "project", "new_end_date", "decided_on", "note"
    ),
    "casework.KeyActivity": reference(
        _("Key activities"), "project", "code", "name", "description", "is_evaluation"
    ),
    "casework.ProjectIndicator": reference(
        _("Indicator targets"),
        "project",
        "code",
        "name",
        "unit",
        "baseline",
        "target",
        "manual_value",
    ),
    "casework.ReportingPeriod": reference(
        _("Reporting periods"),
        "project",
        "number",
        "start_date",
        "end_date",
        "report_due",
        "is_final",
    ),
    "casework.Membership": Entry(
        _("Who works in which project with which role"),
        STAFF,
        STAFF_RETENTION,
        personal={"user": K},
        not_personal=("id", "project", "role", "created_at"),
    ),
    "casework.Topic": reference(_("Topics"), "code", "name", "order", "is_active"),
    "casework.DeliveryMode": reference(
        _("Forms of work"),
        "code",
        "name",
        "order",
        "is_active",
        "is_electronic",
        "is_group",
        "is_office",
    ),
    "casework.InterventionType": reference(
        _("Intervention types"),
        "code",
        "name",
        "order",
        "is_active",
        "needs_plan_goal",
        "field_only",
    ),
    "casework.Institution": reference(
        _("Institutions"), "organisation", "name", "kind", "is_active"
    ),
    "casework.Intervention": Entry(
        _("Logged social work and support hours (indicators)"),
        SOCIAL_WORK,
        PROJECT_RETENTION,
        client_path="clients",
        personal={"place": R, "record": R, "clients": K, "workers": K, "created_by": K},
        # Topics may reveal health or family matters, but only as a code: kept for statistics.
        sensitive={"topics": K},
        sensitive_basis=SOCIAL_WORK_SPECIAL,
        not_personal=(
            "id",
            "project",
            "key_activity",
            "date",
            "start_time",
            "duration_minutes",
            "delivery_mode",
            "intervention_type",
            "is_group",
            "anonymous_count",
            "plan_goal",
            "is_one_off",
            "submission_id",
            "created_at",
            "updated_at",
            "version",
            "institutions",
        ),
    ),
    "casework.InterventionWorker": Entry(
        _("Workers of an intervention"),
        STAFF,
        PROJECT_RETENTION,
        personal={"worker": K},
        not_personal=("id", "intervention"),
    ),
    "casework.InterventionParticipant": Entry(
        _("Clients at an intervention (support hours)"),
        SOCIAL_WORK,
        PROJECT_RETENTION,
        client_path="client",
        personal={"client": K},
        not_personal=("id", "intervention"),
    ),
    "casework.OutreachContact": Entry(
        _("Anonymous outreach head counts"),
        SOCIAL_WORK,
        PROJECT_RETENTION,
        client_path="identified_client",
        personal={"note": R, "identified_client": K, "worker": K},
        not_personal=(
            "id",
            "project",
            "key_activity",
            "locality",
            "date",
            "head_count",
            "duration_minutes",
        ),
    ),
    "casework.EducationalMaterial": reference(
        _("Educational materials"),
        "project",
        "key_activity",
        "title",
        "audience",
        "published_on",
        "copies_distributed",
        "file",
    ),
    "casework.OutputDocument": reference(
        _("Analytical documents"), "project", "title", "published_on", "file"
    ),
    "casework.Draft": Entry(
        _("Forms typed and not sent yet (restored after a lost connection)"),
        SOCIAL_WORK,
        _("at most 72 hours"),
        personal={"user": K, "data": C},
        not_personal=("id", "form_key", "submission_id", "updated_at"),
    ),
    # --- clients ------------------------------------------------------------------------------
    "clients.MonitoringCode": reference(
        _("Funder's code lists"),
        "kind",
        "code",
        "name",
        "is_special_category",
        "order",
        "is_active",
    ),
    "clients.Household": Entry(
        _("People living together (debts and housing per household)"),
        SOCIAL_WORK,
        PROJECT_RETENTION,
        client_path="clients",
        personal={"name": P, "address": C},
        not_personal=("id", "organisation", "locality", "created_at"),
    ),
    "clients.Client": Entry(
        CASE,
        SOCIAL_WORK,
        PROJECT_RETENTION,
        client_path="pk",
        personal={
            "first_name": P,
            "last_name": P,
            "title_before": C,
            "title_after": C,
            "birth_date": G,
            "birth_year": G,
            "birth_number": C,
            "gender": K,
            "phone": C,
            "email": C,
            "street": C,
            "house_number": C,
            "orientation_number": C,
            # Municipality and postcode are part of complete entry data: kept, coarse.
            "municipality": K,
            "municipality_part": C,
            "postcode": K,
            "household": C,
            "notes": C,
        },
        not_personal=(
            "id",
            "organisation",
            "code",
            "locality",
            "status",
            "created_at",
            "updated_at",
            "version",
        ),
    ),
    "clients.HouseholdMember": Entry(
        _("Members of a household"),
        SOCIAL_WORK,
        PROJECT_RETENTION,
        client_path="household__clients",
        personal={"name": P, "birth_year": C, "client": K, "relationship": K, "is_dependent": K},
        not_personal=("id", "household"),
    ),
    "clients.Consent": Entry(
        _("Consents given and withdrawn"),
        CONSENT,
        PROJECT_RETENTION,
        client_path="client",
        personal={"client": K, "note": C, "recorded_by": K},
        not_personal=("id", "given_on", "scope", "withdrawn_on"),
    ),
    "clients.CaseAssignment": Entry(
        _("Who works with the client (access to the case)"),
        SOCIAL_WORK,
        PROJECT_RETENTION,
        client_path="client",
        personal={"client": K, "worker": K, "assigned_by": K},
        not_personal=("id", "project", "kind", "started_on", "ended_on"),
    ),
    "clients.Enrolment": Entry(
        MONITORING,
        ESF_MONITORING,
        PROJECT_RETENTION,
        client_path="client",
        personal={
            "client": K,
            "entry_date": K,
            "exit_date": K,
            "exit_reason": K,
            "labour_status": K,
            "education": K,
            "exit_labour_status": K,
            "exit_situations": K,
        },
        # Disability, minority (Roma), after imprisonment, addiction: GDPR art. 9/10. Kept on
        # anonymisation (no longer linked to a person), they are reported only as counts.
        sensitive={"disadvantage_answer": K, "disadvantages": K},
        sensitive_basis=ESF_MONITORING_SPECIAL,
        not_personal=("id", "project", "created_at", "version"),
    ),
    "clients.EnrolmentSupport": Entry(
        _("Support hours of an enrolment, computed from the intervention log"),
        ESF_MONITORING,
        PROJECT_RETENTION,
        client_path="enrolment__client",
        personal={
            "enrolment": K,
            "first_support_on": K,
            "last_support_on": K,
            "threshold_crossed_on": K,
            "support_minutes": K,
        },
        derived=True,
    ),
    "clients.IndividualPlan": Entry(
        _("Individual plans (quality standard 5)"),
        SOCIAL_WORK,
        PROJECT_RETENTION,
        client_path="client",
        personal={"client": K, "next_meeting_note": C, "evaluation": C, "created_by": K},
        not_personal=(
            "id",
            "project",
            "status",
            "created_on",
            "review_due",
            "next_meeting_on",
            "signed_by",
            "signed_at",
            "version",
        ),
    ),
    "clients.PlanGoal": Entry(
        _("Goals of individual plans"),
        SOCIAL_WORK,
        PROJECT_RETENTION,
        client_path="plan__client",
        personal={"goal": P, "steps": C, "responsible": C},
        not_personal=("id", "plan", "target_date", "status", "achieved_on", "order"),
    ),
    "clients.Task": Entry(
        _("Tasks and deadlines"),
        SOCIAL_WORK,
        PROJECT_RETENTION,
        client_path="client",
        personal={"title": P, "note": C, "client": K, "owner": K, "created_by": K},
        not_personal=(
            "id",
            "kind",
            "due_date",
            "project",
            "done_at",
            "created_at",
            "version",
        ),
    ),
    "clients.Document": Entry(
        _("Documents of the case"),
        SOCIAL_WORK,
        PROJECT_RETENTION,
        client_path="client",
        personal={"title": P, "file": C, "original_name": P, "client": K, "uploaded_by": K},
        not_personal=("id", "project", "kind", "content_type", "size", "sha256", "uploaded_at"),
    ),
    # --- debts --------------------------------------------------------------------------------
    "debts.CreditorType": reference(
        _("Creditor types"), "code", "name", "order", "is_active", "is_public_law"
    ),
    "debts.Creditor": reference(
        _("Creditors (companies and authorities)"), "organisation", "name", "creditor_type", "ico"
    ),
    "debts.DebtCase": Entry(
        _("Debt counselling"),
        SOCIAL_WORK,
        PROJECT_RETENTION,
        client_path="client",
        personal={"client": K, "household": K, "note": C},
        not_personal=(
            "id",
            "project",
            "opened_on",
            "closed_on",
            "baseline_on",
            "baseline_total",
            "baseline_enforcements",
            "baseline_creditors",
            "version",
        ),
    ),
    "debts.Debt": Entry(
        _("Debts of a debt case"),
        SOCIAL_WORK,
        PROJECT_RETENTION,
        client_path="case__client",
        personal={"case_reference": C, "bailiff_office": K},
        not_personal=(
            "id",
            "case",
            "creditor",
            "kind",
            "principal",
            "interest",
            "costs",
            "total",
            "monthly_instalment",
            "status",
            "status_since",
            "source",
            "originated_on",
            "is_public_law",
            "version",
        ),
    ),
    "debts.DebtStatusChange": Entry(
        _("History of a debt's status"),
        SOCIAL_WORK,
        PROJECT_RETENTION,
        client_path="debt__case__client",
        personal={"note": C, "changed_by": K},
        not_personal=("id", "debt", "status", "changed_on"),
    ),
    "debts.LegalParameterSet": reference(
        _("Legal parameters of the protected amount"),
        "valid_from",
        "subsistence_minimum",
        "housing_costs",
        "base_amount",
        "debtor_share",
        "dependant_share",
        "threshold_multiple",
        "insolvency_administrator_fee",
        "source",
        "is_verified",
    ),
    "debts.DebtAnalysis": Entry(
        _("Debt situation analyses"),
        SOCIAL_WORK,
        PROJECT_RETENTION,
        client_path="case__client",
        personal={"reasoning": C, "dependants": K, "has_spouse": K, "created_by": K},
        not_personal=(
            "id",
            "case",
            "analysed_on",
            "parameters",
            "recommended_solution",
            "debt_relief_feasible",
            "version",
        ),
    ),
    "debts.BudgetLine": Entry(
        _("Household budget lines"),
        SOCIAL_WORK,
        PROJECT_RETENTION,
        client_path="analysis__case__client",
        personal={"member": C, "amount": K, "monthly_amount": K},
        not_personal=("id", "analysis", "direction", "category", "frequency"),
    ),
    "debts.DebtAction": Entry(
        _("Filed actions (insolvency petitions, objections)"),
        SOCIAL_WORK,
        PROJECT_RETENTION,
        client_path="case__client",
        personal={"reference": C, "created_by": K},
        not_personal=(
            "id",
            "case",
            "debt",
            "kind",
            "filed_on",
            "authority",
            "result",
            "result_on",
            "deadline_task",
        ),
    ),
    "debts.DebtOutcome": Entry(
        _("Outcomes of debt work (indicators)"),
        SOCIAL_WORK,
        PROJECT_RETENTION,
        client_path="case__client",
        not_personal=("id", "case", "debt", "action", "kind", "achieved_on", "amount_saved"),
    ),
    # --- housing ------------------------------------------------------------------------------
    "housing.EthosCategory": reference(
        _("ETHOS categories"), "code", "name", "conceptual_category", "order"
    ),
    "housing.BenefitType": reference(
        _("Benefit types"), "code", "name", "order", "is_active", "valid_from", "valid_to"
    ),
    "housing.Landlord": reference(
        _("Landlords (mostly municipalities and companies)"),
        "organisation",
        "name",
        "kind",
        "contact",
    ),
    "housing.HousingSituation": Entry(
        _("Housing situations"),
        SOCIAL_WORK,
        PROJECT_RETENTION,
        client_path="client",
        personal={"client": K, "household": K, "notice_reason": C, "note": C, "landlord": K},
        not_personal=(
            "id",
            "valid_from",
            "valid_to",
            "ethos",
            "tenure",
            "rent",
            "service_charges",
            "arrears",
            "lease_end",
            "notice_received_on",
            "eviction_on",
            "version",
        ),
    ),
    "housing.HousingBenefit": Entry(
        _("Housing benefits"),
        SOCIAL_WORK,
        PROJECT_RETENTION,
        client_path="situation__client",
        not_personal=("id", "situation", "benefit", "status", "applied_on", "amount"),
        personal={"granted_until": K},
    ),
    "housing.RiskFactorSet": reference(
        _("Risk factor sets"),
        "project",
        "version",
        "is_active",
        "medium_from",
        "high_from",
        "acute_from",
        "review_months",
        "review_months_high",
        "created_at",
    ),
    "housing.RiskFactor": reference(
        _("Risk factors"), "factor_set", "code", "label", "weight", "order"
    ),
    "housing.RiskAssessment": Entry(
        _("Housing risk assessments"),
        SOCIAL_WORK,
        PROJECT_RETENTION,
        client_path="client",
        personal={"client": K, "note": C, "assessed_by": K},
        not_personal=(
            "id",
            "project",
            "factor_set",
            "assessed_on",
            "score",
            "level",
            "next_review_on",
        ),
    ),
    "housing.RiskFactorAnswer": Entry(
        _("Answers of a risk assessment"),
        SOCIAL_WORK,
        PROJECT_RETENTION,
        client_path="assessment__client",
        personal={"note": C},
        # "Illness, disability, addiction" and "domestic violence" are health or intimate facts.
        sensitive={"present": K},
        sensitive_basis=SOCIAL_WORK_SPECIAL,
        not_personal=("id", "assessment", "factor"),
    ),
    "housing.RiskEvent": Entry(
        _("Housing early warnings"),
        SOCIAL_WORK,
        PROJECT_RETENTION,
        client_path="situation__client",
        not_personal=("id", "situation", "kind", "event_on", "task", "created_at"),
    ),
    "housing.HousingOutcome": Entry(
        _("Housing outcomes (indicators)"),
        SOCIAL_WORK,
        PROJECT_RETENTION,
        client_path="client",
        personal={"client": K, "note": C},
        not_personal=("id", "project", "outcome", "decided_on"),
    ),
    # --- reports ------------------------------------------------------------------------------
    "reports.GeneratedReport": Entry(
        _("Generated reports (aggregates; person lists for the funder)"),
        ESF_MONITORING,
        PROJECT_RETENTION,
        personal={"created_by": K, "file": K},
        not_personal=(
            "id",
            "project",
            "kind",
            "period_start",
            "period_end",
            "file_format",
            "parameters",
            "language",
            "status",
            "progress",
            "error",
            "created_at",
            "finished_at",
            "download_count",
            "last_downloaded_at",
        ),
    ),
    # --- review -------------------------------------------------------------------------------
    "review.ClosureRequest": Entry(
        _("Closures proposed by workers and signed off by guarantors"),
        SOCIAL_WORK,
        PROJECT_RETENTION,
        client_path="enrolment__client",
        personal={"note": C, "comment": C, "proposed_by": K, "decided_by": K},
        not_personal=(
            "id",
            "enrolment",
            "exit_date",
            "exit_reason",
            "status",
            "proposed_at",
            "decided_at",
        ),
    ),
    "review.ChecklistItem": reference(
        _("Quality review checklist"), "project", "text", "order", "is_active"
    ),
    "review.QualityReview": Entry(
        _("Monthly quality review of sampled case files"),
        SOCIAL_WORK,
        PROJECT_RETENTION,
        client_path="client",
        personal={"client": K, "notes": C, "worker": K, "reviewer": K},
        not_personal=("id", "project", "month", "answers", "reviewed_on", "created_at"),
    ),
    # --- imports ------------------------------------------------------------------------------
    "imports.ImportRun": Entry(
        _("Imports of spreadsheets (the file is kept until confirmed)"),
        SOCIAL_WORK,
        _("the uploaded file until the import is confirmed or discarded"),
        personal={"content": K, "file_name": K, "result": K, "created_by": K, "confirmed_by": K},
        not_personal=(
            "id",
            "project",
            "kind",
            "sha256",
            "status",
            "summary",
            "created_at",
            "finished_at",
        ),
    ),
    # --- audit --------------------------------------------------------------------------------
    "audit.ChangeEvent": Entry(
        _("Audit trail of changes to personal data"),
        _("GDPR art. 5(2) and 32: accountability and security of processing"),
        AUDIT_RETENTION,
        personal={"user": K, "changes": R, "client_id": K},
        not_personal=(
            "id",
            "occurred_at",
            "table",
            "row_id",
            "action",
            "project_id",
            "redacted_at",
        ),
    ),
    "audit.AccessEvent": Entry(
        _("Audit trail of reads of personal data"),
        _("GDPR art. 5(2) and 32: accountability and security of processing"),
        AUDIT_RETENTION,
        personal={"user": K, "ip": K, "client_id": K},
        not_personal=(
            "id",
            "occurred_at",
            "action",
            "project_id",
            "object_type",
            "object_id",
        ),
    ),
}

# Apps whose models the inventory must cover (third-party apps keep their own records).
PROJECT_APP_MODULES = ("casework", "clients", "debts", "housing", "reports")


def project_models():
    """Every model of the project's own apps (not Django's or third-party ones)."""
    from django.apps import apps

    return [
        model
        for config in apps.get_app_configs()
        if config.name.split(".")[0] in PROJECT_APP_MODULES
        for model in config.get_models()
    ]


def model_fields(model) -> list[str]:
    """The fields a model stores: columns and many-to-many relations it declares."""
    return [
        f.name
        for f in model._meta.get_fields()
        if ((f.concrete or f.many_to_many) and not f.auto_created) or f.name == "id"
    ]


def unclassified_fields() -> list[str]:
    """``app.Model.field`` for every stored field the inventory does not classify."""
    missing = []
    for model in project_models():
        entry = INVENTORY.get(model._meta.label)
        for name in model_fields(model):
            if entry is None or entry.category_of(name) is None:
                missing.append(f"{model._meta.label}.{name}")
    return missing


def processing_rows() -> list[dict]:
    """One row per model holding personal data: purpose, basis, retention, fields by class."""
    rows = []
    for model in project_models():
        entry = INVENTORY.get(model._meta.label)
        if entry is None or not (entry.personal or entry.sensitive):
            continue
        label = model._meta.get_field
        rows.append(
            {
                "name": model._meta.verbose_name_plural,
                "label": model._meta.label,
                "entry": entry,
                "personal": [label(name).verbose_name for name in entry.personal],
                "sensitive": [label(name).verbose_name for name in entry.sensitive],
            }
        )
    return rows
