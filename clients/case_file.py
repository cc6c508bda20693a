"""The case file: a client and every section of their record the user may see.

Each section is read through its own model's ``visible_to`` (the one place access is decided)
and shows only the columns the page needs. Its statement depends on the user's access and on
nothing else but the ids of the client and their household, so it is compiled once per access
(``casework.compiled``, keyed by ``casework.roles.ScopeOwner``) and bound to the ids: building
and compiling a dozen scoped querysets cost Django several times what PostgreSQL needs to run
them. The rows are read through ``raw()`` as model instances; the related rows a section shows
(a project's code, a worker's name) come as columns of the same statement and are attached as
``select_related`` would attach them (``casework.compiled.attach_related``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import DateField, ExpressionWrapper, F, OrderBy, Q
from django.http import Http404
from django.utils.formats import date_format, time_format
from django.utils.text import Truncator

from casework.addresses import address_by_pk
from casework.compiled import attach_related, compiled_rows, queryset_sql, related_columns
from casework.intervention_log import topic_names, worker_fields, worker_names
from casework.models import Intervention
from casework.roles import ScopeOwner, scope_owner
from clients.models import (
    CaseAssignment,
    Client,
    Consent,
    Document,
    Enrolment,
    HouseholdMember,
    IndividualPlan,
    PlanGoal,
    PlanStatus,
    Task,
)
from clients.queries import (
    ParticipantStatus,
    any_disadvantage_code,
    statuses_of,
    support_minutes_until,
)
from debts.models import DebtCase
from debts.queries import debt_summary_for_client
from housing.queries import HousingSummary, housing_summary_for_client

TIMELINE_PAGE_SIZE = 10
# What the page shows of a user (a worker, a task's owner): the full name, else the user name.
NAME_FIELDS = ("username", "first_name", "last_name")

# What each section shows of its related rows: columns of its statement, attached as the
# related objects (``casework.compiled.related_columns`` and ``attach_related``).
CLIENT_RELATED = {"locality": ("name",), "gender": ("name",), "household": ("name", "address")}
ASSIGNMENT_RELATED = {"worker": NAME_FIELDS}
MEMBER_RELATED = {"client": ("first_name", "last_name")}
# What participant status reads of the project, and what the page shows of it.
ENROLMENT_RELATED = {"project": ("code", "name", "participant_threshold_minutes")}
PLAN_RELATED = {"project": ("code",)}
TASK_RELATED = {"owner": NAME_FIELDS}
TIMELINE_RELATED = {
    "project": ("code",),
    "key_activity": ("code", "name"),
    "delivery_mode": ("name",),
}


@dataclass(frozen=True)
class TimelinePage:
    """One page of a client's interventions, newest first."""

    interventions: list[Intervention]
    number: int
    has_next: bool

    @property
    def next_number(self) -> int:
        return self.number + 1


@dataclass(frozen=True)
class CaseFile:
    """Everything the case file shows beside the client row itself."""

    assignments: list[CaseAssignment]
    consents: list[Consent]
    household_members: list[HouseholdMember]
    statuses: list[ParticipantStatus]
    timeline: TimelinePage
    debt_cases: list[DebtCase]
    housing: HousingSummary
    plans: list[IndividualPlan]
    open_tasks: list[Task]
    documents: list[Document]

    @property
    def current_assignments(self) -> list[CaseAssignment]:
        return [a for a in self.assignments if a.ended_on is None]


# --- The client -------------------------------------------------------------------------------


def case_file_client(user, pk: int) -> Client:
    """The client of a case file, if the user may see them (``Client.objects.visible_to``);
    404 for any other, so nobody can probe for existence. With the names of their locality,
    gender and household as those related rows."""
    rows = compiled_rows(Client, _client_statement, (scope_owner(user),), ids=[pk])
    if not rows:
        raise Http404
    attach_related(rows, CLIENT_RELATED)
    return rows[0]


def _client_statement(owner: ScopeOwner, dates, ids):
    (pk,) = ids
    return queryset_sql(
        Client.objects.visible_to(owner.user)
        .filter(pk=pk)
        .annotate(**related_columns(CLIENT_RELATED))
    )


# --- The sections -----------------------------------------------------------------------------


def case_file(client: Client, user, *, timeline_page: int = 1) -> CaseFile:
    """The sections of the case file of ``client``, one the user may see
    (``case_file_client``): tasks and documents then skip asking the database about the
    client again (``in_visible_case_file``), and participant status does not read the
    client again.

    A constant number of statements whatever the number of interventions, tasks, debts or
    documents: assignments, consents, household members (with a household), participant
    status, timeline, debt summary, housing 2, plans and their goals (with a plan), open
    tasks, documents.
    """
    owner = scope_owner(user)
    ids = [client.pk]
    plans = compiled_rows(IndividualPlan, _plans_statement, (owner,), ids=ids)
    attach_related(plans, PLAN_RELATED)
    if plans:
        goals = defaultdict(list)
        for goal in compiled_rows(PlanGoal, _goals_statement, (owner,), ids=ids):
            goals[goal.plan_id].append(goal)
        for plan in plans:
            plan.goal_list = goals[plan.pk]
    return CaseFile(
        assignments=_assignments(client),
        consents=compiled_rows(Consent, _consents_statement, (), ids=ids),
        household_members=household_members(client, owner),
        statuses=_statuses(client, owner),
        timeline=client_timeline(client, user, page=timeline_page),
        debt_cases=debt_summary_for_client(client, user),
        housing=housing_summary_for_client(client, user),
        plans=plans,
        open_tasks=_open_tasks(client, owner),
        documents=compiled_rows(Document, _documents_statement, (owner,), ids=ids),
    )


def _assignments(client: Client) -> list[CaseAssignment]:
    """Every assignment of the client, current and ended, newest first, with its worker."""
    rows = compiled_rows(CaseAssignment, _assignments_statement, (), ids=[client.pk])
    attach_related(rows, ASSIGNMENT_RELATED)
    return rows


def _assignments_statement(dates, ids):
    (client,) = ids
    return queryset_sql(
        CaseAssignment.objects.filter(client=client)
        .only("kind", "started_on", "ended_on", "worker")
        .annotate(**related_columns(ASSIGNMENT_RELATED))
    )


def _consents_statement(dates, ids):
    (client,) = ids
    return queryset_sql(
        Consent.objects.filter(client=client).only("scope", "given_on", "withdrawn_on")
    )


def household_members(client: Client, owner: ScopeOwner) -> list[HouseholdMember]:
    """The members of the client's household, the client included.

    Members who are clients the user may not see are left out, names and all (as on the
    client form).
    """
    if not client.household_id:
        return []
    rows = compiled_rows(
        HouseholdMember, _members_statement, (owner,), ids=[client.pk, client.household_id]
    )
    attach_related(rows, MEMBER_RELATED)
    return rows


def _members_statement(owner: ScopeOwner, dates, ids):
    client, household = ids
    return queryset_sql(
        HouseholdMember.objects.filter(household=household)
        .filter(
            Q(client=None) | Q(client=client) | Q(client__in=Client.objects.visible_to(owner.user))
        )
        .only("client", "name", "birth_year", "relationship", "is_dependent")
        .annotate(**related_columns(MEMBER_RELATED))
        .order_by("pk")
    )


def _statuses(client: Client, owner: ScopeOwner) -> list[ParticipantStatus]:
    rows = compiled_rows(Enrolment, _enrolments_statement, (owner,), ids=[client.pk])
    attach_related(rows, ENROLMENT_RELATED)
    return statuses_of(rows, client=client)


def _enrolments_statement(owner: ScopeOwner, dates, ids):
    """The client's enrolments with what ``clients.queries.participant_statuses`` reads."""
    (client,) = ids
    return queryset_sql(
        Enrolment.objects.visible_to(owner.user)
        .filter(client=client)
        .annotate(
            **related_columns(ENROLMENT_RELATED),
            support_minutes=support_minutes_until(),
            has_disadvantage_code=any_disadvantage_code(),
        )
    )


def _plans_statement(owner: ScopeOwner, dates, ids):
    return queryset_sql(
        _current_plans(owner, ids)
        .only("project", "status", "created_on", "review_due")
        .annotate(**related_columns(PLAN_RELATED))
        .order_by("-created_on", "-pk")
    )


def _goals_statement(owner: ScopeOwner, dates, ids):
    """The goals of the plans of ``_plans_statement``, in each plan's order."""
    return queryset_sql(
        PlanGoal.objects.filter(plan__in=_current_plans(owner, ids).values("pk")).only(
            "plan", "goal", "status", "target_date"
        )
    )


def _current_plans(owner: ScopeOwner, ids):
    (client,) = ids
    return (
        IndividualPlan.objects.visible_to(owner.user)
        .filter(client=client)
        .exclude(status=PlanStatus.CLOSED)
    )


def _open_tasks(client: Client, owner: ScopeOwner) -> list[Task]:
    rows = compiled_rows(Task, _tasks_statement, (owner,), ids=[client.pk])
    attach_related(rows, TASK_RELATED)
    return rows


def _tasks_statement(owner: ScopeOwner, dates, ids):
    (client,) = ids
    return queryset_sql(
        Task.objects.in_visible_case_file(owner.user, client)
        .open()
        .only("title", "kind", "due_date", "owner")
        .annotate(**related_columns(TASK_RELATED))
        .order_by("due_date", "pk")
    )


def _documents_statement(owner: ScopeOwner, dates, ids):
    (client,) = ids
    return queryset_sql(
        Document.objects.in_visible_case_file(owner.user, client).only(
            "title", "kind", "uploaded_at"
        )
    )


# --- The timeline -----------------------------------------------------------------------------

# What a timeline row shows of the intervention and its project, key activity and form.
TIMELINE_FIELDS = (
    "date",
    "start_time",
    "duration_minutes",
    "record",
    "project",
    "key_activity",
    "delivery_mode",
)


def client_timeline(client: Client, user, *, page: int = 1) -> TimelinePage:
    """The interventions with this client that the user may see, newest first, one page.

    Only ``Intervention.objects.visible_to(user)``: a worker does not see another worker's
    interventions with the client in a project where the client is not theirs. One
    statement: the row shows its topics and workers by name only, so each row carries them
    as arrays (``topic_names``; ``worker_names``, each the worker's full name or else their
    user name, as ``User.get_full_name`` and the ``default`` filter would show them) rather
    than as prefetched model instances; PostgreSQL computes the arrays after the ``LIMIT``,
    for the rows of the page only. One row beyond the page tells whether there is a next one,
    so no count is needed.
    """
    rows = compiled_rows(
        Intervention, _timeline_statement, (scope_owner(user), page), ids=[client.pk]
    )
    attach_related(rows, TIMELINE_RELATED)
    shown_in_timeline(rows)
    return TimelinePage(
        interventions=rows[:TIMELINE_PAGE_SIZE],
        number=page,
        has_next=len(rows) > TIMELINE_PAGE_SIZE,
    )


# How much of an intervention's record a timeline row shows.
RECORD_EXCERPT_CHARS = 240


def shown_in_timeline(rows) -> None:
    """Set on each timeline row what it shows, as the template's filters would show it but
    computed once for the page:

    - ``url``: the intervention's page (``Intervention.get_absolute_url``);
    - ``day``: the short date; ``time``: the start time (``TIME_FORMAT``) or "";
    - ``activity``: "code – name (project code)" of its key activity;
    - ``topics_text``, ``workers_text``: the names joined by commas (``worker_names``);
    - ``excerpt``: the record cut to ``RECORD_EXCERPT_CHARS`` (``truncatechars``).
    """
    worker_names(rows)
    address = address_by_pk("intervention_detail")
    days = {}
    for row in rows:
        day = days.get(row.date)
        if day is None:
            day = days[row.date] = date_format(row.date, "SHORT_DATE_FORMAT")
        row.url, row.day = address(row.pk), day
        row.time = time_format(row.start_time, "TIME_FORMAT") if row.start_time else ""
        row.activity = f"{row.key_activity.code} – {row.key_activity.name} ({row.project.code})"
        row.topics_text = ", ".join(row.topic_names)
        row.workers_text = ", ".join(row.worker_names)
        row.excerpt = Truncator(row.record).chars(RECORD_EXCERPT_CHARS) if row.record else ""


def _timeline_statement(owner: ScopeOwner, page: int, dates, ids):
    (client,) = ids
    start = (page - 1) * TIMELINE_PAGE_SIZE
    # Newest first by ``date + 0``: ordered by the bare date, PostgreSQL walks the whole log
    # backwards by its date index until it meets this client's rows (a busy client's first
    # page after 3 500 rows, a quiet client's after most of the log); by an expression it reads
    # the client's own participations and sorts those few.
    newest_first = (
        OrderBy(ExpressionWrapper(F("date") + 0, output_field=DateField()), descending=True),
        F("start_time").desc(),
        F("pk").desc(),
    )
    return queryset_sql(
        Intervention.objects.of_client(client)
        .visible_to(owner.user)
        .only(*TIMELINE_FIELDS)
        .annotate(
            **related_columns(TIMELINE_RELATED),
            topic_names=topic_names(),
            worker_fields=worker_fields(),
        )
        .order_by(*newest_first)[start : start + TIMELINE_PAGE_SIZE + 1]
    )
