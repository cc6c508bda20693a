from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import all_valid
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from casework.conflicts import add_refusal
from clients.models import Client
from debts import services
from debts.filters import DebtFilter
from debts.forms import (
    BudgetLineFormSet,
    DebtActionForm,
    DebtAnalysisForm,
    DebtCaseForm,
    DebtForm,
    DebtOutcomeForm,
    DebtStatusForm,
)
from debts.models import Debt, DebtAction, DebtAnalysis, DebtCase
from debts.protected_amount import protected_amount
from debts.queries import (
    budget_by_member,
    budget_totals,
    current_figures,
    household_debts,
    register_totals,
)

CASE_OPENED = _("The debt case is open. Add the client's debts to the register.")
DEBT_SAVED = _("The debt is saved.")
STATUS_CHANGED = _("The status of the debt is changed.")


def get_debt_case_for_user(user, pk: int) -> DebtCase:
    """A debt case the user may see (``DebtCase.visible_to``); 404 for any other."""
    return get_object_or_404(
        DebtCase.objects.visible_to(user).select_related("client", "project", "household"),
        pk=pk,
    )


def get_debt_for_user(user, pk: int) -> Debt:
    """A debt, reached only through a debt case the user may see; 404 otherwise."""
    return get_object_or_404(
        Debt.objects.filter(case__in=DebtCase.objects.visible_to(user).values("pk")).select_related(
            "case__client", "case__project", "creditor"
        ),
        pk=pk,
    )


def _get_client_for_user(user, pk: int) -> Client:
    return get_object_or_404(Client.objects.visible_to(user), pk=pk)


@login_required
def debt_case_detail(request, pk: int):
    """The debt register of a case with its totals by kind and status (and household)."""
    debt_case = get_debt_case_for_user(request.user, pk)
    debts = debt_case.debts.select_related("creditor__creditor_type")
    debt_filter = DebtFilter(request.GET, queryset=debts)
    household = household_debts(debt_case, request.user)
    context = {
        "debt_case": debt_case,
        "filter": debt_filter,
        "debts": debt_filter.qs,
        "totals": register_totals(debt_case.debts.all()),
        "household_totals": register_totals(household) if household is not None else None,
        "analyses": debt_case.analyses.all(),
        "actions": debt_case.actions.select_related("debt__creditor", "deadline_task"),
        "outcomes": debt_case.outcomes.select_related("debt__creditor"),
        "now": current_figures(debt_case),
    }
    template = (
        "debts/debt_case_detail.html#register" if request.htmx else "debts/debt_case_detail.html"
    )
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def debt_case_create(request, pk: int):
    """Open a debt case for a client (from the client's case file)."""
    client = _get_client_for_user(request.user, pk)
    data = request.POST if request.method == "POST" else None
    form = DebtCaseForm(data, user=request.user, client=client)
    if data is not None and form.is_valid():
        debt_case = services.open_debt_case(form.instance, by=request.user)
        messages.success(request, CASE_OPENED)
        return redirect(debt_case)
    return render(request, "debts/debt_case_form.html", {"form": form, "client": client})


@login_required
def debt_create(request, pk: int):
    debt_case = get_debt_case_for_user(request.user, pk)
    return _debt_form_page(request, Debt(case=debt_case), debt_case)


@login_required
def debt_edit(request, pk: int):
    """Change a debt of the register (refused if someone else changed it meanwhile)."""
    debt = get_debt_for_user(request.user, pk)
    return _debt_form_page(request, debt, debt.case)


def _debt_form_page(request, debt: Debt, debt_case: DebtCase):
    data = request.POST if request.method == "POST" else None
    form = DebtForm(data, instance=debt, debt_case=debt_case)
    conflict = None
    if data is not None and form.is_valid():
        extra = {
            "by": request.user,
            "new_creditor_name": form.cleaned_data["new_creditor_name"],
            "new_creditor_type": form.cleaned_data["new_creditor_type"],
        }
        try:
            if form.creating:
                services.create_debt(form.instance, **extra)
            else:
                services.update_debt(form.instance, version=form.cleaned_data["version"], **extra)
        except ValidationError as error:
            conflict = add_refusal(form, error, debt)
        else:
            messages.success(request, DEBT_SAVED)
            return redirect(debt_case)
    context = {"form": form, "debt": debt, "debt_case": debt_case, "conflict": conflict}
    return render(request, "debts/debt_form.html", context)


@login_required
def debt_status(request, pk: int):
    """The status history of a debt and the form to change the status."""
    debt = get_debt_for_user(request.user, pk)
    form = DebtStatusForm(debt=debt)
    return _status_page(request, debt, form)


@login_required
@require_POST
def debt_status_change(request, pk: int):
    debt = get_debt_for_user(request.user, pk)
    form = DebtStatusForm(request.POST, debt=debt)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.change_debt_status(
                debt,
                by=request.user,
                status=data["status"],
                on=data["changed_on"],
                note=data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, STATUS_CHANGED)
            return redirect(debt.case)
    return _status_page(request, debt, form)


def _status_page(request, debt: Debt, form: DebtStatusForm):
    history = debt.status_history.select_related("changed_by")
    context = {"debt": debt, "debt_case": debt.case, "form": form, "history": history}
    return render(request, "debts/debt_status.html", context)


# --- Debt situation analysis -------------------------------------------------------------------

ANALYSIS_SAVED = _("The debt situation analysis is saved.")


def get_analysis_for_user(user, pk: int) -> DebtAnalysis:
    """An analysis, reached only through a debt case the user may see; 404 otherwise."""
    return get_object_or_404(
        DebtAnalysis.objects.filter(
            case__in=DebtCase.objects.visible_to(user).values("pk")
        ).select_related("case__client", "case__project", "parameters"),
        pk=pk,
    )


def _analysis_context(analysis: DebtAnalysis) -> dict:
    totals = budget_totals(analysis)
    return {
        "analysis": analysis,
        "debt_case": analysis.case,
        "lines": analysis.lines.all(),
        "totals": totals,
        "members": budget_by_member(analysis),
        "debt_totals": register_totals(analysis.case.debts.all()),
        "protected": protected_amount(
            analysis.parameters, analysis.dependants, spouse=analysis.has_spouse
        ),
        "feasibility": services.analysis_feasibility(analysis, totals),
    }


@login_required
def analysis_detail(request, pk: int):
    """The budget, the protected amount and the debt-relief check with its reasoning."""
    analysis = get_analysis_for_user(request.user, pk)
    return render(request, "debts/analysis_detail.html", _analysis_context(analysis))


@login_required
def analysis_pdf(request, pk: int):
    """The client's copy of the analysis as a PDF (no names in the file name)."""
    # Imported here: loading WeasyPrint parses its stylesheets (~0.5 s), which every process
    # that loads the URLs would otherwise pay at start-up.
    from casework.pdf import STATIC_BASE, html_to_pdf

    analysis = get_analysis_for_user(request.user, pk)
    context = {**_analysis_context(analysis), "static_base": STATIC_BASE}
    html = render_to_string("debts/analysis_pdf.html", context, request=request)
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="analysis-{analysis.pk}.pdf"'
    return response


@login_required
def analysis_create(request, pk: int):
    debt_case = get_debt_case_for_user(request.user, pk)
    return _analysis_form_page(request, DebtAnalysis(case=debt_case), debt_case)


@login_required
def analysis_edit(request, pk: int):
    """Change an analysis and its budget (refused if someone else changed it meanwhile)."""
    analysis = get_analysis_for_user(request.user, pk)
    return _analysis_form_page(request, analysis, analysis.case)


def _analysis_form_page(request, analysis: DebtAnalysis, debt_case: DebtCase):
    data = request.POST if request.method == "POST" else None
    form = DebtAnalysisForm(data, instance=analysis, debt_case=debt_case)
    lines = BudgetLineFormSet(data, instance=analysis, prefix="lines")
    conflict = None
    if data is not None and all_valid([form, lines]):
        try:
            saved = services.save_analysis(
                form.instance,
                by=request.user,
                lines=lines.kept_lines(),
                removed_lines=lines.removed_lines(),
                version=form.cleaned_data.get("version"),
            )
        except ValidationError as error:
            conflict = add_refusal(form, error, analysis)
        else:
            messages.success(request, ANALYSIS_SAVED)
            return redirect("debts:analysis_detail", saved.pk)
    context = {
        "form": form,
        "lines": lines,
        "analysis": analysis,
        "debt_case": debt_case,
        "conflict": conflict,
    }
    return render(request, "debts/analysis_form.html", context)


# --- Filed actions, outcomes, baseline ---------------------------------------------------------

ACTION_SAVED = _("The filed action is saved.")
ACTION_DEADLINE = _("The deadline task is due on %(date)s.")
OUTCOME_SAVED = _("The outcome is recorded.")
BASELINE_SAVED = _("The baseline is taken.")


def get_action_for_user(user, pk: int) -> DebtAction:
    """A filed action, reached only through a debt case the user may see; 404 otherwise."""
    return get_object_or_404(
        DebtAction.objects.filter(
            case__in=DebtCase.objects.visible_to(user).values("pk")
        ).select_related("case__client", "case__project", "deadline_task"),
        pk=pk,
    )


@login_required
def action_create(request, pk: int):
    debt_case = get_debt_case_for_user(request.user, pk)
    return _action_form_page(request, DebtAction(case=debt_case), debt_case)


@login_required
def action_edit(request, pk: int):
    """Record the result of a filed action (or correct it)."""
    action = get_action_for_user(request.user, pk)
    return _action_form_page(request, action, action.case)


def _action_form_page(request, action: DebtAction, debt_case: DebtCase):
    data = request.POST if request.method == "POST" else None
    form = DebtActionForm(data, instance=action, debt_case=debt_case)
    if data is not None and form.is_valid():
        saved = services.file_action(
            form.instance,
            by=request.user,
            deadline_from=form.cleaned_data.get("deadline_from"),
            deadline_days=form.cleaned_data.get("deadline_days"),
        )
        messages.success(request, ACTION_SAVED)
        if saved.deadline_task_id and "deadline_days" in form.changed_data:
            due = date_format(saved.deadline_task.due_date, "SHORT_DATE_FORMAT")
            messages.info(request, ACTION_DEADLINE % {"date": due})
        return redirect(debt_case)
    context = {"form": form, "action": action, "debt_case": debt_case}
    return render(request, "debts/action_form.html", context)


@login_required
def outcome_create(request, pk: int):
    debt_case = get_debt_case_for_user(request.user, pk)
    data = request.POST if request.method == "POST" else None
    form = DebtOutcomeForm(data, debt_case=debt_case)
    if data is not None and form.is_valid():
        form.save()
        messages.success(request, OUTCOME_SAVED)
        return redirect(debt_case)
    return render(request, "debts/outcome_form.html", {"form": form, "debt_case": debt_case})


@login_required
@require_POST
def baseline_take(request, pk: int):
    """Freeze the case's figures as its baseline (once)."""
    debt_case = get_debt_case_for_user(request.user, pk)
    try:
        services.take_baseline(debt_case, by=request.user, on=timezone.localdate())
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, BASELINE_SAVED)
    return redirect(debt_case)
