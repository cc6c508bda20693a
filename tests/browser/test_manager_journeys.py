"""The guarantor's and the administrator's journeys, through the real two-step sign-in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.models import ProjectIndicator
from clients.models import CaseAssignment
from reports.models import GeneratedReport, ReportStatus
from tests.browser.conftest import PASSWORD, cs, screenshot
from tests.factories import IndividualPlanFactory, InterventionFactory, add_participant
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _sessions_pass_two_step_verification():
    """Here the sign-in goes through the real two-step verification (overrides tests/conftest)."""
    return


def sign_in_with_code(page, user) -> None:
    """Password, then the code the user's authenticator app would show now."""
    user.set_password(PASSWORD)
    user.save()
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    page.goto("/login/")
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_url("**/verify/**")
    code = f"{totp(device.bin_key, t0=device.t0, step=device.step):06d}"
    page.locator("input[name=token]").fill(code)
    page.get_by_role("button", name=cs("Verify")).click()
    page.wait_for_load_state("domcontentloaded")


def test_guarantor_reviews_the_board_reassigns_a_client_and_signs_off_a_plan(
    desktop, running_project, guarantor, worker_a, worker_b, client_a
):
    plan = IndividualPlanFactory(project=running_project, client=client_a, created_by=worker_a)
    sign_in_with_code(desktop, guarantor)

    desktop.goto("/board/")
    screenshot(desktop, "guarantor-01-board")
    desktop.get_by_role("link", name=worker_a.get_full_name()).first.click()
    screenshot(desktop, "guarantor-02-worker")
    desktop.get_by_role("link", name=cs("Reassign")).first.click()
    desktop.get_by_label(cs("Project")).select_option(value=str(running_project.pk))
    desktop.get_by_label(cs("New key worker")).select_option(value=str(worker_b.pk))
    desktop.get_by_label(cs("From")).fill(dt.date.today().isoformat())
    screenshot(desktop, "guarantor-03-reassign")
    desktop.get_by_role("button", name=cs("Reassign")).click()
    desktop.wait_for_url(f"**/clients/{client_a.pk}/")

    current = CaseAssignment.objects.get(client=client_a, ended_on__isnull=True)
    assert current.worker == worker_b
    assert (
        CaseAssignment.objects.filter(client=client_a, worker=worker_a)
        .exclude(ended_on=None)
        .exists()
    )  # the previous key worker stays in the history

    desktop.goto(f"/clients/plans/{plan.pk}/")
    desktop.get_by_role("button", name=cs("Sign off the plan")).click()
    desktop.wait_for_load_state("domcontentloaded")
    screenshot(desktop, "guarantor-04-plan-signed")
    plan.refresh_from_db()
    assert plan.signed_by == guarantor


def test_admin_generates_the_indicator_report_and_the_pdf_holds_the_numbers_on_screen(
    desktop, running_project, admin_user, worker_a, client_a, client_b, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    ProjectIndicator.objects.create(
        project=running_project, code="6 00 00", name="Celkový počet účastníků", target=40
    )
    ProjectIndicator.objects.create(
        project=running_project, code="6 70 10", name="Využívání podpořených služeb", target=60
    )
    for client in (client_a, client_b):
        visit = InterventionFactory(
            project=running_project, date=dt.date.today(), duration_minutes=45
        )
        add_participant(visit, client)
    sign_in_with_code(desktop, admin_user)

    desktop.goto(f"/reports/projects/{running_project.pk}/indicators/")
    screenshot(desktop, "admin-01-indicator-table")
    on_screen = [
        [cell.strip() for cell in row.inner_text().split("\t")]
        for row in desktop.locator("table tbody tr").all()
    ]

    desktop.goto("/reports/new/")
    desktop.get_by_label(cs("Report")).select_option("indicators")
    desktop.get_by_label(cs("Project")).select_option(str(running_project.pk))
    desktop.locator("select[name=period_choice]").select_option("cumulative")
    desktop.get_by_label(cs("Format")).select_option("pdf")
    screenshot(desktop, "admin-02-generate")
    desktop.locator("form [type=submit]").last.click()
    desktop.locator("#report-progress").wait_for()
    screenshot(desktop, "admin-03-progress")

    # The task worker picks the queued report up, as `db_worker` does beside the server; the
    # page keeps polling meanwhile (the browser and the live server run on their own).
    call_command("db_worker", "--batch")
    download_link = desktop.get_by_role("link", name=cs("Download"))
    download_link.wait_for(timeout=30_000)
    screenshot(desktop, "admin-04-ready")
    with desktop.expect_download() as download_info:
        download_link.click()
    pdf = tmp_path / "indicators.pdf"
    download_info.value.save_as(pdf)

    report = GeneratedReport.objects.get()
    assert report.status == ReportStatus.DONE
    text = pdf_text(pdf.read_bytes())
    assert running_project.registration_number in text
    indicator_rows = [row for row in on_screen if row[0] in {"6 00 00", "6 70 10"}]
    assert len(indicator_rows) == 2, on_screen
    service_use = next(row for row in indicator_rows if row[0] == "6 70 10")
    assert service_use[3] == "2"  # two persons supported in the period, as on screen
    for code, _name, target, in_period, *_rest in indicator_rows:
        line = next(line for line in text.splitlines() if line.strip().startswith(code))
        assert target in line, (target, line)
        assert in_period in line.split(target, 1)[1], (in_period, line)
