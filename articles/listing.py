"""The filtered story list every list page shares, and the filter a page can fix."""

from dataclasses import dataclass
from functools import partial
from urllib.parse import urlencode

from django.db.models import ExpressionWrapper, F, IntegerField
from django.http import Http404
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property

from newsroom.precompiled import precompiled_rows

from . import keptlists
from .cards import CARD_FIELDS
from .clusters.public import one_per_cluster, other_outlet_count
from .datewalk import DateWalkList, may_walk
from .filterform import bound_form_html, empty_form_html, topic_choices
from .filters import ArticleFilter, in_topic, sets_no_filter
from .models import Article, public_rows
from .paging import CappedPaginator, KeptList
from .pins import featured
from .querystrings import filter_query
from .search import is_common


@dataclass(frozen=True)
class FixedFilter:
    """A list page about one object (a topic, an outlet): the object fixes one filter.

    The URL names the object by ``field`` (the URL keyword has the same name);
    only objects the public may see (``model.objects.public()``) have a page.
    The list keeps the stories reaching the object through ``stories``; the
    filter ``name`` leaves the form and joins the feed links with the
    object's ``field`` as its value; the object is in the context as ``name``.
    """

    name: str
    model: type
    field: str
    stories: str
    related: tuple = ()
    case_insensitive: bool = False

    def get_object(self, kwargs):
        value = kwargs[self.field]
        if self.case_insensitive:
            value = value.lower()
        found = public_rows(
            f"fixed:{self.name}", self.public_named, {"now": timezone.now(), "value": value}, 0, 2
        )
        if len(found) != 1:
            raise Http404(f"No {self.model._meta.object_name} matches the given query.")
        return found[0]

    def public_named(self, now, value):
        public = self.model.objects.public(now)
        if self.related:
            public = public.select_related(*self.related)
        return public.filter(**{self.field: value})

    def narrow(self, articles, obj, *, hashed_topics=False, walk=False):
        """``articles`` reaching ``obj`` (an instance, or its id); a topic as
        ``filters.in_topic`` tests it with ``hashed_topics``.

        ``walk``: the same stories, the condition written so that SQLite cannot use
        the object's index for it and walks the date index instead (``datewalk``).
        """
        if walk:
            unindexed = ExpressionWrapper(F(self.stories) + 0, output_field=IntegerField())
            return articles.alias(walked_object=unindexed).filter(walked_object=obj)
        if self.stories == "topics":
            return articles.filter(in_topic(obj, hashed=hashed_topics))
        return articles.filter(**{self.stories: obj})

    def query(self, obj):
        return {self.name: getattr(obj, self.field)}


class FilteredArticleListMixin:
    """A paginated, filterable list of published stories; a page may fix one filter.

    A page declares ``fixed_filter`` (a :class:`FixedFilter`) to list the
    stories of one object; an invalid filter value is shown on the form and
    answered with a 400.
    """

    paginate_by = 20
    paginator_class = CappedPaginator
    context_object_name = "articles"
    fixed_filter = None
    shows_featured = False
    """The page's first page shows the stories pinned to it (the home page, a topic's)."""

    def get(self, request, *args, **kwargs):
        fixed = self.fixed_filter
        self.fixed_object = fixed.get_object(kwargs) if fixed else None
        response = super().get(request, *args, **kwargs)
        if self.filters_set and self.filterset.errors:
            response.status_code = 400
        return response

    def paginate_queryset(self, queryset, page_size):
        try:
            return super().paginate_queryset(queryset, page_size)
        except Http404 as error:
            # The 404 page says why (a page past the deepest one served, say).
            self.request.not_found_reason = str(error)
            raise

    def get_fixed_filters(self):
        if self.fixed_filter is None:
            return {}
        return self.fixed_filter.query(self.fixed_object)

    def active_filter_count(self):
        """How many filters behind the folded control are set (the search box shows itself)."""
        names = set(ArticleFilter.base_filters) - {"q", *self.get_fixed_filters()}
        return sum(1 for name in names if self.request.GET.get(name, "").strip())

    @cached_property
    def filterset(self):
        """A list with no filter set builds its FilterSet only if asked: its page draws
        the form without one (``filterform.empty_form_html``)."""
        return self.bound_filter(Article.objects.none())

    def get_queryset(self):
        self.filters_set = not sets_no_filter(self.request.GET, ignoring=self.get_fixed_filters())
        if not self.filters_set:
            # The form still shows (drawn without a FilterSet); nothing to validate.
            return self.kept_list({})
        kept = self.filterset.is_valid() and keptlists.kept_values(
            self.filterset.form.cleaned_data, search=True
        )
        if kept:
            return self.kept_list(*kept)
        articles = Article.objects.published().for_list()
        if self.fixed_filter is not None:
            articles = self.fixed_filter.narrow(articles, self.fixed_object)
        self.filterset.queryset = articles  # the form is validated already; .qs reads this
        return self.filterset.qs

    def bound_filter(self, articles):
        filterset = ArticleFilter(self.request.GET, queryset=articles, collapse=one_per_cluster)
        for name in self.get_fixed_filters():
            filterset.filters.pop(name)
        return filterset

    def kept_list(self, filters, sort=""):
        """The list narrowed by ``filters`` (``keptlists.kept_values``), compiled once per shape.

        A sorted search first asks the planner how common the term is, from kept
        SQL too: the answer picks the shape (``search.order_matches``).
        """
        fixed, params = self.fixed_filter, {"now": timezone.now(), **filters}
        if fixed is not None:
            params["value"] = self.fixed_object.pk
        key = f"list:{fixed.name if fixed else ''}:{sort}"
        if fixed is not None and not filters and not sort and may_walk():
            listed = partial(self.listed, sort=sort)
            return DateWalkList(key, listed, params, walk=partial(listed, walk=True))
        common = None
        if keptlists.SEARCH in filters and sort:
            matches = partial(self.listed, sort="", shown=False)
            common = is_common(KeptList(f"{key}:matches", matches, params))
            key = f"{key}:{'common' if common else 'rare'}"
        paged = None
        if keptlists.pages_by_ids(filters, sort, fixed):
            paged = partial(keptlists.paged_rows, key, partial(self.listed, sort=sort), sort)
        return KeptList(key, partial(self.listed, sort=sort, common=common), params, paged)

    def listed(
        self,
        now,
        value=None,
        *,
        sort,
        common=None,
        shown=True,
        hashed_topics=False,
        probed_clusters=False,
        walk=False,
        **filters,
    ):
        """The list at ``now`` narrowed by ``filters`` (``value``: the fixed object's id).

        ``shown=False``: only the stories the filters keep (``ArticleFilter.narrowed``);
        ``hashed_topics``: a topic tested as ``filters.in_topic(hashed=True)`` does;
        ``probed_clusters``: ``one_per_cluster(probed=True)``, for a deep page;
        ``walk``: the fixed object's condition for a walk by date (``datewalk``).
        """
        articles = Article.objects.published(now).for_list()
        if value is not None:
            articles = self.fixed_filter.narrow(
                articles, value, hashed_topics=hashed_topics, walk=walk
            )
        filterset = ArticleFilter(
            queryset=articles,
            collapse=partial(one_per_cluster, now=now, probed=probed_clusters),
            hashed_topics=hashed_topics,
        )
        values = {**filters, "sort": sort}
        listed = filterset.narrowed(articles, values, common=common, shown=shown)
        return listed.only(*CARD_FIELDS) if shown else listed

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        fixed_filters = self.get_fixed_filters()
        fixed = urlencode(fixed_filters)
        query = filter_query(self.request.GET, exclude=("page", *fixed_filters))
        context.update(
            filter=SimpleLazyObject(lambda: self.filterset),
            filter_form=self.filter_form(filtered=bool(query)),
            page_query=query,
            feed_query="&".join(part for part in (fixed, query) if part),
            filtered=bool(query),
            older_by_date=self.older_by_date(context["page_obj"]),
            active_filters=self.active_filter_count(),
        )
        if self.fixed_filter is not None:
            context[self.fixed_filter.name] = self.fixed_object
        first_page = context["page_obj"] is None or context["page_obj"].number == 1
        if self.shows_featured and first_page and not query:
            context["featured_stories"] = self.featured_stories()
        return context

    def older_by_date(self, page):
        """Past the deepest page served, the newest-first list goes on by date: the
        same filters until the day of the page's last story (that day in full)."""
        if page is None or not getattr(page, "past_last_page", False):
            return None
        sort, searched = self.request.GET.get("sort", ""), self.request.GET.get("q", "").strip()
        if sort != "newest" and (sort or searched):
            return None
        day = page.object_list[-1].published_at.date()
        query = filter_query(self.request.GET, exclude=("page", "until"))
        return {"day": day, "query": "&".join(p for p in (query, f"until={day}") if p)}

    def filter_form(self, filtered):
        """The list's form, drawn (``articles.filterform``): the bound one of a filtered list."""
        action, fixed = self.request.path, self.get_fixed_filters()
        if not self.filters_set:
            return empty_form_html(self.request, leave_out=fixed, action=action, filtered=filtered)
        self.offer_public_topics()
        return bound_form_html(
            self.filterset.form,
            action=action,
            filtered=filtered,
            active_filters=self.active_filter_count(),
        )

    def offer_public_topics(self):
        """The topic filter offers the taxonomy's topics: the navigation's query, not one more.

        Both are ``Topic.objects.public()`` by name; the filter's queryset still
        checks a submitted topic.
        """
        field = self.filterset.form.fields.get("topic")
        if field is None:  # a topic's own page fixes the topic
            return
        field.widget.choices = topic_choices(self.request, field.empty_label)

    def featured_stories(self):
        """The public stories pinned to this page, in pin order (one query, plus pictures)."""
        params = {"now": timezone.now()}
        if self.fixed_object is not None:
            params["topic"] = self.fixed_object.pk
        key = f"featured:{'topic' if self.fixed_object is not None else 'home'}"
        return precompiled_rows(key, featured_at, params)


def featured_at(now, topic=None):
    """The public stories pinned at ``now`` to the home page or a topic's (its id), in pin order."""
    stories = Article.objects.published(now).for_list().only(*CARD_FIELDS)
    stories = stories.annotate(other_outlets=other_outlet_count(now))
    return featured(stories, topic=topic, now=now)
