"""``manage.py seed_demo``: believable, idempotent demo data with a login for every role.

The command runs once for the whole module inside a transaction that is rolled back at the end,
so the demo rows never leak into other test modules.
"""

import io
import re

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum
from django.urls import reverse

from casework.demo import DEMO_PASSWORD
from casework.models import (
    Intervention,
    InterventionParticipant,
    Membership,
    Organisation,
    Project,
)
from casework.roles import Role
from clients.models import Client, Enrolment
from debts.models import Debt
from housing.models import HousingSituation, RiskAssessment

pytestmark = pytest.mark.django_db

LOGIN_LINE = re.compile(
    rf"^\s+(?P<username>\S+)\s+(?P<role>worker|guarantor|admin)\s+{re.escape(DEMO_PASSWORD)}"
    rf"\s+(?P<project>.+?)\s*$"
)
COUNTED = [
    Organisation,
    Project,
    get_user_model(),
    Client,
    Intervention,
    InterventionParticipant,
    Debt,
    HousingSituation,
    RiskAssessment,
    Enrolment,
]


@pytest.fixture(scope="module")
def seed_output(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
        # Check the deferred foreign keys of the seeded rows once, here: each test's teardown
        # checks them again, and a check inside a test's savepoint would be undone with it.
        connection.check_constraints()
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def logins(seed_output):
    """(username, role, project name) for every login the command printed."""
    return [
        (match["username"], match["role"], match["project"])
        for match in map(LOGIN_LINE.match, seed_output.splitlines())
        if match
    ]


def _counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


def test_prints_a_login_for_every_membership_of_every_role(logins):
    memberships = Membership.objects.values_list("user__username", "role", "project__name")

    assert sorted(logins) == sorted(memberships)
    assert sorted({role for _, role, _ in logins}) == sorted(Role.values)


def test_printed_logins_work_with_the_printed_password(settings, logins):
    # The seed hashed the password with the production hasher; verify with it, not with MD5.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]

    failed = [u for u, _, _ in logins if authenticate(username=u, password=DEMO_PASSWORD) is None]

    assert failed == []


def test_volumes_are_plausible(seed_output):
    counts = _counts()

    assert 2 == counts["Organisation"] == counts["Project"]
    assert 100 <= counts["Client"] <= 300
    assert counts["Client"] <= counts["Enrolment"] <= 2 * counts["Client"]
    assert 10_000 <= counts["Intervention"] <= 60_000
    assert 10_000 <= counts["InterventionParticipant"] <= 80_000
    assert min(counts["Debt"], counts["HousingSituation"], counts["RiskAssessment"]) > 0


def test_second_run_changes_no_count(seed_output):
    before = _counts()
    out = io.StringIO()

    call_command("seed_demo", stdout=out)

    assert _counts() == before
    assert "nothing generated" in out.getvalue()


def _support_minutes():
    """Each enrolment with the minutes of support its client received in that project."""
    per_client = (
        InterventionParticipant.objects.filter(
            client=OuterRef("client"), intervention__project=OuterRef("project")
        )
        .values("client")
        .annotate(total=Sum("intervention__duration_minutes"))
        .values("total")
    )
    return Enrolment.objects.annotate(minutes=Subquery(per_client))


def test_some_enrolled_clients_crossed_the_threshold_and_some_did_not(seed_output):
    threshold = F("project__participant_threshold_minutes")

    split = _support_minutes().aggregate(
        crossed=Count("pk", filter=Q(minutes__gte=threshold)),
        below=Count("pk", filter=Q(minutes__lt=threshold) | Q(minutes__isnull=True)),
        total=Count("pk"),
    )

    assert split["crossed"] > 0
    assert split["below"] > 0
    assert split["crossed"] + split["below"] == split["total"]


def test_no_support_outside_the_clients_enrolment(seed_output):
    covering_enrolment = Enrolment.objects.filter(
        client=OuterRef("client"),
        project=OuterRef("intervention__project"),
        entry_date__lte=OuterRef("intervention__date"),
    ).filter(Q(exit_date__isnull=True) | Q(exit_date__gte=OuterRef("intervention__date")))

    outside = InterventionParticipant.objects.filter(~Exists(covering_enrolment))

    assert InterventionParticipant.objects.exists()
    assert list(outside.values_list("client__code", "intervention__date")[:5]) == []


def _first_login(logins, role):
    return next((username, project) for username, r, project in logins if r == role)


def test_worker_home_shows_their_demo_caseload(client, logins):
    username, _ = _first_login(logins, Role.WORKER)
    worker = get_user_model().objects.get(username=username)
    client.force_login(worker)

    response = client.get(reverse("home"))

    home = response.context["worker"]
    assert home.client_count == Client.objects.assigned_to(worker).active().count()
    assert home.client_count > 0
    assert [c.full_name for c in home.recent_clients if c.full_name in response.text] == [
        c.full_name for c in home.recent_clients
    ]


@pytest.mark.parametrize("role", [Role.GUARANTOR, Role.ADMIN])
def test_manager_home_shows_their_demo_project(client, logins, role):
    username, project_name = _first_login(logins, role)
    client.force_login(get_user_model().objects.get(username=username))

    response = client.get(reverse("home"))

    summaries = response.context["projects"]
    assert [s.project.name for s in summaries] == [project_name]
    assert project_name in response.text
    assert summaries[0].enrolled == Enrolment.objects.filter(project__name=project_name).count()


def test_worker_client_list_renders_with_demo_data(client, logins):
    username, _ = _first_login(logins, Role.WORKER)
    worker = get_user_model().objects.get(username=username)
    client.force_login(worker)

    response = client.get(reverse("clients:list"))

    shown = [c.pk for c in response.context["page"].object_list]
    assert shown == list(Client.objects.visible_to(worker).values_list("pk", flat=True)[:50])
