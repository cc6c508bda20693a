"""Filters of the housing list; the view passes the scoped queryset of current situations in.

Indexes serving the filters (STYLE.md R8): ``eviction`` by ``housing_eviction_idx``,
``lease`` by ``housing_lease_end_idx``; ``ethos_group``, ``tenure`` and ``notice`` narrow the
(already client-scoped, current) rows and need no index of their own at a caseload's size.
"""

import datetime as dt

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from housing.models import EthosCategory, Tenure

SOON_DAYS = 90


def _ethos_groups():
    groups = EthosCategory.objects.order_by().values_list("conceptual_category", flat=True)
    return [(group, group) for group in sorted(set(groups))]


class HousingSituationFilter(django_filters.FilterSet):
    ethos_group = django_filters.ChoiceFilter(
        label=_("ETHOS group"), choices=_ethos_groups, field_name="ethos__conceptual_category"
    )
    tenure = django_filters.ChoiceFilter(label=_("Tenure"), choices=Tenure.choices)
    warning = django_filters.ChoiceFilter(
        label=_("Warning"),
        method="with_warning",
        choices=[
            ("notice", _("Notice received")),
            ("eviction", _("Eviction date in the next 90 days")),
            ("lease", _("Lease ends in the next 90 days")),
            ("arrears", _("Arrears")),
        ],
    )

    def with_warning(self, queryset, name, value):
        today = timezone.localdate()
        soon = today + dt.timedelta(days=SOON_DAYS)
        conditions = {
            "notice": {"notice_received_on__isnull": False},
            "eviction": {"eviction_on__range": (today, soon)},
            "lease": {"lease_end__range": (today, soon)},
            "arrears": {"arrears__gt": 0},
        }
        return queryset.filter(**conditions[value])
