import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def _messages(response):
    return [str(message) for message in response.context["messages"]]


def test_idle_timeout_signs_out_and_activity_keeps_the_session(
    settings, client, worker_a, verified_login, time_machine
):
    settings.ACCOUNTS_IDLE_TIMEOUT = 30 * 60
    time_machine.move_to(START, tick=False)
    verified_login(worker_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    time_machine.move_to(START + dt.timedelta(minutes=25), tick=False)
    assert client.get(reverse("home")).status_code == 200
    time_machine.move_to(START + dt.timedelta(minutes=50), tick=False)
    assert client.get(reverse("home")).status_code == 200

    time_machine.move_to(START + dt.timedelta(minutes=81), tick=False)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    login_page = client.get(response["Location"])
    assert gettext(
        "You were signed out after a period of inactivity. Please sign in again."
    ) in _messages(login_page)


def test_absolute_lifetime_ends_even_an_active_session(
    settings, client, worker_a, verified_login, time_machine
):
    settings.ACCOUNTS_SESSION_MAX_AGE = 2 * 60 * 60
    time_machine.move_to(START, tick=False)
    verified_login(worker_a)
    for minutes in range(20, 120, 20):
        time_machine.move_to(START + dt.timedelta(minutes=minutes), tick=False)
        assert client.get(reverse("home")).status_code == 200
    time_machine.move_to(START + dt.timedelta(minutes=121), tick=False)
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("login"))
    assert gettext(
        "Your session has ended after the maximum time. Please sign in again."
    ) in _messages(client.get(response["Location"]))


def test_default_limits():
    from django.conf import settings

    assert settings.ACCOUNTS_IDLE_TIMEOUT == 30 * 60
    assert settings.ACCOUNTS_SESSION_MAX_AGE == 12 * 60 * 60
    assert settings.SESSION_COOKIE_AGE == settings.ACCOUNTS_SESSION_MAX_AGE
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    # Production (DEBUG off, as in the tests) requires two-step verification by default.
    assert settings.ACCOUNTS_MFA_REQUIRED is True


def test_a_request_within_a_minute_writes_nothing(client, worker_a, verified_login):
    verified_login(worker_a)
    client.get(reverse("accounts:security"))
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("accounts:security"))
    assert not [q for q in captured.captured_queries if "UPDATE" in q["sql"]]


def test_log_out_on_all_devices(client, worker_a, worker_b, verified_login):
    phone, laptop, colleague = Client(), Client(), Client()
    for device in (client, phone, laptop):
        verified_login(worker_a, on=device)
    verified_login(worker_b, on=colleague)
    assert phone.get(reverse("home")).status_code == 200

    response = client.post(reverse("accounts:logout_everywhere"))
    assert response.status_code == 302
    for device in (client, phone, laptop):
        assert device.get(reverse("home"))["Location"].startswith(reverse("login"))
    assert colleague.get(reverse("home")).status_code == 200
    assert Session.objects.count() == 1


def test_security_headers(client):
    response = client.get(reverse("login"))
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "same-origin"


def test_pages_of_a_signed_in_user_are_not_kept_by_browsers_or_proxies(
    client, worker_a, client_a, verified_login
):
    verified_login(worker_a)

    case_file = client.get(reverse("clients:detail", args=[client_a.pk]))

    assert case_file.status_code == 200
    assert case_file["Cache-Control"] == "private, no-store"
