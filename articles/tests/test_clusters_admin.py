"""Editors and clusters: the coverage column and filter, the cluster page, merge, split,
move, lead choice, publish-the-lead-only, history, and query budgets."""

import datetime as dt

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from articles import history as versions
from articles.clusters.assign import cluster_new_stories
from articles.models import Article, Cluster

from .admin_helpers import CHANGELIST
from .factories import ArticleFactory, ProviderFactory

pytestmark = pytest.mark.django_db

CLUSTERS = reverse("admin:articles_cluster_changelist")
T0 = dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC)


def story_cluster(size, key="kyocera", **fields):
    """``size`` outlets' versions of one story (same original URL, different outlets)."""
    made = [
        ArticleFactory(
            title=" ".join(f"{key}{word}" for word in ("chip", "printer", "launch", "soc"))
            + f" (version {n})",
            excerpt=f"{key}report from {key}outlet.",
            web_url=f"https://outlet{n}.example/{key}",
            original_url=f"https://source.example/{key}",
            provider=ProviderFactory(domain=f"outlet{n}.example"),
            published_at=T0 + dt.timedelta(hours=n),
            **fields,
        )
        for n in range(size)
    ]
    cluster_new_stories()
    return [Article.objects.get(pk=a.pk) for a in made]


def history(article):
    return [
        entry.get_change_message()
        for entry in LogEntry.objects.filter(object_id=str(article.pk)).order_by("pk")
    ]


def act(client, url, action, pks):
    return client.post(url, {"action": action, "_selected_action": [str(pk) for pk in pks]})


class TestStoryList:
    def test_coverage_column_and_filter(self, editor_client):
        """The list shows "3 outlets" linking to the cluster; the filter narrows to those."""
        first, *_ = story_cluster(3)
        alone = ArticleFactory(title="Lonely story")
        cluster_new_stories()
        html = editor_client.get(CHANGELIST).content.decode()
        assert "3 outlets" in html and "1 outlet<" in html
        assert reverse("admin:articles_cluster_change", args=[first.cluster_id]) in html
        covered = editor_client.get(CHANGELIST, {"coverage": "yes"}).context["cl"].result_list
        assert alone not in covered and first in covered
        only = editor_client.get(CHANGELIST, {"coverage": "no"}).context["cl"].result_list
        assert list(only) == [alone]

    def test_list_budget_constant_in_rows(self, editor_client, django_assert_max_num_queries):
        """The coverage column is a subquery of the page's query: 2 and 20 rows cost the same."""
        story_cluster(2, key="a")
        editor_client.get(CHANGELIST)
        with django_assert_max_num_queries(12) as one:
            editor_client.get(CHANGELIST, {"coverage": "yes"})
        for n in range(9):
            story_cluster(2, key=f"k{n}")
        with django_assert_max_num_queries(12) as many:
            response = editor_client.get(CHANGELIST, {"coverage": "yes"})
        assert len(response.context["cl"].result_list) == 20
        assert len(one) == len(many)

    def test_split_off_and_group(self, editor_client):
        """Split a story off into its own cluster, then put it back; both are in its history."""
        first, second, third = story_cluster(3)
        act(editor_client, CHANGELIST, "split_selected", [third.pk])
        third.refresh_from_db()
        assert third.cluster_id != first.cluster_id and third.cluster_pinned
        assert any("Split off" in message for message in history(third))
        act(editor_client, CHANGELIST, "group_selected", [first.pk, third.pk])
        third.refresh_from_db()
        assert third.cluster_id == first.cluster_id
        assert any("Moved to cluster" in message for message in history(third))
        assert Cluster.objects.count() == 1


class TestClusterPages:
    def test_cluster_page_lists_stories(self, editor_client):
        """Outlet, time, quality and state of every story of the cluster."""
        first, second = story_cluster(2, quality=33)
        Article.objects.filter(pk=second.pk).update(published=False)
        page = editor_client.get(reverse("admin:articles_cluster_change", args=[first.cluster_id]))
        assert page.status_code == 200
        html = page.content.decode()
        for article in (first, second):
            assert article.title in html and article.provider.name in html
        assert "33" in html

    def test_cluster_list_budget(self, editor_client, django_assert_max_num_queries):
        story_cluster(2, key="a")
        with django_assert_max_num_queries(10) as one:
            assert editor_client.get(CLUSTERS).status_code == 200
        for n in range(19):
            story_cluster(2, key=f"k{n}")
        with django_assert_max_num_queries(10) as many:
            response = editor_client.get(CLUSTERS)
        assert len(response.context["cl"].result_list) == 20
        assert len(one) == len(many)
        assert "2 outlets" in response.content.decode()

    def test_cluster_page_budget(self, editor_client, django_assert_max_num_queries):
        first, _ = story_cluster(2, key="a")
        url = reverse("admin:articles_cluster_change", args=[first.cluster_id])
        # Warm per-process caches (content types) that an earlier test's flush may have emptied.
        editor_client.get(url)
        with django_assert_max_num_queries(14) as one:
            editor_client.get(url)
        big = story_cluster(20, key="b")
        url = reverse("admin:articles_cluster_change", args=[big[0].cluster_id])
        with django_assert_max_num_queries(14) as many:
            editor_client.get(url)
        assert len(one) == len(many)

    def test_merge(self, editor_client):
        a = story_cluster(2, key="a")
        b = story_cluster(1, key="b")
        act(editor_client, CLUSTERS, "merge_selected", [a[0].cluster_id, b[0].cluster_id])
        assert Cluster.objects.count() == 1
        assert Article.objects.filter(cluster_pinned=True).count() == 3
        assert any("Merged into" in message for message in history(b[0]))

    def test_choose_lead(self, editor_client):
        first, second = story_cluster(2, quality=50)
        cluster = Cluster.objects.get()
        assert cluster.lead_id == first.pk  # same quality: the earlier one
        url = reverse("admin:articles_cluster_change", args=[cluster.pk])
        response = editor_client.post(
            url, {"lead": second.pk, "stories-TOTAL_FORMS": "0", "stories-INITIAL_FORMS": "0"}
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        cluster.refresh_from_db()
        assert cluster.lead_id == second.pk and cluster.lead_chosen
        assert any("lead" in message for message in history(second))

    def test_publish_lead_and_hold_copies(self, editor_client):
        first, second, third = story_cluster(3, published=False)
        Cluster.objects.update(lead=second)
        act(editor_client, CLUSTERS, "publish_lead_only", [second.cluster_id])
        published = dict(Article.objects.values_list("pk", "published"))
        assert published == {first.pk: False, second.pk: True, third.pk: False}
        assert history(second)

    def test_publish_lead_holds_published_copies_in_one_action(self, editor_client):
        """Copies already public go private in the same action, each logged in its history."""
        first, second, third = story_cluster(3, published=True)
        Cluster.objects.update(lead=second)
        before = {a.pk: len(history(a)) for a in (first, third)}
        act(editor_client, CLUSTERS, "publish_lead_only", [second.cluster_id])
        published = dict(Article.objects.values_list("pk", "published"))
        assert published == {first.pk: False, second.pk: True, third.pk: False}
        assert all(len(history(a)) > before[a.pk] for a in (first, third))

    def test_publish_lead_holds_waiting_copies_and_leaves_rejected_ones(self, editor_client):
        """The copies leave the review queue (held); a rejected copy stays rejected."""
        first, second, third = story_cluster(3, published=False)
        Article.objects.filter(pk=third.pk).update(review_state="rejected")
        Cluster.objects.update(lead=second)
        act(editor_client, CLUSTERS, "publish_lead_only", [second.cluster_id])
        states = dict(Article.objects.values_list("pk", "review_state"))
        assert states == {first.pk: "held", second.pk: "published", third.pk: "rejected"}

    def test_editors_cannot_add_or_delete_clusters(self, editor_client):
        first, _ = story_cluster(2)
        assert editor_client.get(reverse("admin:articles_cluster_add")).status_code == 403
        delete = reverse("admin:articles_cluster_delete", args=[first.cluster_id])
        assert editor_client.get(delete).status_code == 403


class TestEachToolInTheStorysHistory:
    """Every cluster tool shows on each story it changed: the story's history page
    (the admin's log) and its versions page (a version whose reason says what happened)."""

    def shows(self, client, story, text, logged=None):
        """Whether the history page shows ``logged`` (by default ``text``) and a version's
        reason ``text``."""
        log = client.get(reverse("admin:articles_article_history", args=[story.pk]))
        versions = client.get(reverse("admin:articles_article_versions", args=[story.pk]))
        reasons = [row["version"].history_change_reason or "" for row in versions.context["rows"]]
        in_log = (logged or text) in log.content.decode()
        return in_log and any(text in reason for reason in reasons)

    def test_split_names_the_story_split_off_and_those_kept_apart(self, editor_client):
        first, second, third = story_cluster(3)
        act(editor_client, CHANGELIST, "split_selected", [third.pk])
        assert self.shows(editor_client, third, "Split off into cluster")
        assert self.shows(editor_client, first, "Kept apart: Split off into cluster")
        assert self.shows(editor_client, second, "Kept apart: Split off into cluster")

    def test_move(self, editor_client):
        (alone,), pair = story_cluster(1, key="a"), story_cluster(2, key="b")
        act(editor_client, CHANGELIST, "group_selected", [alone.pk, *(s.pk for s in pair)])
        assert self.shows(editor_client, alone, f"Moved to cluster {pair[0].cluster_id}.")

    def test_merge(self, editor_client):
        a, b = story_cluster(2, key="a"), story_cluster(1, key="b")
        act(editor_client, CLUSTERS, "merge_selected", [a[0].cluster_id, b[0].cluster_id])
        for story in (*a, *b):
            assert self.shows(editor_client, story, "Merged into cluster")

    def test_choosing_the_lead_names_the_new_and_the_former_lead(self, editor_client):
        first, second = story_cluster(2, quality=50)
        cluster = Cluster.objects.get()
        url = reverse("admin:articles_cluster_change", args=[cluster.pk])
        data = {"lead": second.pk, "stories-TOTAL_FORMS": "0", "stories-INITIAL_FORMS": "0"}
        assert editor_client.post(url, data).status_code == 302
        assert self.shows(editor_client, second, f"Chosen as the lead of cluster {cluster.pk}.")
        assert self.shows(editor_client, first, f"No longer the lead of cluster {cluster.pk}")

    def test_publish_the_lead_hold_the_copies(self, editor_client):
        first, second = story_cluster(2, published=True)
        Cluster.objects.update(lead=second)
        act(editor_client, CLUSTERS, "publish_lead_only", [second.cluster_id])
        cluster = second.cluster_id
        # The log names the field, as every bulk action's entry does; the version says why.
        held = f"Held as a copy of cluster {cluster}'s lead"
        assert self.shows(editor_client, first, held, logged="Changed Review state.")
        Article.objects.filter(pk=second.pk).update(published=False)
        act(editor_client, CLUSTERS, "publish_lead_only", [cluster])
        lead = f"Published as the lead of cluster {cluster}"
        assert self.shows(editor_client, second, lead, logged="Changed Published.")


class TestStoryAddedInTheAdmin:
    """A story added by hand is in a cluster at once, not only after the next import."""

    def add_story(self, client, **fields):
        from .change_form import change_form_data as posted

        data = posted(client.get(reverse("admin:articles_article_add")), **fields)
        response = client.post(reverse("admin:articles_article_add"), data)
        assert response.status_code == 302, response.context["adminform"].form.errors
        return Article.objects.get(web_url=fields["web_url"])

    def fields(self, n, **extra):
        return {
            "title": "kyocerachip kyoceraprinter kyoceralaunch kyocerasoc",
            "excerpt": "kyocerareport from kyoceraoutlet.",
            "web_url": f"https://added{n}.example/kyocera",
            "original_url": "https://source.example/kyocera",
            "type": "article",
            "published_at_0": T0.date().isoformat(),
            "published_at_1": "12:00:00",
            "provider": str(ProviderFactory(domain=f"added{n}.example").pk),
            "topics": [],
            **extra,
        }

    def test_joins_the_cluster_of_its_other_coverage(self, admin_client):
        first, second = story_cluster(2)
        added = self.add_story(admin_client, **self.fields(1))
        assert added.cluster_id == first.cluster_id == second.cluster_id
        assert Article.objects.filter(cluster_id=first.cluster_id).count() == 3

    def test_a_story_with_no_other_coverage_is_a_cluster_of_one(self, admin_client):
        story_cluster(2)
        added = self.add_story(
            admin_client,
            **self.fields(
                2,
                title="Lonely zeppelin regatta over the lake",
                excerpt="Nothing else reports it.",
                original_url="https://elsewhere.example/zeppelin",
            ),
        )
        assert added.cluster_id is not None
        assert list(Article.objects.filter(cluster_id=added.cluster_id)) == [added]

    def change_story(self, client, article, **fields):
        from .change_form import change_form_data as posted

        url = reverse("admin:articles_article_change", args=[article.pk])
        response = client.post(url, posted(client.get(url), **fields))
        assert response.status_code == 302, response.context["adminform"].form.errors
        return Article.objects.get(pk=article.pk)

    def test_a_story_edited_to_tell_another_joins_its_cluster(self, admin_client):
        """Its words changed, nothing tied it where it was: it is clustered again."""
        first, second = story_cluster(2)
        lonely = ArticleFactory(
            title="Lonely zeppelin regatta over the lake",
            excerpt="Nothing else reports it.",
            provider=ProviderFactory(domain="zeppelin.example"),
            published_at=T0,
        )
        cluster_new_stories(article_ids=[lonely.pk])
        lonely.refresh_from_db()
        assert lonely.cluster_id not in (None, first.cluster_id)
        told = self.fields(3)
        edited = self.change_story(
            admin_client,
            lonely,
            **{name: told[name] for name in ("title", "excerpt", "original_url")},
        )
        assert edited.cluster_id == first.cluster_id == second.cluster_id
        assert Article.objects.get(pk=first.pk).coverage == 3

    def test_an_edit_that_leaves_the_words_keeps_the_cluster(self, admin_client):
        (lonely,) = story_cluster(1, key="zeppelin")
        edited = self.change_story(admin_client, lonely, quality="90")
        assert (edited.quality, edited.cluster_id) == (90, lonely.cluster_id)


class TestRewrittenByHand:
    """A story whose words change through the ORM (a script, a version reverted) is
    clustered by its new words, as one changed in its form or by an import is."""

    def lonely(self, title="Lonely zeppelin regatta over the lake", domain="zeppelin.example"):
        story = ArticleFactory(
            title=title,
            excerpt="Nothing else reports the regatta of zeppelins.",
            web_url=f"https://{domain}/regatta",
            provider=ProviderFactory(domain=domain),
            published_at=T0,
        )
        cluster_new_stories(article_ids=[story.pk])
        return Article.objects.get(pk=story.pk)

    def test_a_script_saving_new_words(self):
        first, _ = story_cluster(2)
        lonely = self.lonely()
        told = TestStoryAddedInTheAdmin().fields(3)
        for name in ("title", "excerpt", "original_url"):
            setattr(lonely, name, told[name])
        lonely.save()
        assert lonely.cluster_id == first.cluster_id
        assert Article.objects.get(pk=first.pk).coverage == 3
        # The instance knows its cluster now: saving it again keeps it.
        lonely.quality = 80
        lonely.save()
        assert Article.objects.get(pk=lonely.pk).cluster_id == first.cluster_id

    def test_a_reverted_version(self, editor):
        lonely = self.lonely()
        old = versions.versions_of(lonely.pk).first()
        lonely.title = "A balloon race over the sea"
        lonely.excerpt = "Nothing else reports the race of balloons."
        lonely.save()
        # New words that match nothing: it keeps its cluster, and the cluster its id.
        assert Article.objects.get(pk=lonely.pk).cluster_id == lonely.cluster_id
        # Its stored words are the new ones: the same regatta told elsewhere is apart.
        elsewhere = self.lonely(domain="elsewhere.example")
        assert elsewhere.cluster_id != Article.objects.get(pk=lonely.pk).cluster_id
        versions.revert(lonely.pk, old, editor)
        assert Article.objects.get(pk=lonely.pk).cluster_id == elsewhere.cluster_id
