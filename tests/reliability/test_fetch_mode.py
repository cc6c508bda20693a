"""The list pages load every related row they show up front: lazy loads raise here.

Django 6.1's ``FETCH_RAISE`` fetch mode, made the default of every queryset for the request,
turns a related object or deferred field fetched one at a time while rendering (the N+1 the
pinned query counts guard against) into ``FieldFetchBlocked``.
"""

import pytest
from django.core.exceptions import FieldFetchBlocked
from django.db.models import query
from django.db.models.fetch_modes import FETCH_RAISE

from casework.models import Intervention

LIST_PAGES = (
    "/",
    "/clients/",
    "/clients/tasks/",
    "/interventions/",
    "/outreach/",
)
MANAGER_PAGES = ("/board/",)


@pytest.fixture
def raise_on_lazy_loads(monkeypatch):
    monkeypatch.setattr(query, "DEFAULT_FETCH_MODE", FETCH_RAISE)


@pytest.mark.django_db
@pytest.mark.parametrize("path", LIST_PAGES)
def test_worker_list_pages_fetch_nothing_lazily(
    client, worker_a, logged_intervention, raise_on_lazy_loads, path
):
    client.force_login(worker_a)
    assert client.get(path).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("path", LIST_PAGES + MANAGER_PAGES)
def test_guarantor_list_pages_fetch_nothing_lazily(
    client, guarantor, logged_intervention, raise_on_lazy_loads, path
):
    client.force_login(guarantor)
    assert client.get(path).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["worker_a", "guarantor"])
def test_client_search_fetches_nothing_lazily(
    client, request, logged_intervention, raise_on_lazy_loads, persona
):
    client.force_login(request.getfixturevalue(persona))
    response = client.post("/clients/search/", {"q": "Ad"}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[0][1] == 303


@pytest.mark.django_db
def test_the_raise_mode_is_in_force(logged_intervention, raise_on_lazy_loads):
    with pytest.raises(FieldFetchBlocked):
        _ = Intervention.objects.get(pk=logged_intervention.pk).project
