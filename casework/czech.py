"""Czech working days and procedural deadlines (DOMAIN.md §7), with no database access.

Both codes of procedure count a deadline the same way:

- § 57 of the Civil Procedure Code (Act 99/1963, občanský soudní řád, OSŘ) and § 40 of the
  Administrative Procedure Code (Act 500/2004, správní řád): a deadline set in days starts on
  the day after the event that starts it (here: delivery) and runs in calendar days;
- a deadline set in weeks, months or years ends on the day whose number matches the day of
  the event; when the last month has no such day, it ends on that month's last day;
- when the last day falls on a Saturday, a Sunday or a public holiday, the deadline ends on
  the next working day.

Public holidays (státní svátky and ostatní svátky of Act 245/2000, including Christmas Eve,
Good Friday and Easter Monday) come from the ``holidays`` package.
"""

from __future__ import annotations

import calendar
import datetime as dt
from functools import lru_cache

import holidays

SATURDAY = 5


@lru_cache(maxsize=64)
def _holidays_of(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("CZ", years=year))


def is_public_holiday(day: dt.date) -> bool:
    """Whether ``day`` is a Czech public holiday (Act 245/2000)."""
    return day in _holidays_of(day.year)


def is_working_day(day: dt.date) -> bool:
    """Whether ``day`` is a working day: neither a weekend nor a Czech public holiday."""
    return day.weekday() < SATURDAY and not is_public_holiday(day)


def next_working_day(day: dt.date) -> dt.date:
    """``day`` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def procedural_deadline(delivered_on: dt.date, days: int) -> dt.date:
    """The last day of a deadline of ``days`` days from delivery on ``delivered_on``.

    § 57(1) and (2) OSŘ, § 40(1) správní řád: counting starts on the day after delivery, in
    calendar days; a last day on a Saturday, Sunday or public holiday moves to the next
    working day. Fifteen days from delivery on Friday 7 March 2025 end on Saturday 22 March,
    so the deadline is Monday 24 March 2025.
    """
    if days < 1:
        raise ValueError("A deadline is at least one day long.")
    return next_working_day(delivered_on + dt.timedelta(days=days))


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day number ``months`` months later, or that month's last day if it is shorter.

    31 January + 1 month is 28 February (29 in a leap year).
    """
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last_day))


def procedural_deadline_months(delivered_on: dt.date, months: int) -> dt.date:
    """The last day of a deadline of ``months`` months from delivery on ``delivered_on``.

    § 57(2) OSŘ, § 40(1)(c) správní řád: the deadline ends on the day with the same number as
    the day of delivery, or on the last day of the month when it has no such day; a last day
    on a Saturday, Sunday or public holiday moves to the next working day. Used e.g. for the
    two months in which a tenant may ask the court to review a lease notice (§ 2290 of the
    Civil Code, which counts by the same rules in its §§ 605 and 607).
    """
    if months < 1:
        raise ValueError("A deadline is at least one month long.")
    return next_working_day(add_months(delivered_on, months))
