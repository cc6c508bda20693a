"""The debt situation analysis: budget arithmetic, feasibility boundary, screens per role."""

import datetime as dt
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from casework.conflicts import CONFLICT_MESSAGE
from casework.pdf import STATIC_BASE, AssetRefused, StaticOnlyFetcher
from debts.feasibility import debt_relief_feasibility
from debts.forms import NEGATIVE_AMOUNT
from debts.models import BudgetLine, DebtAnalysis
from debts.queries import budget_by_member, budget_totals, parameters_valid_on
from debts.services import analysis_feasibility
from tests.factories import DebtAnalysisFactory, DebtCaseFactory, DebtFactory

pytestmark = pytest.mark.django_db

FEE = Decimal("1089.00")
PDFTOTEXT = shutil.which("pdftotext") or "pdftotext"


@pytest.fixture
def case_a(project, client_a):
    return DebtCaseFactory(project=project, client=client_a)


@pytest.fixture
def parameters_2020():
    return parameters_valid_on(dt.date(2020, 9, 1))


def _line(analysis, direction, category, amount, frequency="monthly", member=""):
    return BudgetLine.objects.create(
        analysis=analysis,
        direction=direction,
        category=category,
        amount=Decimal(amount),
        frequency=frequency,
        member=member,
    )


# --- Budget arithmetic --------------------------------------------------------------------------


def test_budget_totals_divide_yearly_items_by_12(case_a, parameters_2020):
    analysis = DebtAnalysisFactory(case=case_a, parameters=parameters_2020)
    _line(analysis, "income", "wage", "15000.00", member="Anna")
    _line(analysis, "income", "child_allowance", "1500.00", member="Anna")
    _line(analysis, "expense", "rent", "7000.00")
    # 1 000 Kč a year → 83.33 Kč a month (rounded to the haléř by the database).
    _line(analysis, "expense", "insurance", "1000.00", frequency="yearly")
    _line(analysis, "expense", "maintenance", "2000.00", member="Anna")

    totals = budget_totals(analysis)

    assert totals == {
        "income": Decimal("16500.00"),
        "expenses": Decimal("9083.33"),
        "disposable": Decimal("7416.67"),
        "seizable_income": Decimal("15000.00"),
        "maintenance": Decimal("2000.00"),
    }
    assert budget_by_member(analysis) == [
        {"member": "", "income": Decimal("0.00"), "expenses": Decimal("7083.33")},
        {"member": "Anna", "income": Decimal("16500.00"), "expenses": Decimal("2000.00")},
    ]


def test_an_empty_budget_totals_zero(case_a, parameters_2020):
    analysis = DebtAnalysisFactory(case=case_a, parameters=parameters_2020)

    assert budget_totals(analysis)["disposable"] == Decimal("0.00")


# --- Debt-relief feasibility at its boundary ---------------------------------------------------


def test_debt_relief_is_feasible_exactly_at_the_threshold(parameters_2020):
    # Needed 2 × 1 089 = 2 178 a month, i.e. a seizable third of 2 178: a rest of 6 534
    # above the protected 6 608, so a net income of 13 142 Kč.
    result = debt_relief_feasibility(Decimal("13142.00"), parameters_2020, 0, administrator_fee=FEE)

    assert (result.feasible, result.seizable, result.required) == (
        True,
        Decimal(2178),
        Decimal("2178.00"),
    )


def test_debt_relief_is_not_feasible_1_crown_below(parameters_2020):
    # 13 141 − 6 608 = 6 533 → 6 531 (a multiple of 3); a third is 2 177 < 2 178.
    with translation.override("en"):
        result = debt_relief_feasibility(
            Decimal("13141.00"), parameters_2020, 0, administrator_fee=FEE
        )

    assert (result.feasible, result.seizable) == (False, Decimal(2177))
    assert result.steps[-1] == (
        "2,177.00 Kč < 2,178.00 Kč: debt relief is not feasible; 1.00 Kč is missing."
    )


def test_maintenance_raises_the_requirement_and_frees_the_second_third(parameters_2020):
    # Net 15 000: rest 8 391, two thirds 5 594 ≥ 2 178 + 3 000 = 5 178.
    result = debt_relief_feasibility(
        Decimal("15000.00"), parameters_2020, 0, administrator_fee=FEE, maintenance=Decimal(3000)
    )

    assert (result.feasible, result.seizable, result.required) == (
        True,
        Decimal(5594),
        Decimal("5178.00"),
    )


def test_analysis_feasibility_uses_only_seizable_income(case_a, parameters_2020):
    analysis = DebtAnalysisFactory(case=case_a, parameters=parameters_2020)
    parameters_2020.insolvency_administrator_fee = FEE
    _line(analysis, "income", "wage", "13141.00")
    _line(analysis, "income", "child_allowance", "5000.00")

    result = analysis_feasibility(analysis)

    assert (result.feasible, result.seizable) == (False, Decimal(2177))


# --- Screens ------------------------------------------------------------------------------------


def _analysis_data(**overrides):
    data = {
        "analysed_on": "2021-03-01",
        "dependants": "2",
        "recommended_solution": "debt_relief",
        "reasoning": "",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-0-category": "wage",
        "lines-0-member": "Anna",
        "lines-0-amount": "18000.00",
        "lines-0-frequency": "monthly",
        "lines-1-category": "rent",
        "lines-1-member": "",
        "lines-1-amount": "6000.00",
        "lines-1-frequency": "monthly",
        "lines-2-category": "",
        "lines-2-member": "",
        "lines-2-amount": "",
        "lines-2-frequency": "monthly",
    }
    return {**data, **overrides}


def test_worker_records_an_analysis_with_the_parameters_of_its_date(client, worker_a, case_a):
    client.force_login(worker_a)

    response = client.post(reverse("debts:analysis_create", args=[case_a.pk]), _analysis_data())

    analysis = DebtAnalysis.objects.get()
    assert response.url == reverse("debts:analysis_detail", args=[analysis.pk])
    # 2021 parameters: protected 2/3 × 11 809.20 + 2 × 1/6 × 11 809.20 = 11 809.20 → 11 810;
    # 18 000 − 11 810 = 6 190 → 6 189; a third 2 063 < 2 178.
    assert (analysis.parameters.valid_from, analysis.created_by, analysis.debt_relief_feasible) == (
        dt.date(2021, 1, 1),
        worker_a,
        False,
    )
    assert sorted(analysis.lines.values_list("direction", "category", "monthly_amount")) == [
        ("expense", "rent", Decimal("6000.00")),
        ("income", "wage", Decimal("18000.00")),
    ]


def test_analysis_detail_shows_budget_protected_amount_and_reasoning(client, worker_a, case_a):
    client.force_login(worker_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.post(reverse("debts:analysis_create", args=[case_a.pk]), _analysis_data())
    analysis = DebtAnalysis.objects.get()

    response = client.get(reverse("debts:analysis_detail", args=[analysis.pk]))

    assert response.context["protected"] == Decimal(11810)
    assert response.context["totals"]["disposable"] == Decimal("12000.00")
    assert response.context["feasibility"].feasible is False
    assert "Wages and salary (net)" in response.text


def test_a_negative_budget_line_is_refused(client, worker_a, case_a):
    client.force_login(worker_a)

    response = client.post(
        reverse("debts:analysis_create", args=[case_a.pk]),
        _analysis_data(**{"lines-1-amount": "-6000.00"}),
    )

    assert response.context["lines"].errors[1] == {"amount": [str(NEGATIVE_AMOUNT)]}
    assert DebtAnalysis.objects.count() == 0


def test_editing_an_analysis_changed_meanwhile_is_refused(client, worker_a, case_a):
    analysis = DebtAnalysisFactory(
        case=case_a, parameters=parameters_valid_on(dt.date(2021, 1, 1)), version=3
    )
    client.force_login(worker_a)

    response = client.post(
        reverse("debts:analysis_edit", args=[analysis.pk]), _analysis_data(version="2")
    )

    assert response.context["form"].non_field_errors() == [str(CONFLICT_MESSAGE)]
    assert analysis.lines.count() == 0


@pytest.mark.parametrize("name", ["debts:analysis_detail", "debts:analysis_edit"])
@pytest.mark.parametrize("persona", ["worker_b", "other_guarantor", "foreign_admin"])
def test_analysis_is_404_outside_the_scope(client, request, case_a, name, persona):
    analysis = DebtAnalysisFactory(case=case_a, parameters=parameters_valid_on(dt.date(2021, 1, 1)))
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse(name, args=[analysis.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["worker_a", "guarantor", "admin_user"])
def test_analysis_pages_open_for_roles_in_scope(client, request, case_a, persona):
    analysis = DebtAnalysisFactory(case=case_a, parameters=parameters_valid_on(dt.date(2021, 1, 1)))
    client.force_login(request.getfixturevalue(persona))

    detail = client.get(reverse("debts:analysis_detail", args=[analysis.pk]))
    create = client.get(reverse("debts:analysis_create", args=[case_a.pk]))

    assert (detail.context["analysis"], create.context["debt_case"]) == (analysis, case_a)


def test_worker_cannot_add_an_analysis_to_another_workers_case(client, worker_a, project, client_b):
    case_b = DebtCaseFactory(project=project, client=client_b)
    client.force_login(worker_a)

    response = client.post(reverse("debts:analysis_create", args=[case_b.pk]), _analysis_data())

    assert response.status_code == 404
    assert DebtAnalysis.objects.count() == 0


# --- PDF for the client -------------------------------------------------------------------------


def test_analysis_pdf_carries_the_budget_and_the_check(client, worker_a, case_a, tmp_path):
    client.force_login(worker_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.post(reverse("debts:analysis_create", args=[case_a.pk]), _analysis_data())
    analysis = DebtAnalysis.objects.get()

    response = client.get(reverse("debts:analysis_pdf", args=[analysis.pk]))

    pdf = tmp_path / "analysis.pdf"
    pdf.write_bytes(response.content)
    # A fixed command on a file the test wrote itself.
    text = subprocess.run(  # noqa: S603
        [PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert (response["Content-Type"], response["Content-Disposition"]) == (
        "application/pdf",
        f'inline; filename="analysis-{analysis.pk}.pdf"',
    )
    assert "Anna Adámková" in text
    assert "Wages and salary (net)" in text
    assert "debt relief is not feasible" in text


def test_analysis_pdf_is_404_for_another_worker(client, worker_b, case_a):
    analysis = DebtAnalysisFactory(case=case_a, parameters=parameters_valid_on(dt.date(2021, 1, 1)))
    client.force_login(worker_b)

    response = client.get(reverse("debts:analysis_pdf", args=[analysis.pk]))

    assert response.status_code == 404


def test_the_pdf_fetcher_serves_only_our_static_files():
    fetcher = StaticOnlyFetcher()

    css = fetcher.fetch(STATIC_BASE + "css/debt_analysis_print.css")

    assert css.content_type == "text/css"
    for url in ["https://example.com/x.css", "file:///etc/passwd", STATIC_BASE + "../settings.py"]:
        with pytest.raises(AssetRefused):
            fetcher.fetch(url)


@pytest.mark.parametrize("size", [1, 3])
def test_analysis_detail_query_count(client, django_assert_num_queries, worker_a, case_a, size):
    analysis = DebtAnalysisFactory(case=case_a, parameters=parameters_valid_on(dt.date(2021, 1, 1)))
    for n in range(size):
        _line(analysis, "income", "wage", "10000.00", member=f"Člen {n}")
        DebtFactory(case=case_a)
    client.force_login(worker_a)

    # session, user, the analysis (scope), budget totals, per member, debt totals (overall,
    # by kind, by status), roles (navigation), budget lines.
    with django_assert_num_queries(10):
        response = client.get(reverse("debts:analysis_detail", args=[analysis.pk]))

    assert len(response.context["members"]) == size
