"""Reads for the home pages, aggregated in SQL with a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from casework.models import Intervention, Project
from casework.roles import worker_project_ids
from clients.models import (
    CaseAssignment,
    Client,
    Enrolment,
    IndividualPlan,
    PlanStatus,
    Task,
)
from housing.queries import reassessments_due


@dataclass(frozen=True)
class ProjectSummary:
    project: Project
    active_clients: int
    enrolled: int
    interventions_this_month: int
    hours_this_month: float


def project_summaries(projects) -> list[ProjectSummary]:
    """Per project: active clients, enrolments, and this month's interventions and hours.

    Three aggregate queries whatever the number of projects.
    """
    projects = list(projects)
    ids = [p.pk for p in projects]
    month_start = timezone.localdate().replace(day=1)
    enrolled = dict(
        Enrolment.objects.filter(project__in=ids)
        .values_list("project")
        .annotate(n=Count("pk"))
        .values_list("project", "n")
    )
    active = dict(
        Enrolment.objects.filter(project__in=ids, exit_date__isnull=True)
        .values_list("project")
        .annotate(n=Count("client", distinct=True))
        .values_list("project", "n")
    )
    month = {
        row["project"]: row
        for row in Intervention.objects.filter(project__in=ids, date__gte=month_start)
        .values("project")
        .annotate(n=Count("pk"), minutes=Sum("duration_minutes"))
    }
    return [
        ProjectSummary(
            project=p,
            active_clients=active.get(p.pk, 0),
            enrolled=enrolled.get(p.pk, 0),
            interventions_this_month=month.get(p.pk, {}).get("n", 0),
            hours_this_month=round((month.get(p.pk, {}).get("minutes") or 0) / 60, 1),
        )
        for p in projects
    ]


# The Today page: how long without contact puts a client on the list, how far ahead a plan
# review and a task show.
NOT_CONTACTED_DAYS = 30
REVIEW_AHEAD_DAYS = 7
TASKS_AHEAD_DAYS = 14
HOME_LIST_SIZE = 10


@dataclass(frozen=True)
class WorkerHome:
    today: dt.date
    client_count: int
    recent_clients: list[Client]
    open_tasks: list[Task]
    overdue_count: int
    not_contacted: list[Client]
    not_contacted_count: int
    plans_for_review: list[IndividualPlan]
    reassessments_due: list = field(default_factory=list)
    not_contacted_days: int = NOT_CONTACTED_DAYS


def worker_home(user) -> WorkerHome:
    """The worker's Today page: tasks due, clients gone quiet, plans to review, recent clients.

    Everything is about the worker's own caseload (current assignments in projects where they
    work), even when they also manage a project. Eight queries whatever the caseload size:
    client count, recent clients, open tasks, overdue count, not-contacted clients and their
    count, plans due for review, housing-risk re-assessments due (``housing.queries``).
    """
    today = timezone.localdate()
    clients = Client.objects.assigned_to(user).active()
    tasks = Task.objects.visible_to(user).open().filter(owner=user)
    counts = tasks.aggregate(overdue=Count("pk", filter=Q(due_date__lt=today)))
    # "Any project the worker works in": contacts by colleagues in those projects count too.
    not_contacted = clients.not_contacted_since(
        NOT_CONTACTED_DAYS, today, projects=worker_project_ids(user)
    )
    return WorkerHome(
        today=today,
        client_count=clients.count(),
        recent_clients=list(clients.with_list_data().order_by("-updated_at")[:HOME_LIST_SIZE]),
        open_tasks=list(
            tasks.select_related("client").filter(
                due_date__lte=today + dt.timedelta(days=TASKS_AHEAD_DAYS)
            )[: HOME_LIST_SIZE * 2]
        ),
        overdue_count=counts["overdue"],
        not_contacted=list(not_contacted.select_related("locality")[:HOME_LIST_SIZE]),
        not_contacted_count=not_contacted.count(),
        plans_for_review=list(plans_for_review(user, today)[:HOME_LIST_SIZE]),
        reassessments_due=list(reassessments_due(user, today)[:HOME_LIST_SIZE]),
    )


def plans_for_review(user, today: dt.date) -> QuerySet[IndividualPlan]:
    """Draft or active plans of the worker's own clients whose review falls within a week.

    Overdue reviews (``review_due`` before today) are included, soonest first. "Own" means a
    current assignment to this worker in the plan's project (``plan_review_idx`` serves the
    date filter).
    """
    own_case = CaseAssignment.objects.current().filter(
        worker=user, client=OuterRef("client"), project=OuterRef("project")
    )
    return (
        IndividualPlan.objects.visible_to(user)
        .filter(
            Exists(own_case),
            status__in=[PlanStatus.ACTIVE, PlanStatus.DRAFT],
            review_due__lte=today + dt.timedelta(days=REVIEW_AHEAD_DAYS),
        )
        .select_related("client", "project")
        .order_by("review_due", "pk")
    )
