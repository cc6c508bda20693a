"""Access rows of the guarantor's review (``review:``) and the administrator's console."""

from django.urls import reverse

from casework.models import Membership
from casework.review.models import ClosureRequest, QualityReview
from clients.models import CaseAssignment, ExitReason
from tests.security.matrix import (
    BAD_REQUEST,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    REDIRECT,
    Row,
    case_record,
    everyone,
    expect,
    managers_only,
    url,
)


def extend(side, project, client, worker):
    enrolment = side["enrolment"]
    side["closure"] = ClosureRequest.objects.create(
        enrolment=enrolment,
        exit_date=enrolment.entry_date,
        exit_reason=ExitReason.GOALS_MET,
        proposed_by=worker,
    )
    side["assignment"] = CaseAssignment.objects.current().get(client=client, worker=worker)
    side["quality_review"] = QualityReview.objects.create(
        project=project,
        worker=worker,
        client=client,
        month=project.start_date.replace(day=1),
        reviewer=worker,
        reviewed_on=project.start_date,
    )
    side["membership"] = Membership.objects.filter(user=worker).first()
    side["organisation"] = project.organisation


def _rows_url(kind):
    def build(world, side):
        return reverse("console:project_rows", args=[world[side]["project"].pk, kind])

    return build


def _password_set_url(world, side):
    return reverse("console:password_set", args=["MQ", "no-such-token"])


# Console pages without an object: administrators only (superusers too), everyone else 403.
ADMINS_ONLY = expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK)


def admin_object(ok=OK):
    """An object of the administrator's organisation: 404 to the other organisation's admin."""
    return expect(
        LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, (ok, ok, NOT_FOUND), (NOT_FOUND, NOT_FOUND, ok)
    )


# A project's own review records: the guarantor of ``project`` does not manage other_project.
PROJECT_REVIEW = expect(
    LOGIN,
    FORBIDDEN,
    FORBIDDEN,
    (OK, NOT_FOUND, NOT_FOUND),
    (OK, OK, NOT_FOUND),
    (NOT_FOUND, NOT_FOUND, OK),
)

ROWS = {
    # --- review -----------------------------------------------------------------------------
    "review:closure_list": Row(url("review:closure_list"), everyone()),
    "review:closure_propose": Row(url("review:closure_propose", "enrolment"), case_record()),
    "review:closure_detail": Row(url("review:closure_detail", "closure"), case_record()),
    "review:closure_decide": Row(
        url("review:closure_decide", "closure"),
        case_record(ok=BAD_REQUEST, worker_ok=FORBIDDEN),
        method="post",
    ),
    "review:quality_sample": Row(
        url("review:quality_sample"), expect(LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK)
    ),
    "review:quality_create": Row(url("review:quality_create", "assignment"), managers_only()),
    "review:quality_detail": Row(url("review:quality_detail", "quality_review"), PROJECT_REVIEW),
    "review:checklist_edit": Row(url("review:checklist_edit", "project"), PROJECT_REVIEW),
    # --- console ----------------------------------------------------------------------------
    "console:home": Row(url("console:home"), ADMINS_ONLY),
    "console:user_list": Row(url("console:user_list"), ADMINS_ONLY),
    "console:user_search": Row(
        url("console:user_search"),
        expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT, REDIRECT),
        method="post",
        data={"q": "Novák"},
    ),
    "console:user_invite": Row(url("console:user_invite"), ADMINS_ONLY),
    "console:user_detail": Row(url("console:user_detail", "worker"), admin_object()),
    "console:user_set_active": Row(
        url("console:user_set_active", "worker"),
        admin_object(REDIRECT),
        method="post",
        data={"active": "1"},
    ),
    "console:membership_remove": Row(
        url("console:membership_remove", "membership"), admin_object(REDIRECT), method="post"
    ),
    "console:password_set": Row(_password_set_url, everyone(OK, anonymous=OK)),
    "console:password_set_done": Row(url("console:password_set_done"), everyone(OK, anonymous=OK)),
    "console:organisation_edit": Row(
        url("console:organisation_edit", "organisation"), admin_object()
    ),
    "console:project_list": Row(url("console:project_list"), ADMINS_ONLY),
    "console:project_create": Row(url("console:project_create"), ADMINS_ONLY),
    "console:project_edit": Row(url("console:project_edit", "project"), admin_object()),
    "console:project_rows": Row(_rows_url("periods"), admin_object()),
    "console:code_lists": Row(url("console:code_lists"), ADMINS_ONLY),
    # Shared by every organisation: superusers only (no persona here is one).
    "console:code_list_edit": Row(
        lambda world, side: reverse("console:code_list_edit", args=["topics"]),
        expect(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ),
}
