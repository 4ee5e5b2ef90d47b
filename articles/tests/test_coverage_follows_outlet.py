"""A story's stored coverage follows a change of its outlet, on every path that makes one.

Two versions of one story from the same outlet are one outlet's coverage; when an
editor (or a changed file) gives one of them another outlet, the cluster has two,
and the story list's "also reported by", the story page and the scorecards follow.
"""

import datetime as dt

import pytest
from django.urls import reverse

from articles import history
from articles.clusters import editing
from articles.clusters.scorecards import scorecard
from articles.ingest.importer import import_paths
from articles.models import Article
from providers import figures

from .change_form import change_form_data
from .factories import ArticleFactory, ProviderFactory

pytestmark = pytest.mark.django_db

HOME = reverse("articles:list")
T0 = dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC)


@pytest.fixture
def one_outlet_twice(editor):
    """Two versions of a story by ``first.example``, clustered together by an editor."""
    first = ProviderFactory(domain="first.example", name="First")
    ProviderFactory(domain="second.example", name="Second")
    lead = ArticleFactory(provider=first, published_at=T0, title="Lead version", quality=90)
    copy = ArticleFactory(provider=first, published_at=T0 + dt.timedelta(hours=1), title="Copy")
    editing.split_off(Article.objects.filter(pk__in=[lead.pk, copy.pk]), editor)
    return Article.objects.get(pk=lead.pk), Article.objects.get(pk=copy.pk)


def coverage():
    return set(Article.objects.values_list("coverage", flat=True))


def assert_two_outlets_everywhere(client, lead, copy):
    """What readers and editors see once the copy belongs to the second outlet."""
    assert coverage() == {2}
    assert "Also reported by 1 outlet<" in client.get(HOME).content.decode()
    page = client.get(lead.get_absolute_url()).content.decode()
    assert 'id="coverage"' in page and copy.get_absolute_url() in page
    card = scorecard(lead.provider, Article.objects.all())
    assert (card["first_reports"], card["repeats"]) == (1, 0)
    figures.recount_due()
    assert lead.provider.figures.first_reports == 1
    second = ProviderFactory(domain="second.example")
    assert (second.figures.repeats, second.figures.story_total) == (1, 1)


class TestCoverageFollowsTheOutlet:
    def test_starts_as_one_outlet(self, client, one_outlet_twice):
        assert coverage() == {1}
        assert "Also reported" not in client.get(HOME).content.decode()

    def test_the_admin_form(self, client, editor_client, one_outlet_twice):
        lead, copy = one_outlet_twice
        url = reverse("admin:articles_article_change", args=[copy.pk])
        second = ProviderFactory(domain="second.example")
        data = change_form_data(editor_client.get(url), provider=str(second.pk))
        response = editor_client.post(url, data)
        assert response.status_code == 302, response.context["adminform"].form.errors
        assert_two_outlets_everywhere(client, lead, copy)

    def test_a_save_anywhere(self, client, one_outlet_twice):
        lead, copy = one_outlet_twice
        copy.provider = ProviderFactory(domain="second.example")
        copy.save()
        assert_two_outlets_everywhere(client, lead, copy)

    def test_a_reverted_version(self, client, editor, one_outlet_twice):
        """Reverting to a version under another outlet takes the coverage back too."""
        lead, copy = one_outlet_twice
        copy.provider = ProviderFactory(domain="second.example")
        copy.save()
        old = history.versions_of(copy.pk).filter(provider__domain="second.example").first()
        copy.provider = lead.provider
        copy.save()
        assert coverage() == {1}
        history.revert(copy.pk, old, editor)
        assert_two_outlets_everywhere(client, lead, copy)

    def test_the_import_of_a_changed_file(self, client, tmp_path):
        def write(name, domain, hour, title):
            (tmp_path / name).write_text(
                f'---\ntitle: "{title}"\nexcerpt: "Same event."\n'
                f'webUrl: "https://{name}.example/x"\n'
                f"publishedDateTime: 2025-03-01T0{hour}:00:00Z\n"
                "category: news\ntype: article\n"
                f'provider:\n  name: "{domain}"\n  domain: "{domain}"\n'
                "topics:\n  - AI\nquality: 50\npublished: true\n---\n",
                encoding="utf-8",
            )

        title = "Kyocera launches an AI printer chip with Synopsys partners"
        write("lead", "first.example", 1, title)
        write("copy", "first.example", 2, title)
        import_paths([tmp_path], workers=1)
        lead, copy = Article.objects.order_by("published_at")
        assert lead.cluster_id == copy.cluster_id and coverage() == {1}
        write("copy", "second.example", 2, title)
        import_paths([tmp_path], workers=1)
        copy.refresh_from_db()
        assert copy.provider.domain == "second.example"
        assert_two_outlets_everywhere(client, lead, copy)

    def test_a_deleted_story(self, editor, one_outlet_twice):
        """The cluster's other outlet goes with its only story."""
        lead, _ = one_outlet_twice
        other = ArticleFactory(provider=ProviderFactory(domain="second.example"), published_at=T0)
        editing.move_to(Article.objects.filter(pk=other.pk), lead.cluster, editor)
        assert coverage() == {2}
        Article.objects.get(pk=other.pk).delete()
        assert coverage() == {1}
