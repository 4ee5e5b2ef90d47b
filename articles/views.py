"""Readers' pages: the story list, the topic index, topic pages and story pages."""

from django.http import Http404
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView, TemplateView

from newsroom.precompiled import precompiled_rows

from . import jsonld
from .clusters.public import coverage_of
from .listing import FilteredArticleListMixin, FixedFilter
from .models import Article, Correction, Topic
from .paging import CappedPaginator, KeptList
from .taxonomy import counted_nodes, counted_taxonomy, public_taxonomy


class ArticleListView(FilteredArticleListMixin, ListView):
    template_name = "articles/article_list.html"
    shows_featured = True


CORRECTION_SHOWN = (
    "text",
    "created_at",
    "article__slug",
    "article__title",
    "article__provider__name",
)
"""What the corrections page shows of each correction and its story."""


class CorrectionListView(ListView):
    """The latest corrections of public stories, newest first, 20 a page."""

    template_name = "articles/correction_list.html"
    context_object_name = "corrections"
    paginate_by = 20
    paginator_class = CappedPaginator

    def get_queryset(self):
        return KeptList("corrections", public_corrections, {"now": timezone.now()})


def public_story(now, slug):
    """The story page's story, if the public may see it at ``now``."""
    return Article.objects.published(now).for_detail().filter(slug=slug)


def public_corrections(now):
    """The corrections page's list at ``now``: the corrections of public stories, latest first."""
    shown = Correction.objects.public(now).select_related("article__provider")
    return shown.only(*CORRECTION_SHOWN)


class TopicDetailView(FilteredArticleListMixin, ListView):
    template_name = "articles/topic_detail.html"
    shows_featured = True
    fixed_filter = FixedFilter(name="topic", model=Topic, field="slug", stories="topics")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The taxonomy every page's navigation reads holds the parent and subtopics too.
        taxonomy = public_taxonomy(self.request)
        node = taxonomy.node(self.fixed_object)
        context.update(
            parent=taxonomy.parent_of(node) if node else None,
            subtopics=counted_nodes(node.children if node else []),
        )
        return context


class TopicIndexView(TemplateView):
    """``/topics/``: the public taxonomy as a tree, each topic with its story count."""

    template_name = "articles/topic_index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(taxonomy=counted_taxonomy(self.request), **kwargs)


class ArticleDetailView(DetailView):
    """A story page. Editors who may change stories may preview an unpublished one, never cached."""

    context_object_name = "article"

    def get_queryset(self):
        may_preview = self.request.user.has_perm("articles.change_article")
        articles = Article.objects.all() if may_preview else Article.objects.published()
        return articles.for_detail()

    def get_object(self, queryset=None):
        if self.request.user.has_perm("articles.change_article"):
            return super().get_object(queryset)
        params = {"now": timezone.now(), "slug": self.kwargs["slug"]}
        found = precompiled_rows("story", public_story, params, 0, 2)
        if len(found) != 1:
            raise Http404(f"No {Article._meta.verbose_name} found matching the query")
        return found[0]

    def get_context_data(self, **kwargs):
        url = self.request.build_absolute_uri(self.object.get_absolute_url())
        json_ld = jsonld.script(jsonld.news_article(self.object, url))
        return super().get_context_data(
            coverage=coverage_of(self.object), json_ld=json_ld, **kwargs
        )

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if not self.object.is_public():
            add_never_cache_headers(response)
            response.headers["Cache-Control"] += ", private"
        return response
