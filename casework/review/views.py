"""The guarantor's review screens: closure sign-off and the monthly quality review."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from casework.models import Project
from casework.review import queries, services
from casework.review.forms import (
    DECISION_SIGN,
    ChecklistFormSet,
    ClosureDecisionForm,
    ClosureProposalForm,
    QualityReviewForm,
    SampleFilterForm,
)
from casework.review.models import ChecklistItem, ClosureRequest, ClosureStatus, QualityReview
from casework.roles import manager_required, manages_project
from clients.models import CaseAssignment
from clients.views import get_enrolment_for_user

PAGE_SIZE = 25
CLOSURE_PROPOSED = _("The closure is proposed; the guarantor will sign it off.")
CLOSURE_SIGNED = _("The closure is signed off and the cooperation has ended.")
CLOSURE_RETURNED = _("The proposal is returned to the worker with your comment.")
REVIEW_SAVED = _("The quality review is saved.")
CHECKLIST_SAVED = _("The checklist is saved.")


def get_closure_for_user(user, pk: int) -> ClosureRequest:
    """A proposal on an enrolment the user may see; 404 for any other."""
    return get_object_or_404(
        ClosureRequest.objects.visible_to(user).select_related(
            "enrolment__client", "enrolment__project", "proposed_by", "decided_by"
        ),
        pk=pk,
    )


def can_decide_closure(user, closure: ClosureRequest) -> bool:
    """The guarantor or administrator of the enrolment's project decides; workers propose."""
    return manages_project(user, closure.enrolment.project_id)


def get_managed_project(user, pk: int) -> Project:
    return get_object_or_404(Project.objects.managed_by(user), pk=pk)


@login_required
def closure_list(request):
    """Closure proposals the user may see; pending ones first (the guarantor's queue)."""
    status = request.GET.get("status") or ClosureStatus.PENDING
    if status not in ClosureStatus.values:
        status = ClosureStatus.PENDING
    closures = (
        ClosureRequest.objects.visible_to(request.user)
        .filter(status=status)
        .select_related("enrolment__client", "enrolment__project", "proposed_by", "decided_by")
        .order_by("proposed_at", "pk")
    )
    page = Paginator(closures, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "page_numbers": page.paginator.get_elided_page_range(page.number),
        "status": status,
        "statuses": ClosureStatus.choices,
    }
    return render(request, "review/closure_list.html", context)


@login_required
def closure_propose(request, pk: int):
    """A worker proposes ending a client's cooperation in a project (exit date and reason)."""
    enrolment = get_enrolment_for_user(request.user, pk)
    form = ClosureProposalForm(request.POST or None)
    if form.is_bound and form.is_valid():
        try:
            closure = services.propose_closure(
                enrolment,
                by=request.user,
                exit_date=form.cleaned_data["exit_date"],
                exit_reason=form.cleaned_data["exit_reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _attach(form, error)
        else:
            messages.success(request, CLOSURE_PROPOSED)
            return redirect(closure)
    return render(request, "review/closure_form.html", {"form": form, "enrolment": enrolment})


@login_required
def closure_detail(request, pk: int):
    closure = get_closure_for_user(request.user, pk)
    return _closure_page(request, closure, ClosureDecisionForm())


@login_required
@require_POST
def closure_decide(request, pk: int):
    """Sign off (closes the enrolment) or return with a comment: the project's managers only."""
    closure = get_closure_for_user(request.user, pk)
    if not can_decide_closure(request.user, closure):
        raise PermissionDenied
    form = ClosureDecisionForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == DECISION_SIGN:
                services.sign_closure(closure, by=request.user)
                messages.success(request, CLOSURE_SIGNED)
            else:
                services.return_closure(
                    closure, by=request.user, comment=form.cleaned_data["comment"]
                )
                messages.success(request, CLOSURE_RETURNED)
        except ValidationError as error:
            _attach(form, error)
        else:
            return redirect(closure)
    return _closure_page(request, closure, form, status=400)


def _closure_page(request, closure, form, status=200):
    context = {
        "closure": closure,
        "form": form,
        "can_decide": closure.status == ClosureStatus.PENDING
        and can_decide_closure(request.user, closure),
    }
    return render(request, "review/closure_detail.html", context, status=status)


def _attach(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- Quality review of sampled case files ------------------------------------------------------


@login_required
@manager_required
def quality_sample(request):
    """The month's sample per worker of one managed project, and which files are reviewed."""
    projects = list(Project.objects.managed_by(request.user).order_by("name", "pk"))
    data = request.GET.copy()
    if "project" not in data and projects:
        data["project"] = projects[0].pk
    form = SampleFilterForm(data, projects=projects)
    project = month = None
    samples = []
    if form.is_valid():
        project = form.cleaned_data["project"]
        month = (form.cleaned_data["month"] or timezone.localdate()).replace(day=1)
        samples = queries.month_sample(project, month)
    context = {"form": form, "project": project, "month": month, "samples": samples}
    return render(request, "review/quality_sample.html", context)


def _month_param(value: str | None) -> dt.date:
    try:
        return dt.datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        return timezone.localdate().replace(day=1)


@login_required
@manager_required
def quality_review_create(request, pk: int):
    """Review one case file (a worker's assignment) for a month against the checklist."""
    assignment = get_object_or_404(
        CaseAssignment.objects.filter(
            project__in=Project.objects.managed_by(request.user)
        ).select_related("client", "worker", "project"),
        pk=pk,
    )
    month = _month_param(request.GET.get("month"))
    items = list(ChecklistItem.objects.filter(project=assignment.project_id, is_active=True))
    form = QualityReviewForm(request.POST or None, items=items)
    if form.is_bound and form.is_valid():
        try:
            review = services.record_quality_review(
                project=assignment.project,
                worker=assignment.worker,
                client=assignment.client,
                month=month,
                by=request.user,
                answers=form.answers(),
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, REVIEW_SAVED)
            return redirect(review)
    context = {"form": form, "assignment": assignment, "month": month, "items": items}
    return render(request, "review/quality_review_form.html", context)


@login_required
@manager_required
def quality_detail(request, pk: int):
    review = get_object_or_404(
        QualityReview.objects.visible_to(request.user).select_related(
            "project", "worker", "client", "reviewer"
        ),
        pk=pk,
    )
    return render(request, "review/quality_detail.html", {"review": review})


@login_required
@manager_required
def checklist_edit(request, pk: int):
    """Edit a project's quality-review questions (reviews keep the text they were made with)."""
    project = get_managed_project(request.user, pk)
    if request.method == "POST" and "standard" in request.POST:
        services.add_standard_checklist(project, by=request.user)
        messages.success(request, CHECKLIST_SAVED)
        return redirect("review:checklist_edit", project.pk)
    queryset = ChecklistItem.objects.filter(project=project)
    formset = ChecklistFormSet(request.POST or None, queryset=queryset)
    if formset.is_bound and formset.is_valid():
        with transaction.atomic():
            for item in formset.save(commit=False):
                item.project = project
                item.save()
        messages.success(request, CHECKLIST_SAVED)
        return redirect("review:checklist_edit", project.pk)
    return render(request, "review/checklist_form.html", {"project": project, "formset": formset})
