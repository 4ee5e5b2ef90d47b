"""The one FilterSet behind every public list: pages, feeds and the JSON API."""

import datetime as dt

import django_filters
from django import forms
from django.core.exceptions import BadRequest
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import F

from .models import Topic
from .search import order_matches, search_articles, validate_search


class ChoiceByValueField(forms.ModelChoiceField):
    """A model choice that refuses NUL before asking the database (PostgreSQL cannot take it)."""

    def to_python(self, value):
        ProhibitNullCharactersValidator()(value)
        return super().to_python(value)


class ModelChoiceByValueFilter(django_filters.ModelChoiceFilter):
    field_class = ChoiceByValueField


class ArticleFilter(django_filters.FilterSet):
    """Narrows and orders a queryset the caller has already limited to published stories."""

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
    )
    provider = django_filters.CharFilter(
        label="Outlet (domain)",
        method="filter_provider",
        widget=forms.TextInput(attrs={"placeholder": "e.g. bbc.com"}),
    )
    type = django_filters.CharFilter(label="Type", field_name="type")
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
        # Best matches first; an explicit ?sort= (applied after) re-orders them.
        return search_articles(queryset, value, order_by_rank=True)

    def filter_provider(self, queryset, name, value):
        return queryset.filter(provider__domain=value.strip().lower())

    def filter_since(self, queryset, name, value):
        return queryset.filter(published_at__gte=_start_of(value))

    def filter_until(self, queryset, name, value):
        # Inclusive of the whole day; a range on the column keeps its index usable.
        # The last day a date can name has no next day: nothing is later than it.
        if value == dt.date.max:
            return queryset
        return queryset.filter(published_at__lt=_start_of(value + dt.timedelta(days=1)))

    def filter_sort(self, queryset, name, value):
        if self.form.cleaned_data.get("q"):
            return order_matches(queryset, *self.SORTS[value])  # see order_matches
        return queryset.order_by(*self.SORTS[value])


def _start_of(day):
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def filter_or_400(request, queryset):
    """The request's list filters, validated, for a feed or the API: bad values are a 400.

    Returns the bound filterset: ``.qs`` is the narrowed queryset,
    ``.form.cleaned_data`` the values (safe to use in further queries) and
    ``.request`` the request.
    """
    filterset = ArticleFilter(request.GET, queryset=queryset, request=request)
    if not filterset.is_valid():
        errors = "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in filterset.errors.items()
        )
        raise BadRequest(f"Invalid filter: {errors}")
    return filterset
