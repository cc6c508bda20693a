"""Generating the indicator report: PDF (read back with pdftotext), XLSX (openpyxl), CSV,
failures, and a queued report finished by the worker command."""

import csv
import io
import re

import openpyxl
import pytest
from django.core.management import call_command
from django.utils import translation

from reports.models import GeneratedReport, ReportStatus
from reports.registry import REGISTRY, ReportError, ReportSpec
from reports.tasks import generate_report, run_report
from tests.factories import GeneratedReportFactory
from tests.pdf import pdf_text
from tests.reports.conftest import P3

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def make(project, fmt, *, language="cs", kind="indicators", period=P3, **parameters):
    report = GeneratedReportFactory(
        project=project,
        kind=kind,
        period_start=period[0],
        period_end=period[1],
        file_format=fmt,
        language=language,
        parameters=parameters,
    )
    run_report(report.pk)
    report.refresh_from_db()
    return report


def read(report) -> bytes:
    with report.file.open("rb") as handle:
        return handle.read()


def pdf_pages(report) -> list[str]:
    return [page for page in pdf_text(read(report)).split("\f") if page.strip()]


def line_of(text: str, start: str) -> list[str]:
    """The cells of the first line starting with ``start`` (split on runs of spaces)."""
    for line in text.splitlines():
        if line.strip().startswith(start):
            return re.split(r"\s{2,}", line.strip())
    raise AssertionError(f"no line starts with {start!r}")


def test_pdf_figures_read_back(project, known):
    report = make(project, "pdf")
    assert report.status == ReportStatus.DONE, report.error
    assert report.progress == 100
    pages = pdf_pages(report)
    text = "\n".join(pages)
    # Code, name (unit), target, in the period, cumulative, % of target (Czech decimal comma).
    assert line_of(text, "6 00 00")[-4:] == ["40", "1", "3", "7,5 %"]
    assert line_of(text, "6 15 00")[-4:] == ["8", "0", "2", "25,0 %"]
    assert line_of(text, "6 70 10")[-4:] == ["60", "0", "6", "10,0 %"]
    assert line_of(text, "6 70 01")[-4:] == ["25", "25", "25", "100,0 %"]
    assert "1. 7. 2021 – 31. 12. 2021" in text
    for page in pages:
        assert project.name in page
        assert project.registration_number in page
        assert re.search(r"\b\d+ ?/ ?\d+\s*$", page)


def test_pdf_of_one_locality_suppresses_small_numbers(project, known):
    report = make(project, "pdf", locality=known["L2"].pk)
    text = "\n".join(pdf_pages(report))
    assert "Kuřívody" in text
    # 2 participants in Kuřívody: "< 5", and no percentage that would give the number away.
    cells = [cell.replace(" ", "").replace("\u00a0", "") for cell in line_of(text, "6 00 00")]
    assert cells[-3:] == ["<5", "<5", "–"]
    assert "Hvězdov" not in text


def test_xlsx_read_back(project, known):
    report = make(project, "xlsx", language="en")
    assert report.status == ReportStatus.DONE, report.error
    workbook = openpyxl.load_workbook(report.file.path, read_only=True)
    indicators, persons, breakdowns = workbook.worksheets
    rows = {row[0]: row for row in indicators.iter_rows(min_row=2, values_only=True)}
    # code, name, unit, baseline, target, in period, % in period, cumulative, % of target
    assert rows["6 00 00"][3:] == (0, 40, 1, 2.5, 3, 7.5)
    assert rows["6 73 10"][3:] == (0, 20, 0, 0, 1, 5)
    assert rows["8 05 00"][3:] == (0, 1, 0, 0, 1, 100)
    figures = dict(persons.iter_rows(min_row=2, values_only=True))
    assert figures["Persons supported below the threshold"] == 2
    assert figures["Over the threshold, not counted: entry data missing"] == 1
    parts = {(r[0], r[1]): r[3] for r in breakdowns.iter_rows(min_row=2, values_only=True)}
    assert parts[("Gender", "POHZENY")] == 2
    assert parts[("Age band at entry", "55+")] == 1
    # Localities are always published with the small-number rule.
    assert parts[("Locality", "Kuřívody")] == "< 5"


def test_csv_and_the_same_numbers_twice(project, known):
    first = make(project, "csv")
    second = make(project, "csv")
    content = read(first)
    assert content == read(second)
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["6 00 00"][4:] == ["40", "1", "2,5", "3", "7,5"]


def test_file_name_has_no_personal_data(project, known):
    report = make(project, "csv")
    assert report.download_name == "indicators-RAL-2021-07-01-2021-12-31.csv"


def test_a_builder_error_fails_the_report_with_its_message(project, monkeypatch):
    def broken(report, progress):
        progress(30)
        raise ReportError("The project has no reporting periods.")

    monkeypatch.setitem(REGISTRY, "caseload", ReportSpec("caseload", ("pdf",), broken))
    report = make(project, "pdf", kind="caseload")
    assert report.status == ReportStatus.FAILED
    assert report.error == "The project has no reporting periods."
    assert not report.file


def test_an_unexpected_error_fails_with_a_general_message(project, monkeypatch, caplog):
    def broken(report, progress):
        raise ZeroDivisionError

    monkeypatch.setitem(REGISTRY, "caseload", ReportSpec("caseload", ("pdf",), broken))
    report = make(project, "pdf", kind="caseload", language="en")
    assert report.status == ReportStatus.FAILED
    assert "error in the application" in report.error
    assert "ZeroDivisionError" not in report.error
    assert not report.file


def test_a_report_is_generated_once(project, known):
    report = make(project, "csv")
    name = report.file.name
    run_report(report.pk)
    report.refresh_from_db()
    assert report.file.name == name


@pytest.mark.django_db(transaction=True)
def test_queued_report_is_finished_by_the_worker_command(project, known):
    report = GeneratedReportFactory(
        project=project, period_start=P3[0], period_end=P3[1], file_format="csv"
    )
    result = generate_report.enqueue(report.pk)
    assert result.args == [report.pk]
    assert GeneratedReport.objects.get(pk=report.pk).status == ReportStatus.QUEUED
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.error
    assert read(report).decode("utf-8-sig").count("6 00 00") == 1


@pytest.mark.parametrize(("language", "percent"), [("cs", "7,5 %"), ("en", "7.5 %")])
def test_the_pdf_speaks_the_language_it_was_asked_in(project, known, language, percent):
    report = make(project, "pdf", language=language)

    text = "\n".join(pdf_pages(report))
    with translation.override(language):
        heading = translation.gettext("Indicator report")
    assert heading in text
    assert percent in line_of(text, "6 00 00")[-1]
