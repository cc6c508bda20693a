"""The account owner gets a mail after each security event, never with a password or code."""

import pytest
from django.urls import reverse
from django.utils import translation
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.accounts import notifications
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "heslo-pro-testy-2026"  # noqa: S105 - the factories' test password
NEW_PASSWORD = "nove-heslo-pro-testy-2027"  # noqa: S105 - a test account


def _code(device):
    return f"{totp(device.bin_key, t0=device.t0, step=device.step):06d}"


def _event_text(event):
    subject, message = notifications.EVENTS[event]
    with translation.override("cs"):
        return f"Casework: {subject}", str(message)


def _assert_one_mail(mailoutbox, user, event):
    subject, message = _event_text(event)
    assert [(mail.to, mail.subject) for mail in mailoutbox] == [([user.email], subject)]
    body = mailoutbox[0].body
    assert message in body
    # Czech unless the account says otherwise (accounts keep no language preference).
    assert f"Dobrý den, {user.get_full_name()}," in body
    return body


def test_lockout_mails_the_owner_once(settings, client, mailoutbox, worker_a):
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        client.post(reverse("login"), {"username": worker_a.username, "password": "wrong"})

    body = _assert_one_mail(mailoutbox, worker_a, notifications.LOCKED_OUT)
    assert "wrong" not in body


def test_failures_below_the_limit_send_nothing(settings, client, mailoutbox, worker_a):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(reverse("login"), {"username": worker_a.username, "password": "wrong"})

    assert mailoutbox == []


def test_turning_two_step_verification_on(client, mailoutbox, worker_a, verified_login):
    verified_login(worker_a)
    client.get(reverse("accounts:mfa_setup"))
    device = TOTPDevice.objects.get(user=worker_a, confirmed=False)

    response = client.post(reverse("accounts:mfa_setup"), {"token": _code(device)})

    body = _assert_one_mail(mailoutbox, worker_a, notifications.MFA_ON)
    for code in response.context["codes"]:
        assert code not in body


def test_turning_two_step_verification_off(client, mailoutbox, worker_a, verified_login):
    device = TOTPDevice.objects.create(user=worker_a, name="app", confirmed=True)
    verified_login(worker_a)

    client.post(
        reverse("accounts:mfa_disable"), {"off-password": PASSWORD, "off-otp_token": _code(device)}
    )

    body = _assert_one_mail(mailoutbox, worker_a, notifications.MFA_OFF)
    assert PASSWORD not in body


def test_reset_by_the_administrator_tells_the_person(
    client, mailoutbox, admin_user, worker_a, verified_login
):
    TOTPDevice.objects.create(user=worker_a, name="app", confirmed=True)
    verified_login(admin_user)

    client.post(reverse("accounts:mfa_reset", args=[worker_a.pk]))

    _assert_one_mail(mailoutbox, worker_a, notifications.MFA_OFF)


def test_new_recovery_codes(client, mailoutbox, worker_a, verified_login):
    device = TOTPDevice.objects.create(user=worker_a, name="app", confirmed=True)
    verified_login(worker_a)

    response = client.post(
        reverse("accounts:recovery_codes"),
        {"codes-password": PASSWORD, "codes-otp_token": _code(device)},
    )

    body = _assert_one_mail(mailoutbox, worker_a, notifications.RECOVERY_CODES)
    codes = response.context["codes"]
    assert len(codes) == 10
    assert not [code for code in codes if code in body]
    assert StaticDevice.objects.get(user=worker_a).token_set.count() == 10


def test_refused_confirmation_sends_nothing(client, mailoutbox, worker_a, verified_login):
    device = TOTPDevice.objects.create(user=worker_a, name="app", confirmed=True)
    verified_login(worker_a)

    client.post(
        reverse("accounts:recovery_codes"),
        {"codes-password": "wrong", "codes-otp_token": _code(device)},
    )

    assert mailoutbox == []


def test_password_change(client, mailoutbox, worker_a, verified_login):
    verified_login(worker_a)

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response["Location"] == reverse("password_change_done")
    body = _assert_one_mail(mailoutbox, worker_a, notifications.PASSWORD_CHANGED)
    assert PASSWORD not in body
    assert NEW_PASSWORD not in body


def test_log_out_everywhere(client, mailoutbox, worker_a, verified_login):
    verified_login(worker_a)

    client.post(reverse("accounts:logout_everywhere"))

    _assert_one_mail(mailoutbox, worker_a, notifications.SIGNED_OUT_EVERYWHERE)


def test_account_without_address_gets_nothing(mailoutbox, project):
    person = UserFactory(email="")

    assert notifications.notify(person, notifications.PASSWORD_CHANGED) is False
    assert mailoutbox == []
