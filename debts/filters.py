"""Filters of the debt register on the debt case page."""

import django_filters
from django.utils.translation import gettext_lazy as _

from debts.models import Debt, DebtKind, DebtStatus


class DebtFilter(django_filters.FilterSet):
    """Kind and status of the debts in one case (served by ``debt_case_status_idx``)."""

    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=DebtKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=DebtStatus.choices)

    class Meta:
        model = Debt
        fields = ["kind", "status"]
