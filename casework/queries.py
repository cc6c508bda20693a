"""Reads for the home pages, aggregated in SQL with a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils import timezone

from casework.models import Intervention, Project
from clients.models import Client, Enrolment, Task


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


@dataclass(frozen=True)
class WorkerHome:
    client_count: int
    recent_clients: list[Client]
    open_tasks: list[Task]
    overdue_count: int


def worker_home(user) -> WorkerHome:
    """The worker's caseload at a glance: their clients and their open tasks."""
    today = timezone.localdate()
    clients = Client.objects.assigned_to(user).active()
    tasks = Task.objects.visible_to(user).open().filter(owner=user)
    counts = tasks.aggregate(overdue=Count("pk", filter=Q(due_date__lt=today)))
    return WorkerHome(
        client_count=clients.count(),
        recent_clients=list(clients.with_list_data().order_by("-updated_at")[:10]),
        open_tasks=list(
            tasks.select_related("client").filter(due_date__lte=today + dt.timedelta(days=14))[:10]
        ),
        overdue_count=counts["overdue"],
    )
