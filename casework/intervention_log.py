"""The rows of the intervention log, read in one query.

A log page lists 30 interventions with their clients, topics and workers. Read as related
objects (``prefetch_related``) that is four queries and a model instance per client, worker
and topic; the page shows only their names, so each row carries them as arrays instead
(``ARRAY(SELECT ...)`` per row, through the intervention_id indexes of the three join tables).
PostgreSQL computes them after the ``LIMIT``, for the rows of the page only.

What the cells show as text (address, date, joined names) is then computed once for the page
(``shown_in_log``) rather than cell by cell in the template.
"""

from __future__ import annotations

from functools import cache

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Concat
from django.utils.formats import date_format
from django.utils.translation import gettext

from casework.addresses import address_by_pk
from casework.models import (
    DeliveryMode,
    Intervention,
    InterventionParticipant,
    InterventionWorker,
    KeyActivity,
)

# The columns the log shows; the key activity and the form of intervention by name only.
LOG_FIELDS = ("date", "start_time", "duration_minutes", "anonymous_count")


def log_rows(interventions: models.QuerySet) -> models.QuerySet:
    """``interventions`` (already scoped) as log rows: the shown fields and

    - ``key_activity_code``, ``delivery_mode_name``;
    - ``client_names``: "Surname First name" of each identified participant, by name;
    - ``topic_names``: the topics in their code list's order;
    - ``worker_fields``: ``[first name, surname, user name]`` of each worker, by name
      (``worker_names`` turns them into the names shown).
    """
    return interventions.only(*LOG_FIELDS).annotate(**_log_annotations())


@cache
def _log_annotations() -> dict[str, models.Expression]:
    """The annotations of ``log_rows``, built once per process.

    They depend on nothing but the models, and ``annotate`` resolves a copy of each (a
    subquery copies its query), so one set serves every request; building their five
    querysets cost half a millisecond a page.
    """
    participants = (
        InterventionParticipant.objects.filter(intervention=OuterRef("pk"))
        .order_by("client__last_name", "client__first_name", "client__pk")
        .values(name=Concat("client__last_name", Value(" "), "client__first_name"))
    )
    return {
        # Subqueries rather than joins: the page's count then reads the log table alone. One
        # row each, so without the models' default order (the key activity's would join and
        # sort its project for every row).
        "key_activity_code": Subquery(
            KeyActivity.objects.filter(pk=OuterRef("key_activity")).order_by().values("code")
        ),
        "delivery_mode_name": Subquery(
            DeliveryMode.objects.filter(pk=OuterRef("delivery_mode")).order_by().values("name")
        ),
        "client_names": ArraySubquery(participants),
        "topic_names": topic_names(),
        "worker_fields": worker_fields(),
    }


def topic_names() -> ArraySubquery:
    """The names of an intervention's topics, in their code list's order (an annotation)."""
    return ArraySubquery(
        Intervention.topics.through.objects.filter(intervention=OuterRef("pk"))
        .order_by("topic__order", "topic__name", "topic__pk")
        .values("topic__name")
    )


def worker_fields() -> ArraySubquery:
    """``[first name, surname, user name]`` of each of an intervention's workers, by name
    (an annotation; ``worker_names`` turns them into the names shown)."""
    return ArraySubquery(
        InterventionWorker.objects.filter(intervention=OuterRef("pk"))
        .order_by("worker__last_name", "worker__first_name", "worker__pk")
        .values(
            fields=models.Func(
                "worker__first_name",
                "worker__last_name",
                "worker__username",
                template="ARRAY[%(expressions)s]",
                output_field=ArrayField(models.CharField()),
            )
        )
    )


def worker_names(rows) -> None:
    """Set ``worker_names`` on each row annotated with ``worker_fields``: each worker's full
    name, else their user name (as ``User.get_full_name`` and the ``default`` filter would
    show them)."""
    for row in rows:
        row.worker_names = [
            f"{first} {last}".strip() or username for first, last, username in row.worker_fields
        ]


def shown_in_log(rows) -> None:
    """Set on each row of a log page (``log_rows``) what its cells show:

    - ``worker_names`` (see ``worker_names``);
    - ``url``: the intervention's page (``Intervention.get_absolute_url``);
    - ``when``: the short date and, if there is one, the start time ("3. 5. 2021 09:30");
    - ``cells``: key activity, minutes, form, topics and workers (the names joined by commas)
      with their columns' labels, for ``labelled_cells``.

    As the template's ``join``, ``date`` and ``time`` filters would show them, but each date is
    formatted once per page and the address is reversed once (``address_by_pk``).
    """
    worker_names(rows)
    address = address_by_pk("intervention_detail")
    # The same words as the table's header (intervention_list.html).
    activity, minutes, form, topics, workers = (
        gettext("Key activity"),
        gettext("Minutes"),
        gettext("Form"),
        gettext("Topics"),
        gettext("Workers"),
    )
    days = {}
    for row in rows:
        day = days.get(row.date)
        if day is None:
            day = days[row.date] = date_format(row.date, "SHORT_DATE_FORMAT")
        row.when = f"{day} {row.start_time:%H:%M}" if row.start_time else day
        row.url = address(row.pk)
        row.cells = [
            (activity, row.key_activity_code),
            (minutes, str(row.duration_minutes), "num"),
            (form, row.delivery_mode_name),
            (topics, ", ".join(row.topic_names) or "–"),
            (workers, ", ".join(row.worker_names)),
        ]
