"""Filters of the intervention log and the outreach list; the views pass scoped querysets in."""

import calendar
import datetime as dt
from functools import partial

import django_filters
import django_filters.fields
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Max
from django.db.models.functions import Greatest
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.compiled import attach_related, compiled_rows, queryset_sql, related_columns
from casework.forms import DateInput
from casework.models import (
    Institution,
    Intervention,
    InterventionParticipant,
    KeyActivity,
    Project,
)
from casework.roles import Role, scope_owner


def _projects(request):
    return Project.objects.visible_to(request.user) if request else Project.objects.none()


def _key_activities(request):
    return _key_activity_choices(_projects(request).values("pk")).select_related("project")


def _institutions(request):
    """Institutions of the organisations whose projects the user sees."""
    return _institution_choices(_projects(request).values("organisation"))


def _workers(request):
    """Workers of the projects the user manages (the filter is for guarantors and admins);
    ``request`` or a ``casework.roles.ScopeOwner``."""
    if request is None:
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(
            memberships__project__in=Project.objects.managed_by(request.user),
            memberships__role=Role.WORKER,
        )
        .distinct()
        .order_by("last_name", "first_name")
        .only("username", "first_name", "last_name")
    )


def _projects_with_last_day(owner, dates, ids):
    """The projects the user sees, each with ``last_day``: its end, or its latest extension's."""
    return queryset_sql(
        Project.objects.visible_to(owner.user).annotate(
            last_day=Greatest("end_date", Max("extensions__new_end_date"))
        )
    )


def _key_activity_choices(project_ids):
    """Key activities of the projects (ids, or a queryset of them), by project and code."""
    return (
        KeyActivity.objects.filter(project__in=project_ids)
        .order_by("project__name", "code")
        .only("code", "name", "project")
    )


# A key activity's choice shows its project's code (``KeyActivityField``).
KEY_ACTIVITY_RELATED = {"project": ("code",)}


def _key_activity_statement(project_ids, dates, ids):
    return queryset_sql(
        _key_activity_choices(project_ids).annotate(**related_columns(KEY_ACTIVITY_RELATED))
    )


def _institution_choices(organisation_ids):
    """Institutions of the organisations (ids, or a queryset of them), by name."""
    return (
        Institution.objects.filter(organisation__in=organisation_ids).order_by("name").only("name")
    )


def _institution_statement(organisation_ids, dates, ids):
    return queryset_sql(_institution_choices(organisation_ids))


def _worker_statement(owner, dates, ids):
    return queryset_sql(_workers(owner))


class WorkerField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class KeyActivityField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.project.code}: {obj}"


class WorkerChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = WorkerField


class KeyActivityFilter(django_filters.ModelChoiceFilter):
    field_class = KeyActivityField


class ListedChoiceIterator(ModelChoiceIterator):
    """Choices from a list: objects already read, or the queryset read once without a cursor."""

    def __init__(self, field, objects=None):
        super().__init__(field)
        self._objects = objects

    @property
    def objects(self):
        if self._objects is None:
            self._objects = list(self.queryset)
        return self._objects

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.objects:
            yield self.choice(obj)

    def __len__(self):
        return len(self.objects) + (1 if self.field.empty_label is not None else 0)


def read_choices_plainly(form, **objects_by_field) -> None:
    """Give every model choice field of ``form`` a ``ListedChoiceIterator``.

    Django's own iterator streams each select's queryset through a server-side cursor (three
    round trips, a ``WITH HOLD`` cursor materialised outside a transaction); these read it in
    one query, or take the objects already read (``objects_by_field``, by field name).
    """
    for name, field in form.fields.items():
        if isinstance(field, forms.ModelChoiceField):
            field.iterator = partial(ListedChoiceIterator, objects=objects_by_field.get(name))
            field.widget.choices = field.choices


# The log opens on the last three months of the user's projects: counting and paging a whole
# project's history (hundreds of thousands of rows) on every visit is slow, and old entries
# are one cleared date away.
DEFAULT_MONTHS = 3


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier (the month's last day if it is shorter)."""
    year, month_index = divmod(day.year * 12 + day.month - 1 - months, 12)
    month = month_index + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class InterventionFilter(django_filters.FilterSet):
    """Filters of the intervention log (project, key activity, dates, worker, client code,
    institution).

    Indexes behind them: intervention_project_date_idx, intervention_ka_date_idx,
    intervention_date_idx, intervention_worker_idx, participant_client_idx and the
    institution_id index of the intervention–institution join table; the count of the
    default date range reads intervention_date_scope_idx alone.
    """

    project = django_filters.ModelChoiceFilter(label=_("Project"), queryset=_projects)
    key_activity = KeyActivityFilter(label=_("Key activity"), queryset=_key_activities)
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="date", lookup_expr="gte", widget=DateInput
    )
    date_to = django_filters.DateFilter(
        label=_("To"), field_name="date", lookup_expr="lte", widget=DateInput
    )
    worker = WorkerChoiceFilter(label=_("Worker"), queryset=_workers, method="with_worker")
    client = django_filters.CharFilter(
        label=_("Client code"), method="with_client", widget=forms.TextInput
    )
    institution = django_filters.ModelChoiceFilter(
        label=_("Institution"), queryset=_institutions, method="with_institution"
    )

    class Meta:
        model = Intervention
        fields = []

    def __init__(self, data=None, *args, show_worker: bool = False, request=None, **kwargs):
        # The visible projects are read once: the project choices and the default date range.
        self.visible_projects = compiled_rows(
            Project, _projects_with_last_day, (scope_owner(request.user),), ids=()
        )
        self.default_range = None
        # Only a log opened without any filter gets the default; any filter searches all dates.
        if data is not None and not any(name in data for name in self.base_filters):
            self.default_range = self.default_dates(self.visible_projects)
        if self.default_range:
            data = data.copy()
            start, end = self.default_range
            data["date_from"] = start.isoformat()
            data["date_to"] = end.isoformat() if end else ""
        super().__init__(data, *args, request=request, **kwargs)
        # Only guarantors and admins choose among workers; a worker's log is their own.
        if not show_worker:
            del self.filters["worker"]
        # The same choices as the declared querysets, from the projects already read, with only
        # the columns the choices show; each list read by a statement compiled once per set of
        # projects (``casework.compiled``).
        project_ids = tuple(p.pk for p in self.visible_projects)
        organisation_ids = tuple(sorted({p.organisation_id for p in self.visible_projects}))
        self.filters["project"].queryset = Project.objects.filter(pk__in=project_ids)
        self.filters["key_activity"].queryset = _key_activity_choices(project_ids)
        self.filters["institution"].queryset = _institution_choices(organisation_ids)
        key_activities = compiled_rows(KeyActivity, _key_activity_statement, (project_ids,), ids=())
        attach_related(key_activities, KEY_ACTIVITY_RELATED)
        choices = {
            "project": self.visible_projects,
            "key_activity": key_activities,
            "institution": compiled_rows(
                Institution, _institution_statement, (organisation_ids,), ids=()
            ),
        }
        if "worker" in self.filters:
            choices["worker"] = compiled_rows(
                get_user_model(), _worker_statement, (scope_owner(request.user),), ids=()
            )
        read_choices_plainly(self.form, **choices)

    @staticmethod
    def default_dates(projects) -> tuple[dt.date, dt.date | None] | None:
        """The three months up to today, or up to the last day of the user's latest project.

        Open-ended when it is today; ``None`` without any project.
        """
        if not projects:
            return None
        today = timezone.localdate()
        last_day = max(p.last_day for p in projects)
        if last_day >= today:
            return months_before(today, DEFAULT_MONTHS), None
        return months_before(last_day, DEFAULT_MONTHS), last_day

    def with_worker(self, queryset, name, value):
        return queryset.filter(workers=value)

    def with_institution(self, queryset, name, value):
        return queryset.filter(
            pk__in=Intervention.institutions.through.objects.filter(institution=value).values(
                "intervention"
            )
        )

    def with_client(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            pk__in=InterventionParticipant.objects.filter(client__code__iexact=value).values(
                "intervention"
            )
        )


class OutreachFilter(django_filters.FilterSet):
    """Filters of the outreach list; outreach_project_date_idx serves all three."""

    project = django_filters.ModelChoiceFilter(label=_("Project"), queryset=_projects)
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="date", lookup_expr="gte", widget=DateInput
    )
    date_to = django_filters.DateFilter(
        label=_("To"), field_name="date", lookup_expr="lte", widget=DateInput
    )
