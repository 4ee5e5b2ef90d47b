"""RSS, Atom and JSON feeds of any filtered list: the list's own query string selects the stories.

Every text a feed writes passes through :func:`~articles.xmltext.xml_safe` in the
feed generators below, the one place feed text is produced, so no stored value or
query string can make the XML unwritable. Excerpts are plain text: Atom says so
(``type="text"``); RSS descriptions are HTML by convention, so they go out escaped.
Titles are plain text in every format: Atom's and JSON Feed's are text by
definition, and RSS readers render an RSS title as HTML, so it goes out escaped
too (a stored ``<b>`` shows as the characters, never as bold).
"""

from django.contrib.syndication.views import Feed
from django.core.exceptions import BadRequest
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape

from providers.models import Provider

from .clusters.public import one_per_cluster
from .filters import filter_or_400, outlet_named
from .jsonfeed import JsonFeed
from .models import Article
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


def with_corrections(story):
    """The entry's text: the excerpt, then each correction with its date (plain text)."""
    parts = [story.excerpt]
    for correction in story.corrections.all():
        parts.append(f"Correction, {correction.created_at:%Y-%m-%d %H:%M} UTC: {correction.text}")
    return "\n\n".join(part for part in parts if part)


class LatestArticlesFeed(Feed):
    feed_type = SafeRssFeed
    description_template = None

    def __call__(self, request, *args, **kwargs):
        try:
            response = super().__call__(request, *args, **kwargs)
        except BadRequest as error:
            # Said in plain words: a feed reader shows this text to its user.
            return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
        # Django dates the feed by its newest entry, and entries carry the stories' own
        # times, which an edit does not move: the body's ETag revalidates instead.
        del response.headers["Last-Modified"]
        return response

    def get_object(self, request):
        # The feed's "object" is the request's validated filters; bad values are a 400.
        stories = Article.objects.published().for_list().with_corrections()
        return filter_or_400(request, stories, collapse=one_per_cluster)

    def title(self, filters):
        values = filters.form.cleaned_data
        parts = ["Newsroom"]
        if topic := values.get("topic"):
            parts.append(topic.name)  # the filter only accepts public topics
        if outlet := values.get("provider"):
            outlets = Provider.objects.public().filter(outlet_named(outlet))
            parts.extend(outlets.values_list("name", flat=True))
        if query := values.get("q"):
            parts.append(f"“{query}”")
        return self.text(" — ".join(parts))

    def link(self, filters):
        query = filter_query(filters.data)
        return reverse("articles:list") + (f"?{query}" if query else "")

    def feed_url(self, filters):
        # The feed's self link keeps its filters: it names this very feed.
        return filters.request.get_full_path()

    def description(self, filters):
        return "Curated AI news, newest first."

    def items(self, filters):
        return filters.qs[:FEED_SIZE]

    def text(self, value):
        """Plain text as this format's readers need it: RSS readers render HTML, so escaped."""
        return escape(value)

    def item_title(self, item):
        return self.text(item.title)

    def item_description(self, item):
        return self.text(with_corrections(item))

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        # The story's own time, not when the importer or an editor last saved the row;
        # a correction is a change readers should see, so the latest one moves it.
        return max(filter(None, (item.published_at, item.last_corrected_at())))

    def item_author_name(self, item):
        return str(item.provider)

    def item_categories(self, item):
        return [topic.name for topic in item.topics.all()]


class PlainTextFeed(LatestArticlesFeed):
    """A format whose titles and summaries are plain text by definition: sent as stored."""

    def text(self, value):
        return value


class LatestArticlesAtomFeed(PlainTextFeed):
    feed_type = TextSummaryAtomFeed
    subtitle = LatestArticlesFeed.description


class LatestArticlesJsonFeed(PlainTextFeed):
    feed_type = JsonFeed

    def item_extra_kwargs(self, item):
        return {"external_url": item.web_url}
