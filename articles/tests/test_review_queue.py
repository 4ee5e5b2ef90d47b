"""The review queue: its order, its tabs, one-key actions with undo, all logged."""

import json

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from articles.models import Article, Cluster, RuleHit
from articles.rules.engine import run_rules

from .factories import ArticleFactory, TopicFactory
from .rules_support import make_rule, waiting_story

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:articles_queue")
ACT = reverse("admin:articles_queue_act")


def queued(response):
    return [row.story.pk for row in response.context["rows"]]


def act(client, story, action, **extra):
    response = client.post(ACT, {"story": story.pk, "action": action, **extra})
    return response.status_code, response.json()


class TestOrder:
    def test_coverage_then_quality_then_recency(self, editor_client):
        """Wide coverage first; among equals the better score, unscored last; then the newest."""
        old_low = waiting_story(quality=10)
        new_low = waiting_story(quality=10)
        unscored = waiting_story(quality=None)
        high = waiting_story(quality=90)
        widely_covered = waiting_story(quality=1)
        Article.objects.filter(pk=widely_covered.pk).update(coverage=5)
        ArticleFactory(published=True, quality=100)  # published: not in the queue
        response = editor_client.get(QUEUE)
        assert queued(response) == [widely_covered.pk, high.pk, new_low.pk, old_low.pk, unscored.pk]
        assert response.context["total"] == 5

    def test_one_row_per_cluster_its_first_story_with_the_copies_counted(self, editor_client):
        cluster = Cluster.objects.create()
        copies = [waiting_story(quality=q, cluster=cluster) for q in (40, 80, 60)]
        published_copy = ArticleFactory(published=True, cluster=cluster)
        alone = waiting_story(quality=50)
        response = editor_client.get(QUEUE)
        assert queued(response) == [copies[1].pk, alone.pk]
        assert response.context["total"] == 2 == len(queued(response))
        assert [row.story.copies for row in response.context["rows"]] == [2, 0]
        assert "(+2 copies waiting in its cluster)" in response.content.decode()
        act(editor_client, copies[1], "publish")  # the next copy takes the cluster's row
        assert queued(editor_client.get(QUEUE)) == [copies[2].pk, alone.pk]
        assert published_copy.pk not in queued(editor_client.get(QUEUE))

    def test_held_and_rejected_have_their_own_tabs_with_the_rule(self, editor_client):
        junk = waiting_story(title="Market report | Major Giants")
        rule = make_rule("reject", title_pattern="major giants", name="Market spam")
        run_rules([rule], [junk.pk], RuleHit.Via.IMPORT)
        assert queued(editor_client.get(QUEUE)) == []
        response = editor_client.get(QUEUE, {"state": "rejected"})
        assert queued(response) == [junk.pk]
        assert response.context["rows"][0].decided_by_rule.rule == rule
        assert "by rule" in response.content.decode() and "Market spam" in response.content.decode()

    def test_unknown_tab_and_page_past_the_end_are_404(self, editor_client):
        assert editor_client.get(QUEUE, {"state": "published"}).status_code == 404
        assert editor_client.get(QUEUE, {"page": "3"}).status_code == 404
        assert editor_client.get(QUEUE, {"page": "x"}).status_code == 200

    def test_queries_do_not_grow_with_the_rows(self, editor_client, django_assert_max_num_queries):
        def count():
            with django_assert_max_num_queries(12) as captured:
                assert editor_client.get(QUEUE).status_code == 200
            return len(captured)

        waiting_story()
        one = count()
        topics = TopicFactory.create_batch(3)
        for _ in range(15):
            waiting_story(topics=topics)
        rule = make_rule("hold", title_pattern="number")
        run_rules([rule], list(Article.objects.values_list("pk", flat=True)[:5]), "import")
        assert one == count()


class TestActions:
    def test_publish_hold_reject_and_quality_are_editor_decisions_logged(self, editor_client):
        stories = [waiting_story() for _ in range(4)]
        for story, action in zip(stories, ["publish", "hold", "reject"], strict=False):
            status, answer = act(editor_client, story, action)
            assert status == 200
            assert answer["previous"] == {
                "review_state": "waiting",
                "decided_by": "",
                "quality": 50,
            }
        status, answer = act(editor_client, stories[3], "quality", quality="70")
        assert (status, answer["quality"], answer["state"]) == (200, 70, "waiting")
        states = [Article.objects.get(pk=s.pk) for s in stories]
        assert [(a.review_state, a.decided_by) for a in states] == [
            ("published", "editor"),
            ("held", "editor"),
            ("rejected", "editor"),
            ("waiting", "editor"),
        ]
        assert LogEntry.objects.count() == 4
        assert Article.objects.published().get() == states[0]

    def test_undo_puts_the_story_back_and_is_logged_too(self, editor_client):
        story = waiting_story(quality=None)
        _, answer = act(editor_client, story, "reject")
        status, undone = act(editor_client, story, "undo", previous=json.dumps(answer["previous"]))
        assert (status, undone["state"]) == (200, "waiting")
        story.refresh_from_db()
        assert (story.review_state, story.decided_by, story.quality) == ("waiting", "", None)
        assert LogEntry.objects.filter(object_id=str(story.pk)).count() == 2

    @pytest.mark.parametrize(
        "extra",
        [
            {"action": "delete"},
            {"action": "quality", "quality": "abc"},
            {"action": "quality", "quality": "9999"},
            {"action": "undo", "previous": "not json"},
            {"action": "undo", "previous": json.dumps({"review_state": "gone", "decided_by": ""})},
            {
                "action": "undo",
                "previous": json.dumps(
                    {"review_state": "waiting", "decided_by": "", "quality": -1}
                ),
            },
            {
                "action": "undo",
                "previous": json.dumps(
                    {"review_state": "waiting", "decided_by": "", "quality": 2**63}
                ),
            },
        ],
    )
    def test_bad_requests_get_a_reason_and_change_nothing(self, editor_client, extra):
        story = waiting_story()
        response = editor_client.post(ACT, {"story": story.pk, **extra})
        assert response.status_code == 400
        assert response.json()["error"]
        assert Article.objects.get(pk=story.pk).decided_by == ""

    def test_only_editors_may_triage(self, client, django_user_model):
        story = waiting_story()
        clerk = django_user_model.objects.create_user(
            "clerk", password="x-long-pass", is_staff=True
        )
        client.force_login(clerk)
        assert client.get(QUEUE).status_code == 403
        assert client.post(ACT, {"story": story.pk, "action": "publish"}).status_code == 403
        assert not Article.objects.published().exists()


class TestDashboard:
    def test_the_dashboard_counts_states_and_links_the_queue(self, editor_client):
        for _ in range(3):
            waiting_story()
        held = waiting_story()
        act(editor_client, held, "hold")
        html = editor_client.get(reverse("admin:index")).content.decode()
        assert f'<a href="{QUEUE}" id="dashboard-queue"><strong>3</strong>waiting' in html
        assert "<strong>1</strong>held" in html
        assert "<strong>0</strong>rejected" in html
