"""The enrolment form offers and changes special-category codes only for who may see them."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from clients import forms
from clients.models import DisadvantageAnswer, MonitoringCode, MonitoringCodeKind
from tests.clients.test_client_forms import enrolment_data

pytestmark = pytest.mark.django_db


def _code(code) -> MonitoringCode:
    return MonitoringCode.objects.get(kind=MonitoringCodeKind.DISADVANTAGE, code=code)


@pytest.fixture
def recorded(client_a):
    """Client A answered: homeless (PBOBP), disability (ZNZP) and minority (ZNMIG)."""
    enrolment = client_a.enrolments.get()
    enrolment.disadvantage_answer = DisadvantageAnswer.ANSWERED
    enrolment.save(update_fields=["disadvantage_answer"])
    enrolment.disadvantages.set([_code("PBOBP"), _code("ZNZP"), _code("ZNMIG")])
    return enrolment


def _codes(enrolment) -> list[str]:
    return sorted(enrolment.disadvantages.values_list("code", flat=True))


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        pytest.param("worker_a", True, id="own-worker"),
        pytest.param("admin_user", True, id="admin"),
        pytest.param("guarantor", False, id="guarantor"),
    ],
)
def test_the_form_offers_special_codes_only_to_who_may_see_them(
    english, request, recorded, persona, sees
):
    client = english
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("clients:enrolment_edit", args=[recorded.pk]))

    form = response.context["form"]
    offered = set(form.fields["disadvantages"].queryset.values_list("code", flat=True))
    assert "PBOBP" in offered
    assert ({"ZNZP", "ZNMIG"} <= offered) == sees
    assert ({"ZNZP", "ZNMIG"} & offered) == ({"ZNZP", "ZNMIG"} if sees else set())
    for code in ("ZNZP", "ZNMIG"):
        name = escape(_code(code).name)
        assert (name in response.text) == sees
    note = str(forms.SPECIAL_CODES_HIDDEN).split("'")[0]
    assert (note in response.text) == (not sees)


def test_a_guarantor_editing_other_fields_keeps_the_special_codes(client, recorded, guarantor):
    client.force_login(guarantor)

    response = client.post(
        reverse("clients:enrolment_edit", args=[recorded.pk]),
        enrolment_data(
            recorded,
            disadvantage_answer=DisadvantageAnswer.ANSWERED,
            disadvantages=[_code("PBOBP").pk],
            exit_date="2021-06-30",
            exit_reason="goals_met",
        ),
    )

    assert response.status_code == 302
    recorded.refresh_from_db()
    assert recorded.exit_date is not None
    assert _codes(recorded) == ["PBOBP", "ZNMIG", "ZNZP"]


def test_a_guarantor_may_untick_every_visible_code(client, recorded, guarantor):
    client.force_login(guarantor)

    response = client.post(
        reverse("clients:enrolment_edit", args=[recorded.pk]),
        enrolment_data(recorded, disadvantage_answer=DisadvantageAnswer.ANSWERED),
    )

    assert response.status_code == 302
    assert _codes(recorded) == ["ZNMIG", "ZNZP"]


def test_a_guarantor_cannot_post_a_special_code(client, recorded, guarantor):
    client.force_login(guarantor)

    response = client.post(
        reverse("clients:enrolment_edit", args=[recorded.pk]),
        enrolment_data(
            recorded,
            disadvantage_answer=DisadvantageAnswer.ANSWERED,
            disadvantages=[_code("PBOBP").pk, _code("SPOZ").pk],
        ),
    )

    assert response.status_code == 200
    assert "disadvantages" in response.context["form"].errors
    assert _codes(recorded) == ["PBOBP", "ZNMIG", "ZNZP"]


def test_a_guarantor_cannot_wipe_special_codes_by_changing_the_answer(client, recorded, guarantor):
    client.force_login(guarantor)

    response = client.post(
        reverse("clients:enrolment_edit", args=[recorded.pk]),
        enrolment_data(recorded, disadvantage_answer=DisadvantageAnswer.NONE),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["disadvantage_answer"] == [
        str(forms.SPECIAL_CODES_KEEP_ANSWER)
    ]
    recorded.refresh_from_db()
    assert recorded.disadvantage_answer == DisadvantageAnswer.ANSWERED
    assert _codes(recorded) == ["PBOBP", "ZNMIG", "ZNZP"]


@pytest.mark.parametrize("persona", ["worker_a", "admin_user"])
def test_the_worker_and_the_admin_change_special_codes(client, request, recorded, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(
        reverse("clients:enrolment_edit", args=[recorded.pk]),
        enrolment_data(
            recorded,
            disadvantage_answer=DisadvantageAnswer.ANSWERED,
            disadvantages=[_code("ZNZP").pk],
        ),
    )

    assert response.status_code == 302
    assert _codes(recorded) == ["ZNZP"]


def test_a_guarantor_without_special_codes_recorded_needs_a_tick(client, client_a, guarantor):
    enrolment = client_a.enrolments.get()
    client.force_login(guarantor)

    response = client.post(
        reverse("clients:enrolment_edit", args=[enrolment.pk]),
        enrolment_data(enrolment, disadvantage_answer=DisadvantageAnswer.ANSWERED),
    )

    assert response.context["form"].errors["disadvantages"] == [
        str(forms.DISADVANTAGE_CODES_MISSING)
    ]
