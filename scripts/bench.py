# The bench starts its own tools (manage.py, gunicorn, wrk, pdfinfo) by fixed argument lists.
# ruff: noqa: S603, S607
"""``make bench``: how Casework's pages, indicators, PDFs and server hold up at demo scale 10.

Seeds ``seed_demo --scale 10`` into one database and ``--scale 1`` into a second one (both
idempotent, so a second run reuses them), measures, and prints one table. Every figure is a
ratio of two timings taken in the same run, the baseline measured beside it, with the absolute
medians shown for information:

- each main page: median time of the full request ÷ median of a minimal signed-in view through
  the same middleware (``bench_urls.minimal``), and its query count on both databases;
- the same page on the full data ÷ on 10× less data (each normalised by its own baseline);
- the indicators of a whole project in SQL (``reports.queries.indicator_values``) ÷ the same
  figures from a plain Python loop over the rows (``python_figure_counts`` below), asserting
  that both give the same numbers;
- the indicator PDF ÷ WeasyPrint rendering a static HTML file of the same page count;
  the monitoring sheets of 500+ persons in a separate process (seconds and peak memory);
- gunicorn (2 workers) under ``wrk`` (8 connections, 20 s): the client list ÷ the minimal
  view in requests per second, and no errors;
- a minute of 50 simulated field workers logging interventions (with duplicate re-sends)
  and browsing: no error, nothing lost or duplicated.

Each measurement runs in a child process (``bench.py _pages`` etc.) with the database's
``DATABASE_URL`` and ``DJANGO_SETTINGS_MODULE=bench_settings``; the parent only orchestrates.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_BASE_URL = "postgres://postgres@127.0.0.1:5432/casework_bench"
SEARCH = "nov"

PAGE_GOAL = 10.0  # page ÷ minimal view, at most
SCALING_GOAL = 1.3  # full data ÷ 10× less data, at most
INDICATOR_GOAL = 20.0  # Python loop ÷ SQL, at least
PDF_GOAL = 1.5  # indicator PDF ÷ static HTML of the same page count, at most
THROUGHPUT_GOAL = 0.2  # client list ÷ minimal view requests per second, at least
SHEETS_MINIMUM = 500


# --- Child processes: each sets Django up against one database ---------------------------------


def _django():
    sys.path[:0] = [str(ROOT / "scripts"), str(ROOT)]
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    import django

    django.setup()


def _bench_project():
    """The demo project with the most interventions, and its guarantor."""
    from django.db.models import Count

    from casework.models import Membership, Project
    from casework.roles import Role

    project = Project.objects.annotate(n=Count("interventions")).order_by("-n", "pk").first()
    guarantor = (
        Membership.objects.filter(project=project, role=Role.GUARANTOR)
        .select_related("user")
        .first()
    ).user
    return project, guarantor


def _timed(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def _explain(sql: str) -> tuple[str, float]:
    """EXPLAIN ANALYZE of one captured query: the plan and the JIT total (ms, 0 without JIT)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    jit = re.search(r"JIT:.*?Timing:.*?Total ([\d.]+) ms", plan, re.S)
    return plan, float(jit.group(1)) if jit else 0.0


def child_pages(args) -> dict:
    """Median times and query counts of the main pages and of the minimal view."""
    _django()
    from bench_urls import MINIMAL_PATH
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    from casework.models import InterventionParticipant

    project, guarantor = _bench_project()
    busiest = (
        InterventionParticipant.objects.filter(intervention__project=project)
        .values("client")
        .annotate(n=Count("pk"))
        .order_by("-n", "client")
        .first()
    )
    pages = {
        "Today /": "/",
        "client list": "/clients/",
        f"client search “{SEARCH}”": None,  # the tokenised list URL, set once signed in
        "case file (busiest client)": f"/clients/{busiest['client']}/",
        "intervention list": "/interventions/",
        "caseload board": "/board/",
        "indicator dashboard": f"/projects/{project.pk}/dashboard/",
    }
    with contextlib.suppress(NoReverseMatch):
        pages["reports indicator table"] = reverse("reports:indicators", args=[project.pk])

    browser = Client()
    browser.force_login(guarantor)

    def get(path):
        response = browser.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        return response

    # The search text is posted once and kept in the session; the list is then read by token.
    searched = browser.post(reverse("clients:search"), {"q": SEARCH})
    if searched.status_code != 303:
        raise SystemExit(f"the client search answered {searched.status_code}")
    pages[f"client search “{SEARCH}”"] = searched["Location"]

    results = {}
    for name, path in pages.items():
        get(MINIMAL_PATH)  # warm-up: connection, caches, templates
        get(path)
        with CaptureQueriesContext(connection) as queries:
            get(path)
        # Copied now: every request start empties the connection's query log.
        captured = list(queries.captured_queries)
        minimal_times, page_times = [], []
        budget = time.monotonic() + args.seconds_per_page
        while len(page_times) < args.rounds and (len(page_times) < 5 or time.monotonic() < budget):
            minimal_times.append(_timed(lambda: get(MINIMAL_PATH)))
            page_times.append(_timed(lambda path=path: get(path)))
        slowest = max(captured, key=lambda q: float(q["time"]))
        plan, jit_ms = _explain(slowest["sql"]) if args.explain else ("", 0.0)
        results[name] = {
            "path": path,
            "page": statistics.median(page_times),
            "minimal": statistics.median(minimal_times),
            "samples": len(page_times),
            "page_times": page_times,
            "minimal_times": minimal_times,
            "queries": len(captured),
            "slowest_query_ms": float(slowest["time"]) * 1000,
            "slowest_query": slowest["sql"],
            "jit_ms": jit_ms,
            "plan": plan,
        }
    return results


# --- The indicator engine against a plain Python loop ----------------------------------------


def python_figure_counts(project, period_end) -> dict[str, int]:
    """The reference: every figure of ``reports.queries.figure_counts``, by a loop over rows.

    Straightforward on purpose: fetch the project's enrolments, their monitoring codes and
    every participation in the project's interventions, then apply DOMAIN.md's rules person
    by person. Valid support is an intervention of the project at which the client was a
    participant, dated within [entry, exit] and not after the period end; the threshold is
    crossed on the first date at which the running sum (by date, then intervention) reaches
    the project's threshold; a participant crossed it and has complete entry data.
    """
    from collections import defaultdict

    from casework.models import InterventionParticipant, OutputDocument
    from clients.models import DisadvantageAnswer, Enrolment
    from clients.queries import OPEN_END
    from reports import queries

    enrolments = list(
        Enrolment.objects.filter(project=project, entry_date__lte=period_end).values(
            "pk",
            "client_id",
            "entry_date",
            "exit_date",
            "labour_status_id",
            "education_id",
            "disadvantage_answer",
            "client__birth_date",
            "client__gender_id",
            "client__gender__code",
            "client__municipality",
            "client__postcode",
        )
    )
    disadvantages = defaultdict(set)
    for enrolment_id, code in queries.DisadvantageLink.objects.filter(
        enrolment__project=project
    ).values_list("enrolment_id", "monitoringcode__code"):
        disadvantages[enrolment_id].add(code)
    exit_situations = defaultdict(set)
    for enrolment_id, code in queries.ExitSituationLink.objects.filter(
        enrolment__project=project
    ).values_list("enrolment_id", "monitoringcode__code"):
        exit_situations[enrolment_id].add(code)
    support = defaultdict(list)
    for client_id, date, intervention_id, minutes in (
        InterventionParticipant.objects.filter(intervention__project=project)
        .order_by("intervention__date", "intervention_id")
        .values_list(
            "client_id", "intervention__date", "intervention_id", "intervention__duration_minutes"
        )
    ):
        support[client_id].append((date, intervention_id, minutes))

    threshold = project.participant_threshold_minutes
    counts = dict.fromkeys(queries._conditions(project), 0)
    for row in enrolments:
        last_day = min(row["exit_date"] or OPEN_END, period_end)
        minutes = 0
        crossed_on = None
        for date, _intervention_id, duration in support[row["client_id"]]:
            if row["entry_date"] <= date <= last_day:
                minutes += duration
                if crossed_on is None and minutes >= threshold:
                    crossed_on = date
        codes = disadvantages[row["pk"]]
        exit_codes = exit_situations[row["pk"]]
        answer = row["disadvantage_answer"]
        entry_complete = (
            row["client__birth_date"] is not None
            and row["client__gender_id"] is not None
            and row["labour_status_id"] is not None
            and row["education_id"] is not None
            and (
                answer in (DisadvantageAnswer.NONE, DisadvantageAnswer.DECLINED)
                or (answer == DisadvantageAnswer.ANSWERED and bool(codes))
            )
            and row["client__municipality"] != ""
            and row["client__postcode"] != ""
        )
        participant = crossed_on is not None and entry_complete
        supported = minutes > 0
        exited = row["exit_date"] is not None and row["exit_date"] <= period_end
        facts = {
            "supported": supported,
            "below_threshold": supported and crossed_on is None,
            "over_threshold_incomplete": crossed_on is not None and not entry_complete,
            "participants": participant,
            "participants_men": participant and row["client__gender__code"] == queries.MEN,
            "participants_women": participant and row["client__gender__code"] == queries.WOMEN,
            "participants_homeless": participant and queries.HOMELESS in codes,
            "participants_minorities": participant and queries.MINORITY in codes,
            "service_use": supported and (project.participants_in_service_use or not participant),
            "purpose_fulfilled": participant and exited and queries.PURPOSE_FULFILLED in exit_codes,
            "disadvantaged_after_exit": participant
            and exited
            and bool(codes)
            and bool(exit_codes & set(queries.ACTIVE_AFTER_EXIT)),
        }
        for name, holds in facts.items():
            counts[name] += holds
    counts["output_documents"] = sum(
        1
        for published_on in OutputDocument.objects.filter(project=project).values_list(
            "published_on", flat=True
        )
        if published_on <= period_end
    )
    return counts


def child_indicators(args) -> dict:
    _django()
    from casework.models import ProjectIndicator
    from reports import queries

    project, _guarantor = _bench_project()
    period_end = project.effective_end_date
    sql_values = python_values = None

    def sql():
        nonlocal sql_values
        sql_values = queries.indicator_values(project, period_end)

    def python():
        nonlocal python_values
        indicators = list(ProjectIndicator.objects.filter(project=project).order_by("code"))
        python_values = queries._indicator_rows_from(
            indicators, python_figure_counts(project, period_end)
        )

    sql()
    python()  # warm-up
    sql_times = [_timed(sql) for _ in range(args.repeat)]
    python_times = [_timed(python) for _ in range(args.repeat)]
    sql_counts = queries.figure_counts(project, period_end)
    python_counts = python_figure_counts(project, period_end)
    if sql_counts != python_counts or sql_values != python_values:
        raise SystemExit(f"SQL and Python disagree:\n{sql_counts}\n{python_counts}")
    return {
        "sql": statistics.median(sql_times),
        "python": statistics.median(python_times),
        "equal": True,
        "counts": sql_counts,
        "enrolments": project.enrolments.count(),
    }


# --- PDFs --------------------------------------------------------------------------------------


def _pdf_pages(content: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(content)
        file.flush()
        info = subprocess.run(
            ["pdfinfo", file.name], capture_output=True, text=True, check=True
        ).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


STATIC_PAGE = """<section><h1>Monitorovací ukazatele – strana {n}</h1>
<table><thead><tr><th>Kód</th><th>Ukazatel</th><th>Cíl</th><th>Hodnota</th><th>%</th></tr>
</thead><tbody>{rows}</tbody></table></section>"""
STATIC_ROW = (
    "<tr><td>6 00 00</td><td>Celkový počet účastníků řádek {i}</td><td>40</td>"
    "<td>37</td><td>92,5 %</td></tr>"
)
STATIC_CSS = """@page { size: A4; margin: 2cm; @bottom-right { content: counter(page); } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10pt; }
section { break-after: page; } section:last-child { break-after: auto; }
table { width: 100%; border-collapse: collapse; }
td, th { border: 1px solid #999; padding: 2pt; }"""


def _static_html(pages: int) -> str:
    rows = "".join(STATIC_ROW.format(i=i) for i in range(20))
    body = "".join(STATIC_PAGE.format(n=n + 1, rows=rows) for n in range(pages))
    return (
        f"<!doctype html><html lang=cs><head><meta charset=utf-8><style>{STATIC_CSS}</style>"
        f"</head><body>{body}</body></html>"
    )


def child_pdf(args) -> dict:
    _django()
    import weasyprint
    from django.utils import translation

    from reports.models import GeneratedReport
    from reports.registry import load_builders

    project, guarantor = _bench_project()
    build = load_builders()["indicators"].build
    report = GeneratedReport(
        project=project,
        kind="indicators",
        period_start=project.start_date,
        period_end=project.effective_end_date,
        file_format="pdf",
        parameters={},
        language="cs",
        created_by=guarantor,
    )
    translation.activate("cs")
    content = build(report, lambda percent: None)
    pages = _pdf_pages(content)
    with tempfile.NamedTemporaryFile("w", suffix=".html", encoding="utf-8") as static:
        static.write(_static_html(pages))
        static.flush()
        static_pages = _pdf_pages(weasyprint.HTML(filename=static.name).write_pdf())
        report_times, static_times = [], []
        for _ in range(args.repeat):
            report_times.append(_timed(lambda: build(report, lambda percent: None)))
            static_times.append(_timed(lambda: weasyprint.HTML(filename=static.name).write_pdf()))
    return {
        "report": statistics.median(report_times),
        "static": statistics.median(static_times),
        "pages": pages,
        "static_pages": static_pages,
    }


def child_sheets(args) -> dict:
    """Monitoring sheets of everyone who entered the largest project: run alone in a process."""
    import resource

    _django()
    from django.db.models import Count
    from django.utils import translation

    from casework.models import Membership, Project
    from casework.roles import Role
    from reports.builders.sheets import sheets
    from reports.models import GeneratedReport
    from reports.registry import load_builders

    project = Project.objects.annotate(n=Count("enrolments")).order_by("-n", "pk").first()
    guarantor = Membership.objects.filter(project=project, role=Role.GUARANTOR).first().user
    report = GeneratedReport(
        project=project,
        kind="monitoring_sheets",
        period_start=project.start_date,
        period_end=project.effective_end_date,
        file_format="pdf",
        parameters={"moment": "entry"},
        language="cs",
        created_by=guarantor,
    )
    translation.activate("cs")
    persons = len(sheets(report)[1])
    build = load_builders()["monitoring_sheets"].build
    idle_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    content = build(report, lambda percent: None)
    seconds = time.perf_counter() - started
    return {
        "persons": persons,
        "seconds": seconds,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "idle_mb": idle_kb / 1024,
        "pages": _pdf_pages(content),
    }


def child_session(args) -> dict:
    """Session cookies: the bench project's guarantor and its field workers (for the load)."""
    _django()
    from django.conf import settings
    from django.test import Client

    from casework.models import Membership
    from casework.roles import Role
    from clients.models import CaseAssignment

    project, guarantor = _bench_project()

    def cookie(user):
        browser = Client()
        browser.force_login(user)
        return browser.cookies[settings.SESSION_COOKIE_NAME].value

    with_clients = set(
        CaseAssignment.objects.filter(project=project).values_list("worker_id", flat=True)
    )
    workers = [
        m.user
        for m in Membership.objects.filter(project=project, role=Role.WORKER).select_related("user")
        if m.user_id in with_clients
    ]
    return {
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "guarantor": cookie(guarantor),
        "workers": [cookie(user) for user in workers],
    }


def child_load(args) -> dict:
    """50 simulated workers for a minute against the running server; counts before and after."""
    _django()
    from casework.models import Intervention
    from tests.reliability import test_load

    test_load.REQUEST_TIMEOUT = 120
    sessions = json.loads(args.sessions)
    before = Intervention.objects.count()
    result = test_load.run_load(args.url, sessions, workers=args.workers, seconds=args.seconds)
    sent = result.submission_ids
    stored = Intervention.objects.filter(submission_id__in=sent).count()
    return {
        "timeouts": result.timeouts,
        "attempted_stored": Intervention.objects.filter(submission_id__in=result.attempted).count(),
        "requests": result.requests,
        "seconds": result.seconds,
        "errors": result.errors[:10],
        "error_count": len(result.errors),
        "submissions": len(sent),
        "resends": result.resends,
        "stored": stored,
        "growth": Intervention.objects.count() - before,
    }


CHILDREN = {
    "_pages": child_pages,
    "_indicators": child_indicators,
    "_pdf": child_pdf,
    "_sheets": child_sheets,
    "_session": child_session,
    "_load": child_load,
}


# --- The parent: databases, server, table -----------------------------------------------------


def _env(database_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only-secret-key-not-for-production"),
        PYTHONPATH=os.pathsep.join([str(ROOT / "scripts"), str(ROOT)]),
        DJANGO_SETTINGS_MODULE="bench_settings",
        LOG_LEVEL="WARNING",
    )
    return env


def _child(step: str, database_url: str, *extra: str) -> dict:
    command = [PYTHON, __file__, step, *extra]
    done = subprocess.run(
        command, env=_env(database_url), cwd=ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-5000:])
        raise SystemExit(f"bench step {step} failed (exit {done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _manage(database_url: str, *command: str) -> None:
    subprocess.run([PYTHON, "manage.py", *command], env=_env(database_url), cwd=ROOT, check=True)


def _create_database(database_url: str) -> None:
    """Create the database when missing (connecting to the server's ``postgres`` database)."""
    import psycopg

    name = database_url.rsplit("/", 1)[1].split("?")[0]
    server = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def _prepare(database_url: str, scale: int) -> None:
    print(f"• {database_url.rsplit('/', 1)[1]}: migrate and seed_demo --scale {scale}", flush=True)
    _create_database(database_url)
    _manage(database_url, "migrate", "--no-input", "--verbosity=0")
    _manage(database_url, "seed_demo", "--scale", str(scale))


def _vacuum(database_url: str) -> None:
    """``VACUUM (ANALYZE)`` of a bench database before it is measured.

    The load test of every run adds interventions; on a server without autovacuum (or
    before it gets round to them) the next run's counts and index-only scans would then
    visit those rows in the heap, so each run would measure a slightly different database.
    """
    import psycopg

    print(f"• {database_url.rsplit('/', 1)[1]}: VACUUM (ANALYZE)", flush=True)
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("VACUUM (ANALYZE)")


def _base_url(database_url: str | None) -> str:
    """``casework_bench`` on the server of ``database_url``: never the application's database."""
    if not database_url:
        return DEFAULT_BASE_URL
    return database_url.split("?")[0].rsplit("/", 1)[0] + "/casework_bench"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """gunicorn with the production configuration, 2 workers, on a free loopback port."""

    def __init__(self, database_url: str):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = _env(database_url)
        env.update(GUNICORN_BIND=f"127.0.0.1:{self.port}", GUNICORN_WORKERS="2")
        self.process = subprocess.Popen(
            [
                str(Path(PYTHON).with_name("gunicorn")),
                "-c",
                "deploy/gunicorn.conf.py",
                "--access-logfile",
                "/dev/null",
                "casework.wsgi:application",
            ],
            env=env,
            cwd=ROOT,
            start_new_session=True,
        )

    def __enter__(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/health/", timeout=5) as answer:  # noqa: S310
                    if answer.status == 200:
                        return self
            except OSError:
                time.sleep(0.5)
        self.__exit__()
        raise SystemExit("gunicorn did not answer /health/ within a minute")

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=60)


def _check_cookie(url: str, cookie: str) -> None:
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310
    with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310
        if answer.status != 200 or answer.url != url:
            raise SystemExit(f"{url} did not answer 200 to the signed-in session")


WRK_WARM_UP_SECONDS = 3


def _wrk(url: str, cookie: str, seconds: int) -> dict:
    """Requests per second at 8 connections, after a short unmeasured run at the same load.

    The warm-up brings both workers (and any recycled by ``max_requests`` during the previous
    URL's run) to the steady state the measured run is about.
    """
    _check_cookie(url, cookie)

    def run(duration: int) -> str:
        command = ["wrk", "-t2", "-c8", f"-d{duration}s", "--timeout", "30s"]
        return subprocess.run(
            [*command, "-H", f"Cookie: {cookie}", url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    run(WRK_WARM_UP_SECONDS)
    output = run(seconds)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output)) + sum(
        int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output)
    )
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    return {"rate": rate, "errors": errors, "requests": requests}


def _wrk_sum(runs: list[dict]) -> dict:
    """Several ``_wrk`` runs as one: requests and errors added, the rate over their time."""
    requests = sum(run["requests"] for run in runs)
    seconds = sum(run["requests"] / run["rate"] for run in runs if run["rate"])
    return {
        "rate": requests / seconds if seconds else 0.0,
        "errors": sum(run["errors"] for run in runs),
        "requests": requests,
    }


def _missing_tools() -> list[str]:
    missing = []
    if shutil.which("wrk") is None:
        missing.append("wrk (HTTP load generator): sudo apt-get install wrk")
    if not Path(PYTHON).with_name("gunicorn").exists():
        missing.append("gunicorn: make install (it is a dependency in pyproject.toml)")
    if shutil.which("pdfinfo") is None:
        missing.append("pdfinfo (counts PDF pages): sudo apt-get install poppler-utils")
    return missing


def _pooled(passes: list[dict]) -> dict:
    """The pages of several ``_pages`` runs on one database: medians over all their samples;
    the query counts and the slowest query of the first run (the one with ``--explain``)."""
    pooled = {}
    for name, first in passes[0].items():
        page_times = [t for run in passes for t in run[name]["page_times"]]
        minimal_times = [t for run in passes for t in run[name]["minimal_times"]]
        pooled[name] = {
            **first,
            "page": statistics.median(page_times),
            "minimal": statistics.median(minimal_times),
            "samples": len(page_times),
            "page_times": page_times,
            "minimal_times": minimal_times,
        }
    return pooled


def _fmt_s(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL") or _base_url(os.environ.get("DATABASE_URL")),
        help="databases <url>_full (scale 10) and <url>_small (scale 1) are created and used; "
        "default: casework_bench on the server of DATABASE_URL, else on 127.0.0.1:5432",
    )
    parser.add_argument("--wrk-seconds", type=int, default=20)
    parser.add_argument("--load-seconds", type=int, default=45)  # + in-flight ≈ 60 s
    parser.add_argument("--load-workers", type=int, default=50)
    # Page and minimal view alternate, so both see the same moments of a noisy machine; the
    # ratio of medians of 15 such pairs moved by up to a fifth between runs on a 2-core VM.
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--seconds-per-page", type=float, default=30)
    parser.add_argument(
        "--passes", type=int, default=3, help="turns of the two databases the rounds are split in"
    )
    parser.add_argument("--skip-seed", action="store_true", help="use the databases as they are")
    options = parser.parse_args(argv)

    missing = _missing_tools()
    if missing:
        print("make bench needs:\n  " + "\n  ".join(missing), file=sys.stderr)
        return 2
    full_url, small_url = options.database_url + "_full", options.database_url + "_small"
    if not options.skip_seed:
        _prepare(full_url, 10)
        _prepare(small_url, 1)
    for url in (full_url, small_url):
        _vacuum(url)

    # The two databases take turns, so that both meet the same moments of the machine: a
    # slower minute no longer reads as growth with the data.
    passes = max(1, options.passes)
    rounds = [
        "--rounds",
        str(max(5, options.rounds // passes)),
        "--seconds-per-page",
        str(options.seconds_per_page / passes),
    ]
    full_passes, small_passes = [], []
    for number in range(1, passes + 1):
        print(f"• pages on the full data ({number}/{passes})", flush=True)
        explain = ["--explain"] if number == 1 else []
        full_passes.append(_child("_pages", full_url, *rounds, *explain))
        print(f"• pages on 10× less data ({number}/{passes})", flush=True)
        small_passes.append(_child("_pages", small_url, *rounds))
    full, small = _pooled(full_passes), _pooled(small_passes)
    print("• indicators: SQL and the Python loop", flush=True)
    indicators = _child("_indicators", full_url, "--repeat", "9")
    print("• indicator PDF and a static HTML file", flush=True)
    pdf = _child("_pdf", full_url)
    print("• 500+ monitoring sheets in a separate process", flush=True)
    sheets = _child("_sheets", full_url)
    sessions = _child("_session", full_url)
    cookie = f"{sessions['cookie_name']}={sessions['guarantor']}"
    with Gunicorn(full_url) as server:
        print(f"• wrk against gunicorn ({options.wrk_seconds} s each)", flush=True)
        # In two turns each, for the same reason as the pages' passes.
        half = max(1, options.wrk_seconds // 2)
        minimal_url, list_url = server.url + "/__bench__/minimal/", server.url + "/clients/"
        minimal_runs, list_runs = [], []
        for _ in range(2):
            minimal_runs.append(_wrk(minimal_url, cookie, half))
            list_runs.append(_wrk(list_url, cookie, half))
        wrk_minimal, wrk_list = _wrk_sum(minimal_runs), _wrk_sum(list_runs)
        print(f"• {options.load_workers} field workers for {options.load_seconds} s", flush=True)
        load = _child(
            "_load",
            full_url,
            "--url",
            server.url,
            "--sessions",
            json.dumps(sessions["workers"]),
            "--workers",
            str(options.load_workers),
            "--seconds",
            str(options.load_seconds),
        )

    rows = []

    def row(check, measured, baseline, ratio, goal, ok):
        rows.append((check, measured, baseline, ratio, goal, "PASS" if ok else "FAIL"))

    for name, page in full.items():
        ratio = page["page"] / page["minimal"]
        row(
            f"{name}: page ÷ minimal view",
            _fmt_s(page["page"]),
            _fmt_s(page["minimal"]),
            f"{ratio:.1f}×",
            f"≤ {PAGE_GOAL:g}×",
            ratio <= PAGE_GOAL,
        )
    for name, page in full.items():
        other = small[name]
        row(
            f"{name}: queries, full vs 10× less data",
            str(page["queries"]),
            str(other["queries"]),
            "",
            "same",
            page["queries"] <= other["queries"],
        )
    for name, page in full.items():
        other = small[name]
        ratio = (page["page"] / page["minimal"]) / (other["page"] / other["minimal"])
        row(
            f"{name}: full data ÷ 10× less data",
            _fmt_s(page["page"]),
            _fmt_s(other["page"]),
            f"{ratio:.2f}×",
            f"≤ {SCALING_GOAL:g}×",
            ratio <= SCALING_GOAL,
        )
    speedup = indicators["python"] / indicators["sql"]
    row(
        "indicators of a project: Python loop ÷ SQL (equal results)",
        _fmt_s(indicators["sql"]),
        _fmt_s(indicators["python"]),
        f"{speedup:.1f}× faster",
        f"≥ {INDICATOR_GOAL:g}×",
        speedup >= INDICATOR_GOAL and indicators["equal"],
    )
    ratio = pdf["report"] / pdf["static"]
    row(
        f"indicator PDF ÷ static HTML, {pdf['pages']} pages",
        _fmt_s(pdf["report"]),
        _fmt_s(pdf["static"]),
        f"{ratio:.2f}×",
        f"≤ {PDF_GOAL:g}×",
        ratio <= PDF_GOAL,
    )
    row(
        f"monitoring sheets, {sheets['persons']} persons ({sheets['pages']} pages)",
        f"{sheets['seconds']:.1f} s",
        f"{sheets['idle_mb']:.0f} MB idle",
        f"{sheets['maxrss_mb']:.0f} MB peak",
        f"≥ {SHEETS_MINIMUM} persons",
        sheets["persons"] >= SHEETS_MINIMUM,
    )
    ratio = wrk_list["rate"] / wrk_minimal["rate"]
    errors = wrk_list["errors"] + wrk_minimal["errors"]
    row(
        f"gunicorn 2 workers, wrk 8 conn.: client list ÷ minimal ({errors} errors)",
        f"{wrk_list['rate']:.1f} req/s",
        f"{wrk_minimal['rate']:.1f} req/s",
        f"{ratio:.3f}",
        f"≥ {THROUGHPUT_GOAL:g}, 0 errors",
        ratio >= THROUGHPUT_GOAL and errors == 0,
    )
    intact = (
        load["error_count"] == 0
        and load["stored"] == load["submissions"]
        and load["growth"] == load["attempted_stored"]
    )
    row(
        f"{options.load_workers} workers {load['seconds']:.0f} s: {load['submissions']} logged, "
        f"{load['resends']} re-sent ({load['timeouts']} after a timeout), "
        f"{load['error_count']} errors",
        f"+{load['growth']} stored",
        f"{load['requests']} requests",
        f"{load['requests'] / load['seconds']:.1f} req/s",
        "0 errors, none lost/duplicated",
        intact,
    )

    headers = ("check", "measured", "baseline", "ratio", "goal", "result")
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    print()
    print(line.format(*headers))
    print(line.format(*("-" * w for w in widths)))
    for r in rows:
        print(line.format(*r))

    slowest_name, slowest = max(full.items(), key=lambda item: item[1]["page"])
    print(
        f"\nSlowest page: {slowest_name} ({slowest['path']}), {_fmt_s(slowest['page'])}; its "
        f"slowest query {slowest['slowest_query_ms']:.0f} ms, JIT {slowest['jit_ms']:.0f} ms."
    )
    for name, page in full.items():
        if page["jit_ms"]:
            print(f"  JIT in the slowest query of {name}: {page['jit_ms']:.0f} ms")
    report_dir = ROOT / "var" / "bench"
    report_dir.mkdir(parents=True, exist_ok=True)
    with open(report_dir / "explain.txt", "w", encoding="utf-8") as explain:
        for name, page in full.items():
            explain.write(f"== {name} {page['path']} ({page['slowest_query_ms']:.0f} ms)\n")
            explain.write(page["slowest_query"] + "\n\n" + page["plan"] + "\n\n")
    with open(report_dir / "results.json", "w", encoding="utf-8") as results:
        json.dump(
            {
                "full": full,
                "small": small,
                "indicators": indicators,
                "pdf": pdf,
                "sheets": sheets,
                "wrk": [wrk_minimal, wrk_list],
                "load": load,
            },
            results,
            indent=1,
            default=str,
        )
    print(f"EXPLAIN ANALYZE of each page's slowest query: {report_dir / 'explain.txt'}")
    return 0 if all(r[-1] == "PASS" for r in rows) else 1


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in CHILDREN:
        child = argparse.ArgumentParser()
        child.add_argument("step")
        child.add_argument("--rounds", type=int, default=60)
        child.add_argument("--seconds-per-page", type=float, default=30)
        child.add_argument("--explain", action="store_true")
        child.add_argument("--repeat", type=int, default=3)
        child.add_argument("--url")
        child.add_argument("--sessions")
        child.add_argument("--workers", type=int, default=50)
        child.add_argument("--seconds", type=float, default=60)
        child_args = child.parse_args()
        print(json.dumps(CHILDREN[child_args.step](child_args), default=str))
    else:
        sys.exit(main())
