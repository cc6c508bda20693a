"""Paging a queryset without a separate COUNT when the page itself tells the total."""

from __future__ import annotations

from collections.abc import Callable

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.utils.functional import cached_property

TOTAL = "paginator_total"


class RowsFirstPaginator(Paginator):
    """A ``Paginator`` whose ``get_page`` reads the page before counting.

    - A page shorter than ``per_page`` ends the list: its offset plus its length is the total,
      so no COUNT query runs (a filtered list that fits one page).
    - With ``count_with_rows`` the page query carries the total (``COUNT(*) OVER ()``). Use it
      only for an order PostgreSQL must sort every match for anyway (a ranked search): there
      it costs nothing and saves reading the matches twice. For an index-ordered ``LIMIT`` it
      would read every match instead of one page.

    Anything else (a full page without the total, a page past the end, which shows the last
    page) counts as ``Paginator`` does, or by ``count_rows`` when the caller knows a cheaper
    count of the same rows. ``orphans`` are not supported.
    """

    def __init__(
        self,
        object_list: QuerySet,
        per_page: int,
        *,
        count_with_rows: bool = False,
        count_rows: Callable[[], int] | None = None,
    ):
        super().__init__(object_list, per_page)
        self.count_with_rows = count_with_rows
        self.count_rows = count_rows

    @cached_property
    def count(self) -> int:
        return self.count_rows() if self.count_rows else Paginator.count.func(self)

    def get_page(self, number) -> Page:
        number = requested_page(number)
        if number < 1:  # the last page, as Paginator shows it
            return self._listed(super().get_page(number))
        bottom = (number - 1) * self.per_page
        rows = self.object_list
        if self.count_with_rows:
            rows = rows.annotate(**{TOTAL: Window(Count("*"))})
        rows = list(rows[bottom : bottom + self.per_page])
        if rows and self.count_with_rows:
            self.count = getattr(rows[0], TOTAL)
        elif (rows and len(rows) < self.per_page) or (not rows and number == 1):
            self.count = bottom + len(rows)
        elif not rows:  # past the end: the last page, as Paginator shows it
            return self._listed(super().get_page(number))
        return self._get_page(rows, number, self)

    @staticmethod
    def _listed(page: Page) -> Page:
        """The page with its rows read, like every other page of this paginator."""
        page.object_list = list(page.object_list)
        return page


def requested_page(number) -> int:
    """The page number asked for; 1 when it is no whole number (as ``Paginator.get_page``)."""
    try:
        if isinstance(number, float) and not number.is_integer():
            raise ValueError
        return int(number)
    except (TypeError, ValueError):
        return 1
