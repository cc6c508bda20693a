"""The intervention form with the keyboard alone: every step reachable with Tab, chosen with
arrows and Space, sent with Enter."""

from __future__ import annotations

import pytest

from casework.models import Intervention, KeyActivity
from tests.browser.conftest import sign_in_by_cookie

pytestmark = pytest.mark.django_db(transaction=True)


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches ``selector``; fail if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"{selector} cannot be reached with Tab")


def test_a_visit_is_logged_with_the_keyboard_alone(
    browser,
    live_server,
    field_worker,
    client_a,
):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="cs-CZ")
    sign_in_by_cookie(context, live_server, field_worker)
    page = context.new_page()
    page.goto(f"{live_server.url}/interventions/new/?client={client_a.pk}")
    ka03 = KeyActivity.objects.get(code="KA 03")

    tab_to(page, "select[name=key_activity]")
    page.keyboard.type("KA 03")  # type-ahead in the focused select
    assert page.eval_on_selector("select[name=key_activity]", "s => s.value") == str(ka03.pk)
    tab_to(page, "input[name=duration_preset]")
    page.keyboard.press("ArrowRight")  # 15 → 30 min
    checked = page.eval_on_selector("input[name=duration_preset]:checked", "r => r.value")
    tab_to(page, "textarea[name=record]")
    page.keyboard.type("Návštěva zapsaná jen klávesnicí")
    tab_to(page, "button[type=submit]")
    focus_ring = page.evaluate(
        "() => getComputedStyle(document.activeElement).outlineStyle !== 'none'"
        " || getComputedStyle(document.activeElement).boxShadow !== 'none'"
    )
    with page.expect_navigation():
        page.keyboard.press("Enter")
    context.close()

    visit = Intervention.objects.get(record="Návštěva zapsaná jen klávesnicí")
    assert visit.duration_minutes == int(checked) == 30
    assert visit.key_activity == ka03
    assert focus_ring  # the focused button shows where the keyboard is
