"""Dangerous actions ask for the password (and a current code) again, checked on the server."""

from dataclasses import dataclass

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils.translation import gettext
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.accounts.reauth import WRONG_CODE, WRONG_PASSWORD
from clients.models import Client

pytestmark = pytest.mark.django_db

PASSWORD = "heslo-pro-testy-2026"  # noqa: S105 - the factories' test password


def _code(device):
    return f"{totp(device.bin_key, t0=device.t0, step=device.step):06d}"


@dataclass
class Action:
    """One dangerous action: who does it, what they post, and whether it happened."""

    actor: object
    url: str
    data: dict
    prefix: str
    happened: object
    refused_status: int
    done_status: int = 302

    def post(self, client, password=None, **extra):
        data = dict(self.data)
        if password is not None:
            data[self.prefix + "password"] = password
        data.update({self.prefix + key: value for key, value in extra.items()})
        return client.post(self.url, data)


@pytest.fixture
def enrolled_worker(worker_a):
    TOTPDevice.objects.create(user=worker_a, name="app", confirmed=True)
    return worker_a


@pytest.fixture
def enrolled_guarantor(guarantor):
    TOTPDevice.objects.create(user=guarantor, name="app", confirmed=True)
    static = StaticDevice.objects.create(user=guarantor, name="recovery")
    static.token_set.create(token="abcd2345")
    return guarantor


@pytest.fixture(params=["anonymise", "mfa_disable", "recovery_codes", "deactivate"])
def action(request):
    name = request.param
    if name == "anonymise":
        admin, client = request.getfixturevalue("admin_user"), request.getfixturevalue("client_a")
        return Action(
            admin,
            reverse("audit:client_anonymise", args=[client.pk]),
            {"confirm_code": client.code},
            "",
            lambda: Client.objects.get(pk=client.pk).first_name == "[anonymizováno]",
            200,
        )
    if name == "mfa_disable":
        worker = request.getfixturevalue("enrolled_worker")
        return Action(
            worker,
            reverse("accounts:mfa_disable"),
            {},
            "off-",
            lambda: not TOTPDevice.objects.filter(user=worker).exists(),
            400,
        )
    if name == "recovery_codes":
        guarantor = request.getfixturevalue("enrolled_guarantor")
        return Action(
            guarantor,
            reverse("accounts:recovery_codes"),
            {},
            "codes-",
            lambda: (
                not StaticDevice.objects.filter(
                    user=guarantor, token_set__token="abcd2345"
                ).exists()
            ),
            400,
            done_status=200,  # the new codes are shown once
        )
    admin, worker = request.getfixturevalue("admin_user"), request.getfixturevalue("worker_b")
    return Action(
        admin,
        reverse("console:user_set_active", args=[worker.pk]),
        {"active": "0"},
        "",
        lambda: not type(worker).objects.get(pk=worker.pk).is_active,
        400,
    )


def _form_errors(response, prefix):
    for context in response.context:
        for name in ("form", "codes_form", "off_form", "deactivate_form"):
            form = context.get(name)
            if form is not None and form.prefix == (prefix.rstrip("-") or None) and form.errors:
                return form.errors
    return {}


def _confirmation(action):
    device = TOTPDevice.objects.filter(user=action.actor, confirmed=True).first()
    return {"otp_token": _code(device)} if device else {}


def test_refused_without_password(english, verified_login, action):
    verified_login(action.actor)

    response = action.post(english, **_confirmation(action))

    assert response.status_code == action.refused_status
    assert _form_errors(response, action.prefix)["password"] == [gettext("This field is required.")]
    assert not action.happened()


def test_refused_with_a_wrong_password_with_a_clear_message(english, verified_login, action):
    verified_login(action.actor)

    response = action.post(english, "not-my-password", **_confirmation(action))

    assert response.status_code == action.refused_status
    assert _form_errors(response, action.prefix)["password"] == [str(WRONG_PASSWORD)]
    assert str(WRONG_PASSWORD) in response.content.decode()
    assert not action.happened()


def test_done_with_the_right_password(client, verified_login, action):
    verified_login(action.actor)

    response = action.post(client, PASSWORD, **_confirmation(action))

    assert response.status_code == action.done_status
    assert action.happened()


@pytest.fixture
def enrolled_admin(admin_user):
    TOTPDevice.objects.create(user=admin_user, name="app", confirmed=True)
    return admin_user


def test_anonymise_by_an_enrolled_admin_needs_a_current_code(
    english, verified_login, enrolled_admin, client_a
):
    verified_login(enrolled_admin)
    url = reverse("audit:client_anonymise", args=[client_a.pk])
    data = {"confirm_code": client_a.code, "password": PASSWORD}

    missing = english.post(url, data)
    wrong = english.post(url, {**data, "otp_token": "000000"})

    assert missing.context["form"].errors == {"otp_token": [gettext("This field is required.")]}
    assert wrong.context["form"].errors == {"otp_token": [str(WRONG_CODE)]}
    assert Client.objects.get(pk=client_a.pk).first_name == client_a.first_name

    device = TOTPDevice.objects.get(user=enrolled_admin)
    device.throttle_reset()  # the wrong code started a short throttling delay
    done = english.post(url, {**data, "otp_token": _code(device)})

    assert done.status_code == 302
    assert Client.objects.get(pk=client_a.pk).first_name == "[anonymizováno]"


def test_wrong_passwords_count_toward_the_lockout(settings, client, verified_login, action):
    settings.AXES_FAILURE_LIMIT = 2
    verified_login(action.actor)

    action.post(client, "guess-one", **_confirmation(action))
    locked = action.post(client, "guess-two", **_confirmation(action))

    assert AccessAttempt.objects.get(username=action.actor.username).failures_since_start == 2
    assert locked.status_code == 429
    # Locked now: even the right password is refused, and nothing happened.
    assert action.post(client, PASSWORD, **_confirmation(action)).status_code == 429
    assert not action.happened()


def test_reactivation_needs_no_password(client, verified_login, admin_user, worker_b):
    worker_b.is_active = False
    worker_b.save(update_fields=["is_active"])
    verified_login(admin_user)

    response = client.post(reverse("console:user_set_active", args=[worker_b.pk]), {"active": "1"})

    worker_b.refresh_from_db()
    assert response.status_code == 302
    assert worker_b.is_active is True
