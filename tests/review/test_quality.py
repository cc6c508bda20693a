import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse

from casework.review.models import ChecklistItem, QualityReview
from casework.review.queries import SAMPLE_SIZE, draw_sample, month_sample
from casework.roles import Role
from tests.factories import CaseAssignmentFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

MONTH = dt.date(2021, 3, 1)


def _caseload(project, worker, count):
    return [
        CaseAssignmentFactory(project=project, worker=worker, started_on=dt.date(2021, 1, 1))
        for _ in range(count)
    ]


def test_sample_is_reproducible_and_differs_by_month():
    ids = list(range(1, 40))

    first = draw_sample(ids, project_id=1, worker_id=2, month=MONTH)
    again = draw_sample(list(reversed(ids)), project_id=1, worker_id=2, month=MONTH)
    other_months = {
        tuple(draw_sample(ids, project_id=1, worker_id=2, month=dt.date(2021, m, 1)))
        for m in range(4, 10)
    }

    assert first == again
    assert len(first) == SAMPLE_SIZE
    assert other_months != {tuple(first)}


def test_small_caseload_is_sampled_whole():
    assert draw_sample([7, 3], project_id=1, worker_id=2, month=MONTH) == [3, 7]


def test_month_sample_uses_assignments_of_that_month(project, worker_a):
    current = _caseload(project, worker_a, 2)
    CaseAssignmentFactory(project=project, worker=worker_a, started_on=dt.date(2021, 5, 1))
    CaseAssignmentFactory(
        project=project,
        worker=worker_a,
        started_on=dt.date(2020, 10, 1),
        ended_on=dt.date(2021, 2, 1),
    )

    samples = month_sample(project, MONTH)

    assert [s.worker for s in samples] == [worker_a]
    assert {f.client for f in samples[0].files} == {a.client for a in current}


def test_guarantor_sees_sample_and_which_are_done(client, project, guarantor, worker_a):
    _caseload(project, worker_a, 5)
    sample = month_sample(project, MONTH)[0]
    done = sample.files[0]
    review = QualityReview.objects.create(
        project=project,
        worker=worker_a,
        client=done.client,
        month=MONTH,
        reviewer=guarantor,
        reviewed_on=dt.date(2021, 3, 20),
    )
    client.force_login(guarantor)

    response = client.get(
        reverse("review:quality_sample"), {"project": project.pk, "month": "2021-03"}
    )

    (shown,) = response.context["samples"]
    assert [f.client for f in shown.files] == [f.client for f in sample.files]
    assert [f.review for f in shown.files] == [review] + [None] * (SAMPLE_SIZE - 1)


def test_review_stores_checklist_text_with_answers(client, project, guarantor, worker_a):
    (assignment,) = _caseload(project, worker_a, 1)
    first = ChecklistItem.objects.create(project=project, text="Plán je aktuální", order=1)
    second = ChecklistItem.objects.create(project=project, text="Záznamy jsou úplné", order=2)
    client.force_login(guarantor)

    response = client.post(
        reverse("review:quality_create", args=[assignment.pk]) + "?month=2021-03",
        {f"item_{first.pk}": "yes", f"item_{second.pk}": "no", "notes": "Doplnit záznamy."},
    )

    review = QualityReview.objects.get()
    assert response.status_code == 302
    assert (review.month, review.reviewer, review.worker, review.client) == (
        MONTH,
        guarantor,
        worker_a,
        assignment.client,
    )
    assert review.answers == [
        {"text": "Plán je aktuální", "answer": "yes"},
        {"text": "Záznamy jsou úplné", "answer": "no"},
    ]
    # Editing the checklist later does not rewrite the evidence.
    first.text = "Jiná otázka"
    first.save()
    review.refresh_from_db()
    assert review.answers[0]["text"] == "Plán je aktuální"


def test_unanswered_question_keeps_the_rest(client, project, guarantor, worker_a):
    (assignment,) = _caseload(project, worker_a, 1)
    item = ChecklistItem.objects.create(project=project, text="Plán je aktuální")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(guarantor)

    response = client.post(
        reverse("review:quality_create", args=[assignment.pk]), {"notes": "Poznámka zůstane."}
    )

    assert response.context["form"].errors[f"item_{item.pk}"] == [
        "Answer this question (choose “not applicable” if it does not apply)."
    ]
    assert "Poznámka zůstane." in response.text
    assert not QualityReview.objects.exists()


def test_checklist_is_edited_per_project(client, project, guarantor):
    client.force_login(guarantor)
    url = reverse("review:checklist_edit", args=[project.pk])

    response = client.post(
        url,
        {
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "0",
            "form-0-text": "Kontakt alespoň jednou měsíčně",
            "form-0-order": "1",
            "form-0-is_active": "on",
            "form-1-text": "",
            "form-1-order": "0",
            "form-1-is_active": "on",
        },
    )

    assert response.status_code == 302
    assert list(ChecklistItem.objects.values_list("project", "text")) == [
        (project.pk, "Kontakt alespoň jednou měsíčně")
    ]


@pytest.mark.parametrize("count", [1, 3])
def test_sample_page_query_count(client, django_assert_num_queries, project, guarantor, count):
    for _ in range(count):
        worker = UserFactory()
        MembershipFactory(user=worker, project=project, role=Role.WORKER)
        _caseload(project, worker, 4)
    client.force_login(guarantor)

    # Session, user, roles; managed projects (choice + validation), assignments, reviews.
    with django_assert_num_queries(6):
        response = client.get(
            reverse("review:quality_sample"), {"project": project.pk, "month": "2021-03"}
        )

    assert len(response.context["samples"]) == count


def test_standard_checklist_is_added_once(client, project, guarantor):
    client.force_login(guarantor)
    url = reverse("review:checklist_edit", args=[project.pk])

    client.post(url, {"standard": "1"})
    client.post(url, {"standard": "1"})

    assert ChecklistItem.objects.filter(project=project).count() == 6
