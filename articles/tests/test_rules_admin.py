"""Rules in the admin: the form's reasons, the preview after saving, switching on,
applying to stored stories, and hits on the rules list and the story's pages."""

import pytest
from django.urls import reverse

from articles.models import Article, Rule, RuleHit

from .factories import ArticleFactory, TopicFactory
from .rules_support import make_rule, waiting_story

pytestmark = pytest.mark.django_db

RULES = reverse("admin:articles_rule_changelist")
ADD = reverse("admin:articles_rule_add")


def rule_form(**values):
    data = {"name": "Spam", "position": "10", "action": "reject", "note": ""}
    for name in (
        "outlet_domain",
        "title_pattern",
        "excerpt_pattern",
        "url_pattern",
        "unless_pattern",
        "quality_min",
        "quality_max",
        "heat_min",
        "heat_max",
        "action_quality",
    ):
        data[name] = ""
    return {**data, **values}


class TestRuleForm:
    def test_an_invalid_pattern_is_refused_with_the_reason(self, editor_client):
        response = editor_client.post(ADD, rule_form(title_pattern="(?<=AI)chip"))
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors
        assert "invalid perl operator" in errors["title_pattern"][0]
        assert not Rule.objects.filter(name="Spam").exists()

    def test_saving_shows_the_preview_and_leaves_the_rule_off(self, editor_client):
        spam = [waiting_story(title=f"Widget market at a CAGR of {n}%") for n in range(12)]
        editor_decided = spam[0]
        Article.objects.filter(pk=editor_decided.pk).update(decided_by="editor")
        waiting_story(title="A real story")
        response = editor_client.post(ADD, rule_form(title_pattern=r"\bcagr\b"), follow=True)
        rule = Rule.objects.get(name="Spam")
        assert response.redirect_chain[-1][0] == reverse(
            "admin:articles_rule_change", args=[rule.pk]
        )
        assert not rule.enabled
        preview = response.context["preview"]
        assert preview.count == 12
        assert preview.editor_decided == 1
        assert len(preview.sample) == 10
        assert preview.sample[0].pk == spam[-1].pk  # newest first
        html = response.content.decode()
        assert '<strong id="rule-preview-count">12</strong>' in html
        assert "switched off" in html
        assert not RuleHit.objects.exists()  # a preview changes nothing

    def test_switching_on_is_explicit(self, editor_client):
        rule = make_rule(title_pattern="x", enabled=False)
        editor_client.post(RULES, {"action": "enable_rules", "_selected_action": [rule.pk]})
        rule.refresh_from_db()
        assert rule.enabled


class TestHitsShown:
    def test_rules_list_counts_hits_in_constant_queries(
        self, editor_client, django_assert_max_num_queries
    ):
        def page_queries():
            with django_assert_max_num_queries(12) as captured:
                response = editor_client.get(RULES)
            assert response.status_code == 200
            return len(captured), response

        Rule.objects.all().delete()  # the starter rules
        busy = make_rule(title_pattern="busy", name="Busy")
        make_rule(
            title_pattern="idle", name="Idle", action="add_topic", action_topic=TopicFactory()
        )
        one, _ = page_queries()
        for story in [waiting_story(title="busy") for _ in range(4)]:
            RuleHit.objects.create(rule=busy, article=story, action="reject", via="import")
        for n in range(10):
            make_rule(title_pattern=f"more{n}", name=f"More {n}")
        many, response = page_queries()
        assert one == many
        rows = {rule.name: rule for rule in response.context["cl"].result_list}
        assert rows["Busy"].hit_count == 4
        assert rows["Idle"].hit_count == 0
        assert "never" in response.content.decode()

    def test_story_page_and_history_show_the_hits(
        self, editor_client, django_assert_max_num_queries
    ):
        story = ArticleFactory(published=False)
        url = reverse("admin:articles_article_change", args=[story.pk])
        editor_client.get(url)
        with django_assert_max_num_queries(40) as few:
            editor_client.get(url)
        rules = [make_rule(title_pattern=f"p{n}", name=f"Rule {n}") for n in range(5)]
        for rule in rules:
            RuleHit.objects.create(
                rule=rule, article=story, action="hold", detail="hold", via="import"
            )
        with django_assert_max_num_queries(40) as many:
            response = editor_client.get(url)
        assert len(few) == len(many)
        html = response.content.decode()
        assert all(f"Rule {n}</a>: hold (" in html for n in range(5))
        history = editor_client.get(reverse("admin:articles_article_history", args=[story.pk]))
        assert "Rule 3" in history.content.decode()
