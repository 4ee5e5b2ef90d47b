"""RSS and Atom feeds of any filtered list: the list's own query string selects the stories."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from providers.models import Provider

from .clusters.public import one_per_cluster
from .filters import filter_or_400, filter_query
from .models import Topic

FEED_SIZE = 30


class LatestArticlesFeed(Feed):
    description_template = None

    def get_object(self, request):
        # The feed's "object" is the request's filters; bad values are a 400.
        return request

    def title(self, request):
        parts = ["Newsroom"]
        if slug := request.GET.get("topic"):
            parts.extend(Topic.objects.filter(slug=slug).values_list("name", flat=True))
        if domain := request.GET.get("provider", "").strip().lower():
            parts.extend(Provider.objects.filter(domain=domain).values_list("name", flat=True))
        if request.GET.get("q"):
            parts.append(f"“{request.GET['q']}”")
        return " — ".join(parts)

    def link(self, request):
        query = filter_query(request.GET)
        return reverse("articles:list") + (f"?{query}" if query else "")

    def feed_url(self, request):
        # The feed's self link keeps its filters: it names this very feed.
        return request.get_full_path()

    def description(self, request):
        return "Curated AI news, newest first."

    def items(self, request):
        return one_per_cluster(filter_or_400(request.GET))[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.excerpt

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return str(item.provider)

    def item_categories(self, item):
        return [topic.name for topic in item.topics.all()]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description
