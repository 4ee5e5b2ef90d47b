"""The one FilterSet behind every public list: pages, feeds and the JSON API."""

import datetime as dt
from html import escape as quote

import django_filters
from django import forms
from django.core.exceptions import BadRequest
from django.core.validators import ProhibitNullCharactersValidator
from django.db import connections
from django.db.models import BooleanField, F, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from newsroom.precompiled import precompiled_sql
from providers.models import Provider

from .models import Article, Topic, public_rows
from .search import best_of_newest, order_matches, search_articles, validate_search


class ChoiceByValueField(forms.ModelChoiceField):
    """A model choice that refuses NUL before asking the database (PostgreSQL cannot take it)."""

    def to_python(self, value):
        ProhibitNullCharactersValidator()(value)
        return super().to_python(value)


class ModelChoiceByValueFilter(django_filters.ModelChoiceFilter):
    field_class = ChoiceByValueField


MAX_TYPES = 50
"""The type filter offers at most this many types (the corpus has a handful)."""


def story_types():
    """The types published stories have, for the type filter's choice (one query).

    A recursive query that asks ``article_type_idx`` for the first type, then for
    the first one after it, and so on: one index probe per type, where ``SELECT
    DISTINCT type`` read every published story (250 ms a page at a million).
    """
    now = {"now": timezone.now()}
    first_sql, first_params = precompiled_sql("types:first", first_type, now)
    after_sql, after_params = precompiled_sql("types:after", type_after_found, now)
    sql = (
        f"WITH RECURSIVE found(type) AS (SELECT ({first_sql}) UNION ALL"
        f" SELECT ({after_sql}) FROM found WHERE found.type IS NOT NULL)"
        f" SELECT type FROM found WHERE type IS NOT NULL LIMIT {MAX_TYPES}"
    )
    with connections["default"].cursor() as cursor:
        cursor.execute(sql, (*first_params, *after_params))
        types = [value for (value,) in cursor.fetchall()]
    return [("", "All types"), *((value, value) for value in types)]


def _public_types(now):
    return Article.objects.published(now).exclude(type="").order_by("type").values("type")


def first_type(now):
    return _public_types(now)[:1]


def type_after_found(now):
    return _public_types(now).filter(type__gt=RawSQL("found.type", ()))[:1]


class QueriedSelect(forms.Select):
    """An optional select whose choices come from a query: run when rendered, once."""

    def use_required_attribute(self, initial):
        return False  # a filter is never required; Select would read its choices to decide


class OutletInput(forms.TextInput):
    """A text box for an outlet's name or domain, suggesting the public outlets.

    A ``<datalist>`` (value the domain, label the name) rather than a select of
    every outlet: one light query, and the browser filters it as the reader types.
    """

    outlets = None
    """The suggestions' (domain, name) rows when the caller has them (else a query)."""

    def render(self, name, value, attrs=None, renderer=None):
        list_id = f"{(attrs or {}).get('id', name)}-outlets"
        box = super().render(name, value, {**(attrs or {}), "list": list_id}, renderer)
        outlets = self.outlets if self.outlets is not None else public_outlets()
        # One f-string per outlet: format_html per option cost a millisecond a page; the
        # standard library's escape is Django's ``escape`` without its lazy-text wrapper.
        options = mark_safe(  # noqa: S308  # both values escaped
            "".join(f'<option value="{quote(d)}">{quote(n)}</option>' for d, n in outlets)
        )
        return format_html('{}<datalist id="{}">{}</datalist>', box, list_id, options)


def public_outlets():
    """The outlet box's suggestions now: (domain, name) of each public outlet, by name."""
    return public_rows("outlet-names", outlet_names, {"now": timezone.now()})


def outlet_names(now):
    """The public outlets' domains and names, by name (the outlet box's suggestions)."""
    return Provider.objects.public(now).order_by("name").values_list("domain", "name")


def outlet_named(value, prefix=""):
    """The condition for an outlet given by its domain or (any case) its name."""
    value = value.strip()
    return Q(**{f"{prefix}domain": value.lower()}) | Q(**{f"{prefix}name__iexact": value})


def in_topic(topic, *, hashed=False):
    """The condition "the story is linked to ``topic``" (an instance or its id).

    ``hashed``: as a membership test PostgreSQL answers from the topic's links read
    once into a hash (``COALESCE(id IN (...), false)``, which it cannot turn into a
    join), for a walk of a sort's index that reads only the index
    (``keptlists.paged_rows``): the join it would plan instead probes the links for
    every story walked, 50,000 probes for a topic whose stories sort late.
    """
    if not hashed:
        return Q(topics=topic)
    links = Article.topics.through.objects.filter(topic=topic).values("article_id")
    return Coalesce(Q(pk__in=links), Value(False), output_field=BooleanField())


class ArticleFilter(django_filters.FilterSet):
    """Narrows and orders a queryset the caller has already limited to published stories.

    ``collapse`` (say ``one_per_cluster``) narrows the filtered stories to the ones a
    list shows, before a search's relevance window is taken: the window then holds
    that many cards, and the rule is not asked inside the window (at a million
    stories PostgreSQL then hashed every cluster to rank 1,000 matches: 0.7–1 s).
    """

    searched = False
    """The values being applied hold a search (:meth:`narrowed`)."""
    common = None

    def __init__(self, *args, collapse=None, hashed_topics=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.collapse = collapse
        self.hashed_topics = hashed_topics

    SORTS = {
        "newest": (F("published_at").desc(), F("id").desc()),
        "quality": (F("quality").desc(nulls_last=True), F("published_at").desc(), F("id").desc()),
        "heat": (F("heat").desc(nulls_last=True), F("published_at").desc(), F("id").desc()),
    }

    q = django_filters.CharFilter(
        label="Search",
        method="filter_search",
        max_length=500,
        validators=[validate_search],
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Search stories"}),
    )
    topic = ModelChoiceByValueFilter(
        label="Topic",
        field_name="topics",
        to_field_name="slug",
        queryset=Topic.objects.public().only("slug", "name"),
        empty_label="All topics",
        method="filter_topic",
    )
    provider = django_filters.CharFilter(
        label="Outlet",
        method="filter_provider",
        widget=OutletInput(attrs={"placeholder": "Name or domain"}),
    )
    # Any text is a valid type (a feed may ask for one not yet published);
    # the page offers the types that exist.
    type = django_filters.CharFilter(
        label="Type", field_name="type", widget=QueriedSelect(choices=story_types)
    )
    since = django_filters.DateFilter(
        label="From", method="filter_since", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = django_filters.DateFilter(
        label="To", method="filter_until", widget=forms.DateInput(attrs={"type": "date"})
    )
    min_quality = django_filters.NumberFilter(
        label="Minimum quality",
        field_name="quality",
        lookup_expr="gte",
        min_value=0,
        widget=forms.NumberInput(attrs={"min": 0, "step": 1}),
    )
    # Declared last: django-filter applies filters in declaration order.
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        method="filter_sort",
        choices=[("newest", "Newest"), ("quality", "Quality"), ("heat", "Heat")],
        empty_label="Newest (default)",
    )

    def filter_search(self, queryset, name, value):
        # Relevance order (the default with ?q=) is applied in narrowed, once every
        # filter has narrowed the matches; ?sort= orders them instead.
        return search_articles(queryset, value, ordered=False)

    def filter_queryset(self, queryset):
        return self.narrowed(queryset, self.form.cleaned_data)

    def narrowed(self, queryset, values, *, common=None, shown=True):
        """``queryset`` narrowed and ordered by ``values`` (filter name: value), as lists show it.

        The filters in their declared order, then ``collapse``, then a search's
        relevance window (unless sorted). ``values`` are the form's cleaned values,
        or a kept list's parameters (``articles.keptlists``: a topic's id for the
        topic, the sentinels ``newsroom.precompiled`` compiles with); ``common``
        answers :func:`search.is_common` for a sorted search when the caller knows;
        ``shown=False`` stops after the filters: the matches a sorted search's
        planner estimate counts (:func:`search.order_matches`).
        """
        self.searched = bool((values.get("q") or "").strip())
        self.common = common
        for name, applied in self.filters.items():
            queryset = applied.filter(queryset, values.get(name))
        if not shown:
            return queryset
        if self.collapse is not None:
            queryset = self.collapse(queryset)
        if self.searched and not values.get("sort"):
            return best_of_newest(queryset)
        return queryset

    def filter_topic(self, queryset, name, value):
        return queryset.filter(in_topic(value, hashed=self.hashed_topics))

    def filter_provider(self, queryset, name, value):
        return queryset.filter(outlet_named(value, prefix="provider__"))

    def filter_since(self, queryset, name, value):
        return queryset.filter(published_at__gte=_start_of(value))

    def filter_until(self, queryset, name, value):
        # Inclusive of the whole day; a range on the column keeps its index usable.
        # The last day a date can name has no next day: nothing is later than it.
        if value == dt.date.max:
            return queryset
        return queryset.filter(published_at__lt=_start_of(value + dt.timedelta(days=1)))

    def filter_sort(self, queryset, name, value):
        if self.searched:
            return order_matches(queryset, *self.SORTS[value], common=self.common)
        return queryset.order_by(*self.SORTS[value])


def _start_of(day):
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def sets_no_filter(query, ignoring=()):
    """No filter of :class:`ArticleFilter` but ``ignoring`` has a value in ``query`` (a GET).

    A page number (or the API's ``collapse``) may be there: such a list is the
    unfiltered one, which the pages, feeds and API run from kept SQL without a form.
    """
    return not any(
        query.get(name, "") for name in ArticleFilter.base_filters if name not in ignoring
    )


def filter_or_400(request, queryset, *, collapse=None):
    """The request's list filters, validated, for a feed or the API: bad values are a 400.

    Returns the bound filterset: ``.qs`` is the narrowed queryset,
    ``.form.cleaned_data`` the values (safe to use in further queries) and
    ``.request`` the request.
    """
    filterset = ArticleFilter(request.GET, queryset=queryset, request=request, collapse=collapse)
    if not filterset.is_valid():
        errors = "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in filterset.errors.items()
        )
        raise BadRequest(f"Invalid filter: {errors}")
    return filterset
