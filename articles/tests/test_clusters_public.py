"""Readers and clusters: one card per cluster, coverage, feeds, the API, unpublished copies."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from articles.clusters.assign import cluster_new_stories
from articles.models import Article, Cluster

from .factories import ArticleFactory, ProviderFactory, TopicFactory
from .public_support import NAV_QUERIES, full_story

pytestmark = pytest.mark.django_db

HOME = reverse("articles:list")
T0 = dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC)


def copies(count, *, title="Kyocera launches an AI printer chip with Synopsys", **fields):
    """``count`` outlets' versions of one story (one URL in different forms)."""
    made = []
    for n in range(count):
        made.append(
            ArticleFactory(
                title=title,
                web_url=f"https://outlet{n}.example/kyocera",
                original_url="https://www.kyocera.example/news/printer-soc?utm_source=x"
                if n
                else "https://kyocera.example/news/printer-soc",
                provider=ProviderFactory(domain=f"outlet{n}.example", name=f"Outlet {n}"),
                published_at=T0 + dt.timedelta(hours=n),
                **fields,
            )
        )
    cluster_new_stories()
    return made


def titles(response):
    return [article.title for article in response.context["articles"]]


class TestOneCardPerCluster:
    def test_list_shows_the_lead_once_with_the_count(self, client):
        """Three outlets, one card: the lead, "also reported by 2 outlets"."""
        first, *others = copies(3, quality=40)
        ArticleFactory(title="Another story", published_at=T0 - dt.timedelta(days=1))
        cluster_new_stories()
        response = client.get(HOME)
        assert titles(response).count(first.title) == 1
        assert "Another story" in titles(response)
        html = response.content.decode()
        assert "Also reported by 2 outlets" in html
        shown = next(a for a in response.context["articles"] if a.title == first.title)
        first.refresh_from_db()
        assert shown.pk == first.cluster.lead_id

    def test_best_published_stands_in_for_an_unpublished_lead(self, client):
        lead, second, third = copies(3)
        Cluster.objects.update(lead=lead, lead_chosen=True)
        Article.objects.filter(pk=lead.pk).update(published=False)
        Article.objects.filter(pk=third.pk).update(quality=99)
        response = client.get(HOME)
        assert [a.pk for a in response.context["articles"]] == [third.pk]
        # The unpublished copy is not counted: only the second outlet remains.
        assert "Also reported by 1 outlet<" in response.content.decode()

    def test_unpublished_copies_never_show(self, client):
        """Not as a card, not as coverage, not in the count."""
        shown, hidden = copies(2)
        Article.objects.filter(pk=hidden.pk).update(published=False, title="Held copy")
        html = client.get(HOME).content.decode()
        assert "Also reported" not in html and "Held copy" not in html
        page = client.get(shown.get_absolute_url()).content.decode()
        assert "Held copy" not in page and 'id="coverage"' not in page

    def test_story_page_lists_the_coverage(self, client):
        first, second = copies(2)
        page = client.get(first.get_absolute_url()).content.decode()
        assert 'id="coverage"' in page
        assert second.get_absolute_url() in page
        assert 'href="https://www.kyocera.example/news/printer-soc?utm_source=x"' in page

    def test_filters_pick_the_matching_copy(self, client):
        """On a topic page the cluster shows through the copy that has the topic."""
        topic = TopicFactory(slug="printers")
        first, second = copies(2, quality=10)
        second.topics.add(topic)
        response = client.get(reverse("articles:topic", kwargs={"slug": "printers"}))
        assert [a.pk for a in response.context["articles"]] == [second.pk]

    def test_query_count_stays_flat(self, client, django_assert_num_queries):
        """Clusters cost no query: 1 and 20 cards (each of 2 outlets) take the list's budget."""
        topic = TopicFactory()
        full_story(topics=[topic])
        cluster_new_stories()
        # As the plain list: count, page, topics, images, the form's type and outlet choices,
        # the navigation (the form's topics too), the featured stories.
        budget = 7 + NAV_QUERIES
        with django_assert_num_queries(budget):
            client.get(HOME)
        for n in range(19):
            for outlet in range(2):
                full_story(
                    title=" ".join(f"word{n}x{i}" for i in range(6)),
                    web_url=f"https://o{outlet}.example/{n}",
                    original_url=f"https://source.example/{n}",
                    provider=ProviderFactory(domain=f"o{outlet}.example"),
                    topics=[topic],
                )
        cluster_new_stories()
        with django_assert_num_queries(budget):
            assert len(client.get(HOME).context["articles"]) == 20


class TestStoryPageQueries:
    def test_coverage_costs_one_query_whatever_its_length(self, client, django_assert_num_queries):
        """The story's own budget (test_public_story) plus one for its coverage."""
        small, _ = copies(2)
        with django_assert_num_queries(6 + NAV_QUERIES):
            client.get(small.get_absolute_url())
        Article.objects.all().delete()
        big, *others = copies(12)
        with django_assert_num_queries(6 + NAV_QUERIES):
            page = client.get(big.get_absolute_url()).content.decode()
        assert all(other.get_absolute_url() in page for other in others)


class TestMachines:
    def test_feed_one_entry_per_cluster(self, client):
        first, _, _ = copies(3)
        body = client.get(reverse("articles:feed-rss")).content.decode()
        assert body.count("<item>") == 1

    def test_api_keeps_one_item_per_story(self, client):
        copies(3)
        items = json.loads(client.get("/api/news/").content)["value"]
        assert len(items) == 3
        collapsed = json.loads(client.get("/api/news/", {"collapse": "clusters"}).content)
        assert len(collapsed["value"]) == 1
        assert set(collapsed["value"][0]) == set(items[0])  # the same item shape
