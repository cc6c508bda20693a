"""The audit trail for guarantors and administrators, and the data-protection operations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from casework.audit.forms import AnonymiseForm
from casework.audit.inventory import processing_rows
from casework.audit.models import AccessEvent, ChangeEvent
from casework.audit.sensitive import masked_values, may_see_special_categories
from casework.console.access import admin_required
from casework.models import Project
from casework.roles import admin_organisation_ids, manager_required
from clients import gdpr
from clients.models import Client

PAGE_SIZE = 50
CLIENT_ANONYMISED = gettext_lazy("The client is anonymised. This cannot be undone.")


def get_client_for_admin(user, pk: int) -> Client:
    """A client of an organisation the user administers; 404 for any other."""
    clients = Client.objects.all()
    if not user.is_superuser:
        clients = clients.filter(organisation__in=admin_organisation_ids(user))
    return get_object_or_404(clients, pk=pk)


def _client_codes(events) -> dict[int, str]:
    ids = {event.client_id for event in events if event.client_id}
    return dict(Client.objects.filter(pk__in=ids).values_list("pk", "code"))


@login_required
@manager_required
def trail(request):
    """Recorded changes or reads (``?kind=reads``) in the viewer's projects, newest first."""
    reads = request.GET.get("kind") == "reads"
    model = AccessEvent if reads else ChangeEvent
    events = model.objects.visible_to(request.user).select_related("user")
    projects = list(Project.objects.managed_by(request.user).order_by("name"))
    project_id = request.GET.get("project", "")
    if project_id.isdigit():
        events = events.filter(project_id=int(project_id))
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    codes = _client_codes(page.object_list)
    for event in page.object_list:
        event.client_code = codes.get(event.client_id, event.client_id)
    context = {
        "reads": reads,
        "page": page,
        "page_numbers": page.paginator.get_elided_page_range(page.number),
        "projects": projects,
        "project_id": project_id,
    }
    return render(request, "audit/trail.html", context)


@login_required
@manager_required
def client_trail(request, pk: int):
    """Who changed and who read one client's records (the case file links here)."""
    client = get_object_or_404(Client.objects.visible_to(request.user), pk=pk)
    changes = ChangeEvent.objects.visible_to(request.user).for_client(client.pk)
    page = Paginator(changes.select_related("user"), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    may_see = may_see_special_categories(request.user, client)
    for event in page.object_list:
        event.values = masked_values(event, may_see=may_see)
    reads = (
        AccessEvent.objects.visible_to(request.user)
        .for_client(client.pk)
        .select_related("user")[:PAGE_SIZE]
    )
    context = {
        "client": client,
        "page": page,
        "page_numbers": page.paginator.get_elided_page_range(page.number),
        "reads": reads,
    }
    return render(request, "audit/client_trail.html", context)


@login_required
@admin_required
def client_data_protection(request, pk: int):
    """The administrator's data-protection page of a client: export and anonymisation."""
    client = get_client_for_admin(request.user, pk)
    form = AnonymiseForm(client=client, request=request)
    return render(request, "audit/client_data_protection.html", {"client": client, "form": form})


@login_required
@admin_required
def client_export(request, pk: int, fmt: str):
    """Everything held about the client as JSON or PDF (GDPR art. 15 and 20); recorded."""
    client = get_client_for_admin(request.user, pk)
    if fmt == "pdf":
        body, content_type = gdpr.export_pdf(client, by=request.user), "application/pdf"
    else:
        body, content_type = gdpr.export_json(client, by=request.user), "application/json"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{client.code}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@admin_required
@require_POST
def client_anonymise(request, pk: int):
    """Anonymise the client for good after the administrator typed the client's code and
    confirmed with their password (and authenticator code)."""
    client = get_client_for_admin(request.user, pk)
    form = AnonymiseForm(request.POST, client=client, request=request)
    if not form.is_valid():
        context = {"client": client, "form": form}
        return render(request, "audit/client_data_protection.html", context)
    gdpr.anonymise_client(client, by=request.user)
    messages.success(request, CLIENT_ANONYMISED)
    return redirect("clients:detail", pk=client.pk)


@login_required
@admin_required
def record_of_processing(request):
    """The record of processing activities (GDPR art. 30), generated from the inventory."""
    return render(request, "audit/record_of_processing.html", {"rows": processing_rows()})
