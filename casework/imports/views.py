"""The administrator's import screen: upload, dry run, confirm; and the export download."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from casework.audit.events import record_access
from casework.audit.models import AccessAction
from casework.console.access import get_managed_project, managed_projects
from casework.imports.exports import export_bytes, export_file_name
from casework.imports.forms import ImportForm
from casework.imports.models import ImportKind, ImportRun, ImportStatus
from casework.imports.services import ImportRefused, check_file, confirm_run
from casework.roles import Role, has_role

RECENT_RUNS = 20


def admin_required(view):
    """Refuse (403) to anyone who administers no project; put it below ``login_required``."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not has_role(request.user, Role.ADMIN):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@login_required
@admin_required
@require_GET
def index(request):
    projects = managed_projects(request.user).select_related("organisation")
    runs = (
        ImportRun.objects.visible_to(request.user)
        .select_related("project", "created_by")
        .defer("content")[:RECENT_RUNS]
    )
    return render(
        request,
        "imports/index.html",
        {"projects": projects, "runs": runs, "kinds": ImportKind.choices},
    )


@login_required
@admin_required
def upload(request, pk):
    project = get_managed_project(request.user, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        run = check_file(
            project=project,
            kind=form.cleaned_data["kind"],
            content=upload_file.read(),
            file_name=upload_file.name,
            by=request.user,
        )
        return redirect("imports:run", pk=run.pk)
    return render(
        request,
        "imports/upload.html",
        {"project": project, "form": form, "kinds": ImportKind.choices},
    )


@login_required
@admin_required
@require_GET
def run_detail(request, pk):
    run = get_object_or_404(
        ImportRun.objects.visible_to(request.user)
        .select_related("project", "created_by", "confirmed_by")
        .defer("content"),
        pk=pk,
    )
    return render(request, "imports/run.html", {"run": run, "checked": ImportStatus.CHECKED})


@login_required
@admin_required
@require_POST
def confirm(request, pk):
    run = get_object_or_404(ImportRun.objects.visible_to(request.user).defer("content"), pk=pk)
    try:
        confirm_run(run, by=request.user)
    except ImportRefused as refused:
        messages.error(request, _("Nothing was imported: %(reason)s") % {"reason": refused})
    else:
        messages.success(request, _("The file was imported."))
    return redirect("imports:run", pk=run.pk)


@login_required
@admin_required
@require_GET
def export(request, pk, kind):
    project = get_managed_project(request.user, pk)
    if kind not in ImportKind.values:
        raise Http404
    file_format = "csv" if request.GET.get("format") == "csv" else "xlsx"
    content, content_type = export_bytes(project, kind, file_format)
    record_access(request, AccessAction.EXPORT_LIST, project=project)
    response = HttpResponse(content, content_type=content_type)
    name = export_file_name(project, kind, file_format)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
