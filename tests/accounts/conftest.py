import pytest

from casework.accounts.sessions import MFA_OK, MFA_STATE


@pytest.fixture(autouse=True)
def _sessions_pass_two_step_verification():
    """Here sign-ins go through the real two-step verification (overrides tests/conftest)."""
    return


@pytest.fixture
def verified_login(client):
    """Sign a user in as if they had passed two-step verification already."""

    def login(user, on=None):
        on = on or client
        on.force_login(user)
        session = on.session
        session[MFA_STATE] = MFA_OK
        session.save()
        return on

    return login
