"""A cluster's default lead follows its stories' scores, whichever way a score changes.

The lead is stored (``articles.clusters.leads``) and readers see it first; a copy
scored above it must take its place unless an editor chose the lead.
"""

import pytest

from articles import publishing
from articles.clusters import editing
from articles.ingest.importer import import_paths
from articles.models import Article, Cluster
from articles.rules.apply import apply_to_stored
from articles.rules.models import Action, Rule

from .test_clusters_admin import story_cluster

pytestmark = pytest.mark.django_db


def lead_of(story):
    return Cluster.objects.get(pk=Article.objects.get(pk=story.pk).cluster_id).lead_id


@pytest.fixture
def pair():
    """Two outlets' versions of one story; the first scored higher, so it leads."""
    first, second = story_cluster(2, quality=60, published=True)
    Article.objects.filter(pk=second.pk).update(quality=40)
    Cluster.objects.filter(pk=first.cluster_id).update(lead=first)
    return first, second


class TestTheDefaultLeadFollows:
    def test_an_editors_score(self, pair, editor):
        first, second = pair
        publishing.set_quality(Article.objects.filter(pk=second.pk), editor, 90)
        assert lead_of(first) == second.pk

    def test_a_save_through_the_form_or_the_orm(self, pair):
        first, second = pair
        story = Article.objects.get(pk=second.pk)
        story.quality = 95
        story.save()
        assert lead_of(first) == second.pk

    def test_a_rule_applied_to_stored_stories(self, pair):
        first, second = pair
        rule = Rule.objects.create(
            name="Score it",
            outlet_domain=second.provider.domain,
            action=Action.SET_QUALITY,
            action_quality=99,
        )
        apply_to_stored(rule)
        assert lead_of(first) == second.pk

    def test_the_public_list_shows_the_new_lead(self, pair, client, editor):
        first, second = pair
        publishing.set_quality(Article.objects.filter(pk=second.pk), editor, 90)
        html = client.get("/").content.decode()
        assert second.get_absolute_url() in html
        assert first.get_absolute_url() not in html

    def test_but_an_editors_chosen_lead_stays(self, pair, editor):
        first, second = pair
        editing.choose_lead(Cluster.objects.get(pk=first.cluster_id), first, editor)
        publishing.set_quality(Article.objects.filter(pk=second.pk), editor, 90)
        assert lead_of(first) == first.pk


def test_a_reimport_with_a_new_score(tmp_path):
    def write(name, outlet, quality):
        (tmp_path / f"{name}.md").write_text(
            f'---\ntitle: "Kyocera launches a printer chip ({outlet})"\n'
            'excerpt: "The chip reaches printers in spring."\n'
            f'webUrl: "https://{outlet}/kyocera"\noriginalUrl: "https://source.example/k"\n'
            "publishedDateTime: 2025-03-03T12:00:00Z\ncategory: news\ntype: article\n"
            f'provider:\n  name: "{outlet}"\n  domain: "{outlet}"\n'
            f"topics:\n  - AI\nquality: {quality}\npublished: true\n---\n",
            encoding="utf-8",
        )

    write("a", "a.example", 60)
    write("b", "b.example", 40)
    import_paths([tmp_path], workers=1)
    a, b = (Article.objects.get(web_url=f"https://{o}/kyocera") for o in ("a.example", "b.example"))
    assert a.cluster_id == b.cluster_id and lead_of(a) == a.pk
    write("b", "b.example", 90)
    import_paths([tmp_path], workers=1)
    assert lead_of(a) == b.pk
