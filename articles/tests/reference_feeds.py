"""The feeds as they were built before plain rows (Django's ``Feed`` class): the reference.

``test_feeds_api_bytes`` asserts that ``articles.feeds`` answers every URL with the
same bytes as these classes. The feed generators both use are imported.
"""

from django.contrib.syndication.views import Feed
from django.core.exceptions import BadRequest
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils.html import escape

from articles import feeds
from articles.clusters.public import one_per_cluster
from articles.feeds import FEED_SIZE, SafeRssFeed, TextSummaryAtomFeed
from articles.filters import filter_or_400
from articles.jsonfeed import JsonFeed
from articles.models import Article
from articles.querystrings import filter_query


def with_corrections(story):
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
        # Unchanged by the rewrite, which gives it the filters' cleaned values.
        return feeds.LatestArticlesFeed.title(self, filters.form.cleaned_data)

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
