"""The administrator's console: people and roles, organisations, projects, code lists."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from casework.accounts.reauth import ReauthForm
from casework.console import services
from casework.console.access import (
    admin_required,
    get_managed_organisation,
    get_managed_project,
    get_managed_user,
    managed_memberships,
    managed_organisations,
    managed_projects,
    managed_users,
    manages_all_memberships_of,
    superuser_required,
)
from casework.console.forms import (
    IndicatorFormSet,
    InviteForm,
    KeyActivityFormSet,
    LocalityFormSet,
    MembershipForm,
    OrganisationForm,
    PeriodFormSet,
    ProjectCreateForm,
    ProjectSettingsForm,
    UserSearchForm,
    code_list_formset,
)
from casework.models import (
    DeliveryMode,
    InterventionType,
    KeyActivity,
    ProjectIndicator,
    ReportingPeriod,
    Topic,
)
from casework.private_search import PrivateSearch, search_redirect
from debts.models import CreditorType, LegalParameterSet
from housing.models import RiskFactorSet

PAGE_SIZE = 25
USER_SEARCH_SCOPE = "console-users"
SEARCH_EXPIRED = _(
    "That search is no longer available (searches are kept only for a while and only in your "
    "own session), so everyone is shown. Search again."
)
USER_INVITED = _("The invitation has been sent to %(email)s.")
ROLE_SAVED = _("The role is saved.")
ROLE_REMOVED = _("The role is removed; the person's records stay as they are.")
USER_DEACTIVATED = _("The account is deactivated. The person cannot sign in; their records stay.")
USER_ACTIVATED = _("The account is active again.")
SETTINGS_SAVED = _("The settings are saved.")
PROJECT_CREATED = _("The project is created. Add its key activities, targets and periods.")


def _page(request, queryset):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return {"page": page, "page_numbers": page.paginator.get_elided_page_range(page.number)}


@login_required
@admin_required
def console_home(request):
    """The administrator's start page: their organisations and what can be managed."""
    organisations = managed_organisations(request.user).prefetch_related("projects")
    return render(request, "console/home.html", {"organisations": organisations})


# --- People and roles ---------------------------------------------------------------------


@login_required
@admin_required
def user_list(request):
    """People with a role in the administrator's organisations, with those roles."""
    search = PrivateSearch.from_request(request, USER_SEARCH_SCOPE)
    form = UserSearchForm(search.filter_data(QueryDict(), "q") if search.text else None)
    if search.expired:
        messages.warning(request, SEARCH_EXPIRED)
    users = managed_users(request.user).order_by("last_name", "first_name", "pk")
    if form.is_valid() and (q := form.cleaned_data["q"]):
        users = users.filter(
            Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
            | Q(email__icontains=q)
            | Q(username__icontains=q)
        )
    memberships = managed_memberships(request.user).select_related("project")
    users = users.prefetch_related(Prefetch("memberships", queryset=memberships))
    return render(request, "console/user_list.html", {"form": form, **_page(request, users)})


@login_required
@admin_required
@require_POST
def user_search(request):
    """The people search: the text goes into the session, the address gets only a token."""
    url = reverse("console:user_list")
    return search_redirect(request, USER_SEARCH_SCOPE, url, text=request.POST.get("q", ""), keep=())


@login_required
@admin_required
def user_invite(request):
    """Create an account for a new person with a role, and e-mail them a set-password link."""
    form = InviteForm(request.POST or None, projects=managed_projects(request.user))
    if form.is_bound and form.is_valid():
        try:
            person = services.invite_user(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, USER_INVITED % {"email": person.email})
            return redirect("console:user_detail", person.pk)
    return render(request, "console/user_invite.html", {"form": form})


@login_required
@admin_required
def user_detail(request, pk: int):
    """A person's roles in the administrator's projects; give or change a role (POST)."""
    person = get_managed_user(request.user, pk)
    form = MembershipForm(request.POST or None, projects=managed_projects(request.user))
    if form.is_bound and form.is_valid():
        try:
            services.set_membership(person, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, ROLE_SAVED)
            return redirect("console:user_detail", person.pk)
    return _user_detail_page(request, person, form=form, deactivate_form=None)


def _user_detail_page(request, person, *, form, deactivate_form):
    can_deactivate = (
        manages_all_memberships_of(request.user, person) and person.pk != request.user.pk
    )
    if can_deactivate and deactivate_form is None:
        deactivate_form = ReauthForm(request=request)
    context = {
        "person": person,
        "form": form,
        "deactivate_form": deactivate_form,
        "memberships": managed_memberships(request.user)
        .filter(user=person)
        .select_related("project__organisation"),
        "can_deactivate": can_deactivate,
    }
    failed = form.errors or (deactivate_form is not None and deactivate_form.errors)
    return render(request, "console/user_detail.html", context, status=400 if failed else 200)


@login_required
@admin_required
@require_POST
def membership_remove(request, pk: int):
    membership = get_object_or_404(managed_memberships(request.user), pk=pk)
    try:
        services.remove_membership(membership, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, ROLE_REMOVED)
    return redirect("console:user_detail", membership.user_id)


@login_required
@admin_required
@require_POST
def user_set_active(request, pk: int):
    """Deactivate (``active=0``) or reactivate (``active=1``) a person's account.

    Deactivation is confirmed with the administrator's password (and authenticator code).
    """
    person = get_managed_user(request.user, pk)
    active = request.POST.get("active") == "1"
    may_manage_all = manages_all_memberships_of(request.user, person)
    # Where the service refuses anyway (own account, someone working elsewhere) it says why.
    if not active and may_manage_all and person.pk != request.user.pk:
        reauth = ReauthForm(request.POST, request=request)
        if not reauth.is_valid():
            form = MembershipForm(projects=managed_projects(request.user))
            return _user_detail_page(request, person, form=form, deactivate_form=reauth)
    try:
        services.set_user_active(
            person, by=request.user, active=active, may_manage_all=may_manage_all
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, USER_ACTIVATED if active else USER_DEACTIVATED)
    return redirect("console:user_detail", person.pk)


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """Where the invitation link leads: the person chooses their password."""

    template_name = "console/password_set.html"
    success_url = reverse_lazy("console:password_set_done")


class PasswordSetDoneView(auth_views.PasswordResetCompleteView):
    template_name = "console/password_set_done.html"


# --- Organisations and projects ------------------------------------------------------------


@login_required
@admin_required
def organisation_edit(request, pk: int):
    """An organisation's details and its socially excluded localities."""
    organisation = get_managed_organisation(request.user, pk)
    stamp = services.organisation_fingerprint(organisation)
    form = OrganisationForm(request.POST or None, instance=organisation, fingerprint=stamp)
    localities = LocalityFormSet(
        request.POST or None,
        organisation=organisation,
        queryset=organisation.localities.order_by("name"),
        prefix="localities",
    )
    if form.is_bound and form.is_valid() and localities.is_valid():
        try:
            services.save_organisation(form, localities, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, SETTINGS_SAVED)
            return redirect("console:organisation_edit", organisation.pk)
    context = {"organisation": organisation, "form": form, "localities": localities}
    return render(request, "console/organisation_form.html", context)


@login_required
@admin_required
def project_list(request):
    projects = managed_projects(request.user).select_related("organisation").order_by("name", "pk")
    return render(request, "console/project_list.html", _page(request, projects))


@login_required
@admin_required
def project_create(request):
    """A new project in one of the administrator's organisations."""
    form = ProjectCreateForm(
        request.POST or None, organisations=managed_organisations(request.user)
    )
    if form.is_bound and form.is_valid():
        project = services.create_project(form, by=request.user)
        messages.success(request, PROJECT_CREATED)
        return redirect("console:project_edit", project.pk)
    return render(request, "console/project_create.html", {"form": form})


@login_required
@admin_required
def project_edit(request, pk: int):
    """A project's settings; refused when another administrator saved them meanwhile."""
    project = get_managed_project(request.user, pk)
    stamp = services.project_fingerprint(project)
    form = ProjectSettingsForm(request.POST or None, instance=project, fingerprint=stamp)
    if form.is_bound and form.is_valid():
        try:
            services.save_project_settings(form, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, SETTINGS_SAVED)
            return redirect("console:project_edit", project.pk)
    context = {
        "project": project,
        "form": form,
        "factor_set": RiskFactorSet.objects.filter(project=project, is_active=True).first(),
    }
    return render(request, "console/project_form.html", context)


ROW_KINDS = {
    "activities": (KeyActivity, KeyActivityFormSet, _("Key activities")),
    "indicators": (ProjectIndicator, IndicatorFormSet, _("Indicator targets")),
    "periods": (ReportingPeriod, PeriodFormSet, _("Reporting periods")),
}


@login_required
@admin_required
def project_rows(request, pk: int, kind: str):
    """Edit one kind of a project's rows: key activities, indicator targets or periods."""
    if kind not in ROW_KINDS:
        raise Http404
    project = get_managed_project(request.user, pk)
    model, formset_class, title = ROW_KINDS[kind]
    rows = model.objects.filter(project=project)
    formset = formset_class(
        request.POST or None,
        project=project,
        fingerprint=services.rows_fingerprint(rows),
        queryset=rows.order_by(*model._meta.ordering),
        prefix=kind,
    )
    if formset.is_bound and formset.is_valid():
        try:
            services.save_project_rows(project, formset, by=request.user, rows=rows)
        except ValidationError as error:
            formset._non_form_errors = formset.error_class(error.messages)
        else:
            messages.success(request, SETTINGS_SAVED)
            return redirect("console:project_rows", project.pk, kind)
    context = {"project": project, "formset": formset, "title": title, "kind": kind}
    return render(request, "console/project_rows.html", context)


# --- Shared reference data -----------------------------------------------------------------

CODE_LISTS = {
    "topics": (Topic, _("Topics")),
    "delivery-modes": (DeliveryMode, _("Forms of intervention")),
    "intervention-types": (InterventionType, _("Types of intervention")),
    "creditor-types": (CreditorType, _("Creditor types")),
}


@login_required
@admin_required
def code_lists(request):
    """The code lists every organisation shares, and the legal parameters of the protected
    amount. They are national, so only a superuser changes them (in the Django admin).
    """
    lists = [
        (slug, title, model.objects.order_by("order", "name"), model._meta)
        for slug, (model, title) in CODE_LISTS.items()
    ]
    context = {"lists": lists, "legal_parameters": LegalParameterSet.objects.all()}
    return render(request, "console/code_lists.html", context)


@login_required
@superuser_required
def code_list_edit(request, slug: str):
    """A superuser edits one shared code list (codes stay; retire an entry by "in use" off)."""
    if slug not in CODE_LISTS:
        raise Http404
    model, title = CODE_LISTS[slug]
    rows = model.objects.all()
    formset = code_list_formset(model)(
        request.POST or None,
        fingerprint=services.rows_fingerprint(rows),
        queryset=rows.order_by("order", "name", "pk"),
        prefix="codes",
    )
    if formset.is_bound and formset.is_valid():
        try:
            services.save_code_list(formset, by=request.user, rows=rows)
        except ValidationError as error:
            formset._non_form_errors = formset.error_class(error.messages)
        else:
            messages.success(request, SETTINGS_SAVED)
            return redirect("console:code_lists")
    context = {"formset": formset, "title": title, "slug": slug}
    return render(request, "console/code_list_form.html", context)
