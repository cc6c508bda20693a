"""Screens of the housing record: situations with history, risk assessments, outcomes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _

from casework.conflicts import conflict_for, is_stale, model_values
from casework.models import Project
from casework.roles import managed_project_ids, manages_project
from clients.models import Client, Enrolment, project_record_scope
from housing import queries, services
from housing.filters import HousingSituationFilter
from housing.forms import (
    HousingBenefitFormSet,
    HousingOutcomeForm,
    HousingSituationForm,
    RiskAssessmentForm,
    RiskFactorFormSet,
    RiskFactorSetForm,
    benefit_rows,
    date_from_post,
)
from housing.models import HousingOutcome, HousingSituation, RiskAssessment, RiskFactorSet

THRESHOLD_FIELDS = ["medium_from", "high_from", "acute_from", "review_months", "review_months_high"]
SITUATION_SAVED = _("The housing situation is saved.")
ASSESSMENT_SAVED = _("The risk assessment is saved: score %(score)s, %(level)s risk.")
FACTOR_SET_SAVED = _("Version %(version)s of the checklist is now in use.")
OUTCOME_SAVED = _("The housing outcome is saved.")


# --- Gatekeepers ------------------------------------------------------------------------------


def get_situation_for_user(user, pk: int) -> HousingSituation:
    """A housing situation of a client the user may see; 404 for any other."""
    return get_object_or_404(
        HousingSituation.objects.visible_to(user).select_related("client", "ethos", "landlord"),
        pk=pk,
    )


def get_housing_client_for_user(user, pk: int) -> Client:
    """A client the user may see (for recording housing); 404 for any other."""
    return get_object_or_404(
        Client.objects.visible_to(user).select_related("household", "organisation"), pk=pk
    )


def projects_for_housing_record(user, client: Client):
    """The client's projects in which the user may write project records (assessments)."""
    enrolments = Enrolment.objects.filter(client=client).filter(project_record_scope(user))
    return Project.objects.filter(pk__in=enrolments.values("project")).order_by("code")


def get_factor_set_for_user(user, pk: int) -> RiskFactorSet:
    """A checklist of a project the user manages (guarantor, admin); 404 for any other."""
    scope = RiskFactorSet.objects.all()
    if not user.is_superuser:
        scope = scope.filter(project__in=managed_project_ids(user))
    return get_object_or_404(scope.select_related("project"), pk=pk)


def _chosen_project(request, client: Client) -> tuple[Project | None, list[Project]]:
    """The project in ``?project=`` (or the only one); 404 when outside the user's scope."""
    projects = list(projects_for_housing_record(request.user, client))
    raw = request.GET.get("project", "")
    if raw.isdigit():
        chosen = next((p for p in projects if p.pk == int(raw)), None)
        if chosen is None:
            raise Http404
        return chosen, projects
    return (projects[0] if len(projects) == 1 else None), projects


# --- Housing situations -----------------------------------------------------------------------

PAGE_SIZE = 50


@login_required
def housing_list(request):
    """Current housing situations of the clients the user may see, warnings first."""
    situation_filter = HousingSituationFilter(
        request.GET,
        queryset=HousingSituation.objects.visible_to(request.user)
        .current()
        .select_related("client", "ethos", "landlord")
        .order_by(F("eviction_on").asc(nulls_last=True), "client__last_name", "pk"),
    )
    page = Paginator(situation_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "housing/situation_list.html#rows" if request.htmx else "housing/situation_list.html"
    context = {
        "filter": situation_filter,
        "page": page,
        "page_numbers": page.paginator.get_elided_page_range(page.number),
    }
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def housing_detail(request, pk: int):
    """The client's housing record: history, benefits, warnings, risk trend, baseline."""
    situation = get_situation_for_user(request.user, pk)
    client = situation.client
    history = list(
        HousingSituation.objects.visible_to(request.user)
        .filter(client=client)
        .select_related("ethos", "landlord")
        .prefetch_related("benefits__benefit", "events")
        .order_by("-valid_from", "-pk")
    )
    assessments = list(
        RiskAssessment.objects.visible_to(request.user)
        .filter(client=client)
        .select_related("project", "factor_set")
        .order_by("-assessed_on", "-pk")
    )
    outcomes = HousingOutcome.objects.filter(client=client).filter(
        project_record_scope(request.user)
    )
    context = {
        "situation": situation,
        "client": client,
        "history": history,
        "assessments": assessments,
        "spark": queries.sparkline(assessments),
        "baseline": queries.housing_baseline(history, assessments),
        "outcomes": outcomes.select_related("project"),
    }
    return render(request, "housing/situation_detail.html", context)


@login_required
def housing_create(request, pk: int):
    """Record a client's housing situation; with a current one, record a change instead."""
    client = get_housing_client_for_user(request.user, pk)
    current = HousingSituation.objects.filter(client=client).current().first()
    if current is not None:
        return redirect("housing:change", current.pk)
    return _situation_form_page(request, client, None)


@login_required
def housing_change(request, pk: int):
    """Record a new situation: the current one ends the day before the new one starts."""
    current = get_situation_for_user(request.user, pk)
    # A form sent for a situation that has since ended goes on to the conflict screen.
    if current.valid_to is not None and request.method != "POST":
        messages.warning(request, services.NOT_CURRENT)
        return redirect("housing:detail", current.pk)
    return _situation_form_page(request, current.client, current)


def _situation_form_page(request, client: Client, current: HousingSituation | None):
    data = request.POST if request.method == "POST" else None
    today = timezone.localdate()
    initial = {"valid_from": today}
    benefits_initial = []
    if current is not None and data is None:
        initial = model_to_dict(current, fields=services.SITUATION_FIELDS)
        initial.update(valid_from=today, ethos=current.ethos.code)
        benefits_initial = [
            model_to_dict(b, fields=["benefit", "status", "applied_on", "amount", "granted_until"])
            for b in current.benefits.all()
        ]
    form = HousingSituationForm(data, initial=initial, organisation=client.organisation)
    # Benefits on offer follow the start date: typed in (POST) or today's (GET).
    on = date_from_post(data, "valid_from") if data else today
    benefits = HousingBenefitFormSet(
        data,
        initial=benefits_initial,
        prefix="benefits",
        form_kwargs={"on": on, "empty_permitted": True},
    )
    context = {"client": client, "current": current, "form": form, "benefits": benefits}
    if data is not None and form.is_valid() and benefits.is_valid():
        try:
            situation = _record_situation(request, client, current, form, benefits)
        except ValidationError as error:
            if current is not None and is_stale(error):
                context.update(_situation_conflict(form, client, current))
            else:
                form.add_error(None, error)
        else:
            messages.success(request, SITUATION_SAVED)
            return redirect("housing:detail", situation.pk)
    return render(request, "housing/situation_form.html", context)


def _situation_conflict(form, client: Client, current: HousingSituation) -> dict:
    """Someone recorded a change meanwhile: compare with what is current now, aim at it."""
    stored = HousingSituation.objects.filter(client=client).current().first()
    stored = stored or HousingSituation.objects.get(pk=current.pk)
    names = [n for n in services.SITUATION_FIELDS if n != "valid_from"]
    conflict = conflict_for(
        form,
        theirs=model_values(stored, form),
        version=stored.version,
        names=names,
        version_field=None,
    )
    form.add_error(None, conflict.message)
    return {
        "conflict": conflict,
        "current": stored,
        "form_version": stored.version,
        "form_action": reverse("housing:change", args=[stored.pk]),
    }


@transaction.atomic
def _record_situation(request, client, current, form, benefits) -> HousingSituation:
    data = form.situation_data()
    landlord = form.new_landlord()
    if landlord is not None:
        landlord.save()
        data["landlord"] = landlord
    rows = benefit_rows(benefits)
    if current is None:
        return services.create_housing_situation(client, by=request.user, data=data, benefits=rows)
    version = int(request.POST.get("version", "0") or 0)
    return services.change_housing_situation(
        current, by=request.user, version=version, data=data, benefits=rows
    )


# --- Risk assessment --------------------------------------------------------------------------


@login_required
def housing_assess(request, pk: int):
    """Assess the risk of housing loss with the project's active checklist."""
    client = get_housing_client_for_user(request.user, pk)
    project, projects = _chosen_project(request, client)
    factor_set = None
    if project is not None:
        factor_set = (
            RiskFactorSet.objects.filter(project=project, is_active=True)
            .prefetch_related("factors")
            .first()
        )
    form = None
    if factor_set is not None:
        data = request.POST if request.method == "POST" else None
        form = RiskAssessmentForm(
            data, factor_set=factor_set, initial={"assessed_on": timezone.localdate()}
        )
        if data is not None and form.is_valid():
            assessment = services.assess_housing_risk(
                client,
                project=project,
                factor_set=factor_set,
                by=request.user,
                assessed_on=form.cleaned_data["assessed_on"],
                present=form.present(),
                note=form.cleaned_data["note"],
            )
            messages.success(
                request,
                ASSESSMENT_SAVED
                % {"score": assessment.score, "level": assessment.get_level_display()},
            )
            return redirect(client.get_absolute_url())
    can_revise = factor_set is not None and manages_project(request.user, project.pk)
    context = {
        "client": client,
        "project": project,
        "projects": projects,
        "factor_set": factor_set,
        "form": form,
        "can_revise": can_revise,
    }
    return render(request, "housing/assessment_form.html", context)


@login_required
def factor_set_revise(request, pk: int):
    """Guarantor or admin: save changed weights or thresholds as the next version."""
    factor_set = get_factor_set_for_user(request.user, pk)
    data = request.POST if request.method == "POST" else None
    form = RiskFactorSetForm(data, initial=_thresholds(factor_set))
    initial = [
        {"code": f.code, "label": f.label, "weight": f.weight} for f in factor_set.factors.all()
    ]
    factors = RiskFactorFormSet(data, initial=initial, prefix="factors")
    if data is not None and form.is_valid() and factors.is_valid():
        try:
            revised = services.revise_risk_factor_set(
                factor_set,
                by=request.user,
                thresholds={k: form.cleaned_data[k] for k in THRESHOLD_FIELDS},
                factors=factors.rows(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, FACTOR_SET_SAVED % {"version": revised.version})
            return redirect("housing:factor_set_revise", revised.pk)
    context = {"factor_set": factor_set, "form": form, "factors": factors}
    return render(request, "housing/factor_set_form.html", context)


def _thresholds(factor_set: RiskFactorSet) -> dict:
    return {name: getattr(factor_set, name) for name in THRESHOLD_FIELDS}


# --- Outcome ----------------------------------------------------------------------------------


@login_required
def housing_outcome(request, pk: int):
    """Record the housing outcome at the end of support in one of the client's projects."""
    client = get_housing_client_for_user(request.user, pk)
    project, projects = _chosen_project(request, client)
    form = None
    if project is not None:
        existing = HousingOutcome.objects.filter(client=client, project=project).first()
        data = request.POST if request.method == "POST" else None
        form = HousingOutcomeForm(data, instance=existing)
        if data is not None and form.is_valid():
            services.record_housing_outcome(
                client, project=project, by=request.user, **form.cleaned_data
            )
            messages.success(request, OUTCOME_SAVED)
            return redirect(client.get_absolute_url())
    context = {"client": client, "project": project, "projects": projects, "form": form}
    return render(request, "housing/outcome_form.html", context)
