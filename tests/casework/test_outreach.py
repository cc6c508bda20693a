"""Anonymous outreach: head counts that are never participants (DOMAIN.md §2)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils.html import escape

from casework import forms, services
from casework.models import OutreachContact
from clients.models import Enrolment
from clients.queries import with_participant_status
from tests.factories import InterventionFactory, KeyActivityFactory, LocalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2021, 3, 15, 10, 0, tzinfo=ZoneInfo("Europe/Prague")))


@pytest.fixture
def ka01(project):
    return KeyActivityFactory(project=project, code="KA 01", name="Oslovení cílové skupiny")


@pytest.fixture
def locality(project):
    place = LocalityFactory(organisation=project.organisation, name="Hvězdov")
    project.localities.add(place)
    return place


def outreach(project, key_activity, **overrides) -> dict:
    data = {
        "project": project.pk,
        "key_activity": key_activity.pk,
        "date": "2021-03-15",
        "head_count": "5",
        "duration_minutes": "40",
    }
    data.update(overrides)
    return data


def contact_of(worker, project, key_activity, **fields):
    values = {"date": dt.date(2021, 3, 1), "head_count": 4, "duration_minutes": 30, **fields}
    return OutreachContact.objects.create(
        project=project, key_activity=key_activity, worker=worker, **values
    )


# --- Logging ----------------------------------------------------------------------------------


def test_log_outreach(client, project, worker_a, ka01, locality):
    client.force_login(worker_a)

    response = client.post(
        reverse("outreach_create"),
        outreach(project, ka01, locality=locality.pk, note="U zastávky"),
    )

    contact = OutreachContact.objects.get()
    assert (response.status_code, response.url) == (302, reverse("outreach_list"))
    assert (
        contact.date,
        contact.head_count,
        contact.duration_minutes,
        contact.locality,
        contact.worker,
        contact.note,
        contact.identified_client,
    ) == (dt.date(2021, 3, 15), 5, 40, locality, worker_a, "U zastávky", None)


def test_outreach_form_defaults(client, worker_a, ka01, locality):
    client.force_login(worker_a)

    response = client.get(reverse("outreach_create"))

    form = response.context["form"]
    assert (form.initial["date"], form.single_project) == (dt.date(2021, 3, 15), ka01.project)
    assert list(form.fields["locality"].queryset) == [locality]


@pytest.mark.parametrize("persona", ["guarantor", "admin_user", "foreign_admin"])
def test_outreach_form_is_for_field_workers_only(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("outreach_create"))

    assert (response.status_code, response.context["form"]) == (403, None)


@pytest.mark.parametrize("head_count", ["0", "-1", "1001", "hodně"])
def test_outreach_head_count_range(client, project, worker_a, ka01, head_count):
    client.force_login(worker_a)

    response = client.post(
        reverse("outreach_create"), outreach(project, ka01, head_count=head_count)
    )

    assert response.context["form"].errors["head_count"] == [forms.HEAD_COUNT_RANGE]
    assert escape(str(forms.HEAD_COUNT_RANGE)) in response.text
    assert OutreachContact.objects.count() == 0


def test_outreach_duration_range(client, project, worker_a, ka01):
    client.force_login(worker_a)

    response = client.post(
        reverse("outreach_create"), outreach(project, ka01, duration_minutes="1441")
    )

    assert response.context["form"].errors["duration_minutes"] == [forms.DURATION_RANGE]


def test_outreach_in_the_future(client, project, worker_a, ka01):
    client.force_login(worker_a)

    response = client.post(reverse("outreach_create"), outreach(project, ka01, date="2021-03-16"))

    assert response.context["form"].errors["date"] == [str(services.DATE_IN_FUTURE)]
    assert OutreachContact.objects.count() == 0


def test_outreach_before_the_project(client, project, worker_a, ka01):
    client.force_login(worker_a)

    response = client.post(reverse("outreach_create"), outreach(project, ka01, date="2020-08-31"))

    assert response.context["form"].errors["date"] == [
        str(services.DATE_BEFORE_PROJECT) % {"start": "1. 9. 2020"}
    ]


def test_outreach_locality_of_another_project_is_refused(project, other_project, worker_a, ka01):
    elsewhere = LocalityFactory(organisation=project.organisation)
    other_project.localities.add(elsewhere)

    with pytest.raises(services.ValidationError) as excinfo:
        services.log_outreach(
            by=worker_a,
            project=project,
            key_activity=ka01,
            date=dt.date(2021, 3, 1),
            head_count=2,
            locality=elsewhere,
        )

    assert excinfo.value.message_dict == {"locality": [str(services.LOCALITY_NOT_IN_PROJECT)]}


def test_outreach_key_activity_of_another_project_is_refused(project, other_project, worker_a):
    foreign_ka = KeyActivityFactory(project=other_project)

    with pytest.raises(services.ValidationError) as excinfo:
        services.log_outreach(
            by=worker_a,
            project=project,
            key_activity=foreign_ka,
            date=dt.date(2021, 3, 1),
            head_count=2,
        )

    assert excinfo.value.message_dict == {
        "key_activity": [str(services.KEY_ACTIVITY_NOT_IN_PROJECT)]
    }


# --- The list -----------------------------------------------------------------------------------


@pytest.fixture
def two_contacts(project, worker_a, worker_b, ka01):
    mine = contact_of(worker_a, project, ka01, date=dt.date(2021, 3, 1), note="Moje depistáž")
    theirs = contact_of(worker_b, project, ka01, date=dt.date(2021, 3, 2), note="Kolegova")
    return mine, theirs


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        pytest.param("worker_a", ["mine"], id="worker-own"),
        pytest.param("worker_b", ["theirs"], id="other-worker-own"),
        pytest.param("guarantor", ["theirs", "mine"], id="guarantor-project"),
        pytest.param("admin_user", ["theirs", "mine"], id="admin-organisation"),
        pytest.param("other_guarantor", [], id="guarantor-of-another-project"),
        pytest.param("foreign_admin", [], id="foreign-admin"),
    ],
)
def test_outreach_list_by_role(client, request, two_contacts, persona, expected):
    mine, theirs = two_contacts
    named = {"mine": mine, "theirs": theirs}
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("outreach_list"))

    assert list(response.context["page"].object_list) == [named[n] for n in expected]


def test_outreach_list_filters_by_date(client, guarantor, two_contacts):
    mine, _theirs = two_contacts
    client.force_login(guarantor)

    response = client.get(reverse("outreach_list"), {"date_to": "2021-03-01"})

    assert list(response.context["page"].object_list) == [mine]


@pytest.mark.parametrize("size", [1, 3])
def test_outreach_list_query_count(
    client, django_assert_num_queries, project, worker_a, client_a, ka01, locality, size
):
    for _ in range(size):
        contact_of(worker_a, project, ka01, locality=locality, identified_client=client_a)
    client.force_login(worker_a)

    # session, user, roles (navigation), filter choices (project), count, rows with their
    # related rows, which linked clients the user may see.
    with django_assert_num_queries(7):
        response = client.get(reverse("outreach_list"))

    assert len(response.context["page"].object_list) == size
    assert response.context["visible_clients"] == {client_a.pk}


# --- Linking a contact who has since identified -------------------------------------------------


def test_link_shows_the_workers_clients_in_the_project(
    client, worker_a, client_a, client_b, two_contacts
):
    mine, _theirs = two_contacts
    client.force_login(worker_a)

    response = client.get(reverse("outreach_link", args=[mine.pk]))

    assert list(response.context["form"].fields["client"].queryset) == [client_a]
    assert client_b.last_name not in response.text


def test_link_records_the_client_without_creating_support(
    client, project, worker_a, client_a, ka01, two_contacts
):
    mine, _theirs = two_contacts
    InterventionFactory(project=project, duration_minutes=90, participants=[client_a])
    enrolment = Enrolment.objects.filter(client=client_a, project=project)
    before = with_participant_status(enrolment).get().support_minutes
    client.force_login(worker_a)

    response = client.post(reverse("outreach_link", args=[mine.pk]), {"client": client_a.pk})

    mine.refresh_from_db()
    after = with_participant_status(enrolment).get().support_minutes
    assert (response.status_code, response.url) == (302, reverse("outreach_list"))
    assert (mine.identified_client, mine.head_count, mine.duration_minutes) == (client_a, 4, 30)
    assert (before, after) == (90, 90)


def test_link_to_a_client_the_worker_cannot_see_is_refused(
    client, worker_a, client_b, two_contacts
):
    mine, _theirs = two_contacts
    client.force_login(worker_a)

    response = client.post(reverse("outreach_link", args=[mine.pk]), {"client": client_b.pk})

    mine.refresh_from_db()
    assert list(response.context["form"].errors) == ["client"]
    assert mine.identified_client is None


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        pytest.param("worker_a", 200, id="worker-who-logged-it"),
        pytest.param("worker_b", 404, id="other-worker"),
        pytest.param("guarantor", 200, id="guarantor"),
        pytest.param("admin_user", 200, id="admin"),
        pytest.param("other_guarantor", 404, id="guarantor-of-another-project"),
        pytest.param("foreign_admin", 404, id="foreign-admin"),
    ],
)
def test_link_page_by_role(client, request, two_contacts, persona, status):
    mine, _theirs = two_contacts
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("outreach_link", args=[mine.pk]))

    assert response.status_code == status
    assert ("Oslovení cílové skupiny" in response.text) == (status == 200)


def test_other_worker_cannot_link_by_url(client, worker_b, client_b, two_contacts):
    mine, _theirs = two_contacts
    client.force_login(worker_b)

    response = client.post(reverse("outreach_link", args=[mine.pk]), {"client": client_b.pk})

    mine.refresh_from_db()
    assert (response.status_code, mine.identified_client) == (404, None)


def test_guarantor_links_any_project_client(client, guarantor, client_b, two_contacts):
    mine, _theirs = two_contacts
    client.force_login(guarantor)

    client.post(reverse("outreach_link", args=[mine.pk]), {"client": client_b.pk})

    mine.refresh_from_db()
    assert mine.identified_client == client_b


def test_linked_name_shows_only_to_those_who_may_see_the_client(
    client, project, worker_a, client_b, ka01
):
    contact = contact_of(worker_a, project, ka01, identified_client=client_b)
    client.force_login(worker_a)

    response = client.get(reverse("outreach_list"))

    assert list(response.context["page"].object_list) == [contact]
    assert client_b.last_name not in response.text


@pytest.mark.parametrize("name", ["outreach_list", "outreach_create"])
def test_outreach_pages_need_login(client, name):
    response = client.get(reverse(name))

    assert (response.status_code, response.url) == (302, f"{reverse('login')}?next={reverse(name)}")
