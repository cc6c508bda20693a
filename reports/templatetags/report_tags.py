"""Template filters of the reports."""

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def figure(value) -> str:
    """A published figure: a number without needless decimals, "< 5" as is, "–" for none."""
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        return value
    return floatformat(value, "-2")
