"""RSS and Atom feeds of any filtered list: the list's own query string selects the stories.

Every text a feed writes passes through :func:`~articles.xmltext.xml_safe` in the
feed generators below, the one place feed text is produced, so no stored value or
query string can make the XML unwritable. Excerpts are plain text: Atom says so
(``type="text"``); RSS descriptions are HTML by convention, so they go out escaped.
"""

from django.contrib.syndication.views import Feed
from django.core.exceptions import BadRequest
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape

from providers.models import Provider

from .filters import filter_or_400
from .models import Article, Topic
from .querystrings import filter_query
from .xmltext import xml_safe

FEED_SIZE = 30


class XmlSafeFeedMixin:
    """A feed generator that drops the characters XML 1.0 forbids from every value."""

    def __init__(self, *args, **kwargs):
        super().__init__(*map(xml_safe, args), **{k: xml_safe(v) for k, v in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*map(xml_safe, args), **{k: xml_safe(v) for k, v in kwargs.items()})


class SafeRssFeed(XmlSafeFeedMixin, Rss201rev2Feed):
    pass


class TextSummaryAtomFeed(XmlSafeFeedMixin, Atom1Feed):
    """Atom whose entry summaries are declared plain text (Django declares them HTML)."""

    def add_item_elements(self, handler, item):
        summary = item["description"]
        super().add_item_elements(handler, {**item, "description": None})
        if summary is not None:
            handler.addQuickElement("summary", summary, {"type": "text"})


class LatestArticlesFeed(Feed):
    feed_type = SafeRssFeed
    description_template = None

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except BadRequest as error:
            # Said in plain words: a feed reader shows this text to its user.
            return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")

    def get_object(self, request):
        # The feed's "object" is the request's filters; bad values are a 400.
        return request

    def title(self, request):
        parts = ["Newsroom"]
        if slug := request.GET.get("topic"):
            parts.extend(Topic.objects.public().filter(slug=slug).values_list("name", flat=True))
        if domain := request.GET.get("provider", "").strip().lower():
            outlets = Provider.objects.public().filter(domain=domain)
            parts.extend(outlets.values_list("name", flat=True))
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
        return filter_or_400(request.GET, Article.objects.published().for_list())[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # An RSS reader renders the description as HTML: escaped, the excerpt shows as text.
        return escape(item.excerpt)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return str(item.provider)

    def item_categories(self, item):
        return [topic.name for topic in item.topics.all()]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = TextSummaryAtomFeed
    subtitle = LatestArticlesFeed.description

    def item_description(self, item):
        return item.excerpt
