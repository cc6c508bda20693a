import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from casework.console.forms import EMAIL_TAKEN
from casework.console.services import WORKS_ELSEWHERE
from casework.models import Membership
from casework.roles import Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


def _invite(client, project, email="nova.pracovnice@example.cz", **extra):
    data = {
        "email": email,
        "first_name": "Nová",
        "last_name": "Pracovnice",
        "project": project.pk,
        "role": Role.WORKER,
        **extra,
    }
    return client.post(reverse("console:user_invite"), data)


def test_invite_creates_account_without_password_and_mails_a_link(
    client, django_capture_on_commit_callbacks, project, admin_user
):
    client.force_login(admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, project)

    person = User.objects.get(email="nova.pracovnice@example.cz")
    assert response.status_code == 302
    assert not person.has_usable_password()
    assert list(Membership.objects.filter(user=person).values_list("project", "role")) == [
        (project.pk, Role.WORKER)
    ]
    (message,) = mail.outbox
    assert message.to == ["nova.pracovnice@example.cz"]
    assert re.search(r"/console/welcome/[^/]+/[^/]+/", message.body)


def test_invited_person_sets_password_through_the_link_and_signs_in(
    client, django_capture_on_commit_callbacks, project, admin_user
):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, project)
    client.logout()
    link = re.search(r"(/console/welcome/[^/]+/[^/\s]+/)", mail.outbox[0].body).group(1)

    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"new_password1": "Silné-heslo-2026", "new_password2": "Silné-heslo-2026"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("console:password_set_done")
    assert client.login(username="nova.pracovnice@example.cz", password="Silné-heslo-2026")


def test_invite_with_taken_email_keeps_input(english, project, admin_user, worker_a):
    english.force_login(admin_user)

    response = _invite(english, project, email=worker_a.email.upper())

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [str(EMAIL_TAKEN)]
    assert 'value="Pracovnice"' in response.text
    assert not mail.outbox


def test_invite_into_foreign_project_is_refused(english, project, foreign_project, admin_user):
    english.force_login(admin_user)

    response = _invite(english, foreign_project)

    assert response.context["form"].errors["project"] == [
        "Choose one of your organisation's projects."
    ]
    assert not User.objects.filter(email="nova.pracovnice@example.cz").exists()


def test_deactivated_person_cannot_sign_in_and_keeps_history(client, admin_user, worker_a):
    client.force_login(admin_user)

    response = client.post(
        reverse("console:user_set_active", args=[worker_a.pk]),
        {"active": "0", "password": "heslo-pro-testy-2026"},
    )

    worker_a.refresh_from_db()
    assert response.status_code == 302
    assert worker_a.is_active is False
    assert Membership.objects.filter(user=worker_a).count() == 1
    client.logout()
    assert not client.login(username="alice", password="heslo-pro-testy-2026")


def test_person_working_for_another_organisation_is_not_deactivated(
    client, admin_user, worker_a, foreign_project
):
    MembershipFactory(user=worker_a, project=foreign_project, role=Role.WORKER)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(admin_user)

    response = client.post(
        reverse("console:user_set_active", args=[worker_a.pk]),
        {"active": "0", "password": "heslo-pro-testy-2026"},
        follow=True,
    )

    worker_a.refresh_from_db()
    assert worker_a.is_active is True
    assert [str(m) for m in response.context["messages"]] == [str(WORKS_ELSEWHERE)]


def test_admin_gives_and_changes_a_role(client, admin_user, worker_a, other_project):
    client.force_login(admin_user)
    url = reverse("console:user_detail", args=[worker_a.pk])

    client.post(url, {"project": other_project.pk, "role": Role.WORKER})
    client.post(url, {"project": other_project.pk, "role": Role.GUARANTOR})

    assert Membership.objects.get(user=worker_a, project=other_project).role == Role.GUARANTOR


def test_admin_cannot_give_role_in_foreign_project(client, admin_user, worker_a, foreign_project):
    client.force_login(admin_user)

    response = client.post(
        reverse("console:user_detail", args=[worker_a.pk]),
        {"project": foreign_project.pk, "role": Role.ADMIN},
    )

    assert response.status_code == 400
    assert not Membership.objects.filter(project=foreign_project, user=worker_a).exists()


def test_user_list_shows_only_own_organisation(
    client, admin_user, worker_a, worker_b, guarantor, foreign_admin
):
    client.force_login(admin_user)

    response = client.get(reverse("console:user_list"))

    assert set(response.context["page"].object_list) == {admin_user, worker_a, worker_b, guarantor}


@pytest.mark.parametrize("count", [1, 3])
def test_user_list_query_count(client, django_assert_num_queries, project, admin_user, count):
    for _ in range(count):
        MembershipFactory(user=UserFactory(), project=project, role=Role.WORKER)
    client.force_login(admin_user)

    # Session, user, roles; count, page of people, their memberships with projects.
    with django_assert_num_queries(6):
        response = client.get(reverse("console:user_list"))

    assert len(response.context["page"].object_list) == count + 1
