"""The small-number rule: counts of fewer than five persons are not shown.

In a breakdown by locality a count of two or three could point to one family, so such
counts are published as "< 5". Zero stays zero: it identifies nobody.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

SMALL_NUMBER = 5


def is_suppressed(count: int | None) -> bool:
    return count is not None and 0 < count < SMALL_NUMBER


def suppressed(count: int | None) -> str | int | None:
    """The count as published: the number itself, or "< 5" when it is 1–4."""
    if is_suppressed(count):
        return _("< %(limit)d") % {"limit": SMALL_NUMBER}
    return count
