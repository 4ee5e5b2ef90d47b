"""Fixed-shape queries: their SQL built and compiled once per process, then only run.

A public list page spent about half its CPU building and compiling the ORM's
queries (the one-card-per-cluster ``EXISTS``, the public rule, the featured
slots), though between two requests only a few values change: ``now``, a topic's
id, an offset. Here a query is named by a *key*; the first request of a process
builds it (``build(**params)``, the ordinary queryset) and compiles it twice with
two sets of sentinel values, which finds the SQL parameters that are the
caller's (and how the backend adapts each: a datetime becomes text on SQLite).
A query whose SQL text changes with the values, or whose parameters change
while no value does (a ``timezone.now()`` the caller did not pass), is refused
(:class:`NotFixedShape`). Later requests substitute the values, execute, and
make the rows as the ORM would: converters, ``Model.from_db``, select_related
objects, annotations, then the queryset's prefetches (they run as before).

Only plain data is kept process-wide (SQL text, parameter slots, the
compiler's select list and model metadata, keyed by database alias and vendor);
each call runs on ``connections[alias]`` of its own thread, so gunicorn's
threads and the live server's share nothing that is bound to a connection.
``NEWSROOM_PRECOMPILED_SQL = False`` runs every query through the ORM instead
(the reference the tests compare against).
"""

import datetime as dt
import threading
from dataclasses import dataclass
from functools import partial
from weakref import ref as weak_ref

from django.conf import settings
from django.db import connections
from django.db.models import DEFERRED, Model, Prefetch, prefetch_related_objects
from django.db.models.constants import LOOKUP_SEP
from django.db.models.fields.related_descriptors import (
    ManyToManyDescriptor,
    ReverseManyToOneDescriptor,
    _filter_prefetch_queryset,
)
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    ValuesIterable,
    ValuesListIterable,
    _get_from_db,
    get_related_populators,
)

from .prefetchedrows import prefetched_rows


class NotFixedShape(Exception):
    """The query's SQL depends on more than the values it is given."""


_ADAPTERS = {
    "value": lambda connection, value: value,
    "datetime": lambda connection, value: connection.ops.adapt_datetimefield_value(value),
    "date": lambda connection, value: connection.ops.adapt_datefield_value(value),
    "text": lambda connection, value: str(value),
}
"""How a backend may turn a value into its SQL parameter; tried in this order."""

_KINDS = {
    ModelIterable: "models",
    ValuesIterable: "dicts",
    ValuesListIterable: "tuples",
    FlatValuesListIterable: "flat",
}


@dataclass(frozen=True)
class Shape:
    """One compiled query: SQL, fixed parameters, where the values go, how rows become objects."""

    sql: str
    params: tuple
    slots: tuple
    """``(position, name, index or None, adapter)`` for each parameter that is a value."""
    kind: str
    select: tuple
    col_count: int
    klass_info: dict | None
    annotation_col_map: dict | None
    prefetch_lookups: tuple
    fetch_mode: object
    model: type
    sliced: bool
    """The query has its own LIMIT (a count's cap): rows may not be sliced again."""
    names: tuple
    """The keys of a ``values()`` row."""


_kept = {}
_lock = threading.Lock()


def _sentinels(params, which):
    """Two distinct stand-ins for each value, of its type (``which`` 0 or 1)."""
    return {
        name: _sentinel(value, which, seed) for seed, (name, value) in enumerate(params.items())
    }


def _sentinel(value, which, seed):
    if isinstance(value, (list, tuple)):
        return [_sentinel(item, which, seed * 1000 + i + 1) for i, item in enumerate(value)]
    if isinstance(value, dt.datetime):
        base = dt.datetime(2001 + which, 2, 3, 4, 5, 6, tzinfo=dt.UTC)
        return base + dt.timedelta(minutes=seed, microseconds=7)
    if isinstance(value, dt.date):
        return dt.date(2001 + which, 2, 3) + dt.timedelta(days=seed)
    if isinstance(value, bool):
        raise NotFixedShape("a boolean changes the SQL's shape; make it part of the key")
    if isinstance(value, int):
        return 987_650_000 + which * 7_919 + seed * 101
    if isinstance(value, str):
        # A capital, so a query that changes a text's case is found out (and refused); not led
        # by whitespace (\x1f is, to str.strip), so one that strips a stripped value is kept.
        return f"\U000f0000Sentinel-{which}-{seed}"
    raise NotFixedShape(f"no sentinel for a {type(value).__name__}")


def _compiled(build, params, alias):
    queryset = build(**params)
    compiler = queryset.query.get_compiler(using=alias)
    sql, sql_params = compiler.as_sql()
    return queryset, compiler, sql, tuple(sql_params)


def _adapter(connection, stand_ins, found):
    for name, adapt in _ADAPTERS.items():
        try:
            pairs = zip(stand_ins, found, strict=True)
            if all(adapt(connection, value) == seen for value, seen in pairs):
                return name
        except (TypeError, ValueError, AttributeError):
            continue
    return None


def _locate(connection, name, compiled, compiled_again, firsts, seconds):
    """The slots of value ``name``: the parameters that change when only it changes.

    ``firsts`` and ``seconds`` are its two stand-ins (a list's items, or one value).
    """
    (sql, first), (other_sql, other) = compiled, compiled_again
    if other_sql != sql or len(other) != len(first):
        raise NotFixedShape(f"the SQL's text changes with {name!r}")
    items = list(enumerate(zip(firsts, seconds, strict=True)))
    slots = []
    for position, (seen, seen_again) in enumerate(zip(first, other, strict=True)):
        if seen == seen_again:
            continue
        found = next(
            (
                (index, adapter)
                for index, pair in items
                if (adapter := _adapter(connection, pair, (seen, seen_again)))
            ),
            None,
        )
        if found is None:
            raise NotFixedShape(f"parameter {position} follows {name!r} in an unknown way")
        slots.append((position, name, found[0], found[1]))
    if not slots:
        raise NotFixedShape(f"{name!r} is not in the query's parameters")
    return slots


def _items(first, second):
    return (first, second) if isinstance(first, list) else ([first], [second])


def _shape(build, params, alias):
    connection = connections[alias]
    a, b = _sentinels(params, 0), _sentinels(params, 1)
    queryset, compiler, sql, first = _compiled(build, a, alias)
    if _compiled(build, a, alias)[2:] != (sql, first):
        raise NotFixedShape("the query changes though no value does (a time it reads itself?)")
    slots = []
    for name, value in params.items():
        again = _compiled(build, {**a, name: b[name]}, alias)[2:]
        found = _locate(connection, name, (sql, first), again, *_items(a[name], b[name]))
        # One value stands for itself, not for item 0 of a list.
        slots += (
            found if isinstance(value, (list, tuple)) else [(*s[:2], None, s[3]) for s in found]
        )
    kind = _KINDS.get(queryset._iterable_class)
    if kind is None or queryset._known_related_objects:
        raise NotFixedShape("only model rows and values()/values_list() rows are kept")
    query = queryset.query
    return Shape(
        sql=sql,
        params=first,
        slots=tuple(slots),
        kind=kind,
        select=tuple(compiler.select),
        col_count=compiler.col_count,
        klass_info=compiler.klass_info,
        annotation_col_map=compiler.annotation_col_map,
        prefetch_lookups=tuple(queryset._prefetch_related_lookups),
        fetch_mode=queryset._fetch_mode,
        model=queryset.model,
        sliced=query.is_sliced,
        names=(*query.extra_select, *query.values_select, *query.annotation_select),
    )


def shape_of(key, build, params, using="default"):
    """The kept :class:`Shape` of query ``key`` on database ``using``, compiled at first use."""
    connection = connections[using]
    shape_key = (key, using, connection.vendor, _names(params))
    shape = _kept.get(shape_key)
    if shape is None:
        shape = _shape(build, params, using)
        with _lock:
            shape = _kept.setdefault(shape_key, shape)
    return shape


def _names(params):
    """Which values are given, and a list's length, are part of the shape (``IN (%s, %s, …)``)."""
    return tuple(
        (name, len(value) if isinstance(value, (list, tuple)) else None)
        for name, value in sorted(params.items())
    )


def _bound(shape, params, connection):
    values = list(shape.params)
    # The public rule's ``now`` fills a dozen slots of a list's query: adapted once.
    adapted = {}
    for position, name, index, adapter in shape.slots:
        slot = (name, index, adapter)
        if slot not in adapted:
            value = params[name] if index is None else params[name][index]
            adapted[slot] = _ADAPTERS[adapter](connection, value)
        values[position] = adapted[slot]
    return values


def enabled():
    return getattr(settings, "NEWSROOM_PRECOMPILED_SQL", True)


def precompiled_rows(key, build, params, start=None, stop=None, using="default"):
    """``list(build(**params)[start:stop])``, from SQL compiled once per process."""
    if not enabled():
        queryset = build(**params)
        return list(queryset[start:stop] if start is not None or stop is not None else queryset)
    shape = shape_of(key, build, params, using)
    connection = connections[using]
    sql, values = shape.sql, _bound(shape, params, connection)
    if start is not None or stop is not None:
        if shape.sliced:
            raise NotFixedShape(f"{key!r} is sliced already")
        limit = -1 if stop is None else stop - (start or 0)
        if limit == 0:
            return []
        sql = f"{sql} LIMIT %s OFFSET %s"
        values += [limit if limit >= 0 else _NO_LIMIT[connection.vendor], start or 0]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        rows = cursor.fetchall()
    rows = _converted(shape, rows, connection)
    if shape.kind == "tuples":
        return [tuple(row) for row in rows]
    if shape.kind == "flat":
        return [row[0] for row in rows]
    if shape.kind == "dicts":
        return [dict(zip(shape.names, row, strict=True)) for row in rows]
    return _instances(shape, rows, using, key)


_NO_LIMIT = {"sqlite": -1, "postgresql": None}


def precompiled_sql(key, build, params, using="default"):
    """The SQL and parameters of ``build(**params)``, as ``query.sql_with_params()`` gives them."""
    if not enabled():
        return build(**params).query.sql_with_params()
    shape = shape_of(key, build, params, using)
    return shape.sql, tuple(_bound(shape, params, connections[using]))


def precompiled_count(key, build, params, using="default"):
    """``build(**params).count()`` for a query kept by ``key`` (one ``SELECT COUNT(*)``)."""
    if not enabled():
        return build(**params).count()
    shape = shape_of(key, build, params, using)
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM ({shape.sql}) counted", _bound(shape, params, connection)
        )
        return cursor.fetchone()[0]


def _converted(shape, rows, connection):
    """The rows with each column through its backend's and field's converters, as the ORM does."""
    converters = _converters(shape, connection)
    count = shape.col_count
    rows = [list(row[:count]) for row in rows]
    for row in rows:
        for position, found, expression in converters:
            value = row[position]
            for converter in found:
                value = converter(value, expression, connection)
            row[position] = value
    return rows


def _converters(shape, connection):
    """``(position, converters, expression)`` of each column that has converters.

    Asked of the backend and the fields once per shape and connection (a thread's own:
    a converter may be a method of its connection's operations), not per query run.
    """
    kept = connection.__dict__.setdefault("_precompiled_converters", {})
    found = kept.get(id(shape))
    if found is not None and found[0] is shape:  # an id is reused once its shape is gone
        return found[1]
    converters = []
    for position, (expression, *_) in enumerate(shape.select[: shape.col_count]):
        if expression is None:
            continue
        column = connection.ops.get_db_converters(expression)
        column += expression.get_db_converters(connection)
        if column:
            converters.append((position, column, expression))
    kept[id(shape)] = (shape, converters)
    return converters


def _instances(shape, rows, using, key=None):
    """Model instances from converted rows: ``ModelIterable``'s steps, then the prefetches."""

    klass_info, select = shape.klass_info, shape.select
    fields = klass_info["select_fields"]
    start, end = fields[0], fields[-1] + 1
    init_list = [column[0].target.attname for column in select[start:end]]
    from_db = _from_db(shape.model, init_list, shape.fetch_mode)
    populators = get_related_populators(klass_info, select, using, shape.fetch_mode)
    annotations = shape.annotation_col_map or {}
    objects = []
    peers = [] if shape.fetch_mode.track_peers else None
    for row in rows:
        obj = from_db(using, init_list, row[start:end])
        if peers is not None:
            peers.append(weak_ref(obj))
            obj._state.peers = peers
        for populator in populators:
            populator.populate(row, obj)
        for name, position in annotations.items():
            setattr(obj, name, row[position])
        objects.append(obj)
    if shape.prefetch_lookups and objects:
        others = [
            lookup
            for lookup in shape.prefetch_lookups
            if not prefetched(key, objects, lookup, using)
        ]
        if others:
            prefetch_related_objects(objects, *others)
    return objects


def _from_db(model, init_list, fetch_mode):
    """``model.from_db`` bound to ``fetch_mode``, for rows of the ``init_list`` columns.

    Django's ``from_db`` finds the deferred fields' places for every row (each of
    the model's fields looked up in ``init_list``: 37 of them for a story); here
    they are found once per query run. A model with its own ``from_db`` keeps it.
    """
    from_db = _get_from_db(model, fetch_mode)
    fields = model._meta.concrete_fields
    if model.from_db.__func__ is not Model.from_db.__func__ or len(init_list) == len(fields):
        return from_db
    loaded = set(init_list)
    positions = [place for place, field in enumerate(fields) if field.attname in loaded]
    deferred = [DEFERRED] * len(fields)

    def made(db, field_names, values):
        args = deferred.copy()
        for place, value in zip(positions, values, strict=True):
            args[place] = value
        new = model(*args)
        new._state.adding = False
        new._state.db = db
        if fetch_mode is not None:
            new._state.fetch_mode = fetch_mode
        return new

    return made


def prefetched(key, objects, lookup, using):
    """Run ``lookup`` (a one-level ``Prefetch`` with a queryset) on ``objects`` from kept SQL.

    Django's ``prefetch_one_level`` for a many-to-many or reverse foreign key, with
    the related query compiled once per number of objects; each object's
    ``<relation>.all()`` is then the queryset Django would cache. False (nothing
    done) for any other lookup, which Django's prefetching then runs.
    """
    if key is None or not isinstance(lookup, Prefetch) or lookup.queryset is None:
        return False
    name = lookup.prefetch_through
    if lookup.to_attr or LOOKUP_SEP in name or lookup.queryset._prefetch_related_lookups:
        return False
    model = type(objects[0])
    descriptor = getattr(model, name, None)
    if isinstance(descriptor, ManyToManyDescriptor) and not descriptor.reverse:
        field = None
    elif type(descriptor) is ReverseManyToOneDescriptor:
        field = descriptor.field
    else:
        return False

    def build(ids):
        stand_ins = [model(pk=pk) for pk in ids]
        manager = getattr(stand_ins[0], name)
        queryset = lookup.queryset._chain()
        if field is None:
            return manager.get_prefetch_querysets(stand_ins, [queryset])[0]
        queryset._add_hints(instance=stand_ins[0])
        queryset = queryset.using(queryset._db or manager._db)
        return _filter_prefetch_queryset(queryset, field.name, stand_ins)

    ids = [obj.pk for obj in objects]
    related = precompiled_rows(f"{key}:prefetch:{name}", build, {"ids": ids}, using=using)
    by_owner = {}
    if field is None:  # many-to-many: the link's owner id comes as an extra column
        manager = getattr(objects[0], name)
        link = manager.through._meta.get_field(manager.source_field_name)
        (owner,) = link.local_related_fields
        for rel_obj in related:
            owner_id = getattr(rel_obj, f"_prefetch_related_val_{owner.attname}")
            by_owner.setdefault(owner_id, []).append(rel_obj)
        cache_name = manager.prefetch_cache_name
    else:  # reverse foreign key: each related row points back at its owner, as Django sets
        owners = {obj.pk: obj for obj in objects}
        for rel_obj in related:
            owner_id = getattr(rel_obj, field.attname)
            by_owner.setdefault(owner_id, []).append(rel_obj)
            if not field.is_cached(rel_obj):
                field.set_cached_value(rel_obj, owners[owner_id])
        cache_name = field.remote_field.cache_name
    related_model = lookup.queryset.model
    for obj in objects:
        if not hasattr(obj, "_prefetched_objects_cache"):
            obj._prefetched_objects_cache = {}
        obj._prefetched_objects_cache[cache_name] = prefetched_rows(
            related_model, by_owner.get(obj.pk, []), partial(_filtered_to, obj, name, lookup)
        )
    return True


def _filtered_to(obj, name, lookup):
    """The queryset Django's prefetching caches as ``obj``'s ``<name>.all()``."""
    return getattr(obj, name)._apply_rel_filters(lookup.queryset._chain())


def forget():
    """Drop every kept shape (tests that change what a query compiles to)."""
    with _lock:
        _kept.clear()
