"""Real-browser tests: Playwright for Python driving Debian's Chromium against the live server.

The browser is the system's (``/usr/bin/chromium``, or ``CHROMIUM_PATH``): Playwright's own
browser download is neither needed nor wanted. axe-core comes from the npm registry
(``npm ci --prefix tests/browser``, run by ``make test``) and is evaluated in the page through
the DevTools protocol, so the page's strict Content Security Policy stays in force.
Screenshots of the key screens go to ``test-artifacts/browser/`` (git-ignored).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings
from django.utils import translation

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the test
# itself (fixtures, assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Page, sync_playwright

from tests.factories import DeliveryModeFactory, KeyActivityFactory

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "browser"
PHONE = {"width": 360, "height": 780}
PASSWORD = "browser-test-password"  # noqa: S105 (test users only)


@pytest.fixture(scope="session")
def _plain_http():
    # The live server speaks plain HTTP. SecurityMiddleware reads these settings once, when the
    # server's handler is built, so they must be off before the live server starts.
    with override_settings(SECURE_SSL_REDIRECT=False, SECURE_HSTS_SECONDS=0):
        yield


@pytest.fixture(scope="session")
def live_server(_plain_http, live_server):
    return live_server


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; install Debian's chromium (see .ci/run).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser, live_server):
    """A phone-sized page (360 × 780, touch) in Czech, its own cookies."""
    context = browser.new_context(
        viewport=PHONE,
        has_touch=True,
        is_mobile=True,
        device_scale_factor=2,
        locale="cs-CZ",
        base_url=live_server.url,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def desktop(browser, live_server):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="cs-CZ", base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def cs(message: str) -> str:
    """The Czech text the browser shows for an English message id."""
    with translation.override("cs"):
        return translation.gettext(message)


def sign_in_by_cookie(context, live_server, user) -> None:
    """Give the browser a session of ``user`` (for checks that are not about signing in)."""
    django_client = Client()
    django_client.force_login(user)
    cookie = django_client.cookies[settings.SESSION_COOKIE_NAME]
    host = live_server.url.split("//", 1)[1].split(":")[0]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "domain": host, "path": "/"}])


@pytest.fixture
def running_project(project):
    """The persona's project, running today (the fixture's own span is historical)."""
    today = dt.date.today()
    project.start_date = today - dt.timedelta(days=200)
    project.end_date = today + dt.timedelta(days=200)
    project.save()
    return project


@pytest.fixture
def field_worker(running_project, worker_a, client_a):
    """worker_a with a password, in a running project with KA 03."""
    worker_a.set_password(PASSWORD)
    worker_a.save()
    KeyActivityFactory(project=running_project, code="KA 03", name="Individuální práce s klienty")
    # Reference rows from the data migrations do not survive an earlier transactional test's
    # flush; the form's default delivery mode must be there.
    DeliveryModeFactory()
    return worker_a


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    page.goto("/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_load_state("domcontentloaded")


def axe_violations(page: Page, impacts=("serious", "critical")) -> list[str]:
    """axe-core's violations of the given impacts on the current page, one line each."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci --prefix tests/browser` (make test does).")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in results
        if v["impact"] in impacts
    ]


def horizontal_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the viewport (0 = no horizontal scrolling)."""
    return page.evaluate(
        "() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"
    )


SMALL_TARGETS_JS = """
(minimum) => {
  // Controls a finger must hit. Links inside running text are exempt (WCAG 2.5.8 "inline").
  const controls = document.querySelectorAll(
    'button, .btn, select, textarea, .nav-link, .page-link, .form-check, .navbar-toggler, '
    + '.dropdown-item, input:not([type=hidden]):not([type=checkbox]):not([type=radio])'
    + ':not(.btn-check)'
  );
  const small = [];
  for (const el of controls) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (el.closest('.visually-hidden, [hidden]')) continue;
    if (box.height < minimum - 0.5 || box.width < minimum - 0.5) {
      const label = (el.innerText || el.value || el.name || el.id || '').trim().slice(0, 40);
      const size = `${Math.round(box.width)}×${Math.round(box.height)}`;
      small.push(`${el.tagName.toLowerCase()} "${label}" ${size}`);
    }
  }
  return small;
}
"""


def small_tap_targets(page: Page, minimum: int = 44) -> list[str]:
    return page.evaluate(SMALL_TARGETS_JS, minimum)
