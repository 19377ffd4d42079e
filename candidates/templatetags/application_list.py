"""The application list's date hierarchy, cheap at 100,000 applications.

Django's (django.contrib.admin.templatetags.admin_list.date_hierarchy) offers the years,
months or days that have applications with a DISTINCT over every listed row's date,
converted to local time row by row: 60 to 150 ms a page view at 100,000 applications
(bench/scale.py). Here the same tag runs on a list whose `datetimes()` answers from the
first and last date alone (one MIN/MAX query, which the indexes on created_at answer):
every year, month or day between them is offered, also one without applications, which
then shows an empty list. Links, parameters and their checks (districts.admin.
ValidDateHierarchy) are Django's.
"""

import datetime

from django import template
from django.contrib.admin.templatetags import admin_list
from django.db.models import Max, Min
from django.utils import timezone

register = template.Library()


class _FirstToLast:
    """A queryset's stand-in for date_hierarchy: aggregate() as the queryset, datetimes()
    from the first to the last date."""

    def __init__(self, queryset):
        self.queryset = queryset

    def aggregate(self, **aggregates):
        return self.queryset.aggregate(**aggregates)

    def datetimes(self, field_name, kind):
        bounds = self.queryset.aggregate(first=Min(field_name), last=Max(field_name))
        if bounds["first"] is None:
            return []
        first, last = (timezone.localtime(bounds[end]).date() for end in ("first", "last"))
        if kind == "year":
            return [datetime.date(year, 1, 1) for year in range(first.year, last.year + 1)]
        if kind == "month":
            months = range(first.year * 12 + first.month - 1, last.year * 12 + last.month)
            return [datetime.date(month // 12, month % 12 + 1, 1) for month in months]
        return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]


class _ChangeList:
    """The changelist as date_hierarchy reads it, with the stand-in queryset."""

    def __init__(self, changelist):
        self._changelist = changelist
        self.queryset = _FirstToLast(changelist.queryset)

    def __getattr__(self, name):
        return getattr(self._changelist, name)


@register.inclusion_tag("admin/date_hierarchy.html")
def application_date_hierarchy(cl):
    return admin_list.date_hierarchy(_ChangeList(cl))
