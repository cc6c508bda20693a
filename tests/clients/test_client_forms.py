"""Registering and editing a client, the cooperation form, the duplicate warning and access."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext

from casework.conflicts import CONFLICT_MESSAGE
from casework.validators import INVALID_BIRTH_NUMBER, INVALID_POSTCODE
from clients import forms, services
from clients.models import (
    CaseAssignment,
    Client,
    ClientStatus,
    Consent,
    ConsentScope,
    DisadvantageAnswer,
    Enrolment,
    ExitReason,
    HouseholdMember,
    MonitoringCode,
    MonitoringCodeKind,
    Relationship,
)
from clients.queries import ENTRY_FIELD_LABELS
from tests.factories import (
    ClientFactory,
    ConsentFactory,
    HouseholdFactory,
    LocalityFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# The error summary above a form that was not saved (the wording is translated, the mark is not).
NOT_SAVED = "data-error-summary"


def birth_number(yy: int, mm: int, dd: int, serial: int = 123) -> str:
    """A valid ten-digit birth number (divisible by 11); women have 50 added to the month."""
    first_nine = f"{yy:02d}{mm:02d}{dd:02d}{serial:03d}"
    return first_nine + str(int(first_nine) % 11 % 10)


def _code(kind, code) -> MonitoringCode:
    return MonitoringCode.objects.get(kind=kind, code=code)


@pytest.fixture
def woman():
    return _code(MonitoringCodeKind.GENDER, "POHZENY")


@pytest.fixture
def man():
    return _code(MonitoringCodeKind.GENDER, "POHMUZI")


@pytest.fixture
def hvezdov(project):
    locality = LocalityFactory(organisation=project.organisation, name="Ralsko – Hvězdov")
    project.localities.add(locality)
    return locality


def _formset(prefix: str, rows: list[dict], initial: int = 0, extra: int = 1) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows) + extra),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for number, row in enumerate(rows):
        data.update({f"{prefix}-{number}-{name}": value for name, value in row.items()})
    return data


def client_data(*, members=(), consents=(), member_initial=0, consent_initial=0, **fields):
    """The POST of the client form: a woman born 20 May 1990 in Ralsko, no household."""
    data = {
        "first_name": "Jana",
        "last_name": "Horváthová",
        "title_before": "",
        "title_after": "",
        "birth_date": "1990-05-20",
        "birth_year": "",
        "gender": str(_code(MonitoringCodeKind.GENDER, "POHZENY").pk),
        "birth_number": "",
        "phone": "+420 777 123 456",
        "email": "",
        "street": "Hvězdov",
        "house_number": "12",
        "orientation_number": "",
        "municipality": "Ralsko",
        "municipality_part": "Hvězdov",
        "postcode": "47124",
        "locality": "",
        "notes": "",
        "household_choice": forms.NO_HOUSEHOLD,
        "household": "",
        "new_household_name": "",
        "new_household_address": "",
        "relationship": Relationship.HEAD,
        "entry_date": "2020-10-01",
    }
    data.update(_formset("members", list(members), initial=member_initial))
    data.update(_formset("consents", list(consents), initial=consent_initial))
    data.update({name: "" if value is None else str(value) for name, value in fields.items()})
    return data


def _create(client, user, **fields):
    client.force_login(user)
    return client.post(reverse("clients:create"), client_data(**fields))


def _new_client() -> Client:
    return Client.objects.get(last_name="Horváthová")


# --- Registering a client ---------------------------------------------------------------------


def test_worker_registers_a_client_in_their_project(client, project, worker_a, hvezdov):
    response = _create(
        client,
        worker_a,
        project=project.pk,
        locality=hvezdov.pk,
        birth_number="905520/1232",
        household_choice=forms.NEW_HOUSEHOLD,
        new_household_name="Horváthovi, Hvězdov 12",
        members=[
            {"name": "Tomáš Horváth", "birth_year": "2012", "relationship": "child"},
        ],
        consents=[{"scope": ConsentScope.RECORDS, "given_on": "2020-10-01"}],
    )

    new = _new_client()
    assert (response.status_code, response.url) == (302, new.get_absolute_url())
    assert (new.code, new.organisation, new.status) == ("RAL-0001", project.organisation, "active")
    assert (new.birth_number, new.postcode, new.locality) == ("9055201232", "471 24", hvezdov)
    assert [(e.project, e.entry_date) for e in new.enrolments.all()] == [
        (project, dt.date(2020, 10, 1))
    ]
    assert [(a.worker, a.kind, a.assigned_by) for a in new.assignments.all()] == [
        (worker_a, CaseAssignment.Kind.PRIMARY, worker_a)
    ]
    assert (new.household.name, new.household.locality) == ("Horváthovi, Hvězdov 12", hvezdov)
    members = new.household.members.order_by("pk")
    assert [(m.client, m.name, m.relationship) for m in members] == [
        (new, "", Relationship.HEAD),
        (None, "Tomáš Horváth", Relationship.CHILD),
    ]
    assert [(c.scope, c.recorded_by) for c in new.consents.all()] == [
        (ConsentScope.RECORDS, worker_a)
    ]


def test_worker_does_not_choose_a_worker(client, project, worker_a):
    client.force_login(worker_a)

    response = client.get(reverse("clients:create"))

    assert "worker" not in response.context["form"].fields
    assert list(response.context["form"].fields["project"].queryset) == [project]


def test_guarantor_registers_a_client_for_a_worker(client, project, guarantor, worker_a, worker_b):
    response = _create(client, guarantor, project=project.pk, worker=worker_b.pk)

    new = _new_client()
    assert response.status_code == 302
    assert [(a.worker, a.assigned_by) for a in new.assignments.all()] == [(worker_b, guarantor)]
    assert list(Client.objects.visible_to(worker_b)) == [new]


def test_guarantor_must_choose_a_worker(client, project, guarantor, worker_a):
    response = _create(client, guarantor, project=project.pk)

    assert list(response.context["form"].errors) == ["worker"]
    assert Client.objects.filter(last_name="Horváthová").count() == 0


def test_chosen_worker_must_work_in_the_chosen_project(
    client, project, other_project, admin_user, worker_a
):
    response = _create(client, admin_user, project=other_project.pk, worker=worker_a.pk)

    message = services.NOT_A_WORKER_OF_PROJECT % {"worker": "Alice Terénní"}
    assert response.context["form"].non_field_errors() == [message]
    assert 'value="Horváthová"' in response.text
    assert Client.objects.filter(last_name="Horváthová").count() == 0


def test_client_code_takes_the_next_free_number_of_the_project_prefix(
    client, project, other_project, foreign_project, worker_a
):
    ClientFactory(organisation=project.organisation, code="RAL-0150")
    ClientFactory(organisation=project.organisation, code="RAL-0007")
    ClientFactory(organisation=project.organisation, code="MLA-0300")
    ClientFactory(organisation=foreign_project.organisation, code="RAL-0999")

    _create(client, worker_a, project=project.pk)

    assert _new_client().code == "RAL-0151"


def test_user_without_a_project_cannot_register(client):
    client.force_login(UserFactory())

    response = client.get(reverse("clients:create"))

    assert response.status_code == 403


def test_foreign_admin_registers_in_their_own_organisation(
    client, foreign_project, foreign_admin, project
):
    worker = UserFactory()
    foreign_project.memberships.create(user=worker, role="worker")

    _create(client, foreign_admin, project=foreign_project.pk, worker=worker.pk)

    assert (_new_client().code, _new_client().organisation) == (
        "VIT-0001",
        foreign_project.organisation,
    )


def test_project_of_another_organisation_is_not_offered(client, project, foreign_project, worker_a):
    response = _create(client, worker_a, project=foreign_project.pk)

    assert list(response.context["form"].errors) == ["project"]
    assert Client.objects.filter(last_name="Horváthová").count() == 0


# --- Every validation message, with the input kept --------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        pytest.param(
            {"birth_number": "9055201233"},
            "birth_number",
            INVALID_BIRTH_NUMBER,
            id="bad-checksum",
        ),
        pytest.param(
            {"birth_number": birth_number(90, 55, 21)},
            "birth_number",
            forms.BIRTH_NUMBER_DATE_MISMATCH % {"date": "21. 5. 1990"},
            id="birth-number-other-date",
        ),
        pytest.param(
            {"birth_number": birth_number(91, 55, 20), "birth_date": "", "birth_year": "1990"},
            "birth_number",
            forms.BIRTH_NUMBER_YEAR_MISMATCH % {"year": 1991},
            id="birth-number-other-year",
        ),
        pytest.param(
            {"birth_number": birth_number(90, 5, 20)},
            "birth_number",
            forms.BIRTH_NUMBER_NOT_A_WOMAN,
            id="man-birth-number-for-a-woman",
        ),
        pytest.param(
            {"postcode": "4712"},
            "postcode",
            INVALID_POSTCODE,
            id="postcode",
        ),
        pytest.param(
            {"birth_year": "1991"},
            "birth_year",
            forms.BIRTH_YEAR_MISMATCH,
            id="year-and-date-disagree",
        ),
        pytest.param(
            {"birth_date": "2999-01-01"},
            "birth_date",
            forms.BIRTH_DATE_IN_FUTURE,
            id="born-in-the-future",
        ),
        pytest.param(
            {"household_choice": forms.EXISTING_HOUSEHOLD},
            "household",
            forms.HOUSEHOLD_NOT_CHOSEN,
            id="existing-household-not-chosen",
        ),
        pytest.param(
            {"household_choice": forms.NEW_HOUSEHOLD},
            "new_household_name",
            forms.HOUSEHOLD_NAME_MISSING,
            id="new-household-without-name",
        ),
    ],
)
def test_client_form_validation_keeps_the_input(client, project, worker_a, fields, field, message):
    fields = {"project": project.pk, "notes": "Potkali jsme se u obchodu.", **fields}

    response = _create(client, worker_a, **fields)

    form = response.context["form"]
    assert form.errors[field] == [str(message)]
    assert escape(str(message)) in response.text
    assert NOT_SAVED in response.text
    assert 'value="Horváthová"' in response.text
    assert "Potkali jsme se u obchodu." in response.text
    assert Client.objects.filter(last_name="Horváthová").count() == 0


def test_man_with_a_womans_birth_number(client, project, worker_a, man):
    response = _create(
        client, worker_a, project=project.pk, gender=man.pk, birth_number=birth_number(90, 55, 20)
    )

    assert response.context["form"].errors["birth_number"] == [str(forms.BIRTH_NUMBER_NOT_A_MAN)]


def test_consent_withdrawn_before_given_keeps_the_input(client, project, worker_a):
    response = _create(
        client,
        worker_a,
        project=project.pk,
        consents=[
            {
                "scope": ConsentScope.PHOTOS,
                "given_on": "2021-03-01",
                "withdrawn_on": "2021-02-01",
                "note": "Souhlas s fotkami",
            }
        ],
    )

    message = forms.CONSENT_WITHDRAWN_BEFORE_GIVEN % {"given": "1. 3. 2021"}
    assert response.context["consents"].errors == [{"withdrawn_on": [message]}, {}]
    assert escape(message) in response.text
    assert 'value="2021-02-01"' in response.text
    assert "Souhlas s fotkami" in response.text
    assert Client.objects.filter(last_name="Horváthová").count() == 0


@pytest.mark.parametrize(
    ("member", "household_choice", "message"),
    [
        pytest.param(
            {"birth_year": "2012", "relationship": "child"},
            forms.NEW_HOUSEHOLD,
            forms.MEMBER_NAME_OR_CLIENT,
            id="member-without-name",
        ),
        pytest.param(
            {"client_code": "RAL-0002", "relationship": "partner"},
            forms.NEW_HOUSEHOLD,
            forms.MEMBER_CLIENT_UNKNOWN % {"code": "RAL-0002"},
            id="member-client-not-visible",
        ),
    ],
)
def test_household_member_errors(
    client, project, worker_a, client_b, member, household_choice, message
):
    response = _create(
        client,
        worker_a,
        project=project.pk,
        household_choice=household_choice,
        new_household_name="Horváthovi",
        members=[member],
    )

    errors = response.context["members"].errors[0]
    assert list(errors.values()) == [[str(message)]]
    assert Client.objects.filter(last_name="Horváthová").count() == 0


def test_members_need_a_household(client, project, worker_a):
    response = _create(
        client, worker_a, project=project.pk, members=[{"name": "Tomáš", "relationship": "child"}]
    )

    assert response.context["members"].non_form_errors() == [forms.HOUSEHOLD_NEEDED_FOR_MEMBERS]


def test_linking_a_client_as_member_moves_them_into_the_household(
    client, project, worker_a, client_a
):
    old = HouseholdFactory(organisation=project.organisation)
    client_a.household = old
    client_a.save()
    HouseholdMember.objects.create(household=old, client=client_a, relationship="head")

    _create(
        client,
        worker_a,
        project=project.pk,
        household_choice=forms.NEW_HOUSEHOLD,
        new_household_name="Horváthovi",
        members=[{"client_code": "ral-0001", "relationship": "partner"}],
    )

    new = _new_client()
    client_a.refresh_from_db()
    assert client_a.household == new.household
    assert (client_a.household_membership.relationship, client_a.version) == ("partner", 2)
    assert list(old.members.all()) == []


def test_existing_household_of_the_organisation(client, project, worker_a, client_a):
    household = HouseholdFactory(organisation=project.organisation, name="Adámkovi")
    client_a.household = household
    client_a.save()

    _create(
        client,
        worker_a,
        project=project.pk,
        household_choice=forms.EXISTING_HOUSEHOLD,
        household=household.pk,
        relationship=Relationship.PARTNER,
    )

    new = _new_client()
    assert (new.household, new.household_membership.relationship) == (household, "partner")


def test_household_of_a_client_the_worker_cannot_see_is_not_offered(
    client, project, worker_a, client_b
):
    hidden = HouseholdFactory(organisation=project.organisation, name="Bartošovi")
    client_b.household = hidden
    client_b.save()

    response = _create(
        client,
        worker_a,
        project=project.pk,
        household_choice=forms.EXISTING_HOUSEHOLD,
        household=hidden.pk,
    )

    assert list(response.context["form"].errors) == ["household"]
    assert "Bartošovi" not in response.text


# --- Duplicate warning ------------------------------------------------------------------------


def _anna(**fields):
    """The fields of someone much like client_a (Anna Adámková, born 14 March 1985)."""
    return {
        "first_name": "Anna",
        "last_name": "Adamkova",
        "birth_date": "1985-03-14",
        **fields,
    }


def test_similar_person_in_own_caseload_is_shown(client, project, worker_a, client_a):
    response = _create(client, worker_a, project=project.pk, **_anna(notes="Nová poznámka"))

    duplicates = response.context["duplicates"]
    assert (duplicates.visible, duplicates.hidden_count) == ([client_a], 0)
    assert response.context["form"].non_field_errors() == [str(services.POSSIBLE_DUPLICATE)]
    assert reverse("clients:detail", args=[client_a.pk]) in response.text
    assert 'name="different_person"' in response.text
    assert "Nová poznámka" in response.text
    assert Client.objects.filter(last_name="Adamkova").count() == 0


def test_similar_person_elsewhere_is_only_mentioned(client, project, worker_b, client_a):
    response = _create(client, worker_b, project=project.pk, **_anna())

    duplicates = response.context["duplicates"]
    assert (duplicates.visible, duplicates.hidden_count) == ([], 1)
    assert "data-duplicates-elsewhere" in response.text
    assert client_a.code not in response.text
    assert reverse("clients:detail", args=[client_a.pk]) not in response.text


def test_different_person_ticked_saves(client, project, worker_a, client_a):
    response = _create(client, worker_a, project=project.pk, **_anna(different_person="on"))

    new = Client.objects.get(last_name="Adamkova")
    assert (response.status_code, response.url) == (302, new.get_absolute_url())


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"first_name": "Ana", "last_name": "Adámková"}, id="typo-in-first-name"),
        pytest.param({"birth_date": "", "birth_year": "1985"}, id="only-the-year"),
        pytest.param(
            {"first_name": "Adámková", "last_name": "Anna"}, id="first-and-last-name-swapped"
        ),
    ],
)
def test_duplicate_check_variants(client, project, worker_a, client_a, fields):
    response = _create(client, worker_a, project=project.pk, **_anna(**fields))

    assert response.context["duplicates"].visible == [client_a]


def test_same_birth_number_is_a_duplicate_whatever_the_name(client, project, worker_a, client_a):
    client_a.birth_number = birth_number(90, 55, 20)
    client_a.save()

    response = _create(client, worker_a, project=project.pk, birth_number="905520/1232")

    assert response.context["duplicates"].visible == [client_a]


def test_other_birth_date_is_no_duplicate(client, project, worker_a, client_a):
    response = _create(client, worker_a, project=project.pk, **_anna(birth_date="1986-03-14"))

    assert response.status_code == 302


def test_client_of_another_organisation_is_no_duplicate(client, project, worker_a, client_foreign):
    response = _create(
        client,
        worker_a,
        project=project.pk,
        first_name="Filip",
        last_name="Fiala",
        birth_date="1985-03-14",
    )

    assert response.status_code == 302


# --- Editing a client -------------------------------------------------------------------------


def edit_data(target: Client, **fields):
    consents = [
        {
            "id": c.pk,
            "scope": c.scope,
            "given_on": c.given_on.isoformat(),
            "withdrawn_on": c.withdrawn_on.isoformat() if c.withdrawn_on else "",
            "note": c.note,
        }
        for c in target.consents.order_by("-given_on")
    ]
    data = client_data(consents=consents, consent_initial=len(consents), **fields)
    data.update(
        first_name=target.first_name,
        last_name=target.last_name,
        birth_date=target.birth_date.isoformat() if target.birth_date else "",
        version=str(target.version),
    )
    data.update({name: str(value) for name, value in fields.items()})
    return data


def test_edit_saves_and_moves_the_version_on(client, worker_a, client_a):
    client.force_login(worker_a)

    response = client.post(
        reverse("clients:edit", args=[client_a.pk]),
        edit_data(client_a, phone="+420 600 000 111", postcode="793 16"),
    )

    client_a.refresh_from_db()
    assert (response.status_code, response.url) == (302, client_a.get_absolute_url())
    assert (client_a.phone, client_a.postcode, client_a.version) == (
        "+420 600 000 111",
        "793 16",
        2,
    )
    assert client_a.code == "RAL-0001"


def test_edit_records_a_withdrawal(client, worker_a, client_a):
    consent = ConsentFactory(client=client_a, given_on=dt.date(2020, 9, 1))
    client.force_login(worker_a)

    client.post(
        reverse("clients:edit", args=[client_a.pk]),
        {
            **edit_data(client_a),
            "consents-0-withdrawn_on": "2021-01-31",
        },
    )

    consent.refresh_from_db()
    assert consent.withdrawn_on == dt.date(2021, 1, 31)
    assert Consent.objects.filter(client=client_a).count() == 1


def test_concurrent_edit_is_refused_and_keeps_the_input(client, worker_a, client_a):
    client.force_login(worker_a)
    loaded = edit_data(client_a, phone="+420 600 000 222")
    Client.objects.filter(pk=client_a.pk).update(phone="+420 777 000 000", version=2)

    response = client.post(reverse("clients:edit", args=[client_a.pk]), loaded)

    client_a.refresh_from_db()
    assert response.context["form"].non_field_errors() == [str(CONFLICT_MESSAGE)]
    rows = {row.name: (row.yours, row.theirs) for row in response.context["conflict"].fields}
    assert rows["phone"] == ("+420 600 000 222", "+420 777 000 000")
    assert 'value="+420 600 000 222"' in response.text
    assert (client_a.phone, client_a.version) == ("+420 777 000 000", 2)


def test_edit_of_the_name_runs_the_duplicate_check(client, project, worker_a, client_a):
    twin = ClientFactory(
        organisation=project.organisation,
        first_name="Hana",
        last_name="Adámková",
        birth_date=client_a.birth_date,
    )
    twin.enrolments.create(project=project, entry_date=project.start_date)
    client.force_login(worker_a)

    response = client.post(
        reverse("clients:edit", args=[client_a.pk]), edit_data(client_a, first_name="Hanna")
    )

    client_a.refresh_from_db()
    assert response.context["duplicates"].hidden_count == 1
    assert (client_a.first_name, client_a.version) == ("Anna", 1)


def test_edit_without_identity_change_skips_the_duplicate_check(
    client, project, worker_a, client_a
):
    ClientFactory(
        organisation=project.organisation,
        first_name="Anna",
        last_name="Adámková",
        birth_date=client_a.birth_date,
    )
    client.force_login(worker_a)

    response = client.post(
        reverse("clients:edit", args=[client_a.pk]), edit_data(client_a, phone="123")
    )

    assert response.status_code == 302


def test_edit_shows_household_members(client, worker_a, client_a, client_b):
    household = HouseholdFactory(organisation=client_a.organisation, name="Adámkovi")
    client_a.household = household
    client_a.save()
    HouseholdMember.objects.create(household=household, client=client_a, relationship="head")
    HouseholdMember.objects.create(
        household=household,
        name="Ema Adámková",
        birth_year=2015,
        relationship="child",
        is_dependent=True,
    )
    HouseholdMember.objects.create(household=household, client=client_b, relationship="partner")
    client.force_login(worker_a)

    response = client.get(reverse("clients:edit", args=[client_a.pk]))

    assert [f.instance.name for f in response.context["members"].initial_forms] == ["Ema Adámková"]
    assert response.context["form"]["household_choice"].value() == forms.EXISTING_HOUSEHOLD
    assert client_b.last_name not in response.text


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        pytest.param("worker_a", 404, id="other-workers-client"),
        pytest.param("worker_b", 200, id="own-client"),
        pytest.param("guarantor", 200, id="guarantor"),
        pytest.param("admin_user", 200, id="admin"),
        pytest.param("other_guarantor", 404, id="guarantor-of-another-project"),
        pytest.param("foreign_admin", 404, id="foreign-admin"),
    ],
)
def test_edit_access(client, request, client_b, persona, status):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("clients:edit", args=[client_b.pk]))

    assert response.status_code == status
    assert (f'value="{client_b.last_name}"' in response.text) == (status == 200)


def test_worker_cannot_post_an_edit_of_another_workers_client(client, worker_a, client_b):
    client.force_login(worker_a)

    response = client.post(
        reverse("clients:edit", args=[client_b.pk]), edit_data(client_b, phone="1")
    )

    client_b.refresh_from_db()
    assert (response.status_code, client_b.version) == (404, 1)


# --- Cooperation (enrolment) ------------------------------------------------------------------


def enrolment_data(enrolment: Enrolment, **fields):
    data = {
        "version": str(enrolment.version),
        "entry_date": enrolment.entry_date.isoformat(),
        "exit_date": "",
        "exit_reason": "",
        "labour_status": str(_code(MonitoringCodeKind.LABOUR_STATUS, "TPDNEZ").pk),
        "education": str(_code(MonitoringCodeKind.EDUCATION, "VZISCED1-2").pk),
        "disadvantage_answer": DisadvantageAnswer.DECLINED,
        "exit_labour_status": "",
    }
    data.update({name: value for name, value in fields.items()})
    return data


def test_enrolment_end_closes_the_client(client, worker_a, client_a):
    enrolment = client_a.enrolments.get()
    client.force_login(worker_a)

    response = client.post(
        reverse("clients:enrolment_edit", args=[enrolment.pk]),
        enrolment_data(enrolment, exit_date="2021-06-30", exit_reason=ExitReason.GOALS_MET),
    )

    enrolment.refresh_from_db()
    client_a.refresh_from_db()
    assert (response.status_code, response.url) == (302, client_a.get_absolute_url())
    assert (enrolment.exit_date, enrolment.exit_reason, enrolment.version) == (
        dt.date(2021, 6, 30),
        ExitReason.GOALS_MET,
        2,
    )
    assert (enrolment.labour_status.code, enrolment.disadvantage_answer) == ("TPDNEZ", "declined")
    assert client_a.status == ClientStatus.CLOSED


def test_enrolment_disadvantage_codes(client, worker_a, client_a):
    enrolment = client_a.enrolments.get()
    codes = [_code(MonitoringCodeKind.DISADVANTAGE, c) for c in ["PBOBP", "ZNMIG"]]
    client.force_login(worker_a)

    client.post(
        reverse("clients:enrolment_edit", args=[enrolment.pk]),
        enrolment_data(
            enrolment,
            disadvantage_answer=DisadvantageAnswer.ANSWERED,
            disadvantages=[c.pk for c in codes],
        ),
    )

    assert sorted(c.code for c in enrolment.disadvantages.all()) == ["PBOBP", "ZNMIG"]


def test_enrolment_form_marks_special_categories_and_explains_declined(client, worker_a, client_a):
    client.force_login(worker_a)

    response = client.get(reverse("clients:enrolment_edit", args=[client_a.enrolments.get().pk]))

    field = response.context["form"].fields["disadvantages"]
    minority = _code(MonitoringCodeKind.DISADVANTAGE, "ZNMIG")
    assert field.label_from_instance(minority) == gettext(
        "%(name)s (special category: the person may decline to answer)"
    ) % {"name": minority.name}
    assert escape(field.label_from_instance(minority)) in response.text
    assert escape(str(DisadvantageAnswer.DECLINED.label)) in response.text
    help_text = response.context["form"].fields["disadvantage_answer"].help_text
    assert escape(str(help_text)) in response.text


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        pytest.param(
            {"exit_date": "2020-08-31", "exit_reason": ExitReason.MOVED},
            "exit_date",
            forms.EXIT_BEFORE_ENTRY % {"entry": "1. 9. 2020"},
            id="exit-before-entry",
        ),
        pytest.param(
            {"exit_date": "2021-01-31"}, "exit_reason", forms.EXIT_REASON_MISSING, id="no-reason"
        ),
        pytest.param(
            {"exit_reason": ExitReason.MOVED}, "exit_date", forms.EXIT_DATE_MISSING, id="no-date"
        ),
        pytest.param(
            {"disadvantage_answer": DisadvantageAnswer.ANSWERED},
            "disadvantages",
            forms.DISADVANTAGE_CODES_MISSING,
            id="answered-without-codes",
        ),
        pytest.param(
            {"disadvantage_answer": DisadvantageAnswer.NONE, "disadvantages": ["PBOBP"]},
            "disadvantages",
            forms.DISADVANTAGE_CODES_NOT_EXPECTED,
            id="codes-with-none",
        ),
    ],
)
def test_enrolment_validation_keeps_the_input(client, worker_a, client_a, fields, field, message):
    enrolment = client_a.enrolments.get()
    if "disadvantages" in fields:
        codes = [_code(MonitoringCodeKind.DISADVANTAGE, c).pk for c in fields["disadvantages"]]
        fields = {**fields, "disadvantages": codes}
    client.force_login(worker_a)

    response = client.post(
        reverse("clients:enrolment_edit", args=[enrolment.pk]), enrolment_data(enrolment, **fields)
    )

    enrolment.refresh_from_db()
    assert response.context["form"].errors[field] == [str(message)]
    assert escape(str(message)) in response.text
    assert NOT_SAVED in response.text
    assert (enrolment.version, enrolment.exit_date) == (1, None)


def test_concurrent_enrolment_edit_is_refused(client, worker_a, client_a):
    enrolment = client_a.enrolments.get()
    loaded = enrolment_data(enrolment, exit_date="2021-01-31", exit_reason=ExitReason.MOVED)
    Enrolment.objects.filter(pk=enrolment.pk).update(version=2)
    client.force_login(worker_a)

    response = client.post(reverse("clients:enrolment_edit", args=[enrolment.pk]), loaded)

    enrolment.refresh_from_db()
    assert response.context["form"].non_field_errors() == [str(CONFLICT_MESSAGE)]
    assert 'value="2021-01-31"' in response.text
    assert enrolment.exit_date is None


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        pytest.param("worker_a", 404, id="other-workers-client"),
        pytest.param("worker_b", 200, id="own-client"),
        pytest.param("guarantor", 200, id="guarantor"),
        pytest.param("admin_user", 200, id="admin"),
        pytest.param("other_guarantor", 404, id="guarantor-of-another-project"),
        pytest.param("foreign_admin", 404, id="foreign-admin"),
    ],
)
def test_enrolment_edit_access(client, request, client_b, persona, status):
    enrolment = client_b.enrolments.get()
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("clients:enrolment_edit", args=[enrolment.pk]))

    assert response.status_code == status
    assert (client_b.code in response.text) == (status == 200)


def test_enrolment_form_lists_missing_entry_data(client, worker_a, client_a):
    client.force_login(worker_a)

    response = client.get(reverse("clients:enrolment_edit", args=[client_a.enrolments.get().pk]))

    missing = ["gender", "labour_status", "education", "disadvantage", "municipality", "postcode"]
    assert response.context["missing_entry_data"] == [ENTRY_FIELD_LABELS[name] for name in missing]


def test_edit_removes_and_adds_household_members(client, worker_a, client_a):
    household = HouseholdFactory(organisation=client_a.organisation, name="Adámkovi")
    client_a.household = household
    client_a.save()
    HouseholdMember.objects.create(household=household, client=client_a, relationship="head")
    leaving = HouseholdMember.objects.create(
        household=household, name="Karel Adámek", relationship="partner"
    )
    data = edit_data(client_a, household_choice=forms.EXISTING_HOUSEHOLD, household=household.pk)
    data.update(
        _formset(
            "members",
            [
                {
                    "id": leaving.pk,
                    "name": "Karel Adámek",
                    "relationship": "partner",
                    "DELETE": "on",
                },
                {
                    "name": "Ema Adámková",
                    "birth_year": "2015",
                    "relationship": "child",
                    "is_dependent": "on",
                },
            ],
            initial=1,
        )
    )
    client.force_login(worker_a)

    response = client.post(reverse("clients:edit", args=[client_a.pk]), data)

    members = household.members.order_by("pk")
    assert response.status_code == 302
    assert [(m.client, m.name, m.relationship, m.is_dependent) for m in members] == [
        (client_a, "", "head", False),
        (None, "Ema Adámková", "child", True),
    ]


def test_only_localities_of_the_users_projects_are_offered(
    client, project, other_project, worker_a, hvezdov
):
    elsewhere = LocalityFactory(organisation=project.organisation, name="Mimoň")
    other_project.localities.add(elsewhere)
    client.force_login(worker_a)

    response = client.get(reverse("clients:create"))

    assert list(response.context["form"].fields["locality"].queryset) == [hvezdov]


def test_edit_keeps_a_locality_the_worker_would_not_be_offered(
    client, project, other_project, worker_a, client_a
):
    elsewhere = LocalityFactory(organisation=project.organisation, name="Mimoň")
    other_project.localities.add(elsewhere)
    client_a.locality = elsewhere
    client_a.save()
    client.force_login(worker_a)

    response = client.post(
        reverse("clients:edit", args=[client_a.pk]), edit_data(client_a, locality=elsewhere.pk)
    )

    client_a.refresh_from_db()
    assert (response.status_code, client_a.locality, client_a.version) == (302, elsewhere, 2)
