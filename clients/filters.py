"""The client list's search and filters; the view passes the scoped queryset in.

Each filter has an index (STYLE.md R8):
- ``q``: the trigram and B-tree indexes listed in ``Client.Meta`` (``ClientQuerySet.search``);
- ``project``: ``enrolment_project_entry_idx`` and ``assignment_project_client_idx``;
- ``locality``: ``client_locality_status_idx``;
- ``status``: ``client_status_order_idx``;
- ``worker``: ``assignment_current_worker_idx``;
- ``participant``: ``enrolment_once_per_project`` (client, project) for a client's
  enrolments, then ``participant_client_idx`` for each enrolment's support minutes.
"""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from casework.compiled import compiled_rows, queryset_sql
from casework.filters import read_choices_plainly
from casework.models import Locality, Project
from casework.roles import Role, has_role, scope_owner
from clients.models import CaseAssignment, ClientStatus, Enrolment
from clients.queries import with_participant_status

PARTICIPANT_CHOICES = [
    ("yes", _("Yes, counts as a participant")),
    ("no", _("No, not (yet) a participant")),
]


def _projects(request):
    return Project.objects.visible_to(request.user) if request else Project.objects.none()


def _localities(request):
    return _locality_choices(_projects(request).values("pk"))


def _workers(request):
    return _worker_choices(_projects(request).values("pk"))


def _projects_statement(owner, dates, ids):
    return queryset_sql(Project.objects.visible_to(owner.user))


def _locality_choices(project_ids):
    """Localities of the projects (ids, or a queryset of them)."""
    return Locality.objects.filter(projects__in=project_ids).distinct().only("name")


def _locality_statement(project_ids, dates, ids):
    return queryset_sql(_locality_choices(project_ids))


def _worker_choices(project_ids):
    """Field workers of the projects (ids, or a queryset of them), by name."""
    return (
        get_user_model()
        .objects.filter(memberships__project__in=project_ids, memberships__role="worker")
        .distinct()
        .order_by("last_name", "first_name")
        .only("username", "first_name", "last_name")
    )


def _worker_statement(project_ids, dates, ids):
    return queryset_sql(_worker_choices(project_ids))


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
    participant = django_filters.ChoiceFilter(
        label=_("Participant"), choices=PARTICIPANT_CHOICES, method="participant_status"
    )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        # The visible projects are read once: the project choices, and by id the localities
        # and workers (the same choices as the declared querysets, without their subquery),
        # each list by a statement compiled once per set of projects (``casework.compiled``).
        self.visible_projects = compiled_rows(
            Project, _projects_statement, (scope_owner(request.user),), ids=()
        )
        project_ids = tuple(p.pk for p in self.visible_projects)
        self.filters["locality"].queryset = _locality_choices(project_ids)
        self.filters["worker"].queryset = _worker_choices(project_ids)
        read_choices_plainly(
            self.form,
            project=self.visible_projects,
            locality=compiled_rows(Locality, _locality_statement, (project_ids,), ids=()),
            worker=compiled_rows(get_user_model(), _worker_statement, (project_ids,), ids=()),
        )

    def search(self, queryset, name, value):
        """Name (accents ignored, typos tolerated), code, year of birth or locality."""
        return queryset.search(value)

    def in_project(self, queryset, name, value):
        return queryset.filter(
            Q(pk__in=Enrolment.objects.filter(project=value).values("client"))
            | Q(pk__in=CaseAssignment.objects.filter(project=value).values("client"))
        )

    def assigned_worker(self, queryset, name, value):
        return queryset.filter(
            pk__in=CaseAssignment.objects.current().filter(worker=value).values("client")
        )

    def participant_status(self, queryset, name, value):
        """Participants (DOMAIN.md §2, ``clients.queries``) in the chosen project, or else in
        any project the user can see: one participating enrolment is enough for "yes"."""
        project = self.form.cleaned_data.get("project")
        projects = [project] if project else self.visible_projects
        # Correlated with each listed client, so only the listed clients' support is summed.
        participating = with_participant_status(
            Enrolment.objects.filter(client=OuterRef("pk"), project__in=projects)
        ).filter(is_participant=True)
        if value == "yes":
            return queryset.filter(Exists(participating))
        return queryset.exclude(Exists(participating))


TASK_OPEN = "open"
TASK_DONE = "done"
TASK_MINE = "mine"
TASK_ALL = "all"


class TaskFilter(django_filters.FilterSet):
    """The task list: open (by due date) or done (latest first), mine or all I can see.

    Without a choice the list shows open tasks: a worker's own, a guarantor's or admin's all
    they can see (their projects' tasks). Indexes: ``task_open_owner_due_idx`` (my open tasks),
    ``task_done_owner_idx`` (my done tasks), ``task_open_project_due_idx`` (a project's open
    tasks).
    """

    state = django_filters.ChoiceFilter(
        label=_("Show"),
        choices=[(TASK_OPEN, _("Open")), (TASK_DONE, _("Done"))],
        method="with_state",
        empty_label=None,
    )
    whose = django_filters.ChoiceFilter(
        label=_("Whose"),
        choices=[(TASK_MINE, _("Mine")), (TASK_ALL, _("All I can see"))],
        method="owned_by",
        empty_label=None,
    )
    project = django_filters.ModelChoiceFilter(label=_("Project"), queryset=_projects)

    def __init__(self, data=None, *args, request, **kwargs):
        data = data.copy() if data is not None else QueryDict(mutable=True)
        if not data.get("state"):
            data["state"] = TASK_OPEN
        if not data.get("whose"):
            manages = has_role(request.user, Role.GUARANTOR, Role.ADMIN)
            data["whose"] = TASK_ALL if manages else TASK_MINE
        super().__init__(data, *args, request=request, **kwargs)

    def with_state(self, queryset, name, value):
        if value == TASK_DONE:
            return queryset.filter(done_at__isnull=False).order_by("-done_at", "-pk")
        return queryset.filter(done_at__isnull=True).order_by("due_date", "pk")

    def owned_by(self, queryset, name, value):
        return queryset.filter(owner=self.request.user) if value == TASK_MINE else queryset
