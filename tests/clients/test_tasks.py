"""Tasks and deadlines: the task list, creating tasks with legal deadlines (DOMAIN.md §7),
marking them done in place, editing with a version check; and who reaches which task."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from casework.conflicts import CONFLICT_MESSAGE
from clients import forms, views
from clients.models import Task
from tests.factories import CaseAssignmentFactory, MembershipFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 4, 3)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(
        dt.datetime(2025, 4, 3, 10, 0, tzinfo=ZoneInfo("Europe/Prague")), tick=False
    )


@pytest.fixture
def task_a(project, worker_a, client_a):
    return TaskFactory(
        title="Odvolání proti platebnímu rozkazu",
        owner=worker_a,
        client=client_a,
        project=project,
        due_date=dt.date(2025, 4, 10),
    )


@pytest.fixture
def task_b(project, worker_b, client_b):
    return TaskFactory(
        title="Zavolat pronajímateli Bartošových",
        owner=worker_b,
        client=client_b,
        project=project,
        due_date=dt.date(2025, 4, 8),
    )


def titles(response):
    return [task.title for task in response.context["page"].object_list]


def task_data(**fields):
    data = {
        "title": "Podat námitky",
        "kind": Task.Kind.TASK,
        "due_by": forms.DUE_ON_DATE,
        "due_date": "2025-04-20",
        "delivered_on": "",
        "length": "",
        "client": "",
        "project": "",
        "note": "",
    }
    data.update(fields)
    return data


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


# --- The list -------------------------------------------------------------------------------


def test_worker_sees_own_open_tasks_by_due_date(client, project, worker_a, task_a, task_b):
    TaskFactory(title="Později", owner=worker_a, due_date=dt.date(2025, 5, 1))
    TaskFactory(title="Dříve", owner=worker_a, due_date=dt.date(2025, 4, 4))
    TaskFactory(title="Hotovo", owner=worker_a, done_at=dt.datetime(2025, 4, 1, tzinfo=dt.UTC))
    client.force_login(worker_a)

    response = client.get(reverse("clients:task_list"))

    assert titles(response) == ["Dříve", "Odvolání proti platebnímu rozkazu", "Později"]
    assert task_b.title not in response.text


def test_overdue_task_is_marked_by_text_and_icon(client, worker_a):
    TaskFactory(title="Prošlé", owner=worker_a, due_date=dt.date(2025, 4, 2))
    TaskFactory(title="Dnes", owner=worker_a, due_date=TODAY)
    client.force_login(worker_a)

    response = client.get(reverse("clients:task_list"))

    assert response.text.count("task-overdue") == 1
    assert response.text.count(_("Overdue")) == 1
    assert response.text.count('<svg class="icon" aria-hidden="true"') == 1
    assert response.text.count(_("Due today")) == 1


def test_done_filter_shows_done_tasks_latest_first(client, worker_a, task_a):
    for day, title in [(1, "Dávno"), (2, "Včera")]:
        TaskFactory(title=title, owner=worker_a, done_at=dt.datetime(2025, 4, day, tzinfo=dt.UTC))
    client.force_login(worker_a)

    response = client.get(reverse("clients:task_list"), {"state": "done"})

    assert titles(response) == ["Včera", "Dávno"]


def test_guarantor_sees_the_projects_tasks(client, guarantor, task_a, task_b):
    own = TaskFactory(title="Porada týmu", owner=guarantor, due_date=dt.date(2025, 4, 9))
    client.force_login(guarantor)

    everything = client.get(reverse("clients:task_list"))
    mine = client.get(reverse("clients:task_list"), {"whose": "mine"})

    assert titles(everything) == [task_b.title, own.title, task_a.title]
    assert titles(mine) == [own.title]
    assert f"{_('Owner')}: Bob Terénní" in everything.text


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("worker_a", ["Odvolání proti platebnímu rozkazu"]),
        ("worker_b", ["Zavolat pronajímateli Bartošových"]),
        ("guarantor", ["Zavolat pronajímateli Bartošových", "Odvolání proti platebnímu rozkazu"]),
        ("admin_user", ["Zavolat pronajímateli Bartošových", "Odvolání proti platebnímu rozkazu"]),
        ("other_guarantor", []),
        ("foreign_admin", []),
    ],
)
def test_task_list_per_role(client, request, task_a, task_b, persona, expected):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("clients:task_list"), {"whose": "all"})

    assert titles(response) == expected


def test_task_of_a_client_moved_away_does_not_name_them(client, project, worker_a, task_a):
    task_a.client.assignments.update(ended_on=TODAY)
    client.force_login(worker_a)

    response = client.get(reverse("clients:task_list"))

    assert titles(response) == [task_a.title]
    assert task_a.client.last_name not in response.text


def test_task_list_htmx_renders_only_the_rows(client, worker_a, task_a):
    client.force_login(worker_a)

    response = client.get(reverse("clients:task_list"), headers={"HX-Request": "true"})

    assert task_a.title in response.text
    assert "<html" not in response.text
    assert "HX-Request" in response["Vary"]


def test_task_list_requires_login(client):
    response = client.get(reverse("clients:task_list"))

    assert (response.status_code, response.url) == (
        302,
        f"{reverse('login')}?next={reverse('clients:task_list')}",
    )


@pytest.mark.parametrize("rows", [1, 3])
def test_task_list_query_count(client, django_assert_num_queries, project, worker_a, rows):
    for _row in range(rows):
        client_ = CaseAssignmentFactory(project=project, worker=worker_a).client
        TaskFactory(owner=worker_a, client=client_, project=project)
    client.force_login(worker_a)

    # session, user, roles (navigation and the filter's default), count, the filter's project
    # choices, the page of tasks (clients, projects and owners joined)
    with django_assert_num_queries(6):
        response = client.get(reverse("clients:task_list"))

    assert len(titles(response)) == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_guarantor_task_list_query_count(
    client, django_assert_num_queries, project, guarantor, worker_a, rows
):
    for _row in range(rows):
        TaskFactory(owner=worker_a, project=project)
    client.force_login(guarantor)

    # as for the worker, plus the chosen project (the filter checks it)
    with django_assert_num_queries(7):
        response = client.get(reverse("clients:task_list"), {"project": project.pk})

    assert len(titles(response)) == rows


# --- Creating -------------------------------------------------------------------------------


def test_create_task_on_a_date_for_myself(client, worker_a):
    client.force_login(worker_a)

    response = client.post(reverse("clients:task_create"), task_data())

    task = Task.objects.get()
    assert response.url == reverse("clients:task_list")
    assert (task.title, task.kind, task.due_date, task.owner, task.created_by) == (
        "Podat námitky",
        Task.Kind.TASK,
        dt.date(2025, 4, 20),
        worker_a,
        worker_a,
    )


def test_create_deadline_in_days_moves_past_easter_monday(client, worker_a, client_a, project):
    client.force_login(worker_a)

    response = client.post(
        reverse("clients:task_create") + f"?client={client_a.pk}",
        task_data(
            due_by=forms.DUE_IN_DAYS,
            due_date="",
            delivered_on="2025-04-06",
            length="15",
            client=client_a.pk,
            project=project.pk,
        ),
        follow=True,
    )

    task = Task.objects.get()
    assert (task.due_date, task.kind, task.client, task.project) == (
        dt.date(2025, 4, 22),
        Task.Kind.DEADLINE,
        client_a,
        project,
    )
    assert response.redirect_chain == [(client_a.get_absolute_url(), 302)]
    assert messages_of(response) == [
        views.TASK_SAVED % {"due": "22. 4. 2025"}
        + " "
        + forms.DEADLINE_MOVED % {"days": "pondělí 21. 4. 2025", "due": "úterý 22. 4. 2025"}
    ]


def test_create_deadline_in_months(client, worker_a):
    client.force_login(worker_a)

    client.post(
        reverse("clients:task_create"),
        task_data(due_by=forms.DUE_IN_MONTHS, delivered_on="2026-01-31", length="1"),
    )

    assert list(Task.objects.values_list("due_date", "kind")) == [
        (dt.date(2026, 3, 2), Task.Kind.DEADLINE)
    ]


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"due_date": ""}, {"due_date": [str(forms.DUE_DATE_MISSING)]}),
        (
            {"due_by": forms.DUE_IN_DAYS, "due_date": ""},
            {
                "delivered_on": [str(forms.DELIVERED_ON_MISSING)],
                "length": [str(forms.LENGTH_MISSING)],
            },
        ),
    ],
)
def test_create_task_needs_a_due_date_and_keeps_the_input(client, worker_a, fields, errors):
    client.force_login(worker_a)

    response = client.post(reverse("clients:task_create"), task_data(note="Volat ráno", **fields))

    assert response.context["form"].errors == errors
    assert "Volat ráno" in response.text
    assert Task.objects.count() == 0


def test_create_form_offers_only_visible_clients_and_no_owner_to_a_worker(
    client, worker_a, client_a, client_b
):
    client.force_login(worker_a)

    response = client.get(reverse("clients:task_create"))

    form = response.context["form"]
    assert list(form.fields["client"].queryset) == [client_a]
    assert "owner" not in form.fields
    assert client_b.last_name not in response.text


def test_create_with_another_workers_client_in_the_address_is_404(client, worker_a, client_b):
    client.force_login(worker_a)

    response = client.get(reverse("clients:task_create"), {"client": client_b.pk})

    assert response.status_code == 404


def test_create_refuses_another_workers_client_in_the_form(client, worker_a, client_b):
    client.force_login(worker_a)

    response = client.post(reverse("clients:task_create"), task_data(client=client_b.pk))

    assert list(response.context["form"].errors) == ["client"]
    assert Task.objects.count() == 0


def test_worker_cannot_give_a_task_to_someone_else(client, worker_a, worker_b):
    client.force_login(worker_a)

    client.post(reverse("clients:task_create"), task_data(owner=worker_b.pk))

    assert list(Task.objects.values_list("owner", flat=True)) == [worker_a.pk]


def test_guarantor_gives_a_task_to_a_project_worker(client, project, guarantor, worker_a, client_a):
    client.force_login(guarantor)

    form = client.get(reverse("clients:task_create")).context["form"]
    client.post(
        reverse("clients:task_create"),
        task_data(owner=worker_a.pk, client=client_a.pk, project=project.pk),
    )

    assert sorted(u.username for u in form.fields["owner"].queryset) == ["alice", "gustav"]
    assert list(Task.objects.values_list("owner", "created_by", "client")) == [
        (worker_a.pk, guarantor.pk, client_a.pk)
    ]


@pytest.mark.parametrize(
    ("with_project", "with_client", "field", "message"),
    [
        (False, False, "project", forms.OWNER_NEEDS_PROJECT),
        (True, True, "owner", forms.OWNER_NOT_WITH_CLIENT),
    ],
)
def test_guarantor_task_for_a_worker_must_fit(
    client, project, guarantor, worker_b, client_a, with_project, with_client, field, message
):
    client.force_login(guarantor)

    response = client.post(
        reverse("clients:task_create"),
        task_data(
            owner=worker_b.pk,
            project=project.pk if with_project else "",
            client=client_a.pk if with_client else "",
        ),
    )

    assert response.context["form"].errors[field] == [message % {"worker": "Bob Terénní"}]
    assert Task.objects.count() == 0


def test_guarantor_cannot_give_a_task_to_a_worker_of_another_project(
    client, project, other_project, guarantor
):
    stranger = UserFactory()
    MembershipFactory(user=stranger, project=other_project)
    client.force_login(guarantor)

    response = client.post(
        reverse("clients:task_create"), task_data(owner=stranger.pk, project=project.pk)
    )

    assert list(response.context["form"].errors) == ["owner"]


# --- Done, in place -------------------------------------------------------------------------


def test_mark_done_without_javascript_redirects_back(client, worker_a, task_a):
    client.force_login(worker_a)

    response = client.post(
        reverse("clients:task_done", args=[task_a.pk]), {"next": "/clients/tasks/?state=open"}
    )

    task_a.refresh_from_db()
    assert response.url == "/clients/tasks/?state=open"
    assert (task_a.done_at, task_a.version) == (
        dt.datetime(2025, 4, 3, 8, 0, tzinfo=dt.UTC),
        2,
    )


def test_mark_done_with_htmx_returns_the_row(client, worker_a, task_a):
    client.force_login(worker_a)

    response = client.post(
        reverse("clients:task_done", args=[task_a.pk]),
        {"next": "/clients/tasks/"},
        headers={"HX-Request": "true"},
    )

    assert response.text.strip().startswith(
        f'<li class="list-group-item task-done" id="task-{task_a.pk}"'
    )
    assert _("Open again") in response.text
    assert "<html" not in response.text


def test_open_again(client, worker_a, task_a):
    Task.objects.filter(pk=task_a.pk).update(done_at=dt.datetime(2025, 4, 1, tzinfo=dt.UTC))
    client.force_login(worker_a)

    client.post(reverse("clients:task_done", args=[task_a.pk]), {"done": "0"})

    task_a.refresh_from_db()
    assert task_a.done_at is None


def test_mark_done_ignores_a_foreign_next_address(client, worker_a, task_a):
    client.force_login(worker_a)

    response = client.post(
        reverse("clients:task_done", args=[task_a.pk]), {"next": "https://example.com/"}
    )

    assert response.url == reverse("clients:task_list")


def test_mark_done_is_post_only(client, worker_a, task_a):
    client.force_login(worker_a)

    response = client.get(reverse("clients:task_done", args=[task_a.pk]))

    assert response.status_code == 405


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("worker_b", 404),
        ("other_guarantor", 404),
        ("foreign_admin", 404),
        ("guarantor", 302),
        ("admin_user", 302),
    ],
)
def test_mark_done_per_role(client, request, task_a, persona, status):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(reverse("clients:task_done", args=[task_a.pk]))

    task_a.refresh_from_db()
    assert (response.status_code, task_a.done_at is not None) == (status, status == 302)


# --- Editing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("worker_a", 200),
        ("worker_b", 404),
        ("guarantor", 200),
        ("admin_user", 200),
        ("other_guarantor", 404),
        ("foreign_admin", 404),
    ],
)
def test_edit_page_per_role(client, request, task_a, persona, status):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("clients:task_edit", args=[task_a.pk]))

    assert response.status_code == status
    assert (task_a.title in response.text) == (status == 200)


def test_edit_saves_and_moves_the_version(client, worker_a, task_a, client_a, project):
    client.force_login(worker_a)

    client.post(
        reverse("clients:task_edit", args=[task_a.pk]),
        task_data(
            title="Odvolání – podáno osobně",
            version=1,
            client=client_a.pk,
            project=project.pk,
            due_date="2025-04-11",
        ),
    )

    task_a.refresh_from_db()
    assert (task_a.title, task_a.due_date, task_a.version, task_a.owner) == (
        "Odvolání – podáno osobně",
        dt.date(2025, 4, 11),
        2,
        worker_a,
    )


def test_edit_refused_when_changed_meanwhile(client, worker_a, task_a):
    Task.objects.filter(pk=task_a.pk).update(version=2, title="Změněno jinde")
    client.force_login(worker_a)

    response = client.post(
        reverse("clients:task_edit", args=[task_a.pk]), task_data(title="Moje verze", version=1)
    )

    task_a.refresh_from_db()
    assert response.context["form"].non_field_errors() == [str(CONFLICT_MESSAGE)]
    assert 'value="Moje verze"' in response.text
    assert (task_a.title, task_a.version) == ("Změněno jinde", 2)


def test_guarantor_editing_a_workers_task_keeps_the_owner(
    client, guarantor, worker_a, task_a, project
):
    client.force_login(guarantor)

    client.post(
        reverse("clients:task_edit", args=[task_a.pk]),
        task_data(
            version=1,
            owner=task_a.owner_id,
            client=task_a.client_id,
            project=project.pk,
        ),
    )

    task_a.refresh_from_db()
    assert (task_a.owner, task_a.title, task_a.version) == (worker_a, "Podat námitky", 2)
