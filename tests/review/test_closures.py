import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from casework.review import services
from casework.review.models import ClosureRequest, ClosureStatus
from clients.models import ClientStatus, ExitReason
from tests.factories import CaseAssignmentFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db

EXIT = dt.date(2021, 6, 30)


def _propose(enrolment, worker, **kwargs):
    return services.propose_closure(
        enrolment,
        by=worker,
        exit_date=kwargs.get("exit_date", EXIT),
        exit_reason=kwargs.get("exit_reason", ExitReason.GOALS_MET),
    )


def test_worker_proposes_closure_and_enrolment_stays_open(client, worker_a, client_a):
    enrolment = client_a.enrolments.get()
    client.force_login(worker_a)

    response = client.post(
        reverse("review:closure_propose", args=[enrolment.pk]),
        {"exit_date": "2021-06-30", "exit_reason": ExitReason.GOALS_MET, "note": "Vše splněno."},
    )

    closure = ClosureRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == closure.get_absolute_url()
    assert (closure.status, closure.exit_date, closure.proposed_by) == (
        ClosureStatus.PENDING,
        EXIT,
        worker_a,
    )
    enrolment.refresh_from_db()
    assert enrolment.exit_date is None


def test_proposal_before_entry_keeps_input_and_says_why(english, worker_a, client_a):
    enrolment = client_a.enrolments.get()
    english.force_login(worker_a)

    response = english.post(
        reverse("review:closure_propose", args=[enrolment.pk]),
        {"exit_date": "2019-01-01", "exit_reason": ExitReason.MOVED, "note": "Odstěhoval se."},
    )

    with translation.override("en"):
        entry = date_format(enrolment.entry_date, "SHORT_DATE_FORMAT")
    assert response.status_code == 200
    assert response.context["form"].errors["exit_date"] == [
        f"The end of support cannot be earlier than its start ({entry})."
    ]
    assert 'value="2019-01-01"' in response.text
    assert "Odstěhoval se." in response.text
    assert not ClosureRequest.objects.exists()


def test_second_pending_proposal_is_refused(worker_a, client_a):
    enrolment = client_a.enrolments.get()
    _propose(enrolment, worker_a)

    with pytest.raises(ValidationError) as error:
        _propose(enrolment, worker_a)

    assert error.value.messages == [str(services.CLOSURE_ALREADY_PENDING)]


def test_guarantor_signs_off_and_the_enrolment_closes(client, guarantor, worker_a, client_a):
    enrolment = client_a.enrolments.get()
    closure = _propose(enrolment, worker_a, exit_reason=ExitReason.REFERRED)
    client.force_login(guarantor)

    response = client.post(
        reverse("review:closure_decide", args=[closure.pk]), {"decision": "sign"}
    )

    assert response.status_code == 302
    closure.refresh_from_db()
    enrolment.refresh_from_db()
    client_a.refresh_from_db()
    assert (closure.status, closure.decided_by) == (ClosureStatus.SIGNED, guarantor)
    assert (enrolment.exit_date, enrolment.exit_reason) == (EXIT, ExitReason.REFERRED)
    assert client_a.status == ClientStatus.CLOSED


def test_guarantor_returns_with_comment_and_enrolment_stays_open(
    client, guarantor, worker_a, client_a
):
    enrolment = client_a.enrolments.get()
    closure = _propose(enrolment, worker_a)
    client.force_login(guarantor)

    client.post(
        reverse("review:closure_decide", args=[closure.pk]),
        {"decision": "return", "comment": "Chybí závěrečné hodnocení plánu."},
    )

    closure.refresh_from_db()
    enrolment.refresh_from_db()
    assert (closure.status, closure.comment) == (
        ClosureStatus.RETURNED,
        "Chybí závěrečné hodnocení plánu.",
    )
    assert enrolment.exit_date is None
    # Returned: the worker may propose again.
    assert _propose(enrolment, worker_a).status == ClosureStatus.PENDING


def test_return_without_comment_is_refused(english, guarantor, worker_a, client_a):
    closure = _propose(client_a.enrolments.get(), worker_a)
    english.force_login(guarantor)

    response = english.post(
        reverse("review:closure_decide", args=[closure.pk]), {"decision": "return"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["comment"] == [
        "Say what the worker should change or complete before closing."
    ]
    closure.refresh_from_db()
    assert closure.status == ClosureStatus.PENDING


def test_worker_cannot_sign_off_own_proposal(client, worker_a, client_a):
    closure = _propose(client_a.enrolments.get(), worker_a)
    client.force_login(worker_a)

    response = client.post(
        reverse("review:closure_decide", args=[closure.pk]), {"decision": "sign"}
    )

    assert response.status_code == 403
    closure.refresh_from_db()
    assert closure.status == ClosureStatus.PENDING


def test_decided_proposal_cannot_be_decided_again(guarantor, worker_a, client_a):
    closure = _propose(client_a.enrolments.get(), worker_a)
    services.return_closure(closure, by=guarantor, comment="Doplnit.")

    with pytest.raises(ValidationError) as error:
        services.sign_closure(closure, by=guarantor)

    assert error.value.messages == [str(services.CLOSURE_ALREADY_DECIDED)]


def test_closure_list_shows_only_visible_pending(client, worker_a, worker_b, client_a, client_b):
    own = _propose(client_a.enrolments.get(), worker_a)
    _propose(client_b.enrolments.get(), worker_b)
    client.force_login(worker_a)

    response = client.get(reverse("review:closure_list"))

    assert list(response.context["page"].object_list) == [own]


@pytest.mark.parametrize("count", [1, 3])
def test_closure_list_query_count(
    client, django_assert_num_queries, project, guarantor, worker_a, count
):
    for _ in range(count):
        assignment = CaseAssignmentFactory(project=project, worker=worker_a)
        _propose(EnrolmentFactory(project=project, client=assignment.client), worker_a)
    client.force_login(guarantor)

    # Session, user, roles (navigation); count, page of proposals with clients and people.
    with django_assert_num_queries(5):
        response = client.get(reverse("review:closure_list"))

    assert len(response.context["page"].object_list) == count
