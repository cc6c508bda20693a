"""The data inventory covers every field of every model, and the record of processing is made
from it."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from casework.audit.inventory import (
    INVENTORY,
    Category,
    model_fields,
    project_models,
    unclassified_fields,
)
from casework.audit.sensitive import sensitive_columns

pytestmark = pytest.mark.django_db


def test_every_field_of_every_model_is_classified():
    assert unclassified_fields() == []


def test_the_inventory_names_only_fields_that_exist():
    models = {model._meta.label: set(model_fields(model)) for model in project_models()}

    stale = [
        f"{label}.{name}"
        for label, entry in INVENTORY.items()
        for name in [*entry.personal, *entry.sensitive, *entry.not_personal]
        if name not in models.get(label, ())
    ]

    assert stale == []


def test_each_field_is_in_one_class_only():
    doubled = [
        f"{label}.{name}"
        for label, entry in INVENTORY.items()
        for name in {*entry.personal, *entry.sensitive, *entry.not_personal}
        if [*entry.personal, *entry.sensitive, *entry.not_personal].count(name) > 1
    ]

    assert doubled == []


def test_special_categories_have_their_own_legal_basis():
    assert [label for label, e in INVENTORY.items() if e.sensitive and not e.sensitive_basis] == []


def test_disadvantage_codes_are_special_categories():
    assert INVENTORY["clients.Enrolment"].category_of("disadvantages") == Category.SENSITIVE
    assert ("clients_enrolment_disadvantages", "*") in sensitive_columns()


def test_client_identity_is_personal_data():
    client = INVENTORY["clients.Client"]

    assert {client.category_of(name) for name in ("first_name", "birth_number", "street")} == {
        Category.PERSONAL
    }


def test_every_table_with_personal_data_about_clients_is_tracked_by_the_audit_trigger(db):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT event_object_table FROM information_schema.triggers "
            "WHERE trigger_name = 'audit_record_change'"
        )
        tracked = {row[0] for row in cursor.fetchall()}
    # Tables of later apps are tracked by a later migration of the audit app.
    not_yet = {"review_closurerequest", "review_qualityreview"}

    untracked = {
        model._meta.db_table
        for model in project_models()
        if INVENTORY.get(model._meta.label)
        and INVENTORY[model._meta.label].client_path
        and not INVENTORY[model._meta.label].derived
        and model._meta.app_label != "audit"
    } - tracked

    assert untracked - not_yet == set()


def test_record_of_processing_lists_purposes_bases_and_special_categories(
    client, settings, admin_user
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(admin_user)

    response = client.get(reverse("audit:record_of_processing"))

    names = [str(row["name"]) for row in response.context["rows"]]
    enrolments = next(
        row for row in response.context["rows"] if row["label"] == "clients.Enrolment"
    )
    assert ("clients" in names, "monitoring codes" in names) == (True, False)
    assert [str(name) for name in enrolments["sensitive"]] == [
        "disadvantage",
        "disadvantages at entry",
    ]
    assert b"9(2)" in response.content


def test_record_of_processing_command_prints_markdown(capsys):
    call_command("record_of_processing")

    out = capsys.readouterr().out
    assert (out.startswith("# "), "| clients.Client |" in out) == (True, True)
