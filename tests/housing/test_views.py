"""Housing screens: access by role, bad input kept with clear messages, query counts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from casework.conflicts import CONFLICT_MESSAGE
from housing import forms, services
from housing.models import (
    BenefitType,
    HousingOutcome,
    HousingSituation,
    Landlord,
    RiskAssessment,
    RiskFactorSet,
    RiskLevel,
)
from housing.services import create_default_risk_factor_set
from tests.factories import (
    CaseAssignmentFactory,
    ClientFactory,
    EnrolmentFactory,
    HousingSituationFactory,
    RiskAssessmentFactory,
)

pytestmark = pytest.mark.django_db


def _post_data(**overrides):
    data = {
        "valid_from": "2025-01-01",
        "ethos": "9.1",
        "tenure": "lease",
        "landlord": "",
        "rent": "6000",
        "service_charges": "2000",
        "arrears": "0",
        "lease_end": "",
        "notice_received_on": "",
        "notice_reason": "",
        "eviction_on": "",
        "note": "",
        "new_landlord_name": "",
        "new_landlord_kind": "",
        "new_landlord_contact": "",
        "benefits-TOTAL_FORMS": "1",
        "benefits-INITIAL_FORMS": "0",
        "benefits-MIN_NUM_FORMS": "0",
        "benefits-MAX_NUM_FORMS": "10",
        "benefits-0-benefit": "",
        "benefits-0-status": "",
        "benefits-0-applied_on": "",
        "benefits-0-amount": "0",
        "benefits-0-granted_until": "",
    }
    data.update(overrides)
    return data


# --- Access by role ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("worker_a", 200),
        ("worker_b", 404),
        ("guarantor", 200),
        ("admin_user", 200),
        ("other_guarantor", 404),
        ("foreign_admin", 404),
    ],
)
def test_housing_detail_per_role(client, request, client_a, persona, status):
    situation = HousingSituationFactory(client=client_a)
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("housing:detail", args=[situation.pk]))

    assert response.status_code == status


@pytest.mark.parametrize("name", ["housing:create", "housing:assess", "housing:outcome"])
def test_worker_cannot_reach_another_workers_client(client, worker_a, client_b, name):
    client.force_login(worker_a)

    response = client.get(reverse(name, args=[client_b.pk]))

    assert response.status_code == 404


def test_worker_cannot_change_another_workers_situation(client, worker_a, client_b):
    situation = HousingSituationFactory(client=client_b)
    client.force_login(worker_a)

    response = client.post(reverse("housing:change", args=[situation.pk]), _post_data())

    assert (response.status_code, HousingSituation.objects.count()) == (404, 1)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("worker_a", 404), ("guarantor", 200), ("admin_user", 200), ("other_guarantor", 404)],
)
def test_factor_set_revise_per_role(client, request, project, persona, status):
    factor_set = create_default_risk_factor_set(project)
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("housing:factor_set_revise", args=[factor_set.pk]))

    assert response.status_code == status


# --- Recording a situation --------------------------------------------------------------------


def test_housing_create_saves_situation_with_new_landlord_and_benefit(client, worker_a, client_a):
    client.force_login(worker_a)
    data = _post_data(
        new_landlord_name="Bytový fond Ralsko",
        new_landlord_kind="town",
        **{
            "benefits-0-benefit": "1",
            "benefits-0-status": "granted",
            "benefits-0-amount": "1500",
        },
    )
    data["benefits-0-benefit"] = str(BenefitType.objects.get(code="housing_allowance").pk)

    response = client.post(reverse("housing:create", args=[client_a.pk]), data)

    situation = HousingSituation.objects.get(client=client_a)
    assert response.url == reverse("housing:detail", args=[situation.pk])
    assert (situation.landlord.name, situation.landlord.organisation) == (
        "Bytový fond Ralsko",
        client_a.organisation,
    )
    assert [(b.benefit.code, b.amount) for b in situation.benefits.all()] == [
        ("housing_allowance", Decimal("1500.00"))
    ]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        pytest.param({"rent": "-1"}, "rent", forms.NEGATIVE_AMOUNT, id="negative-rent"),
        pytest.param({"arrears": "-50"}, "arrears", forms.NEGATIVE_AMOUNT, id="negative-arrears"),
        pytest.param({"ethos": "99.9"}, "ethos", forms.UNKNOWN_ETHOS, id="unknown-ethos"),
        pytest.param(
            {"notice_received_on": "2025-03-01", "eviction_on": "2025-02-01"},
            "eviction_on",
            forms.EVICTION_BEFORE_NOTICE,
            id="eviction-before-notice",
        ),
        pytest.param(
            {"notice_received_on": "2099-01-01"},
            "notice_received_on",
            forms.NOTICE_IN_FUTURE,
            id="notice-in-future",
        ),
    ],
)
def test_housing_create_bad_input_keeps_what_was_typed(
    client, worker_a, client_a, overrides, field, message
):
    client.force_login(worker_a)

    response = client.post(
        reverse("housing:create", args=[client_a.pk]),
        _post_data(note="Kept text", **overrides),
    )

    form = response.context["form"]
    assert (response.status_code, form.errors[field]) == (200, [str(message)])
    assert form["note"].value() == "Kept text"
    assert HousingSituation.objects.count() == 0


def test_housing_create_offers_only_benefits_valid_on_the_date(client, worker_a, client_a):
    client.force_login(worker_a)
    old = BenefitType.objects.get(code="housing_allowance")

    response = client.post(
        reverse("housing:create", args=[client_a.pk]),
        _post_data(
            valid_from="2025-10-01",
            **{"benefits-0-benefit": str(old.pk), "benefits-0-status": "applied"},
        ),
    )

    benefit_form = response.context["benefits"][0]
    assert benefit_form.errors["benefit"] == [str(forms.BENEFIT_NOT_VALID)]
    assert [b.code for b in benefit_form.fields["benefit"].queryset] == ["state_social_assistance"]


def test_housing_create_redirects_to_change_when_a_situation_is_current(client, worker_a, client_a):
    current = HousingSituationFactory(client=client_a)
    client.force_login(worker_a)

    response = client.get(reverse("housing:create", args=[client_a.pk]))

    assert response.url == reverse("housing:change", args=[current.pk])


def test_housing_change_records_the_next_situation(client, worker_a, client_a):
    current = HousingSituationFactory(client=client_a, valid_from=dt.date(2025, 1, 1))
    client.force_login(worker_a)

    response = client.post(
        reverse("housing:change", args=[current.pk]),
        _post_data(valid_from="2025-07-01", arrears="4000", version="1"),
    )

    current.refresh_from_db()
    new = HousingSituation.objects.get(client=client_a, valid_to__isnull=True)
    assert response.url == reverse("housing:detail", args=[new.pk])
    assert (current.valid_to, new.arrears) == (dt.date(2025, 6, 30), Decimal("4000.00"))


def test_housing_change_before_current_start_is_a_clear_message(client, worker_a, client_a):
    current = HousingSituationFactory(client=client_a, valid_from=dt.date(2025, 1, 1))
    client.force_login(worker_a)

    response = client.post(
        reverse("housing:change", args=[current.pk]),
        _post_data(valid_from="2024-12-01", version="1"),
    )

    expected = services.CHANGE_NOT_AFTER_CURRENT % {
        "date": date_format(dt.date(2025, 1, 1), "SHORT_DATE_FORMAT")
    }
    assert response.context["form"].non_field_errors() == [expected]
    assert HousingSituation.objects.filter(client=client_a).count() == 1


def test_housing_change_of_a_stale_version_is_refused_without_a_new_landlord(
    client, worker_a, client_a
):
    current = HousingSituationFactory(client=client_a, valid_from=dt.date(2025, 1, 1))
    client.force_login(worker_a)

    response = client.post(
        reverse("housing:change", args=[current.pk]),
        _post_data(
            valid_from="2025-07-01",
            version="0",
            new_landlord_name="Soukromník",
            new_landlord_kind="private",
        ),
    )

    assert response.context["form"].non_field_errors() == [str(CONFLICT_MESSAGE)]
    assert response.context["conflict"] is not None
    assert (HousingSituation.objects.count(), Landlord.objects.count()) == (1, 0)


# --- Risk assessment --------------------------------------------------------------------------


def test_housing_assess_shows_weights_and_thresholds(client, worker_a, client_a, project):
    create_default_risk_factor_set(project)
    client.force_login(worker_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(reverse("housing:assess", args=[client_a.pk]))

    text = response.content.decode()
    assert ("Medium risk from 4 points" in text, "5 points" in text) == (True, True)


def test_housing_assess_saves_score_and_level(client, worker_a, client_a, project):
    factor_set = create_default_risk_factor_set(project)
    codes = {f.code: f.pk for f in factor_set.factors.all()}
    client.force_login(worker_a)

    response = client.post(
        reverse("housing:assess", args=[client_a.pk]),
        {
            "assessed_on": "2025-05-01",
            f"factor_{codes['arrears']}": "on",
            f"factor_{codes['notice']}": "on",
            f"factor_{codes['eviction']}": "on",
        },
    )

    assessment = RiskAssessment.objects.get(client=client_a)
    assert response.url == client_a.get_absolute_url()
    assert (assessment.score, assessment.level, assessment.factor_set) == (
        13,
        RiskLevel.ACUTE,
        factor_set,
    )


def test_housing_assess_in_a_project_outside_the_scope_is_404(
    client, worker_a, client_a, other_project
):
    client.force_login(worker_a)

    response = client.get(
        reverse("housing:assess", args=[client_a.pk]), {"project": other_project.pk}
    )

    assert response.status_code == 404


def test_factor_set_revise_creates_the_next_version(client, guarantor, project):
    factor_set = create_default_risk_factor_set(project)
    client.force_login(guarantor)
    data = {
        "medium_from": "3",
        "high_from": "7",
        "acute_from": "11",
        "review_months": "3",
        "review_months_high": "1",
        "factors-TOTAL_FORMS": "1",
        "factors-INITIAL_FORMS": "1",
        "factors-MIN_NUM_FORMS": "0",
        "factors-MAX_NUM_FORMS": "40",
        "factors-0-code": "arrears",
        "factors-0-label": "Dluh",
        "factors-0-weight": "5",
    }

    client.post(reverse("housing:factor_set_revise", args=[factor_set.pk]), data)

    active = RiskFactorSet.objects.get(project=project, is_active=True)
    assert (active.version, active.high_from, [f.weight for f in active.factors.all()]) == (
        2,
        7,
        [5],
    )


def test_factor_set_revise_rejects_thresholds_out_of_order(client, guarantor, project):
    factor_set = create_default_risk_factor_set(project)
    client.force_login(guarantor)

    response = client.post(
        reverse("housing:factor_set_revise", args=[factor_set.pk]),
        {
            "medium_from": "5",
            "high_from": "4",
            "acute_from": "11",
            "review_months": "3",
            "review_months_high": "1",
            "factors-TOTAL_FORMS": "0",
            "factors-INITIAL_FORMS": "0",
        },
    )

    assert response.context["form"].non_field_errors() == [str(forms.THRESHOLDS_ORDER)]
    assert RiskFactorSet.objects.filter(project=project).count() == 1


# --- Query counts -----------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 3])
def test_housing_detail_query_count(
    client, django_assert_num_queries, project, worker_a, client_a, rows
):
    situations = []
    for month in range(rows):
        start = dt.date(2025, 1 + month * 2, 1)
        end = dt.date(2025, 2 + month * 2, 28) if month < rows - 1 else None
        situations.append(HousingSituationFactory(client=client_a, valid_from=start, valid_to=end))
        RiskAssessmentFactory(project=project, client=client_a, assessed_on=start, score=month)
    client.force_login(worker_a)

    # session, user, situation, history, benefits, events, assessments, outcomes, nav roles
    with django_assert_num_queries(9):
        response = client.get(reverse("housing:detail", args=[situations[-1].pk]))

    assert len(response.context["history"]) == rows


def test_housing_change_form_is_prefilled_with_the_current_situation(client, worker_a, client_a):
    current = HousingSituationFactory(client=client_a, rent=Decimal("7100"), arrears=Decimal("900"))
    client.force_login(worker_a)

    response = client.get(reverse("housing:change", args=[current.pk]))

    form = response.context["form"]
    assert (form["ethos"].value(), form["rent"].value(), form["valid_from"].value()) == (
        "9.1",
        Decimal("7100.00"),
        timezone.localdate(),
    )


def test_housing_change_of_a_closed_situation_goes_back_to_the_record(client, worker_a, client_a):
    closed = HousingSituationFactory(
        client=client_a, valid_from=dt.date(2025, 1, 1), valid_to=dt.date(2025, 3, 31)
    )
    client.force_login(worker_a)

    response = client.get(reverse("housing:change", args=[closed.pk]))

    assert response.url == reverse("housing:detail", args=[closed.pk])


def test_housing_outcome_is_recorded_once_per_project(client, worker_a, client_a, project):
    client.force_login(worker_a)
    url = reverse("housing:outcome", args=[client_a.pk])

    client.post(url, {"outcome": "kept", "decided_on": "2025-06-30", "note": ""})
    client.post(url, {"outcome": "improved", "decided_on": "2025-07-31", "note": ""})

    assert [(o.project, o.outcome, o.decided_on) for o in HousingOutcome.objects.all()] == [
        (project, "improved", dt.date(2025, 7, 31))
    ]


def test_housing_assess_asks_for_the_project_when_there_are_several(
    client, admin_user, client_a, other_project
):
    EnrolmentFactory(client=client_a, project=other_project, entry_date=other_project.start_date)
    client.force_login(admin_user)

    response = client.get(reverse("housing:assess", args=[client_a.pk]))

    assert ([p.code for p in response.context["projects"]], response.context["form"]) == (
        ["MLA", "RAL"],
        None,
    )


def test_housing_assess_links_the_checklist_for_the_guarantor_only(
    client, guarantor, worker_a, client_a, project
):
    factor_set = create_default_risk_factor_set(project)
    revise_url = reverse("housing:factor_set_revise", args=[factor_set.pk])
    url = reverse("housing:assess", args=[client_a.pk])

    client.force_login(guarantor)
    for_guarantor = revise_url in client.get(url).content.decode()
    client.force_login(worker_a)
    for_worker = revise_url in client.get(url).content.decode()

    assert (for_guarantor, for_worker) == (True, False)


@pytest.mark.parametrize("rows", [1, 3])
def test_home_acute_cases_query_count(client, django_assert_num_queries, project, guarantor, rows):
    for number in range(rows):
        person = ClientFactory(organisation=project.organisation, code=f"RAL-9{number}")
        EnrolmentFactory(client=person, project=project, entry_date=project.start_date)
        RiskAssessmentFactory(project=project, client=person, level=RiskLevel.ACUTE)
    client.force_login(guarantor)

    # session, user, roles, projects, extensions, three summary aggregates, acute cases.
    with django_assert_num_queries(9):
        response = client.get(reverse("home"))

    assert len(response.context["acute_cases"]) == rows


def test_housing_create_form_offers_the_benefits_valid_today(client, worker_a, client_a):
    client.force_login(worker_a)

    response = client.get(reverse("housing:create", args=[client_a.pk]))

    queryset = response.context["benefits"][0].fields["benefit"].queryset
    assert [b.code for b in queryset] == ["state_social_assistance"]


def test_housing_change_a_prefilled_benefit_row_may_be_cleared(client, worker_a, client_a):
    current = HousingSituationFactory(client=client_a, valid_from=dt.date(2025, 1, 1))
    client.force_login(worker_a)
    data = _post_data(valid_from="2025-11-01", version="1")
    data["benefits-INITIAL_FORMS"] = "1"

    response = client.post(reverse("housing:change", args=[current.pk]), data)

    new = HousingSituation.objects.get(client=client_a, valid_to__isnull=True)
    assert (response.url, new.benefits.count()) == (
        reverse("housing:detail", args=[new.pk]),
        0,
    )


ROLE_STATUS = [
    ("worker_a", 200),
    ("worker_b", 404),
    ("guarantor", 200),
    ("admin_user", 200),
    ("other_guarantor", 404),
    ("foreign_admin", 404),
]


@pytest.mark.parametrize("name", ["housing:create", "housing:assess", "housing:outcome"])
@pytest.mark.parametrize(("persona", "status"), ROLE_STATUS)
def test_client_housing_screens_per_role(client, request, project, client_a, name, persona, status):
    create_default_risk_factor_set(project)
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse(name, args=[client_a.pk]))

    assert response.status_code == status


@pytest.mark.parametrize(("persona", "status"), ROLE_STATUS)
def test_housing_change_per_role(client, request, client_a, persona, status):
    situation = HousingSituationFactory(client=client_a)
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("housing:change", args=[situation.pk]))

    assert response.status_code == status


@pytest.mark.parametrize("persona", ["worker_b", "other_guarantor", "foreign_admin"])
def test_outsiders_cannot_assess_or_record_outcome_by_post(
    client, request, project, client_a, persona
):
    create_default_risk_factor_set(project)
    client.force_login(request.getfixturevalue(persona))

    statuses = [
        client.post(reverse("housing:assess", args=[client_a.pk]), {"assessed_on": "2025-01-01"}),
        client.post(
            reverse("housing:outcome", args=[client_a.pk]),
            {"outcome": "lost", "decided_on": "2025-01-01"},
        ),
    ]

    assert [r.status_code for r in statuses] == [404, 404]
    assert (RiskAssessment.objects.count(), HousingOutcome.objects.count()) == (0, 0)


def test_housing_assess_in_the_future_is_refused_with_ticks_kept(
    client, worker_a, client_a, project
):
    factor_set = create_default_risk_factor_set(project)
    arrears = factor_set.factors.get(code="arrears")
    client.force_login(worker_a)

    response = client.post(
        reverse("housing:assess", args=[client_a.pk]),
        {"assessed_on": "2099-01-01", f"factor_{arrears.pk}": "on"},
    )

    form = response.context["form"]
    assert (form.errors["assessed_on"], form[f"factor_{arrears.pk}"].value()) == (
        [str(forms.ASSESSED_IN_FUTURE)],
        True,
    )
    assert RiskAssessment.objects.count() == 0


def test_housing_detail_draws_the_risk_trend(client, worker_a, client_a, project):
    situation = HousingSituationFactory(client=client_a)
    RiskAssessmentFactory(project=project, client=client_a, score=4, level=RiskLevel.MEDIUM)
    client.force_login(worker_a)

    response = client.get(reverse("housing:detail", args=[situation.pk]))

    html = response.content.decode()
    assert ('<polyline points="0.0,2.0"' in html, '<circle cx="0.0" cy="2.0"' in html) == (
        True,
        True,
    )


# --- The housing list -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("worker_a", ["RAL-0001"]),
        ("worker_b", ["RAL-0002"]),
        ("guarantor", ["RAL-0001", "RAL-0002"]),
        ("other_guarantor", []),
        ("foreign_admin", []),
    ],
)
def test_housing_list_per_role(client, request, client_a, client_b, persona, expected):
    HousingSituationFactory(client=client_a)
    HousingSituationFactory(client=client_b)
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("housing:list"))

    assert sorted(s.client.code for s in response.context["page"]) == expected


def test_housing_list_filters_by_warning(client, worker_a, client_a, project):
    HousingSituationFactory(
        client=client_a, valid_from=dt.date(2025, 1, 1), valid_to=dt.date(2025, 5, 31)
    )
    current = HousingSituationFactory(
        client=client_a, valid_from=dt.date(2025, 6, 1), arrears=Decimal("100")
    )
    client.force_login(worker_a)

    arrears = client.get(reverse("housing:list"), {"warning": "arrears"})
    notice = client.get(reverse("housing:list"), {"warning": "notice"})

    assert (list(arrears.context["page"]), list(notice.context["page"])) == ([current], [])


def test_housing_list_htmx_renders_only_the_rows(client, worker_a, client_a):
    HousingSituationFactory(client=client_a)
    client.force_login(worker_a)

    response = client.get(reverse("housing:list"), headers={"HX-Request": "true"})

    html = response.content.decode()
    assert (html.lstrip().startswith("<p data-result-summary>"), "<form" in html) == (True, False)


@pytest.mark.parametrize("rows", [1, 3])
def test_housing_list_query_count(client, django_assert_num_queries, project, worker_a, rows):
    for number in range(rows):
        person = ClientFactory(organisation=project.organisation, code=f"RAL-8{number}")
        EnrolmentFactory(client=person, project=project, entry_date=project.start_date)
        CaseAssignmentFactory(
            client=person, project=project, worker=worker_a, started_on=project.start_date
        )
        HousingSituationFactory(client=person)
    client.force_login(worker_a)

    # session, user, ETHOS groups (filter choices), count, page of rows, nav roles
    with django_assert_num_queries(6):
        response = client.get(reverse("housing:list"))

    assert len(response.context["page"]) == rows
