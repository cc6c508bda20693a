"""The client list's search (accents, typos, year, code, locality) and its filters."""

import datetime as dt

import pytest
from django.contrib.postgres.lookups import TrigramSimilar
from django.db import connection
from django.db.models import Q, Value
from django.urls import reverse

from clients.models import Client, ClientStatus, DisadvantageAnswer, MonitoringCodeKind, folded
from tests.factories import (
    CaseAssignmentFactory,
    ClientFactory,
    EnrolmentFactory,
    InterventionFactory,
    LocalityFactory,
    MonitoringCodeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def hvezdov(project):
    locality = LocalityFactory(organisation=project.organisation, name="Ralsko – Hvězdov")
    project.localities.add(locality)
    return locality


@pytest.fixture
def people(project, hvezdov, worker_a):
    """Four clients of the project, all on worker A's caseload."""

    def person(code, first_name, last_name, **fields):
        client = ClientFactory(
            organisation=project.organisation,
            code=code,
            first_name=first_name,
            last_name=last_name,
            **fields,
        )
        EnrolmentFactory(client=client, project=project)
        CaseAssignmentFactory(client=client, project=project, worker=worker_a)
        return client

    return {
        "novak": person("RAL-0042", "Jan", "Novák", birth_date=dt.date(1985, 3, 14)),
        "novakova": person("RAL-0043", "Eva", "Nováková", birth_date=dt.date(1990, 7, 1)),
        "dvorak": person("RAL-0044", "Petr", "Dvořák", birth_date=None, birth_year=1985),
        "svobodova": person(
            "RAL-0045",
            "Marie",
            "Svobodová",
            birth_date=dt.date(1970, 1, 2),
            locality=hvezdov,
            status=ClientStatus.CLOSED,
        ),
    }


def _codes(queryset):
    return [client.code for client in queryset]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Novak", ["RAL-0042", "RAL-0043"], id="without-diacritics"),
        pytest.param("Novák", ["RAL-0042", "RAL-0043"], id="with-diacritics"),
        pytest.param("NOVÁKOVÁ", ["RAL-0043", "RAL-0042"], id="upper-case-then-similar"),
        pytest.param("Nowak", ["RAL-0042"], id="typo-w-for-v"),
        pytest.param("dvorak", ["RAL-0044"], id="lower-case-without-hooks"),
        pytest.param("1985", ["RAL-0044", "RAL-0042"], id="birth-year-date-or-year-only"),
        pytest.param("RAL-0042", ["RAL-0042"], id="code"),
        pytest.param("ral-0045", ["RAL-0045"], id="code-lower-case"),
        pytest.param("Hvezdov", ["RAL-0045"], id="locality-without-diacritics"),
        pytest.param("Hvězdov", ["RAL-0045"], id="locality"),
        pytest.param("jan novak", ["RAL-0042"], id="two-words-all-must-match"),
        pytest.param("novák 1990", ["RAL-0043"], id="name-and-year"),
        pytest.param("Kovářová", [], id="nobody"),
        pytest.param("   ", ["RAL-0044", "RAL-0042", "RAL-0043", "RAL-0045"], id="blank"),
    ],
)
def test_search(people, worker_a, text, expected):
    found = Client.objects.visible_to(worker_a).search(text)

    assert _codes(found) == expected


def test_search_tolerates_a_missing_letter_and_ranks_the_closest_first(people, worker_a):
    found = Client.objects.visible_to(worker_a).search("Novk")

    assert _codes(found)[0] == "RAL-0042"


def test_search_ranks_the_exact_name_before_a_longer_one(people, worker_a):
    found = Client.objects.visible_to(worker_a).search("Novák")

    assert [(c.code, c.search_rank > 0) for c in found] == [("RAL-0042", True), ("RAL-0043", True)]
    assert found[0].search_rank > found[1].search_rank


def _plan(queryset) -> str:
    # The test tables are tiny, so PostgreSQL would rather read them whole; forbidding
    # sequential scans shows whether an index *can* serve the query (the expressions match).
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    try:
        return queryset.explain()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = on")


@pytest.mark.parametrize(
    ("text", "indexes"),
    [
        pytest.param(
            "Nowak",
            ["client_full_name_trgm_idx", "client_name_parts_trgm_idx"],
            id="name",
        ),
        pytest.param("0042", ["client_code_trgm_idx"], id="code"),
        pytest.param("1985", ["client_birth_date_idx", "client_birth_year_idx"], id="year"),
    ],
)
def test_search_can_use_its_indexes(people, text, indexes):
    plan = _plan(Client.objects.search(text))

    assert [name for name in indexes if name in plan] == indexes


# Names as people write them, ligatures and signs unaccent's rules spell out, nothing to fold,
# nothing at all.
FOLDING_SAMPLES = ["Nováková", "ŘÍHA Čermák", "Łódź", "ÆØÅ æøå ß Œuvre ﬁ ½ «»", "Novak", "", None]


def test_folding_gives_what_unaccent_gives():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT casework_unaccent(t), public.unaccent('public.unaccent', t)"
            " FROM unnest(%s::text[]) WITH ORDINALITY AS s(t, n) ORDER BY n",
            [FOLDING_SAMPLES],
        )
        rows = cursor.fetchall()

    assert [folded for folded, _ in rows] == [unaccented for _, unaccented in rows]
    assert rows[0] == ("Novakova", "Novakova")
    assert rows[-1] == (None, None)


def test_folding_is_inlined_into_the_query():
    # Not inlined, the function would run as a call of its own for every row read.
    plan = Client.objects.filter(
        Q(TrigramSimilar(folded("last_name"), folded(Value("nowak"))))
    ).explain(verbose=True)

    assert "casework_unaccent" not in plan
    assert "ts_lexize" in plan


# --- Filters ----------------------------------------------------------------------------------


def _list(client, user, **params):
    client.force_login(user)
    if "q" in params:
        response = client.post(reverse("clients:search"), params, follow=True)
    else:
        response = client.get(reverse("clients:list"), params)
    return [c.code for c in response.context["page"].object_list]


def test_list_search_goes_through_the_filter(client, people, worker_a):
    assert _list(client, worker_a, q="nowak") == ["RAL-0042"]


def test_a_list_row_links_the_case_file_and_shows_the_status(client, people, worker_a):
    client.force_login(worker_a)

    response = client.get(reverse("clients:list"))

    rows = {row.split("</td>")[0].rsplit(">", 1)[1]: row for row in response.text.split("<tr>")}
    novak, svobodova = people["novak"], people["svobodova"]
    link = f'<a class="tap-link" href="{novak.get_absolute_url()}">Novák Jan</a>'
    assert link in rows["RAL-0042"]
    assert novak.get_status_display() in rows["RAL-0042"]
    assert "text-body-secondary" not in rows["RAL-0042"]
    closed = f'<span class="text-body-secondary">{svobodova.get_status_display()}</span>'
    assert closed in rows["RAL-0045"]


def test_filter_by_locality(client, people, hvezdov, guarantor):
    assert _list(client, guarantor, locality=hvezdov.pk) == ["RAL-0045"]


def test_filter_by_status(client, people, guarantor):
    assert _list(client, guarantor, status=ClientStatus.CLOSED) == ["RAL-0045"]


def test_filter_by_project(client, people, client_other, admin_user, other_project):
    assert _list(client, admin_user, project=other_project.pk) == ["MLA-0001"]


def test_filter_by_worker(client, people, client_b, guarantor, worker_b):
    assert _list(client, guarantor, worker=worker_b.pk) == ["RAL-0002"]


def _complete_entry_data(enrolment):
    client = enrolment.client
    client.gender = MonitoringCodeFactory(kind=MonitoringCodeKind.GENDER, code="POHMUZI")
    client.municipality = "Ralsko"
    client.postcode = "471 24"
    client.save()
    enrolment.labour_status = MonitoringCodeFactory(
        kind=MonitoringCodeKind.LABOUR_STATUS, code="TPDNEZ"
    )
    enrolment.education = MonitoringCodeFactory(kind=MonitoringCodeKind.EDUCATION, code="VZ0")
    enrolment.disadvantage_answer = DisadvantageAnswer.DECLINED
    enrolment.save()


def _support(client, project, minutes):
    """``minutes`` of support in sessions of at most ten hours, one a day from the start."""
    day = project.start_date
    while minutes > 0:
        session = min(minutes, 600)
        InterventionFactory(
            project=project, date=day, duration_minutes=session, participants=[client]
        )
        minutes -= session
        day += dt.timedelta(days=1)


@pytest.fixture
def participants(people, project, other_project):
    """Novák is a participant of the project (40 h 00 min and complete data); Nováková has
    39 h 59 min; Dvořák has 40 h but incomplete data; Svobodová is a participant only of the
    other project."""
    for name in ["novak", "novakova", "dvorak"]:
        enrolment = people[name].enrolments.get()
        if name != "dvorak":
            _complete_entry_data(enrolment)
    _support(people["novak"], project, 40 * 60)
    _support(people["novakova"], project, 40 * 60 - 1)
    _support(people["dvorak"], project, 40 * 60)
    other = EnrolmentFactory(client=people["svobodova"], project=other_project)
    _complete_entry_data(other)
    _support(people["svobodova"], other_project, 40 * 60)
    return people


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        pytest.param({"participant": "yes"}, ["RAL-0042", "RAL-0045"], id="yes-any-project"),
        pytest.param(
            {"participant": "no"}, ["RAL-0044", "RAL-0043", "RAL-0001"], id="no-any-project"
        ),
        pytest.param({"participant": "yes", "project": "project"}, ["RAL-0042"], id="yes-here"),
        pytest.param(
            {"participant": "no", "project": "project"},
            ["RAL-0001", "RAL-0044", "RAL-0043", "RAL-0045"],
            id="no-here",
        ),
    ],
)
def test_filter_by_participant_status(
    client, request, participants, client_a, admin_user, params, expected
):
    if "project" in params:
        params = {**params, "project": request.getfixturevalue(params["project"]).pk}

    codes = _list(client, admin_user, **params)

    assert sorted(codes) == sorted(expected)


# --- Query counts -----------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 3])
def test_client_list_query_count_with_search_and_filters(
    client, django_assert_num_queries, project, hvezdov, worker_a, size
):
    for number in range(size):
        person = ClientFactory(
            organisation=project.organisation,
            first_name="Jan",
            last_name="Novák",
            code=f"RAL-{number + 1:04d}",
            locality=hvezdov,
        )
        enrolment = EnrolmentFactory(client=person, project=project)
        _complete_entry_data(enrolment)
        CaseAssignmentFactory(client=person, project=project, worker=worker_a)
        _support(person, project, 40 * 60)
    client.force_login(worker_a)
    searched = client.post(reverse("clients:search"), {"q": "nowak"})
    params = {
        "search": searched["Location"].split("search=")[1],
        "project": project.pk,
        "locality": hvezdov.pk,
        "status": ClientStatus.ACTIVE,
        "worker": worker_a.pk,
        "participant": "yes",
    }

    # session, user, the chosen project, locality and worker (the filter form validates them),
    # roles (navigation), filter choices (project, locality, worker), page rows with the count
    # of the ranked matches: the unfiltered list's seven plus one lookup per chosen object.
    with django_assert_num_queries(10):
        response = client.get(reverse("clients:list"), params)

    assert len(response.context["page"].object_list) == size


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "year_label", "locality_label"),
    [("cs", "Rok narození", "Lokalita"), ("en", "Year of birth", "Locality")],
)
def test_list_cells_carry_their_columns_header(
    client, worker_a, client_a, language, year_label, locality_label
):
    """The stacked table on a phone shows each cell with its column's name."""
    client_a.birth_date, client_a.birth_year, client_a.locality = None, 1984, None
    client_a.save()
    client.force_login(worker_a)

    response = client.get(reverse("clients:list"), HTTP_ACCEPT_LANGUAGE=language)

    html = response.content.decode()
    assert f">{year_label}</th>" in html
    assert f">{locality_label}</th>" in html
    assert f'<td data-label="{year_label}">1984</td>' in html
    assert f'<td data-label="{locality_label}">–</td>' in html
