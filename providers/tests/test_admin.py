"""The outlets' admin: search, story counts without a query per row."""

import pytest
from django.urls import reverse

from articles.tests.factories import ArticleFactory, ProviderFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:providers_provider_changelist")


def rows(response):
    return {
        p.domain: (p.figures.story_total, p.figures.published_total)
        for p in response.context["cl"].result_list
    }


class TestProviderList:
    def test_story_counts(self, editor_client, recounted):
        """Each outlet shows how many stories it has, and how many are published."""
        busy = ProviderFactory(domain="busy.example")
        ProviderFactory(domain="q.example")
        ArticleFactory.create_batch(3, provider=busy, published=True)
        ArticleFactory(provider=busy, published=False)
        recounted()
        response = editor_client.get(CHANGELIST)
        assert rows(response) == {"busy.example": (4, 3), "q.example": (0, 0)}

    def test_sort_by_story_count(self, editor_client, recounted):
        """The stories column sorts."""
        one, two = ProviderFactory(name="A"), ProviderFactory(name="B")
        ArticleFactory(provider=one)
        ArticleFactory.create_batch(2, provider=two)
        recounted()
        response = editor_client.get(CHANGELIST, {"o": "-3"})
        assert [p.pk for p in response.context["cl"].result_list] == [two.pk, one.pk]

    def test_search_by_name_and_domain(self, editor_client):
        """Search matches the outlet's name or domain."""
        ProviderFactory(name="Gazette", domain="gazette.example")
        ProviderFactory(name="Other", domain="other.example")
        assert set(rows(editor_client.get(CHANGELIST, {"q": "gazette"}))) == {"gazette.example"}
        assert set(rows(editor_client.get(CHANGELIST, {"q": "other.ex"}))) == {"other.example"}

    def test_one_and_twenty_outlets_cost_the_same(
        self, editor_client, django_assert_max_num_queries, recounted
    ):
        """The figures come joined to the page's one query: 1 and 20 outlets, same queries."""
        ArticleFactory(provider=ProviderFactory())
        recounted()
        # Session, user, the user's and the group's permissions, COUNT of the
        # result and of the whole table, the page with its stored figures.
        with django_assert_max_num_queries(7) as one:
            editor_client.get(CHANGELIST)
        for _ in range(19):
            ArticleFactory(provider=ProviderFactory())
        recounted()
        with django_assert_max_num_queries(7) as many:
            editor_client.get(CHANGELIST)
        assert len(one) == len(many)

    def test_change_form(self, editor_client):
        """The outlet form opens, with its source bookkeeping read-only."""
        provider = ProviderFactory()
        response = editor_client.get(reverse("admin:providers_provider_change", args=[provider.pk]))
        assert response.status_code == 200
        assert "source_file" not in response.context["adminform"].form.fields
