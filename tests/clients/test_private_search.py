"""Search text never travels in a URL: it is posted, kept in the session, named by a token."""

import re
import urllib.parse

import pytest
from django.test import Client as BrowserSession
from django.urls import reverse

from casework.private_search import MAX_SEARCHES, SESSION_KEY
from clients import views as client_views
from tests.factories import CaseAssignmentFactory, ClientFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db

SEARCH = "Adámková"
URL_ATTRIBUTES = re.compile(r'(?:href|action|hx-[a-z]+|src)="([^"]*)"')


def _forms_of(text: str) -> list[str]:
    """The text as it could appear in an address: raw, percent-encoded, plus-encoded."""
    return [text, urllib.parse.quote(text), urllib.parse.quote_plus(text), "Ad%C3%A1m"]


def _token(response) -> str:
    query = urllib.parse.urlsplit(response["Location"]).query
    return urllib.parse.parse_qs(query)["search"][0]


def _codes(response) -> list[str]:
    return [c.code for c in response.context["page"].object_list]


def _search(client, text, headers=None, **filters):
    return client.post(reverse("clients:search"), {"q": text, **filters}, **(headers or {}))


def test_the_search_redirects_with_a_token_and_finds_the_client(
    client, client_a, client_b, guarantor
):
    client.force_login(guarantor)

    response = _search(client, SEARCH, status="active")

    assert response.status_code == 303
    location = response["Location"]
    assert location.startswith(reverse("clients:list") + "?")
    assert all(form not in location for form in _forms_of(SEARCH))
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)["status"] == ["active"]
    page = client.get(location)
    assert _codes(page) == ["RAL-0001"]
    # The text is in the search box, and in no address on the page.
    assert f'value="{SEARCH}"' in page.text
    addresses = URL_ATTRIBUTES.findall(page.text)
    assert any("search=" in address for address in addresses)  # the export link keeps it
    assert [a for a in addresses if any(form in a for form in _forms_of(SEARCH))] == []


def test_pagination_keeps_the_token_and_never_the_text(client, monkeypatch, project, worker_a):
    monkeypatch.setattr(client_views, "PAGE_SIZE", 1)
    for number in range(3):
        person = ClientFactory(
            organisation=project.organisation,
            code=f"RAL-{number + 1:04d}",
            first_name="Jana",
            last_name="Nováková",
        )
        EnrolmentFactory(client=person, project=project)
        CaseAssignmentFactory(client=person, project=project, worker=worker_a)
    client.force_login(worker_a)
    token = _token(_search(client, "Nováková"))

    page = client.get(reverse("clients:list"), {"search": token})

    links = re.findall(r'class="page-link" href="([^"]*)"', page.text)
    assert links
    assert all(f"search={token}" in link for link in links)
    assert all("Nov" not in link for link in links)
    second = client.get(reverse("clients:list") + links[-1].replace("&amp;", "&"))
    assert second.context["page"].number == 2
    assert second.context["page"].paginator.count == 3


def test_htmx_gets_the_rows_and_the_tokenised_address(client, client_a, client_b, guarantor):
    client.force_login(guarantor)

    response = _search(client, "Bartoš", {"HTTP_HX_REQUEST": "true"})

    assert response.status_code == 200
    assert _codes(response) == ["RAL-0002"]
    pushed = response["HX-Push-Url"]
    assert pushed.startswith(reverse("clients:list") + "?search=")
    assert all(form not in pushed for form in _forms_of("Bartoš"))
    assert "<html" not in response.text
    addresses = URL_ATTRIBUTES.findall(response.text)
    assert [a for a in addresses if any(f in a for f in _forms_of("Bartoš"))] == []


def test_another_users_token_does_not_work(client, client_a, client_b, guarantor, worker_a):
    client.force_login(guarantor)
    token = _token(_search(client, "Bartoš"))
    other = BrowserSession()
    other.force_login(worker_a)

    response = other.get(reverse("clients:list"), {"search": token})

    assert response.context["search_expired"]
    assert "data-search-expired" in response.text
    assert "Bartoš" not in response.text
    assert _codes(response) == ["RAL-0001"]  # the unfiltered list of worker A
    # The owner of the token still gets their search.
    assert _codes(client.get(reverse("clients:list"), {"search": token})) == ["RAL-0002"]


def test_an_unknown_token_shows_everything_with_a_message(client, client_a, client_b, guarantor):
    client.force_login(guarantor)

    response = client.get(reverse("clients:list"), {"search": "nonsense"})

    assert sorted(_codes(response)) == ["RAL-0001", "RAL-0002"]
    assert "data-search-expired" in response.text


def test_a_name_typed_into_the_address_is_not_searched(client, client_a, client_b, guarantor):
    client.force_login(guarantor)

    response = client.get(reverse("clients:list"), {"q": "Bartoš"})

    assert sorted(_codes(response)) == ["RAL-0001", "RAL-0002"]
    assert "Bartoš" not in URL_ATTRIBUTES.findall(response.text).__str__()


def test_the_session_keeps_at_most_the_last_searches(client, client_a, worker_a):
    client.force_login(worker_a)
    tokens = [_token(_search(client, f"name {number}")) for number in range(MAX_SEARCHES + 2)]

    assert len(client.session[SESSION_KEY]) == MAX_SEARCHES
    first = client.get(reverse("clients:list"), {"search": tokens[0]})
    last = client.get(reverse("clients:list"), {"search": tokens[-1]})
    assert first.context["search_expired"]
    assert not last.context["search_expired"]
    assert (
        client.get(reverse("clients:list"), {"search": tokens[2]})
        .context["filter"]
        .form["q"]
        .value()
        == "name 2"
    )
    # The same text again reuses its token instead of filling the session.
    assert _token(_search(client, f"name {MAX_SEARCHES + 1}")) == tokens[-1]
    assert len(client.session[SESSION_KEY]) == MAX_SEARCHES


def test_a_blank_search_keeps_only_the_filters(client, client_a, worker_a):
    client.force_login(worker_a)

    response = _search(client, "   ", status="active", project="")

    assert response["Location"] == reverse("clients:list") + "?status=active"


def test_the_search_needs_csrf(client_a, worker_a):
    strict = BrowserSession(enforce_csrf_checks=True)
    strict.force_login(worker_a)

    assert _search(strict, SEARCH).status_code == 403


def test_the_search_is_post_only(client, worker_a):
    client.force_login(worker_a)

    assert client.get(reverse("clients:search"), {"q": SEARCH}).status_code == 405


# --- The same for the administrator's people search -------------------------------------------


def test_console_people_search_uses_a_token(client, admin_user, worker_a, worker_b):
    worker_a.last_name = "Zelenková"
    worker_a.save()
    client.force_login(admin_user)

    response = client.post(reverse("console:user_search"), {"q": "Zelenk"})

    assert response.status_code == 303
    assert "Zelenk" not in response["Location"]
    page = client.get(response["Location"])
    assert [person.pk for person in page.context["page"].object_list] == [worker_a.pk]
    assert "Zelenk" not in str(URL_ATTRIBUTES.findall(page.text))


def test_console_ignores_a_client_list_token(client, admin_user, client_a, worker_a, worker_b):
    client.force_login(admin_user)
    token = _token(_search(client, "Zelenk"))

    page = client.get(reverse("console:user_list"), {"search": token})

    assert len(page.context["page"].object_list) >= 2
    assert not page.context["form"].is_bound
