"""The filtered story list every list page shares, and the filter a page can fix."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import get_object_or_404

from .clusters.public import one_per_cluster, other_outlet_count
from .filters import ArticleFilter
from .models import Article
from .paging import CappedPaginator
from .pins import featured
from .querystrings import filter_query
from .taxonomy import public_taxonomy


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
        public = self.model.objects.public()
        if self.related:
            public = public.select_related(*self.related)
        return get_object_or_404(public, **{self.field: value})

    def narrow(self, articles, obj):
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
        if self.filterset.errors:
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
        names = set(self.filterset.filters) - {"q"}
        return sum(1 for name in names if self.request.GET.get(name, "").strip())

    def get_queryset(self):
        articles = Article.objects.published().for_list()
        if self.fixed_filter is not None:
            articles = self.fixed_filter.narrow(articles, self.fixed_object)
        self.filterset = ArticleFilter(
            self.request.GET, queryset=articles, collapse=one_per_cluster
        )
        for name in self.get_fixed_filters():
            self.filterset.filters.pop(name)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        fixed_filters = self.get_fixed_filters()
        fixed = urlencode(fixed_filters)
        query = filter_query(self.request.GET, exclude=("page", *fixed_filters))
        context.update(
            filter=self.filterset,
            page_query=query,
            feed_query="&".join(part for part in (fixed, query) if part),
            filtered=bool(query),
            older_by_date=self.older_by_date(context["page_obj"]),
            active_filters=self.active_filter_count(),
        )
        if self.fixed_filter is not None:
            context[self.fixed_filter.name] = self.fixed_object
        self.offer_public_topics()
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

    def offer_public_topics(self):
        """The topic filter offers the taxonomy's topics: the navigation's query, not one more.

        Both are ``Topic.objects.public()`` by name; the filter's queryset still
        checks a submitted topic.
        """
        field = self.filterset.form.fields.get("topic")
        if field is None:  # a topic's own page fixes the topic
            return
        taxonomy = public_taxonomy(self.request)
        topics = ((node.slug, node.name) for node in taxonomy.by_id.values())
        field.widget.choices = [("", field.empty_label), *topics]

    def featured_stories(self):
        """The public stories pinned to this page, in pin order (one query, plus pictures)."""
        stories = Article.objects.published().for_list()
        stories = stories.annotate(other_outlets=other_outlet_count())
        return list(featured(stories, topic=self.fixed_object))
