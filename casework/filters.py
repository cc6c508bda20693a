"""Filters of the intervention log and the outreach list; the views pass scoped querysets in."""

import django_filters
import django_filters.fields
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from casework.forms import DateInput
from casework.models import (
    Institution,
    Intervention,
    InterventionParticipant,
    KeyActivity,
    Project,
)
from casework.roles import Role


def _projects(request):
    return Project.objects.visible_to(request.user) if request else Project.objects.none()


def _key_activities(request):
    if request is None:
        return KeyActivity.objects.none()
    return (
        KeyActivity.objects.filter(project__in=_projects(request))
        .select_related("project")
        .order_by("project__name", "code")
    )


def _institutions(request):
    """Institutions of the organisations whose projects the user sees."""
    if request is None:
        return Institution.objects.none()
    return Institution.objects.filter(
        organisation__in=_projects(request).values("organisation")
    ).order_by("name")


def _workers(request):
    """Workers of the projects the user manages (the filter is for guarantors and admins)."""
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
    )


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


class InterventionFilter(django_filters.FilterSet):
    """Filters of the intervention log (project, key activity, dates, worker, client code,
    institution).

    Indexes behind them: intervention_project_date_idx, intervention_ka_date_idx,
    intervention_date_idx, intervention_worker_idx, participant_client_idx and the
    institution_id index of the intervention–institution join table.
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

    def __init__(self, *args, show_worker: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # Only guarantors and admins choose among workers; a worker's log is their own.
        if not show_worker:
            del self.filters["worker"]

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
