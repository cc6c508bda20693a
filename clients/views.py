from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import all_valid
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.exports import csv_response
from clients import services
from clients.filters import ClientFilter
from clients.forms import (
    ClientForm,
    ConsentFormSet,
    EnrolmentForm,
    HouseholdMemberFormSet,
    household_members_for_edit,
)
from clients.models import Client, Consent, Enrolment
from clients.queries import ENTRY_FIELD_LABELS, missing_entry_fields

PAGE_SIZE = 50


@login_required
def client_list(request):
    client_filter = ClientFilter(
        request.GET,
        queryset=Client.objects.visible_to(request.user).with_list_data(),
        request=request,
    )
    page = Paginator(client_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "clients/client_list.html#rows" if request.htmx else "clients/client_list.html"
    response = render(request, template, {"filter": client_filter, "page": page})
    # The rows and the full page share one address (hx-push-url): keep them apart in caches,
    # or the back button can show the bare rows.
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def client_detail(request, pk: int):
    client = get_client_for_user(request.user, pk)
    return render(request, "clients/client_detail.html", {"client": client})


@login_required
def client_export(request):
    """The filtered client list as CSV for Czech Excel (no more than the user may see)."""
    client_filter = ClientFilter(
        request.GET,
        queryset=Client.objects.visible_to(request.user).with_list_data(),
        request=request,
    )
    rows = (
        [
            c.code,
            c.last_name,
            c.first_name,
            c.year_of_birth or "",
            c.locality or "",
            c.get_status_display(),
        ]
        for c in client_filter.qs.iterator(chunk_size=1000)
    )
    header = [
        _("Code"),
        _("Surname"),
        _("First name"),
        _("Year of birth"),
        _("Locality"),
        _("Status"),
    ]
    return csv_response("clients.csv", header, rows)


def get_client_for_user(user, pk: int) -> Client:
    """A client the user may see; 404 for any other, so nobody can probe for existence."""
    return get_object_or_404(
        Client.objects.visible_to(user)
        .select_related("locality", "household", "gender")
        .prefetch_related("enrolments__project", "assignments__worker", "consents"),
        pk=pk,
    )


# --- Registering and editing clients -----------------------------------------------------------

CLIENT_CREATED = gettext_lazy("The client is registered under the code %(code)s.")
CLIENT_SAVED = gettext_lazy("The changes are saved.")
ENROLMENT_SAVED = gettext_lazy("The cooperation is saved.")


@login_required
def client_create(request):
    """Register a client: details, household, consents, project and key worker."""
    return _client_form_page(request, Client())


@login_required
def client_edit(request, pk: int):
    """Change a client's details, household and consents (refused if changed meanwhile)."""
    return _client_form_page(request, get_client_for_user(request.user, pk))


def _client_form_page(request, client: Client):
    data = request.POST if request.method == "POST" else None
    form = ClientForm(data, instance=client, user=request.user)
    if form.creating and not form.project_count:
        raise PermissionDenied
    members = HouseholdMemberFormSet(
        data,
        prefix="members",
        queryset=household_members_for_edit(client, request.user),
        form_kwargs={"user": request.user, "client": client},
        client_form=form,
    )
    consents = ConsentFormSet(
        data,
        prefix="consents",
        queryset=client.consents.all() if client.pk else Consent.objects.none(),
    )
    duplicates = None
    if data is not None and all_valid([form, members, consents]):
        try:
            saved = _save_client(form, members, consents, by=request.user)
        except services.PossibleDuplicate as error:
            duplicates = error.candidates
            form.add_error(None, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            message = CLIENT_CREATED % {"code": saved.code} if form.creating else CLIENT_SAVED
            messages.success(request, message)
            return redirect(saved)
    context = {"form": form, "members": members, "consents": consents, "duplicates": duplicates}
    return render(request, "clients/client_form.html", context)


def _save_client(form, members, consents, *, by) -> Client:
    data = form.cleaned_data
    common = {
        "by": by,
        "household": form.chosen_household(),
        "relationship": data["relationship"],
        "members": members.save(commit=False),
        "consents": consents.save(commit=False),
        "different_person": data["different_person"],
    }
    if form.creating:
        return services.create_client(
            form.instance,
            project=data["project"],
            worker=data.get("worker") or by,
            entry_date=data["entry_date"],
            **common,
        )
    return services.update_client(
        form.instance, version=data["version"], removed_members=members.deleted_objects, **common
    )


@login_required
def enrolment_edit(request, pk: int):
    """A client's cooperation in one project: start, end and reason, monitoring data."""
    enrolment = get_enrolment_for_user(request.user, pk)
    form = EnrolmentForm(request.POST or None, instance=enrolment)
    if form.is_bound and form.is_valid():
        try:
            services.set_enrolment(
                form.instance,
                by=request.user,
                version=form.cleaned_data["version"],
                disadvantages=form.cleaned_data["disadvantages"],
                exit_situations=form.cleaned_data["exit_situations"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, ENROLMENT_SAVED)
            return redirect(enrolment.client)
    missing = [ENTRY_FIELD_LABELS[name] for name in missing_entry_fields(enrolment)]
    context = {"form": form, "enrolment": enrolment, "missing_entry_data": missing}
    return render(request, "clients/enrolment_form.html", context)


def get_enrolment_for_user(user, pk: int) -> Enrolment:
    """An enrolment in a project the user manages, or of their own client there; else 404."""
    return get_object_or_404(
        Enrolment.objects.visible_to(user).select_related("client", "project"), pk=pk
    )
