"""Report screens: generated reports, the generate form, progress, download, indicators.

Access: ``GeneratedReport.objects.visible_to`` decides which reports a user sees (a report
outside it is a 404); the indicator screens and the list of persons not yet exportable to
IS ESF 21+ belong to the project's guarantors and admins (a worker of the project gets 403,
anyone else 404). Every download goes through ``_record_download``, which also writes the
access event of the audit trail.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from casework.audit.events import record_access
from casework.audit.models import AccessAction
from casework.audit.sensitive import SPECIAL_CATEGORY_FIGURES, may_list_special_category_persons
from casework.models import Locality, Project
from casework.views import get_managed_project_for_user
from clients.models import Client
from clients.queries import ENTRY_FIELD_LABELS
from reports import isesf, queries
from reports.forms import GenerateReportForm, IndicatorPeriodForm, Moment
from reports.models import GeneratedReport, ReportStatus
from reports.tasks import generate_report

REPORT_PAGE_SIZE = 25
DRILLDOWN_PAGE_SIZE = 50


def _record_download(request, report: GeneratedReport) -> None:
    """The one place every download of a generated report passes through (the audit trail)."""
    GeneratedReport.objects.filter(pk=report.pk).update(
        download_count=F("download_count") + 1, last_downloaded_at=timezone.now()
    )
    record_access(request, AccessAction.DOWNLOAD_REPORT, obj=report)


@login_required
@require_GET
def report_list(request):
    """The generated reports the user may see, newest first."""
    reports = (
        GeneratedReport.objects.visible_to(request.user)
        .select_related("project", "created_by")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(reports, REPORT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/report_list.html",
        {
            "page": page,
            "page_numbers": page.paginator.get_elided_page_range(page.number),
            # The indicator screens of the projects the user manages.
            "managed_projects": Project.objects.managed_by(request.user).order_by("name"),
        },
    )


@login_required
def report_generate(request):
    """Choose a report, project, period, format (and locality); queue it for the worker."""
    form = GenerateReportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        report = GeneratedReport.objects.create(
            project=data["project"],
            kind=data["kind"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            file_format=data["file_format"],
            parameters=data["parameters"],
            language=translation.get_language() or "cs",
            created_by=request.user,
        )
        # Only the id goes into the queue: no personal data in task arguments.
        generate_report.enqueue(report.pk)
        return redirect("reports:status", pk=report.pk)
    return render(request, "reports/report_generate.html", {"form": form})


def _get_report(request, pk: int) -> GeneratedReport:
    return get_object_or_404(
        GeneratedReport.objects.visible_to(request.user).select_related("project", "created_by"),
        pk=pk,
    )


@login_required
@require_GET
def report_status(request, pk: int):
    """A report's parameters and its progress bar, then its download link."""
    report = _get_report(request, pk)
    parameters = report.parameters or {}
    locality = (
        Locality.objects.filter(pk=parameters["locality"]).first()
        if parameters.get("locality")
        else None
    )
    worker = (
        get_user_model().objects.filter(pk=parameters["worker"]).first()
        if parameters.get("worker")
        else None
    )
    # The code of the evidence pack's client, only when the viewer may still see the client.
    client_code = (
        Client.objects.visible_to(request.user)
        .filter(pk=parameters["client"])
        .values_list("code", flat=True)
        .first()
        if parameters.get("client")
        else None
    )
    return render(
        request,
        "reports/report_status.html",
        {
            "report": report,
            "locality": locality,
            "worker": worker,
            "moment": dict(Moment.CHOICES[1:]).get(parameters.get("moment")),
            "participants_only": parameters.get("participants_only"),
            "client_code": client_code,
        },
    )


@login_required
@require_GET
def report_progress(request, pk: int):
    """The progress fragment the status page polls (htmx) until the report is ready.

    Opened without htmx (a bookmark, no JavaScript), it is the whole status page.
    """
    if not request.htmx:
        response = report_status(request, pk)
    else:
        report = _get_report(request, pk)
        response = render(request, "reports/report_status.html#progress", {"report": report})
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_GET
def report_download(request, pk: int):
    """The finished file, named ``<kind>-<project code>-<start>-<end>.<format>``."""
    report = _get_report(request, pk)
    if report.status != ReportStatus.DONE or not report.file:
        raise Http404
    try:
        handle = report.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    _record_download(request, report)
    return FileResponse(handle, as_attachment=True, filename=report.download_name)


# --- The indicator screens --------------------------------------------------------------------


@login_required
@require_GET
def indicator_table(request, pk: int):
    """The project's indicators in a period: target, in the period, cumulative, % of target."""
    project = get_managed_project_for_user(request.user, pk, prefetch=())
    form = IndicatorPeriodForm(request.GET, project=project, today=timezone.localdate())
    period = form.period()
    table = None
    if period is not None:
        table = queries.indicator_table(project, start=period[0], end=period[1])
    return render(
        request,
        "reports/indicator_table.html",
        {
            "project": project,
            "form": form,
            "table": table,
            "figures": [
                (key, queries.FIGURE_LABELS[key], table.figures[key])
                for key in queries.ENGINE_FIGURES
            ]
            if table
            else [],
            "period_query": request.GET.urlencode(),
        },
    )


@login_required
@require_GET
def indicator_detail(request, pk: int, code: str):
    """Who counts in one indicator (or engine figure) and why; who is missing what."""
    project = get_managed_project_for_user(request.user, pk, prefetch=())
    name = queries.INDICATOR_CODES.get(queries.normalise_code(code))
    if name is None and code not in queries.ENGINE_FIGURES:
        raise Http404
    indicator = next(
        (
            i
            for i in project.indicators.all()
            if queries.normalise_code(i.code) == queries.normalise_code(code)
        ),
        None,
    )
    form = IndicatorPeriodForm(request.GET, project=project, today=timezone.localdate())
    period = form.period()
    page = None
    # Who is behind the minority figure is a special category: the count is on the indicator
    # page for every manager, the names only for the organisation's administrators.
    names_withheld = name in SPECIAL_CATEGORY_FIGURES and not may_list_special_category_persons(
        request.user, project.organisation_id
    )
    if period is not None and not names_withheld:
        rows = queries.indicator_drilldown(project, code, period[1])
        page = Paginator(rows, DRILLDOWN_PAGE_SIZE).get_page(request.GET.get("page"))
        for row in page.object_list:
            if "missing_fields" in row:
                row["missing_labels"] = [ENTRY_FIELD_LABELS[f] for f in row["missing_fields"]]
                # Hours and minutes, not rounded hours: 39 h 59 min must not read as 40 h.
                hours, minutes = divmod(row["support_minutes"], 60)
                row["support_hm"] = f"{hours}\u00a0h {minutes:02d}\u00a0min"
                row["counts_in_period"] = bool(
                    row["is_participant"] and row["crossed_on"] and row["crossed_on"] >= period[0]
                )
    return render(
        request,
        "reports/indicator_detail.html",
        {
            "project": project,
            "code": code,
            "name": name,
            "title": indicator.name if indicator else queries.FIGURE_LABELS.get(code, code),
            "form": form,
            "period": period,
            "page": page,
            "page_numbers": page.paginator.get_elided_page_range(page.number) if page else [],
            "is_documents": name == "output_documents",
            "names_withheld": names_withheld,
        },
    )


@login_required
@require_GET
def export_blockers(request, pk: int):
    """The persons who cannot be exported to IS ESF 21+ for the period yet, and why."""
    project = get_managed_project_for_user(request.user, pk, prefetch=())
    form = IndicatorPeriodForm(request.GET, project=project, today=timezone.localdate())
    period = form.period()
    rows = None
    if period is not None:
        rows = isesf.export_blockers(project, period[0], period[1])
    return render(
        request,
        "reports/export_blockers.html",
        {"project": project, "form": form, "period": period, "rows": rows},
    )
