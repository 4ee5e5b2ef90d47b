"""The articles app's long jobs run on the real worker: applying rules and re-clustering."""

import pytest
from django.urls import reverse

from articles.models import Article, RuleHit
from jobs.models import Job
from jobs.tests.support import run_worker

from .rules_support import make_rule, waiting_story

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

RULES = reverse("admin:articles_rule_changelist")


def apply_selected(client, rule):
    return client.post(
        RULES, {"action": "apply_to_existing", "_selected_action": [rule.pk]}, follow=True
    )


class TestApplyToStoredAsAJob:
    def test_the_action_queues_a_job_the_worker_runs_with_counts(self, editor_client):
        spam = [waiting_story(title=f"Market report {n} | Major Giants") for n in range(3)]
        real = waiting_story(title="A real story")
        rule = make_rule(title_pattern="major giants", enabled=False)

        response = apply_selected(editor_client, rule)
        job = Job.objects.get(kind="apply_rules")
        [message] = [str(m) for m in response.context["messages"]]
        assert "in the background" in message
        assert reverse("admin:jobs_job_change", args=[job.pk]) in message
        assert Article.objects.get(pk=spam[0].pk).review_state == "waiting"  # not yet

        run_worker()
        job.refresh_from_db()
        assert job.state == Job.State.SUCCEEDED, job.error
        assert job.report["summary"] == f"{rule}: 3 stored stories match; 3 actions taken."
        states = set(
            Article.objects.filter(pk__in=[s.pk for s in spam]).values_list(
                "review_state", flat=True
            )
        )
        assert states == {"rejected"}
        assert Article.objects.get(pk=real.pk).review_state == "waiting"
        assert set(RuleHit.objects.values_list("via", flat=True)) == {"apply"}

    def test_applying_again_takes_no_new_action(self, editor_client):
        waiting_story(title="Market report | Major Giants")
        rule = make_rule(title_pattern="major giants", enabled=False)
        apply_selected(editor_client, rule)
        apply_selected(editor_client, rule)
        run_worker()
        assert RuleHit.objects.count() == 1
        summaries = [job.report["summary"] for job in Job.objects.order_by("pk")]
        assert summaries[1] == f"{rule}: 1 stored stories match; 0 actions taken."


class TestReclusterAsAJob:
    def test_re_clustering_runs_from_the_jobs_page(self, editor_client, admin_user, client):
        client.force_login(admin_user)
        response = client.post(reverse("admin:jobs_job_start", args=["cluster_stories"]))
        assert response.status_code in (200, 302)
        job = Job.objects.get(kind="cluster_stories")
        run_worker()
        job.refresh_from_db()
        assert job.state == Job.State.SUCCEEDED, job.error
        assert job.report["summary"].endswith("emptied.")

    def test_an_editor_without_cluster_rights_cannot_start_it(self, client, django_user_model):
        clerk = django_user_model.objects.create_user("clerk", is_staff=True)
        client.force_login(clerk)
        response = client.post(reverse("admin:jobs_job_start", args=["cluster_stories"]))
        assert response.status_code == 403
        assert not Job.objects.exists()
