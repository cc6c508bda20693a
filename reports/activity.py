"""Hours and interventions per key activity, per worker and per month (the KA report, timesheets).

How time is counted (the same way the rest of Casework counts it):

* An intervention has one duration (``Intervention.duration_minutes``) whoever took part in it.
  The time of a **key activity** counts each intervention once: an hour-long visit made by two
  workers is one hour of the activity (the time its clients received, as the indicator engine
  counts support hours).
* The time of a **worker** counts every intervention they took part in
  (``InterventionWorker``) with its full duration: both workers of that visit worked the hour.
  The sum of the workers' hours is therefore at least the activity's hours; the difference is
  work done in pairs, shown as "worker hours" beside the activity hours.
* **Anonymous outreach** rows (``OutreachContact``) are logged by one worker with their own
  duration and head count; they are reported in their own columns (never mixed into the
  intervention hours) and add to the worker's and the activity's total time.

Every figure is a SQL aggregate (GROUP BY key activity, worker, month or day); the number of
queries is fixed whatever the number of interventions, workers or months.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth

from casework.models import (
    Intervention,
    InterventionParticipant,
    InterventionWorker,
    KeyActivity,
    Membership,
    OutreachContact,
    Project,
)
from casework.roles import Role


def hours(minutes: int) -> Decimal:
    """Minutes as hours with two decimal places (spreadsheet cells keep them as numbers)."""
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class Totals:
    """Figures of one cell: a key activity, a worker, a month or a combination."""

    interventions: int = 0
    minutes: int = 0
    # Activity cells only: the duration counted once per worker present (work in pairs).
    worker_minutes: int = 0
    outreach_contacts: int = 0
    outreach_people: int = 0
    outreach_minutes: int = 0
    anonymous: int = 0

    @property
    def total_minutes(self) -> int:
        """Intervention time plus anonymous outreach time."""
        return self.minutes + self.outreach_minutes

    def add(self, other: Totals) -> None:
        for name in (
            "interventions",
            "minutes",
            "worker_minutes",
            "outreach_contacts",
            "outreach_people",
            "outreach_minutes",
            "anonymous",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first day of every month touching ``start``–``end``, in order."""
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


@dataclass
class ActivityReport:
    project: Project
    start: dt.date
    end: dt.date
    key_activities: list[KeyActivity]
    months: list[dt.date]
    by_activity: dict[int, Totals]
    by_activity_month: dict[tuple[int, dt.date], Totals]
    # Worker id → key activity id → Totals (the worker's own time).
    by_worker: dict[int, dict[int, Totals]]
    workers: list
    clients_by_activity: dict[int, int]
    clients_total: int
    total: Totals = field(default_factory=Totals)

    def worker_total(self, worker_id: int) -> Totals:
        total = Totals()
        for totals in self.by_worker.get(worker_id, {}).values():
            total.add(totals)
        return total

    def month_total(self, month: dt.date) -> Totals:
        total = Totals()
        for activity in self.key_activities:
            total.add(self.by_activity_month.get((activity.pk, month), Totals()))
        return total


def _interventions(project: Project, start: dt.date, end: dt.date):
    return Intervention.objects.filter(project=project, date__gte=start, date__lte=end)


def _outreach(project: Project, start: dt.date, end: dt.date):
    return OutreachContact.objects.filter(project=project, date__gte=start, date__lte=end)


def _work(project: Project, start: dt.date, end: dt.date):
    return InterventionWorker.objects.filter(
        intervention__project=project, intervention__date__gte=start, intervention__date__lte=end
    )


def activity_report(project: Project, start: dt.date, end: dt.date) -> ActivityReport:
    """The key activity report of ``project`` for ``start``–``end`` (both days included).

    Seven queries whatever the data: key activities; interventions per activity and month;
    worker participation per worker and activity; outreach per activity, month and worker;
    distinct clients per activity and in all; the workers' names.
    """
    activities = list(KeyActivity.objects.filter(project=project).order_by("code"))
    by_activity: dict[int, Totals] = defaultdict(Totals)
    for activity in activities:
        by_activity[activity.pk] = Totals()
    by_activity_month: dict[tuple[int, dt.date], Totals] = defaultdict(Totals)

    for row in (
        _interventions(project, start, end)
        .annotate(month=TruncMonth("date"))
        .values("key_activity", "month")
        .annotate(n=Count("pk"), minutes=Sum("duration_minutes"), anonymous=Sum("anonymous_count"))
        .order_by()
    ):
        cell = Totals(interventions=row["n"], minutes=row["minutes"], anonymous=row["anonymous"])
        by_activity_month[row["key_activity"], row["month"]].add(cell)
        by_activity[row["key_activity"]].add(cell)

    by_worker: dict[int, dict[int, Totals]] = defaultdict(lambda: defaultdict(Totals))
    for row in (
        _work(project, start, end)
        .values("worker", "intervention__key_activity")
        .annotate(n=Count("intervention"), minutes=Sum("intervention__duration_minutes"))
        .order_by()
    ):
        activity_id = row["intervention__key_activity"]
        by_worker[row["worker"]][activity_id].add(
            Totals(interventions=row["n"], minutes=row["minutes"])
        )
        by_activity[activity_id].worker_minutes += row["minutes"]

    for row in (
        _outreach(project, start, end)
        .annotate(month=TruncMonth("date"))
        .values("key_activity", "month", "worker")
        .annotate(n=Count("pk"), people=Sum("head_count"), minutes=Sum("duration_minutes"))
        .order_by()
    ):
        cell = Totals(
            outreach_contacts=row["n"],
            outreach_people=row["people"],
            outreach_minutes=row["minutes"],
        )
        by_activity_month[row["key_activity"], row["month"]].add(cell)
        by_activity[row["key_activity"]].add(cell)
        by_worker[row["worker"]][row["key_activity"]].add(cell)
        by_activity[row["key_activity"]].worker_minutes += row["minutes"]

    participants = InterventionParticipant.objects.filter(
        intervention__project=project, intervention__date__gte=start, intervention__date__lte=end
    )
    clients_by_activity = dict(
        participants.values_list("intervention__key_activity")
        .annotate(n=Count("client", distinct=True))
        .order_by()
    )
    clients_total = participants.aggregate(n=Count("client", distinct=True))["n"]

    workers = list(
        get_user_model()
        .objects.filter(pk__in=list(by_worker))
        .order_by("last_name", "first_name", "pk")
    )
    total = Totals()
    for totals in by_activity.values():
        total.add(totals)
    return ActivityReport(
        project=project,
        start=start,
        end=end,
        key_activities=activities,
        months=months_between(start, end),
        by_activity=dict(by_activity),
        by_activity_month=dict(by_activity_month),
        by_worker={worker: dict(cells) for worker, cells in by_worker.items()},
        workers=workers,
        clients_by_activity=clients_by_activity,
        clients_total=clients_total,
        total=total,
    )


# --- Timesheets -------------------------------------------------------------------------------


@dataclass
class Timesheet:
    """One worker's time in the period: per month and key activity, and per day."""

    worker: object
    # (month, key activity id) → Totals.
    by_month: dict[tuple[dt.date, int], Totals]
    # (day, key activity id, Totals), in date and activity-code order.
    days: list[tuple[dt.date, KeyActivity, Totals]]
    total: Totals

    def month_total(self, month: dt.date) -> Totals:
        total = Totals()
        for (day, _activity), totals in self.by_month.items():
            if day == month:
                total.add(totals)
        return total

    def activity_total(self, activity_id: int) -> Totals:
        total = Totals()
        for (_month, activity), totals in self.by_month.items():
            if activity == activity_id:
                total.add(totals)
        return total


@dataclass
class Timesheets:
    project: Project
    start: dt.date
    end: dt.date
    key_activities: list[KeyActivity]
    months: list[dt.date]
    sheets: list[Timesheet]


def project_workers(project: Project, start: dt.date, end: dt.date, worker_id: int | None = None):
    """Who gets a timesheet: the project's workers and everyone who logged work in the period."""
    users = get_user_model().objects.all()
    if worker_id is not None:
        return users.filter(pk=worker_id).order_by("pk")
    logged = Q(
        Exists(_work(project, start, end).filter(worker=OuterRef("pk")))
        | Exists(_outreach(project, start, end).filter(worker=OuterRef("pk")))
    )
    member = Q(
        Exists(Membership.objects.filter(project=project, role=Role.WORKER, user=OuterRef("pk")))
    )
    return users.filter(logged | member).order_by("last_name", "first_name", "pk")


def timesheets(
    project: Project, start: dt.date, end: dt.date, *, worker_id: int | None = None
) -> Timesheets:
    """Timesheets of the project's workers (or of the one with ``worker_id``) for the period.

    Each worker's time counts every intervention they took part in with its full duration and
    the outreach rows they logged (see the module docstring). Five queries whatever the number
    of workers, days or interventions: key activities, workers, intervention time per worker,
    day and activity, outreach per worker, day and activity.
    """
    activities = list(KeyActivity.objects.filter(project=project).order_by("code"))
    by_id = {activity.pk: activity for activity in activities}
    workers = list(project_workers(project, start, end, worker_id))
    ids = [worker.pk for worker in workers]

    days: dict[int, dict[tuple[dt.date, int], Totals]] = defaultdict(lambda: defaultdict(Totals))
    for row in (
        _work(project, start, end)
        .filter(worker__in=ids)
        .values("worker", "intervention__date", "intervention__key_activity")
        .annotate(n=Count("intervention"), minutes=Sum("intervention__duration_minutes"))
        .order_by()
    ):
        key = (row["intervention__date"], row["intervention__key_activity"])
        days[row["worker"]][key].add(Totals(interventions=row["n"], minutes=row["minutes"]))
    for row in (
        _outreach(project, start, end)
        .filter(worker__in=ids)
        .values("worker", "date", "key_activity")
        .annotate(n=Count("pk"), people=Sum("head_count"), minutes=Sum("duration_minutes"))
        .order_by()
    ):
        days[row["worker"]][row["date"], row["key_activity"]].add(
            Totals(
                outreach_contacts=row["n"],
                outreach_people=row["people"],
                outreach_minutes=row["minutes"],
            )
        )

    sheets = []
    for worker in workers:
        cells = days.get(worker.pk, {})
        by_month: dict[tuple[dt.date, int], Totals] = defaultdict(Totals)
        total = Totals()
        for (day, activity_id), totals in cells.items():
            by_month[day.replace(day=1), activity_id].add(totals)
            total.add(totals)
        rows = sorted(
            ((day, by_id[activity_id], totals) for (day, activity_id), totals in cells.items()),
            key=lambda row: (row[0], row[1].code),
        )
        sheets.append(Timesheet(worker=worker, by_month=dict(by_month), days=rows, total=total))
    return Timesheets(
        project=project,
        start=start,
        end=end,
        key_activities=activities,
        months=months_between(start, end),
        sheets=sheets,
    )
