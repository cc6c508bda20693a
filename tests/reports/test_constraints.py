"""Every database constraint of reports rejects the row it exists to reject (saved via the ORM)."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from tests.factories import GeneratedReportFactory
from tests.schema import single_row

pytestmark = pytest.mark.django_db

JAN_1 = dt.date(2024, 1, 1)
JAN_2 = dt.date(2024, 1, 2)

REJECTED = [
    pytest.param(
        "report_period_ordered",
        single_row(GeneratedReportFactory, period_start=JAN_2, period_end=JAN_1),
        id="report-period-reversed",
    ),
    pytest.param(
        "report_progress_max",
        single_row(GeneratedReportFactory, progress=101),
        id="report-progress-over-100",
    ),
]


@pytest.mark.parametrize(("constraint", "arrange"), REJECTED)
def test_constraint_rejects_bad_row(constraint, arrange):
    save_bad_row = arrange()

    with pytest.raises(IntegrityError) as error, transaction.atomic():
        save_bad_row()

    assert f'"{constraint}"' in str(error.value)


@pytest.mark.parametrize(
    "arrange",
    [
        pytest.param(
            single_row(GeneratedReportFactory, period_start=JAN_1, period_end=JAN_1),
            id="report-one-day",
        ),
        pytest.param(single_row(GeneratedReportFactory, progress=100), id="report-progress-100"),
    ],
)
def test_constraint_accepts_edge_value(arrange):
    save_row = arrange()

    row = save_row()

    assert list(type(row).objects.filter(pk=row.pk)) == [row]
