import re

import pytest
from django.urls import reverse
from django.utils.translation import gettext
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # noqa: S105 - a test account


def _sign_in(client, user):
    user.set_password(PASSWORD)
    user.save()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def _code(device, shift=0):
    return f"{totp(device.bin_key, t0=device.t0 - shift, step=device.step):06d}"


def test_guarantor_is_sent_to_setup_and_cannot_use_the_app(client, guarantor, client_a):
    _sign_in(client, guarantor)
    for name, args in (("home", []), ("clients:list", []), ("clients:detail", [client_a.pk])):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:mfa_setup"))
    # htmx requests are redirected as a whole page.
    response = client.get(reverse("clients:list"), headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == reverse("accounts:mfa_setup")
    # Posting elsewhere does nothing either.
    assert client.post(reverse("clients:create"), {}).status_code == 302


def test_admin_enrols_with_a_real_code_and_gets_recovery_codes(client, admin_user):
    _sign_in(client, admin_user)
    page = client.get(reverse("accounts:mfa_setup") + "?next=/clients/")
    assert page.status_code == 200
    assert b"<svg" in page.content
    assert b"<script" not in page.content.split(b"</head>")[1]
    device = TOTPDevice.objects.get(user=admin_user, confirmed=False)

    wrong = client.post(reverse("accounts:mfa_setup"), {"token": "000000"})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors["token"]
    assert client.get(reverse("home")).status_code == 302
    device.refresh_from_db()
    device.throttle_reset()  # the wrong code started a short throttling delay

    done = client.post(reverse("accounts:mfa_setup"), {"token": _code(device), "next": "/clients/"})
    assert done.status_code == 200
    assert len(done.context["codes"]) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert StaticDevice.objects.get(user=admin_user).token_set.count() == 10
    assert client.get(reverse("home")).status_code == 200


def test_worker_may_skip_two_step_verification(client, worker_a):
    _sign_in(client, worker_a)
    assert client.get(reverse("home")).status_code == 200


def test_requirement_can_be_switched_off(settings, client, guarantor):
    settings.ACCOUNTS_MFA_REQUIRED = False
    _sign_in(client, guarantor)
    assert client.get(reverse("home")).status_code == 200


@pytest.fixture
def enrolled_guarantor(guarantor):
    TOTPDevice.objects.create(user=guarantor, name="app", confirmed=True)
    static = StaticDevice.objects.create(user=guarantor, name="recovery")
    static.token_set.create(token="abcd2345")
    return guarantor


def test_enrolled_user_enters_a_code_after_the_password(settings, client, enrolled_guarantor):
    _sign_in(client, enrolled_guarantor)
    response = client.get(reverse("clients:list"))
    assert response["Location"] == reverse("accounts:mfa_verify") + "?next=%2Fclients%2F"

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    wrong = client.post(reverse("accounts:mfa_verify"), {"token": "123456"})
    assert wrong.status_code == 200
    assert "This code is not valid." in wrong.content.decode()

    device = TOTPDevice.objects.get(user=enrolled_guarantor)
    device.throttle_reset()  # the wrong code above started a short throttling delay
    ok = client.post(reverse("accounts:mfa_verify"), {"token": _code(device), "next": "/clients/"})
    assert ok.status_code == 302
    assert ok["Location"] == "/clients/"
    assert client.get(reverse("clients:list")).status_code == 200


def test_workers_who_enrolled_are_asked_too(client, worker_a):
    TOTPDevice.objects.create(user=worker_a, name="app", confirmed=True)
    _sign_in(client, worker_a)
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:mfa_verify"))


def test_recovery_code_works_once(settings, client, enrolled_guarantor):
    _sign_in(client, enrolled_guarantor)
    response = client.post(reverse("accounts:mfa_verify"), {"token": "ABCD 2345"})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200

    client.post(reverse("logout"))
    _sign_in(client, enrolled_guarantor)
    again = client.post(reverse("accounts:mfa_verify"), {"token": "abcd2345"})
    assert again.status_code == 200
    assert client.get(reverse("home")).status_code == 302


def test_an_open_redirect_is_refused(client, enrolled_guarantor):
    _sign_in(client, enrolled_guarantor)
    device = TOTPDevice.objects.get(user=enrolled_guarantor)
    response = client.post(
        reverse("accounts:mfa_verify"), {"token": _code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


def test_new_recovery_codes_replace_the_old_ones(client, enrolled_guarantor, verified_login):
    verified_login(enrolled_guarantor)
    device = TOTPDevice.objects.get(user=enrolled_guarantor)
    response = client.post(
        reverse("accounts:recovery_codes"),
        {"codes-password": "heslo-pro-testy-2026", "codes-otp_token": _code(device)},
    )
    codes = response.context["codes"]
    assert len(codes) == 10
    assert all(re.fullmatch(r"[a-z2-7]{8}", code) for code in codes)
    tokens = set(
        StaticDevice.objects.get(user=enrolled_guarantor).token_set.values_list("token", flat=True)
    )
    assert tokens == set(codes)


def test_worker_may_turn_it_off_guarantor_may_not(
    client, worker_a, enrolled_guarantor, verified_login
):
    device = TOTPDevice.objects.create(user=worker_a, name="app", confirmed=True)
    verified_login(worker_a)
    confirmation = {"off-password": "heslo-pro-testy-2026", "off-otp_token": _code(device)}
    assert client.post(reverse("accounts:mfa_disable"), confirmation).status_code == 302
    assert not TOTPDevice.objects.filter(user=worker_a).exists()
    verified_login(enrolled_guarantor)
    assert client.post(reverse("accounts:mfa_disable")).status_code == 403
    assert TOTPDevice.objects.filter(user=enrolled_guarantor).exists()


def test_security_page_text(settings, client, worker_a, verified_login):
    verified_login(worker_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("accounts:security")).content.decode()
    assert gettext("Log out on all devices") in page
