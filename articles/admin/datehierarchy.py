"""A date drill-down that costs two indexed lookups instead of a DISTINCT scan.

Django's ``date_hierarchy`` lists the years (months, days) that have rows with
``SELECT DISTINCT`` of a truncated date over the filtered list: a scan of every
matching story on each page load (over 100 ms on 100,000 stories on SQLite).
Here the links span the whole table's first to last date (two index lookups),
so a year or month can be listed that the current filter leaves empty.
"""

import calendar
import datetime as dt

from django.utils import formats, timezone
from django.utils.text import capfirst


def date_range(queryset, field):
    """The first and last values of ``field`` over ``queryset``, local time."""
    values = queryset.order_by().values_list(field, flat=True)
    first = values.order_by(field).first()
    last = values.order_by(f"-{field}").first()
    if first is None:
        return None
    return timezone.localtime(first).date(), timezone.localtime(last).date()


def hierarchy(cl):
    """The context admin/date_hierarchy.html expects, for changelist ``cl``."""
    field = cl.date_hierarchy
    names = {part: f"{field}__{part}" for part in ("year", "month", "day")}
    year, month, day = (cl.params.get(names[part]) for part in ("year", "month", "day"))
    verbose = cl.model._meta.get_field(field).verbose_name

    def link(filters):
        return cl.get_query_string(filters, [f"{field}__"])

    def context(back, choices):
        return {"show": True, "back": back, "choices": choices, "field_name": verbose}

    if year and month and day:
        date = dt.date(int(year), int(month), int(day))
        back = {
            "link": link({names["year"]: year, names["month"]: month}),
            "title": capfirst(formats.date_format(date, "YEAR_MONTH_FORMAT")),
        }
        return context(back, [{"title": capfirst(formats.date_format(date, "MONTH_DAY_FORMAT"))}])
    span = date_range(cl.root_queryset, field)
    if span is None:
        return {"show": False}
    first, last = span
    if year and month:
        days = range(1, calendar.monthrange(int(year), int(month))[1] + 1)
        dates = [dt.date(int(year), int(month), d) for d in days]
        dates = [d for d in dates if first <= d <= last]
        back = {"link": link({names["year"]: year}), "title": str(year)}
        choices = [
            {
                "link": link({names["year"]: year, names["month"]: month, names["day"]: d.day}),
                "title": capfirst(formats.date_format(d, "MONTH_DAY_FORMAT")),
            }
            for d in dates
        ]
        return context(back, choices)
    if year:
        months = [dt.date(int(year), m, 1) for m in range(1, 13)]
        months = [
            m
            for m in months
            if (first.year, first.month) <= (m.year, m.month) <= (last.year, last.month)
        ]
        choices = [
            {
                "link": link({names["year"]: year, names["month"]: m.month}),
                "title": capfirst(formats.date_format(m, "YEAR_MONTH_FORMAT")),
            }
            for m in months
        ]
        return context({"link": link({}), "title": "All dates"}, choices)
    years = range(first.year, last.year + 1)
    return context(None, [{"link": link({names["year"]: str(y)}), "title": str(y)} for y in years])
