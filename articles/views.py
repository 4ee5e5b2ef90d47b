"""Readers' pages: the story list, topic pages and story pages."""

from urllib.parse import urlencode

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.views.generic import DetailView, ListView

from .clusters.public import coverage_of, one_per_cluster
from .filters import ArticleFilter, filter_query, public_articles
from .models import Article, ArticleImage, RelatedLink, Topic


class FilteredArticleListMixin:
    """A paginated, filterable list of published stories; pages fix some filters.

    ``fixed_filters`` maps a filter name to the value the page imposes (a topic
    page fixes ``topic``): the field leaves the form and joins the feed links.
    """

    paginate_by = 20
    context_object_name = "articles"

    def get_fixed_filters(self):
        return {}

    def get_base_queryset(self):
        return public_articles()

    def get_queryset(self):
        self.filterset = ArticleFilter(self.request.GET, queryset=self.get_base_queryset())
        for name in self.get_fixed_filters():
            self.filterset.filters.pop(name)
        return one_per_cluster(self.filterset.qs)

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
        )
        return context


class ArticleListView(FilteredArticleListMixin, ListView):
    template_name = "articles/article_list.html"


class TopicDetailView(FilteredArticleListMixin, ListView):
    template_name = "articles/topic_detail.html"

    def get(self, request, *args, **kwargs):
        self.topic = get_object_or_404(Topic.objects.select_related("parent"), slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_fixed_filters(self):
        return {"topic": self.topic.slug}

    def get_base_queryset(self):
        return public_articles().filter(topics=self.topic)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(topic=self.topic, subtopics=self.topic.children.only("name", "slug"))
        return context


class ArticleDetailView(DetailView):
    """A story page. Staff may preview an unpublished story; it is never cached."""

    context_object_name = "article"

    def get_queryset(self):
        user = self.request.user
        articles = Article.objects.all() if user.is_staff else Article.objects.published()
        related = RelatedLink.objects.select_related("target").only(
            *RELATED_FIELDS, "target__slug", "target__published"
        )
        return articles.select_related("provider").prefetch_related(
            Prefetch("topics", queryset=Topic.objects.only("name", "slug")),
            Prefetch("images", queryset=ArticleImage.objects.order_by("position")),
            Prefetch("related_links", queryset=related.order_by("position")),
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(coverage=coverage_of(self.object), **kwargs)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if not self.object.published:
            patch_cache_control(response, no_cache=True, no_store=True, private=True)
        return response


RELATED_FIELDS = (
    "article_id",
    "position",
    "title",
    "excerpt",
    "web_url",
    "original_url",
    "published_at",
    "provider",
    "target_id",
)
