from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from casework import board as board_queries
from casework import dashboard as dashboard_queries
from casework import drafts, queries, services
from casework.conflicts import Conflict, add_refusal, conflict_for
from casework.filters import InterventionFilter, OutreachFilter
from casework.forms import BoardFilterForm, InterventionForm, OutreachForm, OutreachLinkForm
from casework.intervention_log import log_rows, shown_in_log
from casework.models import Intervention, OutreachContact, Project, intervention_scope_parts
from casework.pagination import RowsFirstPaginator
from casework.roles import (
    Role,
    can_edit_intervention,
    has_role,
    managed_project_ids,
    manager_required,
    manages_project,
    roles_of,
)
from clients.models import Client, PlanGoal
from clients.views import get_client_for_user
from housing.queries import acute_clients, most_urgent


@login_required
def home(request):
    """The signed-in person's start page: their caseload, or their projects' figures."""
    roles = roles_of(request.user)
    context = {"roles": roles}
    if Role.WORKER in roles:
        context["worker"] = queries.worker_home(request.user)
    if {Role.GUARANTOR, Role.ADMIN} & roles:
        context["projects"] = queries.project_summaries(
            Project.objects.managed_by(request.user)
            .select_related("organisation")
            .prefetch_related("extensions")
        )
        # The project ids just read, not the access subquery again: a shorter query to build.
        managed_ids = [summary.project.pk for summary in context["projects"]]
        context["acute_cases"], context["acute_total"] = most_urgent(acute_clients(managed_ids))
    return render(request, "casework/home.html", context)


@login_required
def project_detail(request, pk: int):
    project = get_project_for_user(request.user, pk)
    return render(
        request,
        "casework/project_detail.html",
        {
            "project": project,
            "summary": queries.project_summaries(Project.objects.filter(pk=project.pk))[0],
            "can_manage": manages_project(request.user, project.pk),
        },
    )


PROJECT_DETAIL_RELATIONS = ("key_activities", "indicators", "periods", "extensions", "localities")


def get_project_for_user(user, pk: int, prefetch=PROJECT_DETAIL_RELATIONS) -> Project:
    """A project the user has any role in; 404 otherwise, so nobody can probe for others.

    ``prefetch``: the relations the page reads (all the detail page shows by default).
    """
    return get_object_or_404(
        Project.objects.visible_to(user).select_related("organisation").prefetch_related(*prefetch),
        pk=pk,
    )


# --- The intervention log ---------------------------------------------------------------------

INTERVENTION_PAGE_SIZE = 30


@login_required
def intervention_list(request):
    """The interventions the user may see, newest first (a worker's own log)."""
    intervention_filter = InterventionFilter(
        request.GET,
        queryset=log_rows(Intervention.objects.visible_to(request.user)),
        request=request,
        show_worker=has_role(request.user, Role.GUARANTOR, Role.ADMIN),
    )
    page = RowsFirstPaginator(
        intervention_filter.qs,
        INTERVENTION_PAGE_SIZE,
        count_rows=_log_count(intervention_filter, request.user),
    ).get_page(request.GET.get("page"))
    shown_in_log(page.object_list)
    template = "casework/intervention_list.html"
    response = render(
        request,
        f"{template}#rows" if request.htmx else template,
        {
            "filter": intervention_filter,
            "page": page,
            "page_numbers": page.paginator.get_elided_page_range(page.number),
        },
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


def _log_count(intervention_filter, user):
    """How many interventions the filtered log holds, as the sum of its scope's two disjoint
    parts (``intervention_scope_parts``), for a user who manages projects: counted as one
    OR, PostgreSQL reads every intervention of the dates in all projects; as two parts, the
    managed projects' from their own index (three months at seed_demo --scale 10: 4.9 ms as
    one OR, 2.2 ms as two parts). ``None`` (count the page's queryset) for anyone else."""
    if user.is_superuser or not managed_project_ids(user):
        return None
    managed, others = intervention_scope_parts(user)

    def part_count(part) -> int:
        rows = Intervention.objects.filter(part)
        if intervention_filter.is_bound:
            _ = intervention_filter.errors  # validates the form first, as FilterSet.qs does
            rows = intervention_filter.filter_queryset(rows)
        return rows.count()

    def count() -> int:
        return part_count(managed) + part_count(others & ~managed)

    return count


@login_required
def intervention_create(request):
    """Log a visit; ``?client=<id>`` preselects a client the user may see."""
    initial_client = _client_from_query(request)
    data = request.POST if request.method == "POST" else None
    form = InterventionForm(data, user=request.user, initial_client=initial_client)
    if not form.projects:
        return render(request, "casework/intervention_form.html", {"form": None}, status=403)
    if form.is_bound and form.is_valid():
        try:
            intervention = services.log_intervention(by=request.user, **form.service_kwargs())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            drafts.discard(request.user, drafts.NEW_INTERVENTION)
            messages.success(request, _("The intervention has been saved."))
            return redirect(intervention)
    context = {"form": form, **drafts.context(request, drafts.NEW_INTERVENTION)}
    return render(request, "casework/intervention_form.html", context)


@login_required
def intervention_detail(request, pk: int):
    intervention = get_intervention_for_user(request.user, pk)
    # Link only the case files the user may open; the names show to everyone who sees this.
    visible_clients = set(
        Client.objects.visible_to(request.user)
        .filter(pk__in=[p.client_id for p in intervention.participants.all()])
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "casework/intervention_detail.html",
        {
            "intervention": intervention,
            "can_edit": can_edit_intervention(request.user, intervention),
            "visible_clients": visible_clients,
        },
    )


@login_required
def intervention_edit(request, pk: int):
    """Change an intervention: workers who took part, the guarantor and the admin (else 403)."""
    intervention = get_intervention_for_user(request.user, pk)
    if not can_edit_intervention(request.user, intervention):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = InterventionForm(data, user=request.user, instance=intervention)
    draft_key = drafts.edit_key(intervention.pk)
    conflict = None
    if form.is_bound and form.is_valid():
        try:
            services.update_intervention(intervention, by=request.user, **form.service_kwargs())
        except ValidationError as error:
            conflict = add_refusal(form, error, intervention, describe=intervention_conflict)
        else:
            drafts.discard(request.user, draft_key)
            messages.success(request, _("Your changes have been saved."))
            return redirect(intervention)
    context = {
        "form": form,
        "intervention": intervention,
        "conflict": conflict,
        **drafts.context(request, draft_key),
    }
    return render(request, "casework/intervention_form.html", context)


def intervention_conflict(form: InterventionForm, stored: Intervention) -> Conflict:
    """Both versions of an intervention someone else saved while ``form`` was being filled."""
    theirs = form._initial_from_instance(stored)
    theirs["duration_minutes"] = stored.duration_minutes
    goal = form.cleaned_data.get("plan_goal")
    yours = {
        "clients": form.chosen_clients(),
        "plan_goal": str(goal.pk) if isinstance(goal, PlanGoal) else goal or "",
    }
    names = [n for n in form.fields if n not in ("duration_preset", "duration_other")]
    return conflict_for(
        form,
        theirs=theirs,
        version=stored.version,
        names=[*names, "duration_minutes"],
        yours=yours,
        labels={"duration_minutes": _("Duration (minutes)")},
    )


def get_intervention_for_user(user, pk: int) -> Intervention:
    """An intervention the user may see; 404 for any other, so nobody can probe for them."""
    return get_object_or_404(
        Intervention.objects.visible_to(user)
        .with_list_data()
        .select_related("plan_goal", "created_by"),
        pk=pk,
    )


def _client_from_query(request) -> Client | None:
    """The client named by ``?client=``; 404 when it is not one the user may see."""
    raw = request.GET.get("client")
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    return get_client_for_user(request.user, int(raw))


# --- Anonymous outreach -------------------------------------------------------------------------


@login_required
def outreach_list(request):
    """Anonymous outreach contacts the user may see, newest first."""
    outreach_filter = OutreachFilter(
        request.GET,
        queryset=OutreachContact.objects.visible_to(request.user).select_related(
            "project", "key_activity", "locality", "worker", "identified_client"
        ),
        request=request,
    )
    page = Paginator(outreach_filter.qs, INTERVENTION_PAGE_SIZE).get_page(request.GET.get("page"))
    # A linked client's name shows only to those who may see that client.
    linked = [c.identified_client_id for c in page.object_list if c.identified_client_id]
    visible_clients = set(
        Client.objects.visible_to(request.user).filter(pk__in=linked).values_list("pk", flat=True)
        if linked
        else ()
    )
    return render(
        request,
        "casework/outreach_list.html",
        {
            "filter": outreach_filter,
            "page": page,
            "page_numbers": page.paginator.get_elided_page_range(page.number),
            "visible_clients": visible_clients,
        },
    )


@login_required
def outreach_create(request):
    data = request.POST if request.method == "POST" else None
    form = OutreachForm(data, user=request.user)
    if not form.projects:
        return render(request, "casework/outreach_form.html", {"form": None}, status=403)
    if form.is_bound and form.is_valid():
        try:
            services.log_outreach(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The outreach contact has been saved."))
            return redirect("outreach_list")
    return render(request, "casework/outreach_form.html", {"form": form})


@login_required
def outreach_link(request, pk: int):
    """Record which client one person from an anonymous contact turned out to be."""
    contact = get_object_or_404(
        OutreachContact.objects.visible_to(request.user).select_related(
            "project", "key_activity", "locality"
        ),
        pk=pk,
    )
    data = request.POST if request.method == "POST" else None
    form = OutreachLinkForm(data, user=request.user, contact=contact)
    if form.is_bound and form.is_valid():
        services.link_outreach_contact(contact, by=request.user, client=form.cleaned_data["client"])
        messages.success(request, _("The contact has been linked to the client."))
        return redirect("outreach_list")
    return render(request, "casework/outreach_link.html", {"form": form, "contact": contact})


# --- The guarantor's caseload board -----------------------------------------------------------


@login_required
@manager_required
def board(request):
    """Per field worker of the projects the viewer manages: caseload, hours and warnings."""
    # The form shows each project's name and filters by its id: nothing else is read.
    projects = list(
        Project.objects.managed_by(request.user).only("pk", "name").order_by("name", "pk")
    )
    form = BoardFilterForm(request.GET or None, projects=projects)
    figures = board_queries.caseload_board(**form.filters())
    return render(request, "casework/board.html", {"form": form, "board": figures})


@login_required
@manager_required
def board_worker(request, pk: int):
    """One worker's clients in the viewer's projects; 404 for anyone who is not their worker."""
    project_ids = list(Project.objects.managed_by(request.user).values_list("pk", flat=True))
    worker = get_object_or_404(board_queries.board_workers(project_ids), pk=pk)
    lines = board_queries.worker_caseload(worker, project_ids)
    return render(request, "casework/board_worker.html", {"worker": worker, "lines": lines})


# --- The project dashboard (guarantors and admins) --------------------------------------------


@login_required
def project_dashboard(request, pk: int):
    """Indicators against targets, participants over time, who is close and who lacks data.

    Access: a project the user has no role in is a 404 (as ``project_detail``); a worker of the
    project, who may see it but does not manage it, is refused with 403.
    """
    # The dashboard reads only the periods and the extensions (the effective end date).
    project = get_managed_project_for_user(request.user, pk, prefetch=("periods", "extensions"))
    figures = dashboard_queries.project_dashboard(project, timezone.localdate())
    return render(
        request, "casework/project_dashboard.html", {"project": project, "dashboard": figures}
    )


def get_managed_project_for_user(user, pk: int, prefetch=PROJECT_DETAIL_RELATIONS) -> Project:
    """A project the user manages: 404 with no role in it, 403 when they only work in it."""
    project = get_project_for_user(user, pk, prefetch)
    if not manages_project(user, project.pk):
        raise PermissionDenied
    return project
