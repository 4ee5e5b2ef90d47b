"""A relation's prefetched rows whose queryset is made only when something asks for it.

Django caches, for each prefetched object, ``<relation>.all()`` as a queryset filtered
to that object (``_apply_rel_filters``), so that ``.all().filter(...)`` still queries
the right rows. Making that queryset (a related manager and three query clones) for
the topics and pictures of every story on a list page cost ~1.4 ms a page, and the
cards only iterate the rows. :func:`prefetched_rows` gives an object that holds the
rows and, at the first use beyond iterating, counting or indexing them, becomes the
queryset Django would have cached (same class, same state, the same rows), so every
other use behaves as Django's own prefetching does.
"""

from django.db.models import QuerySet


def prefetched_rows(model, rows, make):
    """A queryset of ``model`` holding ``rows``; ``make()`` gives its real queryset when needed."""
    pending = _PendingRows.__new__(_PendingRows)
    pending.__dict__.update(
        model=model,
        _result_cache=rows,
        _prefetch_related_lookups=(),
        _prefetch_done=True,
        _make=make,
    )
    return pending


class _PendingRows(QuerySet):
    """Iterating, ``len``, ``bool`` and indexing read the rows; anything else makes the queryset."""

    def _become_made(self):
        made = self._make()
        rows = self._result_cache
        self.__dict__.clear()
        self.__dict__.update(made.__dict__)
        self._result_cache = rows
        self._prefetch_done = True
        self.__class__ = type(made)

    def __getattr__(self, name):
        # Only reached for what the pending object lacks: every attribute of a queryset's
        # state but the rows (the query, its database, hints, flags).
        if name.startswith("__") or "_make" not in self.__dict__:
            raise AttributeError(name)
        self._become_made()
        return getattr(self, name)

    def _clone(self):
        self._become_made()
        return self._clone()

    def _chain(self):
        self._become_made()
        return self._chain()

    def _next_is_sticky(self):
        self._become_made()
        return self._next_is_sticky()

    def __deepcopy__(self, memo):
        self._become_made()
        return self.__deepcopy__(memo)

    def __getstate__(self):
        self._become_made()
        return self.__getstate__()
