import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # noqa: S105 - a test account


def _attempt(client, user, password):
    return client.post(reverse("login"), {"username": user.username, "password": password})


@pytest.fixture
def alice(worker_a):
    worker_a.set_password(PASSWORD)
    worker_a.save()
    return worker_a


def test_lockout_after_the_failure_limit_with_a_clear_message(settings, english, alice):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _attempt(english, alice, "wrong")
        assert response.status_code == 200
    response = _attempt(english, alice, "wrong")
    assert response.status_code == 429
    assert "Too many failed sign-in attempts." in response.content.decode()
    # Even the right password is refused while the account is locked.
    response = _attempt(english, alice, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in english.session


def test_success_before_the_limit_resets_the_count(settings, client, alice):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _attempt(client, alice, "wrong")
    assert _attempt(client, alice, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username=alice.username).exists()


def test_lockout_ends_after_the_cool_off(settings, client, alice, time_machine):
    time_machine.move_to("2026-03-02 09:00 +01:00", tick=False)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, alice, "wrong")
    assert _attempt(client, alice, PASSWORD).status_code == 429
    time_machine.shift(settings.AXES_COOLOFF_TIME * 3600 + 60)
    assert _attempt(client, alice, PASSWORD).status_code == 302


def _lock(client, user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, user, "wrong")
    assert _attempt(client, user, PASSWORD).status_code == 429


def test_admin_sees_and_unlocks_a_locked_person_of_their_organisation(
    settings, client, django_app_client, alice, admin_user, verified_login
):
    _lock(django_app_client, alice, settings)
    verified_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("accounts:lockouts"))
    assert list(page.context["locked_users"]) == [alice]

    response = client.post(reverse("accounts:unlock", args=[alice.pk]))
    assert response.status_code == 302
    assert gettext("%(name)s can sign in again.") % {"name": alice.get_full_name()} in [
        str(m) for m in client.get(response["Location"]).context["messages"]
    ]
    assert _attempt(django_app_client, alice, PASSWORD).status_code == 302


def test_admin_of_another_organisation_cannot_unlock(
    settings, client, django_app_client, alice, foreign_admin, verified_login
):
    _lock(django_app_client, alice, settings)
    verified_login(foreign_admin)
    assert list(client.get(reverse("accounts:lockouts")).context["locked_users"]) == []
    assert client.post(reverse("accounts:unlock", args=[alice.pk])).status_code == 404
    assert _attempt(django_app_client, alice, PASSWORD).status_code == 429


def test_workers_and_guarantors_cannot_unlock(client, alice, guarantor, verified_login):
    verified_login(guarantor)
    assert client.get(reverse("accounts:lockouts")).status_code == 403
    assert client.post(reverse("accounts:unlock", args=[alice.pk])).status_code == 403


@pytest.fixture
def django_app_client():
    return Client()


def test_admin_resets_two_step_verification_of_a_person_who_lost_their_phone(
    client, guarantor, admin_user, foreign_admin, verified_login
):
    TOTPDevice.objects.create(user=guarantor, name="app", confirmed=True)
    StaticDevice.objects.create(user=guarantor, name="recovery").token_set.create(token="x")
    phone = verified_login(guarantor, on=Client())

    verified_login(foreign_admin)
    assert client.post(reverse("accounts:mfa_reset", args=[guarantor.pk])).status_code == 404
    assert TOTPDevice.objects.filter(user=guarantor).exists()

    verified_login(admin_user)
    assert list(client.get(reverse("accounts:lockouts")).context["enrolled_users"]) == [guarantor]
    assert client.post(reverse("accounts:mfa_reset", args=[guarantor.pk])).status_code == 302
    assert not TOTPDevice.objects.filter(user=guarantor).exists()
    assert not StaticDevice.objects.filter(user=guarantor).exists()
    # Their sessions ended; at the next sign-in they are sent to set up a new app.
    assert phone.get(reverse("home"))["Location"].startswith(reverse("login"))
    assert client.get(reverse("home")).status_code == 200
