"""Presentation helpers for Czech-first templates: money, hours, shares and due dates."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language

register = template.Library()

NBSP = "\xa0"


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None


@register.filter
def money(value) -> str:
    """A CZK amount as the active language writes it: "1 234,50 Kč" or "CZK 1,234.50".

    The separators come from casework/formats (a non-breaking space groups thousands in
    Czech), so an amount never breaks across lines.
    """
    amount = _decimal(value)
    if amount is None:
        return ""
    # number_format cuts extra decimal places off; round them properly first.
    amount = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    number = number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)
    if (get_language() or "cs").startswith("cs"):
        return f"{number}{NBSP}Kč"
    return f"CZK{NBSP}{number}"


@register.filter
def minutes_as_hours(value) -> str:
    """Minutes as hours with one decimal place: 90 → "1,5 h" (Czech) or "1.5 h" (English)."""
    minutes = _decimal(value)
    if minutes is None:
        return ""
    hours = (minutes / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{number_format(hours, decimal_pos=1, use_l10n=True, force_grouping=True)}{NBSP}h"


@register.filter
def share_percent(project, amount) -> str:
    """The share of the project's total budget, "85 %" or "33,33 %" (Project.share_percent)."""
    amount = _decimal(amount)
    if project is None or amount is None:
        return ""
    share = project.share_percent(amount)
    places = 0 if share == share.to_integral_value() else 2
    return f"{number_format(share, decimal_pos=places, use_l10n=True)}{NBSP}%"


@register.filter
def days_from_today(value) -> int | None:
    """Whole days from today (Europe/Prague) to a date: negative when the date has passed."""
    if not isinstance(value, dt.date):
        return None
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return (value - timezone.localdate()).days


@register.filter
def support_hours(value) -> str:
    """Minutes as hours against a threshold: 1950 → "32,5 h", 2400 → "40 h", 2399 → "39,9 h".

    Rounds down, so support just short of the participant threshold never shows as reaching
    it; whole hours drop the ",0".
    """
    minutes = _decimal(value)
    if minutes is None:
        return ""
    hours = (minutes / 60).quantize(Decimal("0.1"), rounding=ROUND_DOWN)
    places = 0 if hours == hours.to_integral_value() else 1
    return f"{number_format(hours, decimal_pos=places, use_l10n=True, force_grouping=True)}{NBSP}h"


@register.filter
def days_ago(value) -> int | None:
    """Whole days from a past date to today (Europe/Prague): yesterday → 1."""
    days = days_from_today(value)
    return None if days is None else -days


@register.filter
def age(birth_date) -> int | None:
    """Age in completed years today (Europe/Prague), from a date of birth."""
    if not isinstance(birth_date, dt.date):
        return None
    today = timezone.localdate()
    had_birthday = (today.month, today.day) >= (birth_date.month, birth_date.day)
    return today.year - birth_date.year - (0 if had_birthday else 1)
