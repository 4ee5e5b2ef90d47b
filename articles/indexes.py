"""Index declarations the stories' Meta needs beyond Django's plain ``Index``."""

import copy

from django.db import models
from django.db.models import F, OrderBy


class NullsLastIndex(models.Index):
    """An index that may say ``DESC NULLS LAST``, on databases that cannot declare it too.

    A descending sort with unscored stories last (``F("heat").desc(nulls_last=True)``)
    needs an index built that way on PostgreSQL, where NULLs sort first in descending
    order. SQLite rejects ``NULLS LAST`` in an index but sorts NULLs last in
    descending order anyway, so there the plain descending index serves the same
    ORDER BY: it is created without the modifier.
    """

    def create_sql(self, model, schema_editor, using="", **kwargs):
        index = self
        if schema_editor.connection.features.order_by_nulls_first:
            index = copy.copy(self)
            index.expressions = tuple(map(_default_nulls, self.expressions))
        return super(NullsLastIndex, index).create_sql(model, schema_editor, using, **kwargs)


def _default_nulls(expression):
    if isinstance(expression, OrderBy) and expression.descending and expression.nulls_last:
        return OrderBy(expression.expression, descending=True)
    return expression


def public_stories_index(*expressions, name):
    """An index led by ``published``: the public rule's part that time never changes.

    Every public list, feed and sitemap asks ``published()`` (``published`` and the
    schedule), so with ``published`` fixed the rest of the index is in the list's
    order. Not a partial index (``WHERE published``): SQLite cannot match one to
    the query's ``published = ?``, a bound parameter.
    """
    return NullsLastIndex(F("published"), *expressions, name=name)
