"""User journeys in a real browser, as the people who use Casework go through them."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from casework.models import Intervention, KeyActivity
from clients.models import Task
from tests.browser.conftest import cs, log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_worker_on_a_phone_finds_a_client_logs_visits_and_one_goes_out_after_being_offline(
    phone, field_worker, client_a
):
    log_in(phone, field_worker.username)
    screenshot(phone, "worker-01-today")

    phone.goto("/clients/")
    search = phone.get_by_role("searchbox").first
    search.fill("adamkova")  # typed without diacritics: Adámková
    phone.get_by_role("link", name="Adámková").first.wait_for()
    # The typed name is posted and kept in the session; the address carries only a token.
    phone.wait_for_url("**/clients/?search=*")
    assert "adamkova" not in phone.url.lower()
    screenshot(phone, "worker-02-client-search")
    phone.get_by_role("link", name="Adámková").first.click()
    phone.wait_for_url(f"**/clients/{client_a.pk}/")
    screenshot(phone, "worker-03-case-file")

    phone.get_by_role("link", name=cs("Log a visit")).first.click()
    ka03 = KeyActivity.objects.get(code="KA 03")
    phone.get_by_label(cs("Key activity")).select_option(value=str(ka03.pk))
    phone.locator("label", has_text="30 min").click()
    phone.locator("summary.more-toggle").click()
    phone.get_by_label(cs("Follow-up task")).fill("Zavolat na úřad práce")
    due = dt.date.today() + dt.timedelta(days=7)
    phone.get_by_label(cs("Due"), exact=True).fill(due.isoformat())
    screenshot(phone, "worker-04-visit-form")
    phone.get_by_role("button", name=cs("Save"), exact=True).click()
    phone.wait_for_load_state("domcontentloaded")
    screenshot(phone, "worker-05-saved")

    visit = Intervention.objects.get(participants__client=client_a)
    assert visit.duration_minutes == 30
    assert visit.key_activity.code == "KA 03"
    task = Task.objects.get(client=client_a)
    assert (task.title, task.due_date, task.owner) == ("Zavolat na úřad práce", due, field_worker)

    # Offline in the field: the form is open, the signal goes.
    phone.goto(f"/interventions/new/?client={client_a.pk}")
    phone.get_by_label(cs("Key activity")).select_option(value=str(ka03.pk))
    phone.locator("label", has_text="30 min").click()
    phone.context.set_offline(True)
    phone.get_by_label(cs("Record")).fill("Druhá návštěva, bez signálu")
    phone.get_by_role("button", name=cs("Save"), exact=True).click()
    status = phone.locator("[data-draft-status]")
    expect(status).to_have_attribute("data-draft-state", "pending")
    expect(status).to_contain_text(cs("Not sent yet"))
    screenshot(phone, "worker-06-offline-not-sent")
    assert Intervention.objects.filter(participants__client=client_a).count() == 1

    # The signal returns: the form goes out by itself, exactly once.
    with phone.expect_navigation():
        phone.context.set_offline(False)
    screenshot(phone, "worker-07-back-online-sent")
    visits = Intervention.objects.filter(participants__client=client_a)
    assert visits.count() == 2
    assert visits.filter(record="Druhá návštěva, bez signálu").count() == 1
