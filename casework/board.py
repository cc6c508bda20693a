"""The guarantor's caseload board: figures per field worker, aggregated in SQL.

Four queries whatever the number of workers and clients: the workers with their overdue tasks,
one aggregate over their current assignments, the month's minutes per worker and key activity,
and the acute clients with the workers assigned to them. Each is built with the ORM from the
shared definitions (``with_participant_status``, ``not_contacted_since``, ``acute_clients``),
but building and compiling them costs Django more milliseconds than PostgreSQL needs to run
them, and their SQL text depends only on the projects and the locality: the dates are
parameters. So each statement is compiled once per projects, locality and database (per
process) and bound to each request's dates (``casework.compiled``).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connections, router
from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models import query as model_query
from django.db.models.functions import Coalesce
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext

from casework.addresses import address_by_pk
from casework.compiled import bound_sql
from casework.models import InterventionParticipant, InterventionWorker, Locality, Membership
from casework.queries import NOT_CONTACTED_DAYS, REVIEW_AHEAD_DAYS
from casework.roles import Role
from clients.models import (
    CaseAssignment,
    Client,
    ClientStatus,
    Enrolment,
    IndividualPlan,
    PlanStatus,
    Task,
)
from clients.queries import with_participant_status
from housing.queries import ACUTE_LIST_SIZE, AcuteCase, acute_clients


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the month that ``month`` falls in."""
    start = month.replace(day=1)
    return start, start.replace(day=calendar.monthrange(start.year, start.month)[1])


@dataclass
class WorkerRow:
    """One line of the board: a field worker and the state of their caseload."""

    worker: object
    # What the board shows for the worker: the full name, else the username.
    name: str = ""
    active_clients: int = 0
    participants: int = 0
    minutes_by_activity: dict[str, int] = field(default_factory=dict)
    not_contacted: int = 0
    overdue_tasks: int = 0
    plans_for_review: int = 0
    unsigned_plans: int = 0
    acute: int = 0
    # Hours per key activity in the board's column order (filled by ``caseload_board``).
    hours_columns: list[tuple[str, float]] = field(default_factory=list)
    # For the table: the worker's page, and each figure's column label with the figure as
    # shown (``Board.columns``' order).
    url: str = ""
    cells: list[tuple[str, str]] = field(default_factory=list)

    def hours(self, code: str) -> float:
        return round(self.minutes_by_activity.get(code, 0) / 60, 1)

    @property
    def hours_total(self) -> float:
        return round(sum(self.minutes_by_activity.values()) / 60, 1)


@dataclass(frozen=True)
class Board:
    today: dt.date
    month_start: dt.date
    month_end: dt.date
    activity_codes: list[str]
    rows: list[WorkerRow]
    # The most urgent ``ACUTE_LIST_SIZE`` acute cases, and how many there are in all.
    acute_cases: list[AcuteCase]
    acute_total: int = 0
    # The label of each figure column, translated once; each row's ``cells`` follow them.
    columns: list[str] = field(default_factory=list)


def board_workers(project_ids) -> QuerySet:
    """Field workers of the given projects (each once), by name."""
    return (
        get_user_model()
        .objects.filter(
            pk__in=Membership.objects.filter(project__in=project_ids, role=Role.WORKER).values(
                "user"
            )
        )
        .order_by("last_name", "first_name", "pk")
    )


def caseload_board(
    project_ids: list[int],
    *,
    locality: Locality | None = None,
    month: dt.date | None = None,
    today: dt.date | None = None,
) -> Board:
    """The board for ``project_ids`` (already limited to what the viewer manages).

    Per worker, counting their current assignments in those projects: active clients,
    participants (``with_participant_status``, DOMAIN.md §2), minutes of the month per key
    activity code (every intervention they took part in), clients not contacted for
    ``NOT_CONTACTED_DAYS`` (``ClientQuerySet.not_contacted_since``, the one definition), their
    overdue open tasks, plans due for review within ``REVIEW_AHEAD_DAYS`` or overdue, active
    plans nobody has signed, and acute housing cases (``housing.queries.acute_clients``: the
    ``ACUTE_LIST_SIZE`` most urgent listed, all counted). ``locality`` limits everything to
    clients living there (hours: interventions with such a client). Four queries whatever the
    number of workers and clients (none without projects).
    """
    today = today or timezone.localdate()
    month_start, month_end = month_bounds(month or today)
    if not project_ids:
        # No projects, no workers and no cases (and ``IN ()`` compiles to no statement).
        return Board(
            today=today,
            month_start=month_start,
            month_end=month_end,
            activity_codes=[],
            rows=[],
            acute_cases=[],
        )
    shape = (tuple(project_ids), locality.pk if locality is not None else None)
    dates = (today, month_start, month_end)
    alias = router.db_for_read(CaseAssignment)
    # The rows become model instances as a queryset would make them, in its fetch mode.
    fetch_mode = model_query.DEFAULT_FETCH_MODE
    with connections[alias].cursor() as cursor:

        def rows_of(build):
            cursor.execute(*bound_sql(_board_sql, (build, *shape, alias), dates))
            return cursor.fetchall()

        user_model = get_user_model()
        worker_fields = _in_field_order(user_model, WORKER_FIELDS)
        rows = {}
        for pk, username, first_name, last_name, overdue in rows_of(_workers):
            worker = user_model.from_db(
                alias, worker_fields, (pk, username, first_name, last_name), fetch_mode=fetch_mode
            )
            name = worker.get_full_name() or worker.get_username()
            rows[pk] = WorkerRow(worker=worker, name=name, overdue_tasks=overdue)

        for worker_id, active, participants, quiet, review, unsigned in rows_of(_caseloads):
            if (row := rows.get(worker_id)) is not None:
                row.active_clients, row.participants = active, participants
                row.not_contacted = quiet
                # PostgreSQL sums the plans' counts (bigint) as numeric.
                row.plans_for_review, row.unsigned_plans = int(review), int(unsigned)

        codes = set()
        for worker_id, code, minutes in rows_of(_minutes):
            rows[worker_id].minutes_by_activity[code] = minutes
            codes.add(code)

        acute = rows_of(_acute)
    for *_, worker_ids in acute:
        for worker_id in set(worker_ids):
            if (row := rows.get(worker_id)) is not None:
                row.acute += 1
    client_fields = _in_field_order(Client, ACUTE_CLIENT_FIELDS)
    case_file = address_by_pk("clients:detail")
    acute_cases = []
    for *values, level, eviction_on, _ in acute[:ACUTE_LIST_SIZE]:
        client = Client.from_db(alias, client_fields, values, fetch_mode=fetch_mode)
        client.url = case_file(client.pk)  # as get_absolute_url, from one reverse
        acute_cases.append(AcuteCase(client=client, level=level, eviction_on=eviction_on))

    activity_codes = sorted(codes)
    hours_labels = [gettext("Hours %(code)s") % {"code": code} for code in activity_codes]
    columns = [
        gettext("Active clients"),
        gettext("Participants"),
        *hours_labels,
        gettext("Hours in total"),
        gettext("No contact for %(days)s days") % {"days": NOT_CONTACTED_DAYS},
        gettext("Overdue tasks"),
        gettext("Plans to review"),
        gettext("Unsigned plans"),
        gettext("Acute housing"),
    ]
    # Hours as the ``floatformat:1`` filter shows them, formatted once per distinct value
    # (most cells of a month repeat a few values), and each worker's address from one reverse:
    # the table is one row per worker, so its cost per row is what grows with the team.
    shown = {}

    def hours_text(hours: float) -> str:
        if hours not in shown:
            shown[hours] = floatformat(hours, 1)
        return shown[hours]

    address = address_by_pk("board_worker")
    for row in rows.values():
        hours = [row.hours(code) for code in activity_codes]
        row.hours_columns = list(zip(activity_codes, hours, strict=True))
        row.url = address(row.worker.pk)
        figures = [
            str(row.active_clients),
            str(row.participants),
            *(hours_text(h) for h in hours),
            hours_text(row.hours_total),
            *map(str, (row.not_contacted, row.overdue_tasks, row.plans_for_review)),
            *map(str, (row.unsigned_plans, row.acute)),
        ]
        row.cells = list(zip(columns, figures, strict=True))
    return Board(
        today=today,
        month_start=month_start,
        month_end=month_end,
        activity_codes=activity_codes,
        rows=list(rows.values()),
        acute_cases=acute_cases,
        acute_total=len(acute),
        columns=columns,
    )


# --- The board's statements -------------------------------------------------------------------
#
# Each builder takes the projects (a non-empty tuple of ids), the locality id or None, today and
# the month's first and last day, and returns a values queryset. Dates may enter the SQL as
# they are or moved by a number of days (the 30-day cutoff, the review horizon), but must not
# decide anything in Python (such as which filter to add): see ``casework.compiled``.

# What the board reads of a worker (``name``, the link) and of an acute case's client, in the
# models' field order (``Model.from_db`` takes the values in that order).
WORKER_FIELDS = ("id", "username", "first_name", "last_name")
ACUTE_CLIENT_FIELDS = ("id", "code", "first_name", "last_name")


def _in_field_order(model, names: tuple[str, ...]) -> tuple[str, ...]:
    """``names``, which must be in the model's field order, checked against it."""
    ordered = tuple(f.attname for f in model._meta.concrete_fields if f.attname in names)
    if ordered != names:
        raise ValueError(f"{names} are not in the field order of {model.__name__}: {ordered}")
    return names


def _current_assignments(project_ids, locality_id) -> QuerySet:
    assignments = CaseAssignment.objects.current().filter(project__in=project_ids)
    if locality_id is not None:
        assignments = assignments.filter(client__locality=locality_id)
    return assignments


def _workers(project_ids, locality_id, today, month_start, month_end) -> QuerySet:
    """The board's workers by name, each with their overdue open tasks."""
    tasks = Task.objects.open().filter(owner=OuterRef("pk"), due_date__lt=today)
    tasks = tasks.filter(
        Q(project__in=project_ids)
        | Q(
            project__isnull=True,
            client__in=_current_assignments(project_ids, locality_id).values("client"),
        )
    )
    if locality_id is not None:
        tasks = tasks.filter(client__locality=locality_id)
    overdue = tasks.order_by().values("owner").annotate(n=Count("pk")).values("n")
    return board_workers(project_ids).values_list(
        *WORKER_FIELDS, Coalesce(Subquery(overdue, output_field=IntegerField()), 0)
    )


def _caseloads(project_ids, locality_id, today, month_start, month_end) -> QuerySet:
    """Per worker: active clients, participants, not contacted, plans to review, unsigned."""
    assignments = _current_assignments(project_ids, locality_id)
    # ``project__in`` is implied by the assignment's project, but lets PostgreSQL hash the
    # participants of these projects only.
    participant = with_participant_status(
        Enrolment.objects.filter(
            project__in=project_ids, client=OuterRef("client"), project=OuterRef("project")
        )
    ).filter(is_participant=True)
    quiet_clients = (
        Client.objects.filter(pk__in=assignments.values("client"))
        .active()
        .not_contacted_since(NOT_CONTACTED_DAYS, today, projects=project_ids)
        .order_by()
        .values("pk")
    )
    plans = IndividualPlan.objects.filter(project=OuterRef("project"), client=OuterRef("client"))
    review = plans.filter(
        status__in=[PlanStatus.ACTIVE, PlanStatus.DRAFT],
        review_due__lte=today + dt.timedelta(days=REVIEW_AHEAD_DAYS),
    )
    unsigned = plans.filter(status=PlanStatus.ACTIVE, signed_at__isnull=True)
    return (
        assignments.values_list("worker")
        .annotate(
            active=_clients(Q(client__status=ClientStatus.ACTIVE)),
            participants=_clients(Exists(participant)),
            not_contacted=_clients(Q(client__in=quiet_clients)),
            # A plan belongs to one (client, project): its assignment row counts it once.
            plans_for_review=_count_plans(review),
            unsigned_plans=_count_plans(unsigned),
        )
        .order_by()
    )


def _minutes(project_ids, locality_id, today, month_start, month_end) -> QuerySet:
    """Minutes of the month per board worker and key activity code."""
    work = InterventionWorker.objects.filter(
        worker__in=board_workers(project_ids).values("pk"),
        intervention__project__in=project_ids,
        intervention__date__gte=month_start,
        intervention__date__lte=month_end,
    )
    if locality_id is not None:
        work = work.filter(
            Exists(
                InterventionParticipant.objects.filter(
                    intervention=OuterRef("intervention"), client__locality=locality_id
                )
            )
        )
    return (
        work.values_list("worker", "intervention__key_activity__code")
        .annotate(minutes=Sum("intervention__duration_minutes"))
        .order_by()
    )


def _acute(project_ids, locality_id, today, month_start, month_end) -> QuerySet:
    """Every acute client, most urgent first, with the workers currently assigned to them.

    All of them rather than the listed ones: the rows count every acute client.
    """
    clients = acute_clients(project_ids, today=today)
    if locality_id is not None:
        clients = clients.filter(locality=locality_id)
    workers = (
        CaseAssignment.objects.current()
        .filter(project__in=project_ids, client=OuterRef("pk"))
        .order_by()
        .values("worker")
    )
    return clients.values_list(
        *ACUTE_CLIENT_FIELDS, "latest_level", "eviction_on", ArraySubquery(workers)
    )


def _clients(condition):
    """How many distinct clients of the worker's assignment rows meet ``condition``."""
    return Count("client", distinct=True, filter=condition)


def _count_plans(plans: QuerySet):
    counted = plans.order_by().values("client").annotate(n=Count("pk")).values("n")
    return Sum(Coalesce(Subquery(counted, output_field=IntegerField()), 0))


def _board_sql(build, project_ids, locality_id, alias: str, dates) -> tuple[str, list]:
    """A board builder's values queryset as ``(sql, params)`` (a ``casework.compiled``
    builder); ``dates``: today, the month's first and last day."""
    query = build(project_ids, locality_id, *dates).query
    sql, params = query.get_compiler(using=alias).as_sql()
    return sql, list(params)


@dataclass(frozen=True)
class CaseloadLine:
    assignment: CaseAssignment
    last_contact: dt.date | None
    is_participant: bool
    open_tasks: int

    @property
    def client(self) -> Client:
        return self.assignment.client


def worker_caseload(worker, project_ids, *, today: dt.date | None = None) -> list[CaseloadLine]:
    """The worker's current assignments in ``project_ids``, one line per client and project.

    Each line has the client's last contact (``ClientQuerySet.with_last_contact`` over those
    projects), whether their enrolment in the assignment's project counts as a participant
    (``with_participant_status``) and how many open tasks the client has in the project. One
    query, whatever the caseload.
    """
    today = today or timezone.localdate()
    last_contact = (
        Client.objects.filter(pk=OuterRef("client"))
        .with_last_contact(today, projects=project_ids)
        .values("last_contact")
    )
    participant = with_participant_status(
        Enrolment.objects.filter(client=OuterRef("client"), project=OuterRef("project"))
    ).filter(is_participant=True)
    open_tasks = (
        Task.objects.open()
        .filter(client=OuterRef("client"), project=OuterRef("project"))
        .order_by()
        .values("client")
        .annotate(n=Count("pk"))
        .values("n")
    )
    assignments = (
        CaseAssignment.objects.current()
        .filter(worker=worker, project__in=project_ids)
        .select_related("client", "client__locality", "project")
        .annotate(
            last_contact=Subquery(last_contact, output_field=DateField()),
            is_participant=Exists(participant),
            open_tasks=Coalesce(Subquery(open_tasks, output_field=IntegerField()), 0),
        )
        .order_by(F("last_contact").asc(nulls_first=True), "client__last_name", "pk")
    )
    return [
        CaseloadLine(
            assignment=a,
            last_contact=a.last_contact,
            is_participant=a.is_participant,
            open_tasks=a.open_tasks,
        )
        for a in assignments
    ]
