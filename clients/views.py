from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.forms import all_valid
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from casework.addresses import address_by_pk
from casework.audit.events import record_access
from casework.audit.models import AccessAction
from casework.conflicts import add_refusal
from casework.exports import csv_response
from casework.pagination import RowsFirstPaginator
from casework.private_search import PrivateSearch, search_redirect
from casework.roles import can_sign_plan, manager_required
from clients import services
from clients.case_file import case_file, case_file_client, client_timeline
from clients.filters import ClientFilter, TaskFilter
from clients.forms import (
    ClientForm,
    ConsentFormSet,
    DocumentForm,
    EnrolmentForm,
    HouseholdMemberFormSet,
    PlanForm,
    PlanGoalFormSet,
    ReassignForm,
    SignPlanForm,
    TaskForm,
    household_members_for_edit,
)
from clients.models import (
    CaseAssignment,
    Client,
    ClientStatus,
    Consent,
    Document,
    Enrolment,
    GoalStatus,
    IndividualPlan,
    Task,
)
from clients.queries import ENTRY_FIELD_LABELS, missing_entry_fields

PAGE_SIZE = 50


SEARCH_SCOPE = "clients"
# The filters that carry no personal data and may stay in the list's address.
LIST_FILTERS = ("project", "locality", "status", "worker", "participant")
SEARCH_EXPIRED = gettext_lazy(
    "That search is no longer available (searches are kept only for a while and only in your "
    "own session), so all clients are shown. Search again."
)


def _client_filter(request, query) -> tuple[ClientFilter, PrivateSearch]:
    """The list's filter from ``query``; the search text comes from the session token."""
    search = PrivateSearch.from_request(request, SEARCH_SCOPE, query)
    # Only the columns the list and its export show.
    clients = (
        Client.objects.visible_to(request.user)
        .select_related("locality")
        .only(
            "code",
            "first_name",
            "last_name",
            "birth_date",
            "birth_year",
            "status",
            "locality__name",
        )
    )
    client_filter = ClientFilter(search.filter_data(query, "q"), queryset=clients, request=request)
    return client_filter, search


@login_required
def client_list(request):
    return _client_list_page(request, request.GET)


def _client_list_page(request, query, *, rows_only: bool = False):
    query = query.copy()
    query.pop("q", None)  # text typed into an address is neither searched nor passed on
    client_filter, search = _client_filter(request, query)
    rows = client_filter.qs
    # A ranked search sorts all its matches anyway: the page query counts them too.
    ranked = "search_rank" in rows.query.annotations
    page = RowsFirstPaginator(rows, PAGE_SIZE, count_with_rows=ranked).get_page(query.get("page"))
    _shown_in_list(page.object_list)
    template = (
        "clients/client_list.html#rows" if request.htmx or rows_only else "clients/client_list.html"
    )
    context = {
        "filter": client_filter,
        "page": page,
        "page_numbers": page.paginator.get_elided_page_range(page.number),
        "list_query": query,
        "search_expired": SEARCH_EXPIRED if search.expired else "",
    }
    response = render(request, template, context)
    # The rows and the full page share one address (HX-Push-Url): keep them apart in caches,
    # or the back button can show the bare rows.
    patch_vary_headers(response, ["HX-Request"])
    return response


def _shown_in_list(clients) -> None:
    """Set on each row of a list page its case file's address (``url``), its status as shown
    (``status_text``, as ``get_status_display``) and its year of birth and locality with
    their columns' labels (``cells``, for ``labelled_cells``): reversed and translated once
    for the page rather than in every row of the template."""
    address = address_by_pk("clients:detail")
    status_texts = {value: str(label) for value, label in ClientStatus.choices}
    # The same words as the table's header (client_list.html).
    year_label, locality_label = _("Year of birth"), _("Locality")
    for client in clients:
        client.url = address(client.pk)
        client.status_text = status_texts.get(client.status, client.status)
        client.cells = [
            (year_label, str(client.year_of_birth or "–")),
            (locality_label, str(client.locality or "–")),
        ]


@login_required
@require_POST
def client_search(request):
    """The search form: the text goes into the session, the address gets only a token."""
    return search_redirect(
        request,
        SEARCH_SCOPE,
        reverse("clients:list"),
        text=request.POST.get("q", ""),
        keep=LIST_FILTERS,
        render_rows=lambda query: _client_list_page(request, query, rows_only=True),
    )


@login_required
def client_detail(request, pk: int):
    """The case file; for htmx, just the next page of the timeline ("Show older")."""
    client = case_file_client(request.user, pk)
    page = _page_number(request.GET.get("page"))
    if request.htmx:
        timeline = client_timeline(client, request.user, page=page)
        context = {"client": client, "timeline": timeline}
        response = render(request, "clients/client_detail.html#timeline-page", context)
    else:
        case = case_file(client, request.user, timeline_page=page)
        record_access(request, AccessAction.VIEW_CASE_FILE, client=client, obj=client)
        response = render(request, "clients/client_detail.html", {"client": client, "case": case})
    patch_vary_headers(response, ["HX-Request"])
    return response


def _page_number(raw: str | None) -> int:
    """A page number from the query string; anything that is not a positive number is 1."""
    return int(raw) if raw and raw.isdigit() and 0 < int(raw) < 100_000 else 1


@login_required
def client_export(request):
    """The filtered client list as CSV for Czech Excel (no more than the user may see)."""
    client_filter, _search = _client_filter(request, request.GET)
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
    # Special categories (disadvantage codes) are never in this export; they are reported
    # only as counts.
    record_access(request, AccessAction.EXPORT_LIST)
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
        .prefetch_related(
            # Each assignment with its worker in one query, not a second one for the workers.
            Prefetch("assignments", queryset=CaseAssignment.objects.select_related("worker")),
            "consents",
        ),
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
    duplicates = conflict = None
    if data is not None and all_valid([form, members, consents]):
        try:
            saved = _save_client(form, members, consents, by=request.user)
        except services.PossibleDuplicate as error:
            duplicates = error.candidates
            form.add_error(None, error)
        except ValidationError as error:
            conflict = add_refusal(form, error, client)
        else:
            message = CLIENT_CREATED % {"code": saved.code} if form.creating else CLIENT_SAVED
            messages.success(request, message)
            return redirect(saved)
    context = {
        "form": form,
        "members": members,
        "consents": consents,
        "duplicates": duplicates,
        "conflict": conflict,
    }
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
    form = EnrolmentForm(request.POST or None, instance=enrolment, user=request.user)
    conflict = None
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
            conflict = add_refusal(form, error, enrolment)
        else:
            messages.success(request, ENROLMENT_SAVED)
            return redirect(enrolment.client)
    missing = [ENTRY_FIELD_LABELS[name] for name in missing_entry_fields(enrolment)]
    context = {
        "form": form,
        "enrolment": enrolment,
        "missing_entry_data": missing,
        "conflict": conflict,
    }
    return render(request, "clients/enrolment_form.html", context)


def get_enrolment_for_user(user, pk: int) -> Enrolment:
    """An enrolment in a project the user manages, or of their own client there; else 404."""
    return get_object_or_404(
        Enrolment.objects.visible_to(user).select_related("client", "project"), pk=pk
    )


# --- Individual plans (quality standard 5) --------------------------------------------------

PLAN_SAVED = gettext_lazy("The plan is saved.")
PLAN_SIGNATURE_CLEARED = gettext_lazy(
    "The plan is saved. It had been signed off; because it changed, the signature was "
    "removed and the guarantor needs to sign it off again."
)
PLAN_SIGNED = gettext_lazy("The plan is signed off.")


def get_plan_for_user(user, pk: int) -> IndividualPlan:
    """A plan in a project the user manages, or of their own client there; 404 otherwise."""
    return get_object_or_404(
        IndividualPlan.objects.visible_to(user).select_related(
            "client", "project__organisation", "created_by", "signed_by"
        ),
        pk=pk,
    )


@login_required
def plan_detail(request, pk: int):
    plan = get_plan_for_user(request.user, pk)
    context = {
        "plan": plan,
        "goals": plan.goals.all(),
        "can_sign": can_sign_plan(request.user, plan),
        "sign_form": SignPlanForm(initial={"version": plan.version}),
    }
    return render(request, "clients/plan_detail.html", context)


@login_required
def plan_create(request, pk: int):
    """A new plan for a client, in one of the projects where the user keeps their records."""
    return _plan_form_page(request, IndividualPlan(), get_client_for_user(request.user, pk))


@login_required
def plan_edit(request, pk: int):
    """Change a plan and its goals (refused if changed meanwhile; clears a signature)."""
    plan = get_plan_for_user(request.user, pk)
    return _plan_form_page(request, plan, plan.client)


def _plan_form_page(request, plan: IndividualPlan, client: Client):
    data = request.POST if request.method == "POST" else None
    form = PlanForm(data, instance=plan, user=request.user, client=client)
    context = {"form": form, "client": client, "plan": plan}
    if not form.project_count:
        return render(request, "clients/plan_form.html", {**context, "form": None}, status=403)
    goals = PlanGoalFormSet(data, instance=plan, prefix="goals")
    was_signed = plan.signed_at is not None
    conflict = None
    if data is not None and all_valid([form, goals]):
        try:
            saved = _save_plan(form, goals, by=request.user)
        except ValidationError as error:
            conflict = add_refusal(form, error, plan)
        else:
            if was_signed:
                messages.warning(request, PLAN_SIGNATURE_CLEARED)
            else:
                messages.success(request, PLAN_SAVED)
            return redirect("clients:plan_detail", saved.pk)
    context.update(goals=goals, conflict=conflict)
    return render(request, "clients/plan_form.html", context)


def _save_plan(form, goals, *, by) -> IndividualPlan:
    if form.creating:
        return services.create_plan(form.instance, by=by, goals=goals.kept_goals())
    return services.update_plan(
        form.instance,
        by=by,
        version=form.cleaned_data["version"],
        goals=goals.kept_goals(),
        removed_goals=goals.removed_goals(),
    )


@login_required
@require_POST
def plan_sign(request, pk: int):
    """The guarantor's (or admin's) sign-off; a field worker gets 403."""
    plan = get_plan_for_user(request.user, pk)
    if not can_sign_plan(request.user, plan):
        raise PermissionDenied
    form = SignPlanForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest()
    try:
        services.sign_plan(plan, by=request.user, version=form.cleaned_data["version"])
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, PLAN_SIGNED)
    return redirect("clients:plan_detail", plan.pk)


@login_required
def plan_print(request, pk: int):
    """The client's copy, "what we agreed": goals in their words, who does what, next meeting.

    Nothing internal: no evaluation, no birth number, no dropped goals.
    """
    plan = get_plan_for_user(request.user, pk)
    workers = (
        CaseAssignment.objects.current()
        .filter(client=plan.client_id, project=plan.project_id)
        .select_related("worker")
        .order_by("kind", "started_on")
    )
    context = {
        "plan": plan,
        "goals": plan.goals.exclude(status=GoalStatus.DROPPED),
        "workers": [assignment.worker for assignment in workers],
        "today": timezone.localdate(),
    }
    return render(request, "clients/plan_print.html", context)


# --- Tasks and deadlines --------------------------------------------------------------------

TASK_PAGE_SIZE = 50
TASK_SAVED = gettext_lazy("The task is saved. It is due on %(due)s.")
TASK_MARKED_DONE = gettext_lazy("“%(title)s” is done.")
TASK_REOPENED = gettext_lazy("“%(title)s” is open again.")


def get_task_for_user(user, pk: int) -> Task:
    """A task the user owns or one on a case they may see; 404 otherwise."""
    return get_object_or_404(Task.objects.visible_to(user).with_list_data(user), pk=pk)


@login_required
def task_list(request):
    """Open tasks by due date (or done ones): a worker's own, a guarantor's whole projects."""
    task_filter = TaskFilter(
        request.GET,
        queryset=Task.objects.visible_to(request.user).with_list_data(request.user),
        request=request,
    )
    page = Paginator(task_filter.qs, TASK_PAGE_SIZE).get_page(request.GET.get("page"))
    template = "clients/task_list.html"
    context = {
        "filter": task_filter,
        "page": page,
        "page_numbers": page.paginator.get_elided_page_range(page.number),
        "next": request.get_full_path(),
    }
    response = render(request, f"{template}#rows" if request.htmx else template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def task_create(request):
    """A new task or deadline; ``?client=<id>`` preselects a client the user may see."""
    initial_client = _client_from_query(request)
    data = request.POST if request.method == "POST" else None
    form = TaskForm(data, user=request.user, initial_client=initial_client)
    if form.is_bound and form.is_valid():
        task = form.save(commit=False)
        task.created_by = request.user
        task.save()
        _task_saved(request, form, task)
        return redirect(initial_client or "clients:task_list")
    return render(request, "clients/task_form.html", {"form": form, "client": initial_client})


@login_required
def task_edit(request, pk: int):
    """Change a task (refused with a clear message if someone saved it meanwhile)."""
    task = get_task_for_user(request.user, pk)
    data = request.POST if request.method == "POST" else None
    form = TaskForm(data, instance=task, user=request.user)
    conflict = None
    if form.is_bound and form.is_valid():
        try:
            version = form.cleaned_data["version"]
            services.update_task(form.instance, by=request.user, version=version)
        except ValidationError as error:
            conflict = add_refusal(form, error, task)
        else:
            _task_saved(request, form, task)
            return redirect("clients:task_list")
    context = {"form": form, "task": task, "conflict": conflict}
    return render(request, "clients/task_form.html", context)


def _task_saved(request, form: TaskForm, task: Task) -> None:
    saved = TASK_SAVED % {"due": date_format(task.due_date, "SHORT_DATE_FORMAT")}
    messages.success(request, f"{saved} {form.deadline_note}".strip())


@login_required
@require_POST
def task_done(request, pk: int):
    """Mark a task done (``done=0``: open it again); htmx gets the row back in place."""
    task = get_task_for_user(request.user, pk)
    done = request.POST.get("done", "1") != "0"
    services.set_task_done(task, by=request.user, done=done)
    next_url = _safe_next(request, reverse("clients:task_list"))
    if request.htmx:
        return render(request, "clients/task_list.html#task", {"task": task, "next": next_url})
    message = TASK_MARKED_DONE if done else TASK_REOPENED
    messages.success(request, message % {"title": task.title})
    return redirect(next_url)


def _client_from_query(request) -> Client | None:
    pk = request.GET.get("client", "")
    if not pk:
        return None
    if not pk.isdigit():
        raise Http404
    return get_client_for_user(request.user, int(pk))


def _safe_next(request, default: str) -> str:
    candidate = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if candidate and allowed else default


# --- Documents ------------------------------------------------------------------------------

DOCUMENT_SAVED = gettext_lazy("The document “%(title)s” is saved.")


def get_document_for_user(user, pk: int) -> Document:
    """A document the user may open (``Document.visible_to``); 404 for any other."""
    return get_object_or_404(Document.objects.visible_to(user), pk=pk)


@login_required
def document_upload(request, pk: int):
    """Upload a document to a client (optionally under a project); lists their documents."""
    client = get_client_for_user(request.user, pk)
    is_post = request.method == "POST"
    form = DocumentForm(
        request.POST if is_post else None,
        request.FILES if is_post else None,
        user=request.user,
        client=client,
    )
    if form.is_bound and form.is_valid():
        try:
            document = services.store_document(
                client,
                by=request.user,
                file=form.cleaned_data["file"],
                content_type=form.content_type,
                kind=form.cleaned_data["kind"],
                title=form.document_title,
                original_name=form.original_name,
                project=form.cleaned_data["project"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, DOCUMENT_SAVED % {"title": document.title})
            return redirect(client)
    documents = (
        Document.objects.visible_to(request.user)
        .filter(client=client)
        .select_related("project", "uploaded_by")
    )
    context = {"form": form, "client": client, "documents": documents}
    return render(request, "clients/document_upload.html", context)


@login_required
@require_safe
def document_download(request, pk: int):
    """The file as an attachment under its original name, never cached or sniffed."""
    document = get_document_for_user(request.user, pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    record_access(request, AccessAction.DOWNLOAD_DOCUMENT, client=document.client_id, obj=document)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Reassigning a client ---------------------------------------------------------------------

CLIENT_REASSIGNED = gettext_lazy("The client has a new key worker.")


@login_required
@manager_required
def client_reassign(request, pk: int):
    """Give a client another key worker in a project the viewer manages (the form on GET)."""
    client = get_client_for_user(request.user, pk)
    data = request.POST if request.method == "POST" else None
    form = ReassignForm(data, user=request.user, client=client)
    if form.is_bound and form.is_valid():
        try:
            services.reassign_client(client, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, CLIENT_REASSIGNED)
            return redirect(client)
    return render(request, "clients/client_reassign.html", {"form": form, "client": client})
