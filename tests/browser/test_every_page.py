"""Every page a persona can open, on a 360 px phone: axe-core, no horizontal scrolling,
44 px tap targets, and no Content Security Policy violation in the console.

The pages come from the access matrix: each GET row the persona may open on their own side.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import (
    axe_violations,
    horizontal_overflow,
    screenshot,
    sign_in_by_cookie,
    small_tap_targets,
)
from tests.security.matrix import OK
from tests.security.test_access_matrix import MATRIX, world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)

PERSONA_SIDES = {"worker_a": "own", "guarantor": "own", "admin_user": "own"}


def _pages_for(persona: str, pages_world) -> list[tuple[str, str]]:
    side = PERSONA_SIDES[persona]
    index = ("own", "colleague", "foreign").index(side)
    pages = []
    for name, row in sorted(MATRIX.items()):
        expected = row.expected[persona]
        status = expected if isinstance(expected, str) else expected[index]
        if row.method == "get" and status == OK and name not in {"logout"}:
            pages.append((name, row.build(pages_world, side)))
    return pages


@pytest.mark.parametrize("persona", list(PERSONA_SIDES))
def test_every_page_on_a_phone(request, phone, live_server, world, persona):  # noqa: F811
    user = request.getfixturevalue(persona)
    sign_in_by_cookie(phone.context, live_server, user)
    csp_errors: list[str] = []
    phone.on(
        "console",
        lambda message: (
            csp_errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    problems: dict[str, list[str]] = {}
    pages = _pages_for(persona, world)
    assert len(pages) > 10, pages
    for name, path in pages:
        content_type = phone.request.get(path).headers.get("content-type", "")
        if not content_type.startswith("text/html"):
            continue  # downloads (documents, PDFs, CSV) are checked by their own tests
        response = phone.goto(path)
        assert response is not None, (name, path)
        assert response.status == 200, (name, path, response.status)
        found = [
            *axe_violations(phone),
            *([f"overflows by {px} px"] if (px := horizontal_overflow(phone)) else []),
            *(f"small target: {t}" for t in small_tap_targets(phone)),
            *(f"CSP: {e}" for e in csp_errors),
        ]
        csp_errors.clear()
        if found:
            problems[name] = found
            screenshot(phone, f"problem-{persona}-{name.replace(':', '-')}")
    assert problems == {}
