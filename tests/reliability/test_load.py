"""A bounded load test: many field workers logging interventions and browsing at once.

Simulated workers (threads with their own session) against the live server on the loopback:
each one browses the main pages and logs interventions through the real form, with a
submission id generated on the client, and some of them send an already-sent submission again
(as a phone does when the answer to its first attempt is lost). Afterwards every submission
exists exactly once and the number of interventions grew by exactly the number of distinct
submissions. ``run_load`` is also what ``make bench`` runs for a minute against gunicorn.
"""

from __future__ import annotations

import random
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings

from casework.models import DeliveryMode, Intervention
from tests.factories import CaseAssignmentFactory, ClientFactory, EnrolmentFactory
from tests.reliability.forms_html import form_data

BROWSED = ("/", "/interventions/", "/clients/")
LOCATION = re.compile(r"^/interventions/(\d+)/$")
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CLIENT_BOX = re.compile(r'name="clients" value="(\d+)"')
KEY_ACTIVITIES = re.compile(r'<select name="key_activity"[^>]*>(.*?)</select>', re.S)
FORM_ERROR = re.compile(r'id="([\w-]+-errors?)".*?<strong>([^<]*)</strong>', re.S)
OPTION = re.compile(r'<option value="(\d+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)
# Seconds a simulated worker waits for an answer (``make bench`` waits longer on a busy server).
REQUEST_TIMEOUT = 30


@dataclass
class Submission:
    submission_id: str
    body: bytes
    cookies: dict[str, str]
    location: str


@dataclass
class LoadResult:
    requests: int = 0
    errors: list[str] = field(default_factory=list)
    submissions: list[Submission] = field(default_factory=list)
    resends: int = 0
    timeouts: int = 0
    # Every submission id sent, answered or not (a timed-out one may still have been saved).
    attempted: set[str] = field(default_factory=set)
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def submission_ids(self) -> set[str]:
        return {s.submission_id for s in self.submissions}


def _request(base_url: str, path: str, cookies: dict[str, str], body: bytes | None = None):
    """One request; returns (status, headers, text). Cookies set by the answer are kept."""
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Referer"] = base_url + path
    # Only ever the loopback server's http:// address.
    request = urllib.request.Request(base_url + path, data=body, headers=headers)  # noqa: S310
    try:
        with _OPENER.open(request, timeout=REQUEST_TIMEOUT) as answer:
            status, head, text = answer.status, answer.headers, answer.read().decode()
    except urllib.error.HTTPError as error:
        status, head, text = error.code, error.headers, error.read().decode(errors="replace")
    for line in head.get_all("Set-Cookie") or []:
        for name, morsel in SimpleCookie(line).items():
            cookies[name] = morsel.value
    return status, head, text


def _log_one(
    base_url: str, cookies: dict[str, str], rng: random.Random, result: LoadResult
) -> Submission | str:
    status, _head, page = _request(base_url, "/interventions/new/", cookies)
    if status != 200:
        return f"GET /interventions/new/ answered {status}"
    _action, data = form_data(page)
    token = CSRF_FIELD.search(page)
    clients = CLIENT_BOX.findall(page)
    if token is None or not clients:
        return "the intervention form has no CSRF token or no client to choose"
    data.update(
        csrfmiddlewaretoken=token.group(1),
        submission_id=str(uuid.uuid4()),
        clients=rng.choice(clients),
        duration_preset=str(rng.choice((15, 30, 45, 60))),
        record="Zátěžový test: konzultace.",
    )
    data.pop("duration_other", None)
    if not data.get("key_activity"):  # no earlier entry to take the default from
        select = KEY_ACTIVITIES.search(page)
        data["key_activity"] = rng.choice(OPTION.findall(select.group(1))) if select else ""
    body = urllib.parse.urlencode(data, doseq=True).encode()
    with result.lock:
        result.attempted.add(data["submission_id"])
    for _attempt in range(3):
        try:
            status, head, _text = _request(base_url, "/interventions/new/", cookies, body)
            break
        except TimeoutError:
            # No answer in time: the phone sends the same submission again.
            with result.lock:
                result.timeouts += 1
                result.resends += 1
    else:
        return "POST /interventions/new/ got no answer in three attempts"
    location = head.get("Location", "")
    if status != 302 or not LOCATION.match(location):
        problem = FORM_ERROR.search(_text)
        return f"POST /interventions/new/ answered {status}" + (
            f" ({problem.group(1)}: {problem.group(2)})" if problem else ""
        )
    submission = Submission(data["submission_id"], body, dict(cookies), location)
    with result.lock:
        result.submissions.append(submission)
    return submission


def _resend(base_url: str, rng: random.Random, result: LoadResult, sent: Submission | None = None):
    """Send a submission again: ``sent``, or one of anyone's so far (maybe still in flight)."""
    with result.lock:
        if sent is None and not result.submissions:
            return None
        sent = sent or rng.choice(result.submissions)
        result.resends += 1
    status, head, _text = _request(base_url, "/interventions/new/", dict(sent.cookies), sent.body)
    if status != 302 or head.get("Location") != sent.location:
        return f"a re-sent submission answered {status} {head.get('Location', '')!r}"
    return None


def _worker(base_url, session, deadline, seed, result: LoadResult):
    rng = random.Random(seed)  # noqa: S311 (a reproducible simulation, not a secret)
    cookies = {settings.SESSION_COOKIE_NAME: session}
    first = True
    while time.monotonic() < deadline:
        roll = rng.random()
        try:
            if roll < 0.35:
                outcome = _log_one(base_url, cookies, rng, result)
                error = outcome if isinstance(outcome, str) else None
                count = 2
                if isinstance(outcome, Submission) and (first or rng.random() < 0.2):
                    # The answer was "lost": the phone sends the same submission again.
                    error = _resend(base_url, rng, result, outcome)
                    count, first = 3, False
            elif roll < 0.45:
                error = _resend(base_url, rng, result)
                count = 1
            else:
                path = rng.choice(BROWSED)
                status, _head, _text = _request(base_url, path, cookies)
                error = None if status == 200 else f"GET {path} answered {status}"
                count = 1
        except OSError as exc:  # connection refused or reset, timeout
            error, count = f"{type(exc).__name__}: {exc}", 1
        with result.lock:
            result.requests += count
            if error:
                result.errors.append(error)


def run_load(base_url: str, sessions: list[str], *, workers: int, seconds: float) -> LoadResult:
    """``workers`` threads for ``seconds``, the sessions shared round-robin among them.

    Afterwards the database must hold every answered submission exactly once, and grow by
    exactly the distinct submission ids stored among ``attempted`` (none twice).
    """
    result = LoadResult()
    started = time.monotonic()
    deadline = started + seconds
    threads = [
        threading.Thread(
            target=_worker,
            args=(base_url.rstrip("/"), sessions[i % len(sessions)], deadline, i, result),
        )
        for i in range(workers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.monotonic() - started
    return result


# --- The bounded test against the live server -------------------------------------------------


@pytest.fixture(scope="session")
def _plain_http():
    # The live server speaks plain HTTP. SecurityMiddleware reads these settings once, when the
    # server's handler is built, so they must be off before the live server starts.
    with override_settings(SECURE_SSL_REDIRECT=False, SECURE_HSTS_SECONDS=0):
        yield


@pytest.fixture(scope="session")
def live_server(_plain_http, live_server):
    return live_server


WORKERS = 50
SECONDS = 8


@pytest.mark.django_db(transaction=True)
def test_concurrent_logging_loses_and_duplicates_nothing(
    live_server, settings, project, ka03, worker_a, worker_b, client_a, client_b
):
    # Read per response: a Secure cookie would not travel back over plain HTTP.
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    # An earlier transactional test may have flushed the rows the migrations put in.
    DeliveryMode.objects.get_or_create(code="field_visit", defaults={"name": "Terénní návštěva"})
    # Each worker has a few clients of their own to choose from on the form.
    for worker in (worker_a, worker_b):
        for _ in range(3):
            client = ClientFactory(organisation=project.organisation)
            EnrolmentFactory(client=client, project=project, entry_date=project.start_date)
            CaseAssignmentFactory(
                client=client, project=project, worker=worker, started_on=project.start_date
            )
    sessions = []
    for worker in (worker_a, worker_b):
        browser = Client()
        browser.force_login(worker)
        sessions.append(browser.cookies[settings.SESSION_COOKIE_NAME].value)
    before = Intervention.objects.count()

    result = run_load(live_server.url, sessions, workers=WORKERS, seconds=SECONDS)

    assert result.errors == []
    assert result.submissions, "no intervention was logged"
    assert result.resends > 0
    sent = result.submission_ids
    assert len(sent) == len(result.submissions)
    stored = list(
        Intervention.objects.filter(submission_id__in=sent).values_list("submission_id", flat=True)
    )
    assert sorted(str(s) for s in stored) == sorted(sent)
    assert result.timeouts == 0
    assert Intervention.objects.count() - before == len(sent) == len(result.attempted)
