"""Presentation helpers for Czech-first templates: money, hours, shares and due dates."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
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


@register.filter
def labelled_cells(cells) -> str:
    """``<td data-label="label">text</td>`` for each ``(label, text)`` or ``(label, text,
    css_class)``, all escaped: the cells of a stacked table (``table-stack``, where each cell
    shows its column's label on narrow screens), built in one pass rather than with two
    template variables (or a ``format_html``) per cell."""
    parts = []
    for label, text, *css_class in cells:
        attributes = f' class="{escape(css_class[0])}"' if css_class else ""
        parts.append(f'<td data-label="{escape(label)}"{attributes}>{escape(text)}</td>')
    return mark_safe("".join(parts))  # noqa: S308 - every part escaped


@register.filter
def filter_field(bound_field) -> str:
    """A list filter's field in the Bootstrap markup of the forms: label, control, errors.

    The same output as crispy-forms' ``as_crispy_field`` for the plain inputs and selects of
    the list filters, without its template machinery (a list page renders several of them on
    every request).
    """
    from django.forms import CheckboxInput, Select
    from django.utils.html import format_html, format_html_join

    widget = bound_field.field.widget
    kind = type(widget).__name__.lower()
    classes = [kind, "form-select" if isinstance(widget, Select) else "form-control"]
    if isinstance(widget, CheckboxInput):
        classes[1] = "form-check-input"
    attrs = {}
    errors = bound_field.errors
    if errors:
        classes.append("is-invalid")
        attrs["aria-describedby"] = f"{bound_field.auto_id}_error"
    if widget.attrs.get("class"):
        classes.insert(0, widget.attrs["class"])
    attrs["class"] = " ".join(classes)
    error_html = ""
    if errors:
        error_html = format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            bound_field.auto_id,
            format_html_join(
                "",
                '<p id="error_{}_{}"><strong>{}</strong></p>',
                ((i, bound_field.auto_id, e) for i, e in enumerate(errors, start=1)),
            ),
        )
    help_html = ""
    if bound_field.help_text:
        help_html = format_html(
            '<div id="{}_helptext" class="form-text">{}</div>',
            bound_field.auto_id,
            bound_field.help_text,
        )
    control = _plain_select(bound_field, attrs) or bound_field.as_widget(attrs=attrs)
    # A required field's label is marked as crispy-forms marks it.
    required = bound_field.field.required
    return format_html(
        '<div id="div_{}" class="mb-3">'
        '<label for="{}" class="form-label{}">{}{}</label>{}{}{}'
        "</div>",
        bound_field.auto_id,
        bound_field.id_for_label,
        " requiredField" if required else "",
        bound_field.label,
        mark_safe('<span class="asteriskField">*</span>') if required else "",
        control,
        error_html,
        help_html,
    )


def _plain_select(bound_field, attrs: dict) -> str | None:
    """A single ``Select`` without option groups, as Django's widget templates render it.

    Built in Python rather than through a template per option; ``None`` for anything else.
    """
    from django.forms import Select
    from django.forms.utils import flatatt
    from django.utils.html import format_html

    widget = bound_field.field.widget
    if type(widget) is not Select:
        return None
    attrs = bound_field.build_widget_attrs(dict(attrs), widget)
    if bound_field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound_field.auto_id)
    selected_values = set(widget.format_value(bound_field.value()))
    options, has_selected = [], False
    for value, label in widget.choices:
        if isinstance(label, (list, tuple)):
            return None
        value = "" if value is None else str(value)
        selected = not has_selected and value in selected_values
        has_selected = has_selected or selected
        options.append(
            format_html(
                '<option value="{}"{}>{}</option>', value, " selected" if selected else "", label
            )
        )
    return format_html(
        '<select name="{}"{}>\n  {}\n</select>',
        bound_field.html_name,
        flatatt(widget.build_attrs(widget.attrs, attrs)),
        mark_safe("\n  ".join(options)),  # noqa: S308 - each option built by format_html
    )
