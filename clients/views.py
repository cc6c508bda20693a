from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from casework.exports import csv_response
from clients.filters import ClientFilter
from clients.models import Client

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
