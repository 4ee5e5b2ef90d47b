"""RSS, Atom and JSON feeds of any filtered list: the list's own query string selects the stories.

Every text a feed writes passes through :func:`~articles.xmltext.xml_safe` in the
feed generators below, the one place feed text is produced, so no stored value or
query string can make the XML unwritable. Excerpts are plain text: Atom says so
(``type="text"``); RSS descriptions are HTML by convention, so they go out escaped.
Titles are plain text in every format: Atom's and JSON Feed's are text by
definition, and RSS readers render an RSS title as HTML, so it goes out escaped
too (a stored ``<b>`` shows as the characters, never as bold).

Built without Django's ``Feed`` class: its per-item attribute lookups over model
instances and prefetches cost more than the feed's three queries (the stories with
their outlet, their topics, their corrections), so the generators below are fed
plain rows directly, in the same calls ``Feed.get_feed`` made.
"""

import io
import re
from functools import partial

from django.contrib.sites.shortcuts import get_current_site
from django.contrib.syndication.views import add_domain
from django.core.exceptions import BadRequest
from django.http import HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.urls.converters import SlugConverter
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import get_language

from providers.models import Provider

from . import keptlists, plainrows
from .clusters.public import one_per_cluster
from .filters import filter_or_400, outlet_named, sets_no_filter
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


ENTRY_COLUMNS = (
    "pk",
    "slug",
    "title",
    "excerpt",
    "published_at",
    "web_url",
    "provider__name",
    "provider__domain",
)
"""What an entry reads of its story's row and its outlet's."""

DESCRIPTION = "Curated AI news, newest first."


_SLUG = re.compile(SlugConverter.regex)


def story_paths():
    """A function giving each story's page path as ``reverse()`` does, reversed once.

    ``reverse()`` cost more than the rest of an entry; for a slug the URL's converter
    accepts it writes the slug as it is between the same two parts. Any other slug
    still goes through ``reverse()`` (which refuses it, as it did).
    """
    mark = "slug"
    before, _, after = reverse("articles:detail", kwargs={"slug": mark}).rpartition(mark)

    def story_path(slug):
        if _SLUG.fullmatch(slug):
            return f"{before}{slug}{after}"
        return reverse("articles:detail", kwargs={"slug": slug})

    return story_path


def with_corrections(excerpt, corrections):
    """The entry's text: the excerpt, then each correction with its date (plain text)."""
    parts = [excerpt]
    for text, created_at in corrections:
        parts.append(f"Correction, {created_at:%Y-%m-%d %H:%M} UTC: {text}")
    return "\n\n".join(part for part in parts if part)


class LatestArticlesFeed:
    """The list's stories as RSS; one entry per cluster, the public ones only."""

    feed_type = SafeRssFeed
    subtitle = None

    def __call__(self, request):
        try:
            feed = self.feed(request, *self.entries(request))
        except BadRequest as error:
            # Said in plain words: a feed reader shows this text to its user.
            return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
        # No Last-Modified: entries carry the stories' own times, which an edit does
        # not move, so the body's ETag revalidates instead. The text is written in
        # memory and encoded once: each of the XML writer's many small writes cost
        # more on a response than the text itself.
        text = io.StringIO()
        feed.write(text, "utf-8")
        return HttpResponse(text.getvalue(), content_type=feed.content_type)

    def entries(self, request):
        """The feed's rows (``ENTRY_COLUMNS``) and the filters' cleaned values.

        From SQL kept compiled where the filters set fix its shape (no form at all
        when none is set: ``articles.keptlists``), else through the ORM.
        """
        now = timezone.now()
        if sets_no_filter(request.GET):
            cleaned, kept = {}, ({}, "")
        else:
            collapse = partial(one_per_cluster, now=now)
            filters = filter_or_400(request, Article.objects.published(now), collapse=collapse)
            cleaned = filters.form.cleaned_data
            kept = keptlists.kept_values(cleaned)
        if kept is None:
            return list(filters.qs.values_list(*ENTRY_COLUMNS, named=True)[:FEED_SIZE]), cleaned
        values, sort = kept
        rows = keptlists.story_rows(
            "feed:stories", ENTRY_COLUMNS, now, values, 0, FEED_SIZE, sort=sort, collapse=True
        )
        return rows, cleaned

    def feed(self, request, rows, values):
        """The generator, filled as ``Feed.get_feed`` filled it (the same arguments)."""
        domain, secure = get_current_site(request).domain, request.is_secure()
        query = filter_query(request.GET)
        list_link = reverse("articles:list") + (f"?{query}" if query else "")
        feed = self.feed_type(
            title=self.title(values),
            subtitle=self.subtitle,
            link=add_domain(domain, list_link, secure),
            description=DESCRIPTION,
            language=get_language(),
            # The feed's self link keeps its filters: it names this very feed.
            feed_url=add_domain(domain, request.get_full_path(), secure),
        )
        ids = [row.pk for row in rows]
        topics, corrections = plainrows.topic_names(ids), plainrows.corrections(ids)
        story_path = story_paths()
        for row in rows:
            link = add_domain(domain, story_path(row.slug), secure)
            fixes = corrections.get(row.pk, ())
            # The story's own time, not when the importer or an editor last saved the row;
            # a correction is a change readers should see, so the latest one moves it.
            updated = max((row.published_at, *(created_at for _, created_at in fixes)))
            feed.add_item(
                title=self.text(row.title),
                link=link,
                description=self.text(with_corrections(row.excerpt, fixes)),
                unique_id=link,
                pubdate=row.published_at,
                updateddate=updated,
                author_name=row.provider__name or row.provider__domain,  # str(Provider)
                categories=topics.get(row.pk, ()),
                **self.extra(row),
            )
        return feed

    def title(self, values):
        """The feed's title from the filters' cleaned values (none: the whole list's)."""
        parts = ["Newsroom"]
        if topic := values.get("topic"):
            parts.append(topic.name)  # the filter only accepts public topics
        if outlet := values.get("provider"):
            outlets = Provider.objects.public().filter(outlet_named(outlet))
            parts.extend(outlets.values_list("name", flat=True))
        if query := values.get("q"):
            parts.append(f"“{query}”")
        return self.text(" — ".join(parts))

    def text(self, value):
        """Plain text as this format's readers need it: RSS readers render HTML, so escaped."""
        return escape(value)

    def extra(self, row):
        """What this format's entries carry beyond the common arguments."""
        return {}


class PlainTextFeed(LatestArticlesFeed):
    """A format whose titles and summaries are plain text by definition: sent as stored."""

    def text(self, value):
        return value


class LatestArticlesAtomFeed(PlainTextFeed):
    feed_type = TextSummaryAtomFeed
    subtitle = DESCRIPTION


class LatestArticlesJsonFeed(PlainTextFeed):
    feed_type = JsonFeed

    def extra(self, row):
        return {"external_url": row.web_url}
