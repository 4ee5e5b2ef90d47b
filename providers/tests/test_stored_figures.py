"""The stored outlet figures equal a count from scratch after every kind of change.

Each change must mark the outlets it touches (and only those rows wait), and the
recount the worker runs must then give exactly the reference (``reference.py``).
"""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles import publishing
from articles.clusters import editing
from articles.ingest.importer import import_paths
from articles.models import Article, Cluster
from articles.rules.apply import apply_to_stored
from articles.rules.models import Action, Rule
from articles.tests.factories import ArticleFactory, ProviderFactory
from providers import figures
from providers.models import OutletFigures, Provider
from providers.tasks import recount_outlets

from .reference import T0, reference_rows, stored_rows

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:providers_provider_changelist")


def waiting():
    """The domains of the outlets whose figures await a recount."""
    return set(figures.due().values_list("provider__domain", flat=True))


def assert_counted_right():
    figures.recount_due()
    assert not waiting()
    assert stored_rows() == reference_rows(Provider.objects.all())


@pytest.fixture
def counted(newsroom):
    """The newsroom, counted: nothing waits."""
    assert_counted_right()
    return newsroom


def of(domain, hours):
    return Article.objects.get(provider__domain=domain, published_at=T0 + dt.timedelta(hours=hours))


class TestEveryChangeIsCounted:
    def test_publish_and_unpublish(self, counted, editor):
        """An editor's decision marks the story's outlet and its cluster's outlets."""
        story = of("a.example", 0)  # in the cluster "tie" with b and c
        publishing.unpublish(Article.objects.filter(pk=story.pk), editor)
        assert waiting() == {"a.example", "b.example", "c.example"}
        assert_counted_right()
        publishing.publish(Article.objects.filter(pk=story.pk), editor)
        assert_counted_right()

    def test_quality(self, counted, editor):
        publishing.set_quality(Article.objects.filter(pk=of("c.example", 5).pk), editor, 77)
        assert "c.example" in waiting()
        assert_counted_right()
        story = of("b.example", 2)
        story.quality = None  # a list edit or the form: a save through the ORM
        story.save(update_fields=["quality"])
        assert "b.example" in waiting()
        assert_counted_right()

    def test_schedule(self, counted, editor):
        story = Article.objects.filter(provider__domain="b.example", published=True).first()
        later = timezone.now() + dt.timedelta(days=1)
        publishing.schedule(Article.objects.filter(pk=story.pk), editor, later, None)
        assert_counted_right()

    def test_a_time_passing_changes_the_share_published(
        self, counted, editor, monkeypatch, django_capture_on_commit_callbacks
    ):
        """The row keeps the next scheduled time, a recount is queued for then, and from
        then on the row waits for it."""
        story = Article.objects.filter(provider__domain="b.example", published=True).first()
        soon = timezone.now() + dt.timedelta(hours=1)
        publishing.schedule(Article.objects.filter(pk=story.pk), editor, soon, None)
        with django_capture_on_commit_callbacks(execute=True):
            assert_counted_right()
        assert OutletFigures.objects.get(provider__domain="b.example").valid_until == soon
        assert DBTaskResult.objects.filter(run_after=soon).count() == 1
        moved = soon + dt.timedelta(seconds=1)
        monkeypatch.setattr(timezone, "now", lambda: moved)
        assert waiting() == {"b.example"}
        assert_counted_right()
        assert OutletFigures.objects.get(provider__domain="b.example").valid_until is None

    def test_a_title_changes_nothing(self, counted):
        story = of("a.example", 9)
        story.title = "A new title"
        story.save()
        assert not waiting()

    def test_cluster_tools(self, counted, editor):
        """Move, split, merge: every outlet of each cluster involved waits."""
        lone = of("a.example", 9)
        editing.move_to(Article.objects.filter(pk=lone.pk), of("c.example", 200).cluster, editor)
        assert waiting() == {"a.example", "b.example", "c.example"}
        assert_counted_right()
        editing.split_off(Article.objects.filter(pk=of("b.example", 2).pk), editor)
        assert_counted_right()
        editing.merge(Cluster.objects.filter(stories__provider__domain="b.example"), editor)
        assert_counted_right()

    def test_recluster(self, counted):
        call_command("cluster_stories", verbosity=0)
        assert_counted_right()

    def test_outlet_changed_by_a_save(self, counted):
        """The old outlet loses the story, the new one gains it, the cluster's follow."""
        story = of("a.example", 500)  # unclustered
        story.provider = Provider.objects.get(domain="empty.example")
        story.save()
        assert waiting() == {"a.example", "empty.example"}
        assert_counted_right()

    def test_deleted(self, counted):
        of("c.example", 200).delete()
        assert waiting() == {"a.example", "b.example", "c.example"}
        assert_counted_right()

    def test_rule_applied_to_stored_stories(self, counted):
        rule = Rule.objects.create(
            name="Score b", outlet_domain="b.example", action=Action.SET_QUALITY, action_quality=3
        )
        apply_to_stored(rule)
        assert "b.example" in waiting()
        assert_counted_right()

    def test_import(self, counted, tmp_path):
        """A new file, then the same story moved to another outlet by a changed file."""

        def write(domain):
            (tmp_path / "story.md").write_text(
                '---\ntitle: "Robots learn to fold laundry"\nexcerpt: "A lab shows it."\n'
                'webUrl: "https://new.example/robots"\npublishedDateTime: 2025-03-03T12:00:00Z\n'
                f'category: news\ntype: article\nprovider:\n  name: "N"\n  domain: "{domain}"\n'
                "topics:\n  - AI\nquality: 50\npublished: true\n---\n",
                encoding="utf-8",
            )

        write("new.example")
        import_paths([tmp_path], workers=1)
        assert "new.example" in waiting()
        assert_counted_right()
        write("c.example")
        import_paths([tmp_path], workers=1)
        assert {"new.example", "c.example"} <= waiting()
        assert_counted_right()

    def test_a_new_outlet_is_counted(self, counted):
        ProviderFactory(domain="fresh.example")
        assert waiting() == {"fresh.example"}
        assert_counted_right()


class TestRecountIsQueued:
    def test_once_the_change_commits(self, counted, editor, django_capture_on_commit_callbacks):
        """One task for a change; a second change while the outlets wait queues none."""
        stories = Article.objects.filter(provider__domain="a.example")
        before = DBTaskResult.objects.count()
        with django_capture_on_commit_callbacks(execute=True):
            publishing.set_quality(stories, editor, 11)
        with django_capture_on_commit_callbacks(execute=True):
            publishing.set_quality(stories, editor, 12)
        assert DBTaskResult.objects.count() == before + 1
        recount_outlets.call()
        assert stored_rows() == reference_rows(Provider.objects.all())

    def test_the_admin_action(self, counted, editor_client, django_capture_on_commit_callbacks):
        outlet = Provider.objects.get(domain="a.example")
        data = {"action": "recount_figures", "_selected_action": [outlet.pk]}
        with django_capture_on_commit_callbacks(execute=True):
            response = editor_client.post(CHANGELIST, data, follow=True)
        assert "will be recounted" in response.content.decode()
        assert waiting() == {"a.example"}


class TestAfterMigrate:
    """Upgrading (the migration leaves every outlet waiting) needs no command by hand."""

    def recount_tasks(self):
        return DBTaskResult.objects.filter(task_path=recount_outlets.module_path).count()

    def test_migrate_queues_the_recount_of_waiting_outlets(self, counted):
        ProviderFactory(domain="upgraded.example")
        before = self.recount_tasks()
        call_command("migrate", verbosity=0)
        assert self.recount_tasks() == before + 1

    def test_migrate_queues_nothing_when_every_outlet_is_counted(self, counted):
        figures.recount_due()
        before = self.recount_tasks()
        call_command("migrate", verbosity=0)
        assert self.recount_tasks() == before


class TestTheListSaysWhatWaits:
    def test_waiting_rows_say_so(self, counted, editor_client, editor):
        publishing.publish(Article.objects.filter(provider__domain="b.example"), editor)
        rows = editor_client.get(CHANGELIST, {"q": "b.example"}).content.decode()
        assert "recount waiting since" in rows
        figures.recount_due()
        rows = editor_client.get(CHANGELIST, {"q": "b.example"}).content.decode()
        assert "recount waiting since" not in rows and "counted " in rows

    def test_queries_do_not_grow_with_outlets_or_stories(
        self, counted, editor_client, django_assert_max_num_queries
    ):
        """Sorted by a figure: 7 queries (session, user, permissions, two COUNTs, the page)."""
        with django_assert_max_num_queries(7) as few:
            editor_client.get(CHANGELIST, {"o": "-5"})
        for n in range(20):
            ArticleFactory.create_batch(3, provider=ProviderFactory(domain=f"many{n}.example"))
        figures.recount_due()
        with django_assert_max_num_queries(7) as many:
            editor_client.get(CHANGELIST, {"o": "-5"})
        assert len(few) == len(many)
