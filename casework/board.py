"""The guarantor's caseload board: figures per field worker, aggregated in SQL.

Every figure is one GROUP BY query over all workers at once, assembled into rows in Python, so
the board costs the same number of queries for two workers or two hundred.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
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
from django.db.models.functions import Coalesce
from django.utils import timezone

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
from housing.queries import AcuteCase, acute_clients, most_urgent


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the month that ``month`` falls in."""
    start = month.replace(day=1)
    return start, start.replace(day=calendar.monthrange(start.year, start.month)[1])


@dataclass
class WorkerRow:
    """One line of the board: a field worker and the state of their caseload."""

    worker: object
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
    not_contacted_days: int = NOT_CONTACTED_DAYS


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


def _counts(queryset, key: str = "worker") -> dict[int, int]:
    return dict(queryset.values_list(key).annotate(n=Count("client", distinct=True)).order_by())


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
    clients living there (hours: interventions with such a client). Nine queries whatever the
    number of workers and clients (eight when no case is acute: the lookup of the acute
    clients' workers is then skipped).
    """
    today = today or timezone.localdate()
    month_start, month_end = month_bounds(month or today)
    workers = list(board_workers(project_ids))
    rows = {w.pk: WorkerRow(worker=w) for w in workers}

    assignments = CaseAssignment.objects.current().filter(project__in=project_ids)
    if locality is not None:
        assignments = assignments.filter(client__locality=locality)

    active = _counts(assignments.filter(client__status=ClientStatus.ACTIVE))
    participant_enrolments = with_participant_status(
        Enrolment.objects.filter(project__in=project_ids)
    ).filter(is_participant=True, client=OuterRef("client"), project=OuterRef("project"))
    participants = _counts(assignments.filter(Exists(participant_enrolments)))
    quiet_clients = (
        Client.objects.filter(pk__in=assignments.values("client"))
        .active()
        .not_contacted_since(NOT_CONTACTED_DAYS, today, projects=project_ids)
        .order_by()
        .values("pk")
    )
    not_contacted = _counts(assignments.filter(client__in=quiet_clients))

    work = InterventionWorker.objects.filter(
        worker__in=rows.keys(),
        intervention__project__in=project_ids,
        intervention__date__gte=month_start,
        intervention__date__lte=month_end,
    )
    if locality is not None:
        work = work.filter(
            Exists(
                InterventionParticipant.objects.filter(
                    intervention=OuterRef("intervention"), client__locality=locality
                )
            )
        )
    minutes = (
        work.values_list("worker", "intervention__key_activity__code")
        .annotate(minutes=Sum("intervention__duration_minutes"))
        .order_by()
    )
    codes = set()
    for worker_id, code, total in minutes:
        rows[worker_id].minutes_by_activity[code] = total
        codes.add(code)

    tasks = Task.objects.open().filter(owner__in=rows.keys(), due_date__lt=today)
    tasks = tasks.filter(
        Q(project__in=project_ids)
        | Q(project__isnull=True, client__in=assignments.values("client"))
    )
    if locality is not None:
        tasks = tasks.filter(client__locality=locality)
    overdue = dict(tasks.values_list("owner").annotate(n=Count("pk")).order_by())

    plans = IndividualPlan.objects.filter(project=OuterRef("project"), client=OuterRef("client"))
    review = plans.filter(
        status__in=[PlanStatus.ACTIVE, PlanStatus.DRAFT],
        review_due__lte=today + dt.timedelta(days=REVIEW_AHEAD_DAYS),
    )
    unsigned = plans.filter(status=PlanStatus.ACTIVE, signed_at__isnull=True)
    plan_counts = {
        worker_id: (n_review, n_unsigned)
        for worker_id, n_review, n_unsigned in assignments.values_list("worker")
        .annotate(
            # A plan belongs to one (client, project): its assignment row counts it once.
            n_review=_count_plans(review),
            n_unsigned=_count_plans(unsigned),
        )
        .order_by()
    }

    acute_clients_here = acute_clients(project_ids, today=today)
    if locality is not None:
        acute_clients_here = acute_clients_here.filter(locality=locality)
    acute, acute_total = most_urgent(acute_clients_here)
    acute_by_worker = {}
    if acute:
        acute_by_worker = _counts(assignments.filter(client__in=acute_clients_here.values("pk")))

    for worker_id, row in rows.items():
        row.active_clients = active.get(worker_id, 0)
        row.participants = participants.get(worker_id, 0)
        row.not_contacted = not_contacted.get(worker_id, 0)
        row.overdue_tasks = overdue.get(worker_id, 0)
        row.plans_for_review, row.unsigned_plans = plan_counts.get(worker_id, (0, 0))
        row.acute = acute_by_worker.get(worker_id, 0)
        row.hours_columns = [(code, row.hours(code)) for code in sorted(codes)]
    return Board(
        today=today,
        month_start=month_start,
        month_end=month_end,
        activity_codes=sorted(codes),
        rows=list(rows.values()),
        acute_cases=acute,
        acute_total=acute_total,
    )


def _count_plans(plans: QuerySet):
    counted = plans.order_by().values("client").annotate(n=Count("pk")).values("n")
    return Sum(Coalesce(Subquery(counted, output_field=IntegerField()), 0))


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
