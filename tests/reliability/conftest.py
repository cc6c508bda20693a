import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from casework import services
from casework.models import DeliveryMode
from tests.factories import KeyActivityFactory


@pytest.fixture(autouse=True)
def _today(time_machine):
    # A day inside the Ralsko project, so that "today" is a valid date for a visit.
    time_machine.move_to(dt.datetime(2021, 3, 15, 10, 0, tzinfo=ZoneInfo("Europe/Prague")))


@pytest.fixture
def ka03(project):
    return KeyActivityFactory(project=project, code="KA 03", name="Individuální práce")


@pytest.fixture
def logged_intervention(project, worker_a, client_a, ka03):
    return services.log_intervention(
        by=worker_a,
        project=project,
        key_activity=ka03,
        date=dt.date(2021, 3, 1),
        duration_minutes=45,
        delivery_mode=DeliveryMode.objects.get(code="field_visit"),
        clients=[client_a],
        record="Výzva k úhradě nájmu.",
    )
