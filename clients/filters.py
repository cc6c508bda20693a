import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework.models import Locality, Project
from clients.models import CaseAssignment, ClientStatus, Enrolment


def _projects(request):
    return Project.objects.visible_to(request.user) if request else Project.objects.none()


def _localities(request):
    if request is None:
        return Locality.objects.none()
    return Locality.objects.filter(projects__in=_projects(request)).distinct()


def _workers(request):
    if request is None:
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(memberships__project__in=_projects(request), memberships__role="worker")
        .distinct()
        .order_by("last_name", "first_name")
    )


class ClientFilter(django_filters.FilterSet):
    """Search and filters of the client list; the view passes the scoped queryset in."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    project = django_filters.ModelChoiceFilter(
        label=_("Project"), queryset=_projects, method="in_project"
    )
    locality = django_filters.ModelChoiceFilter(label=_("Locality"), queryset=_localities)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ClientStatus.choices)
    worker = django_filters.ModelChoiceFilter(
        label=_("Worker"), queryset=_workers, method="assigned_worker"
    )

    def search(self, queryset, name, value):
        """Code, name (accents ignored) or year of birth."""
        value = value.strip()
        if not value:
            return queryset
        condition = (
            Q(code__icontains=value)
            | Q(last_name__unaccent__icontains=value)
            | Q(first_name__unaccent__icontains=value)
        )
        if value.isdigit() and len(value) == 4:
            condition |= Q(birth_year=int(value)) | Q(birth_date__year=int(value))
        return queryset.filter(condition)

    def in_project(self, queryset, name, value):
        return queryset.filter(
            Q(pk__in=Enrolment.objects.filter(project=value).values("client"))
            | Q(pk__in=CaseAssignment.objects.filter(project=value).values("client"))
        )

    def assigned_worker(self, queryset, name, value):
        return queryset.filter(
            pk__in=CaseAssignment.objects.current().filter(worker=value).values("client")
        )
