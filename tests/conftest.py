"""Personas shared by the whole suite, in the spirit of healthchecks' alice/bob/charlie.

One organisation runs ``project`` (worker_a, worker_b, guarantor, admin_user) and
``other_project`` (other_guarantor). A second organisation has its own admin, ``foreign_admin``.
Clients: ``client_a`` (worker_a's caseload), ``client_b`` (worker_b's), ``client_other``
(enrolled in other_project) and ``client_foreign`` (the second organisation's).
"""

import datetime as dt

import pytest
from django.conf import settings

from casework.roles import Role
from tests.factories import (
    CaseAssignmentFactory,
    ClientFactory,
    EnrolmentFactory,
    MembershipFactory,
    OrganisationFactory,
    ProjectFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _fast_and_plain_http(settings):
    # Hashing with MD5 keeps logins fast; nothing here protects real passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Production settings redirect every plain-HTTP request to HTTPS; the test client speaks
    # plain HTTP, and the redirect itself is not what these tests are about.
    settings.SECURE_SSL_REDIRECT = False
    # Static files are not collected for tests: no hashed-name manifest to look names up in.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True, scope="session")
def _flush_may_truncate_audit_tables():
    """Let the database flush after transactional tests empty the audit tables.

    The audit tables refuse TRUNCATE unless ``casework.allow_audit_truncate`` is on; Django's
    flush is a TRUNCATE of every table. The setting is switched on with ``SET LOCAL`` inside
    the flush's own transaction only, so every other statement of the suite meets the same
    refusal as the application.
    """
    from django.db.backends.postgresql.operations import DatabaseOperations

    from casework.audit.triggers import ALLOW_TRUNCATE_SETTING

    allow = f"SET LOCAL {ALLOW_TRUNCATE_SETTING} = 'on'"
    flush = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        return flush(self, [allow, *sql_list])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "execute_sql_flush", execute_sql_flush)
        yield


@pytest.fixture(autouse=True)
def _sessions_pass_two_step_verification():
    """Sign-ins in tests count as verified by two-step verification.

    Guarantors and admins must otherwise enrol first; tests/accounts overrides this fixture
    to exercise the real flow.
    """
    from django.contrib.auth.signals import user_logged_in

    from casework.accounts.sessions import MFA_OK, MFA_STATE

    def verified(sender, request, user, **kwargs):
        if request is not None and hasattr(request, "session"):
            request.session[MFA_STATE] = MFA_OK

    user_logged_in.connect(verified, dispatch_uid="tests_two_step_verified")
    yield
    user_logged_in.disconnect(dispatch_uid="tests_two_step_verified")


@pytest.fixture
def english(client):
    """The test client with the interface switched to English."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _member(project, role, **user_fields):
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, project=project, role=role)
    return user


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Město Ralsko", ico="00831212")


@pytest.fixture
def project(organisation):
    return ProjectFactory(
        organisation=organisation,
        code="RAL",
        name="Preventivní sociální práce v Ralsku",
        start_date=dt.date(2020, 9, 1),
        end_date=dt.date(2022, 6, 30),
    )


@pytest.fixture
def other_project(organisation):
    return ProjectFactory(
        organisation=organisation,
        code="MLA",
        name="Mládež bez dluhů",
        start_date=dt.date(2021, 1, 1),
        end_date=dt.date(2022, 12, 31),
    )


@pytest.fixture
def foreign_organisation(db):
    return OrganisationFactory(name="Město Vítkov", ico="00300870")


@pytest.fixture
def foreign_project(foreign_organisation):
    return ProjectFactory(
        organisation=foreign_organisation,
        code="VIT",
        name="Terénní sociální práce Vítkov",
        start_date=dt.date(2018, 6, 1),
        end_date=dt.date(2021, 5, 31),
    )


@pytest.fixture
def worker_a(project):
    return _member(project, Role.WORKER, username="alice", first_name="Alice", last_name="Terénní")


@pytest.fixture
def worker_b(project):
    return _member(project, Role.WORKER, username="bob", first_name="Bob", last_name="Terénní")


@pytest.fixture
def guarantor(project):
    return _member(
        project, Role.GUARANTOR, username="gustav", first_name="Gustav", last_name="Garant"
    )


@pytest.fixture
def admin_user(project):
    return _member(project, Role.ADMIN, username="adela", first_name="Adéla", last_name="Správcová")


@pytest.fixture
def other_guarantor(other_project):
    return _member(
        other_project, Role.GUARANTOR, username="otakar", first_name="Otakar", last_name="Jiný"
    )


@pytest.fixture
def foreign_admin(foreign_project):
    return _member(
        foreign_project, Role.ADMIN, username="frantisek", first_name="František", last_name="Cizí"
    )


def _client_in(project, *, code, first_name, last_name, worker=None):
    client = ClientFactory(
        organisation=project.organisation, code=code, first_name=first_name, last_name=last_name
    )
    EnrolmentFactory(client=client, project=project, entry_date=project.start_date)
    if worker is not None:
        CaseAssignmentFactory(
            client=client, project=project, worker=worker, started_on=project.start_date
        )
    return client


@pytest.fixture
def client_a(project, worker_a):
    return _client_in(
        project, code="RAL-0001", first_name="Anna", last_name="Adámková", worker=worker_a
    )


@pytest.fixture
def client_b(project, worker_b):
    return _client_in(
        project, code="RAL-0002", first_name="Bedřich", last_name="Bartoš", worker=worker_b
    )


@pytest.fixture
def client_other(other_project):
    return _client_in(other_project, code="MLA-0001", first_name="Olga", last_name="Ondrová")


@pytest.fixture
def client_foreign(foreign_project):
    return _client_in(foreign_project, code="VIT-0001", first_name="Filip", last_name="Fiala")
