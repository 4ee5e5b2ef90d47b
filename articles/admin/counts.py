"""Per-row counts for admin lists, computed for the rows on the page only."""

from django.contrib import admin
from django.db.models import Func, IntegerField, Subquery


def row_count(queryset):
    """``COUNT(*)`` of ``queryset`` (filtered on an ``OuterRef``) as an annotation.

    A correlated subquery rather than ``Count()`` with a join: the database counts
    for the 100 rows on the page through an index, instead of grouping every story.
    """
    counted = queryset.order_by().annotate(n=Func("pk", function="COUNT")).values("n")
    return Subquery(counted, output_field=IntegerField())


def annotated_column(annotation, description):
    """A list column showing the row's ``annotation`` (a count above, say), sortable by it."""

    @admin.display(description=description, ordering=annotation)
    def column(self, obj):
        return getattr(obj, annotation)

    return column
