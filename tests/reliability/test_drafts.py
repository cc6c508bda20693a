"""Drafts of the intervention form, the service worker and the offline page."""

import base64
import datetime as dt
import json
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext

from casework import drafts
from casework.models import DeliveryMode, Draft, Intervention

pytestmark = pytest.mark.django_db


def visit(project, ka03, client_a, **overrides) -> dict:
    data = {
        "project": str(project.pk),
        "key_activity": str(ka03.pk),
        "date": "2021-03-15",
        "duration_preset": "30",
        "delivery_mode": str(DeliveryMode.objects.get(code="field_visit").pk),
        "clients": [str(client_a.pk)],
        "record": "Rozepsáno v terénu.",
        "submission_id": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def saved_draft(response):
    match = re.search(
        r'<script id="draft-saved" type="application/json">(.*?)</script>', response.text
    )
    assert match, "the page embeds the stored draft (or null) as JSON data"
    return json.loads(match[1])


def test_form_carries_the_draft_hooks(client, worker_a, ka03):
    client.force_login(worker_a)

    response = client.get(reverse("intervention_create"))

    key = client.session[drafts.SESSION_KEY]
    assert f'<meta name="draft-key" content="{key}">' in response.text
    assert len(base64.b64decode(key)) == 32
    assert 'data-draft-form="intervention-new"' in response.text
    assert f'data-draft-url="{reverse("draft_save", args=["intervention-new"])}"' in response.text
    assert 'role="status"' in response.text
    assert f'data-text-saved="{escape(gettext("Saved as a draft"))}"' in response.text
    assert f'data-text-pending="{escape(gettext("Not sent yet"))}"' in response.text
    assert saved_draft(response) is None


def test_no_inline_scripts_on_the_form(client, worker_a, ka03):
    client.force_login(worker_a)

    response = client.get(reverse("intervention_create"))

    for tag in re.findall(r"<script\b[^>]*>", response.text):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert not re.search(r"\son[a-z]+=", response.text)


def test_autosave_keeps_one_draft_per_person_and_form(client, worker_a, project, client_a, ka03):
    client.force_login(worker_a)
    url = reverse("draft_save", args=["intervention-new"])
    data = visit(project, ka03, client_a)

    first = client.post(url, {**data, "csrfmiddlewaretoken": "x"})
    second = client.post(url, {**data, "record": "Doplněno."})

    assert (first.status_code, second.status_code) == (200, 200)
    draft = Draft.objects.get()
    assert (draft.user, draft.form_key) == (worker_a, "intervention-new")
    assert ["record", "Doplněno."] in draft.data
    assert ["clients", str(client_a.pk)] in draft.data
    assert not any(name == "csrfmiddlewaretoken" for name, _ in draft.data)
    assert str(draft.submission_id) == data["submission_id"]
    assert second.json()["savedAt"] == int(draft.updated_at.timestamp() * 1000)


def test_stored_draft_comes_back_with_the_form(client, worker_a, project, client_a, ka03):
    client.force_login(worker_a)
    data = visit(project, ka03, client_a)
    client.post(reverse("draft_save", args=["intervention-new"]), data)

    response = client.get(reverse("intervention_create"))

    restored = saved_draft(response)
    assert ["record", "Rozepsáno v terénu."] in restored["data"]
    assert ["submission_id", data["submission_id"]] in restored["data"]


def test_draft_older_than_72_hours_is_dropped(client, worker_a, project, client_a, ka03):
    client.force_login(worker_a)
    client.post(reverse("draft_save", args=["intervention-new"]), visit(project, ka03, client_a))
    Draft.objects.update(updated_at=timezone.now() - dt.timedelta(hours=72, minutes=1))

    response = client.get(reverse("intervention_create"))

    assert saved_draft(response) is None
    assert not Draft.objects.exists()


def test_someone_elses_expired_draft_is_purged_when_a_form_opens(client, worker_a, worker_b, ka03):
    Draft.objects.create(
        user=worker_b, form_key="intervention-new", updated_at=timezone.now() - dt.timedelta(days=4)
    )
    client.force_login(worker_a)

    client.get(reverse("intervention_create"))

    assert not Draft.objects.exists()


def test_purge_expired(worker_a):
    now = timezone.now()
    Draft.objects.create(user=worker_a, form_key="a", updated_at=now - dt.timedelta(hours=73))
    Draft.objects.create(user=worker_a, form_key="b", updated_at=now - dt.timedelta(hours=71))

    assert drafts.purge_expired() == 1
    assert list(Draft.objects.values_list("form_key", flat=True)) == ["b"]


def test_saving_the_form_deletes_the_draft(client, worker_a, project, client_a, ka03):
    client.force_login(worker_a)
    data = visit(project, ka03, client_a)
    client.post(reverse("draft_save", args=["intervention-new"]), data)

    response = client.post(reverse("intervention_create"), data)

    assert response.status_code == 302
    assert not Draft.objects.exists()


def test_a_draft_already_sent_is_not_restored(client, worker_a, project, client_a, ka03):
    """The send arrived but its answer did not: the draft's submission id is already used."""
    client.force_login(worker_a)
    data = visit(project, ka03, client_a)
    client.post(reverse("intervention_create"), data)
    client.post(reverse("draft_save", args=["intervention-new"]), data)

    response = client.get(reverse("intervention_create"))

    assert saved_draft(response) is None
    assert not Draft.objects.exists()


def test_retried_send_of_a_draft_creates_one_intervention(
    client, worker_a, project, client_a, ka03
):
    client.force_login(worker_a)
    data = visit(project, ka03, client_a)

    responses = [client.post(reverse("intervention_create"), data) for _ in range(3)]

    intervention = Intervention.objects.get()
    assert {r.url for r in responses} == {intervention.get_absolute_url()}
    assert intervention.participants.count() == 1


def test_edit_draft_and_its_removal(client, worker_a, logged_intervention):
    key = f"intervention-{logged_intervention.pk}"
    client.force_login(worker_a)
    page = client.get(reverse("intervention_edit", args=[logged_intervention.pk]))
    assert f'data-draft-form="{key}"' in page.text
    client.post(reverse("draft_save", args=[key]), {"record": "Rozepsaná oprava."})

    restored = saved_draft(client.get(reverse("intervention_edit", args=[logged_intervention.pk])))
    discarded = client.post(reverse("draft_discard", args=[key]))

    assert ["record", "Rozepsaná oprava."] in restored["data"]
    assert discarded.status_code == 204
    assert not Draft.objects.exists()


@pytest.mark.parametrize("key", ["intervention-x", "client-1", "intervention-999999"])
def test_unknown_form_keys_are_404(client, worker_a, key):
    client.force_login(worker_a)

    assert client.post(reverse("draft_save", args=[key]), {"a": "b"}).status_code == 404


def test_draft_of_someone_elses_intervention_is_404(client, worker_b, logged_intervention):
    client.force_login(worker_b)
    url = reverse("draft_save", args=[f"intervention-{logged_intervention.pk}"])

    assert client.post(url, {"record": "x"}).status_code == 404
    assert not Draft.objects.exists()


def test_drafts_are_per_person(client, worker_a, worker_b, project, client_a, ka03):
    client.force_login(worker_a)
    client.post(reverse("draft_save", args=["intervention-new"]), visit(project, ka03, client_a))
    client.force_login(worker_b)

    assert saved_draft(client.get(reverse("intervention_create"))) is None


def test_the_browser_key_dies_with_the_session(client, worker_a, ka03):
    client.force_login(worker_a)
    client.get(reverse("intervention_create"))
    first = client.session[drafts.SESSION_KEY]

    client.post(reverse("logout"))
    client.force_login(worker_a)
    client.get(reverse("intervention_create"))

    assert client.session[drafts.SESSION_KEY] != first


def test_oversized_draft_is_refused(client, worker_a, ka03):
    client.force_login(worker_a)
    url = reverse("draft_save", args=["intervention-new"])

    response = client.post(url, {"record": "x" * (drafts.MAX_BYTES + 1)})

    assert response.status_code == 413
    assert not Draft.objects.exists()


# --- Service worker and offline page ---------------------------------------------------------


def test_service_worker_is_served_from_the_root(client):
    response = client.get(reverse("service_worker"))

    assert reverse("service_worker") == "/sw.js"
    assert response.status_code == 200
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Content-Type"].startswith("text/javascript")
    assert "importScripts(" in response.text


def test_service_worker_caches_only_static_assets_and_the_offline_page(client, settings):
    response = client.get(reverse("service_worker"))

    listed = re.search(r"CASEWORK_PRECACHE = \[(.*?)\];", response.text)[1]
    urls = json.loads(f"[{listed}]")
    assert urls
    assert all(url.startswith("/" + settings.STATIC_URL.lstrip("/")) for url in urls)
    assert f'CASEWORK_OFFLINE_URL = "{reverse("offline")}"' in response.text


def test_offline_page_has_no_personal_data(client, worker_a):
    anonymous = client.get(reverse("offline"))
    client.force_login(worker_a)
    signed_in = client.get(reverse("offline"))

    assert anonymous.status_code == signed_in.status_code == 200
    assert worker_a.last_name not in signed_in.text
    assert worker_a.username not in signed_in.text
