"""Every model registered in the admin opens for a superuser (changelist and add form)."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

REGISTERED = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if model._meta.app_label in {"casework", "clients", "debts", "housing", "reports"}
)


def test_every_app_model_with_personal_data_or_reference_data_is_registered():
    assert ("clients", "client") in REGISTERED
    assert ("debts", "legalparameterset") in REGISTERED
    assert ("housing", "riskfactorset") in REGISTERED
    assert len(REGISTERED) >= 35


@pytest.mark.parametrize(("app_label", "model_name"), REGISTERED)
def test_admin_pages_open_for_a_superuser(client, django_user_model, app_label, model_name):
    superuser = django_user_model.objects.create_superuser("root", "root@example.cz", "x")
    client.force_login(superuser)

    changelist = client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
    add_form = client.get(reverse(f"admin:{app_label}_{model_name}_add"))

    assert (changelist.status_code, add_form.status_code) == (200, 200)
