"""Rules at import: new stories pass through the enabled rules, the summary counts what
they did, and re-imports keep what editors (and rules) decided."""

import pytest

from articles import publishing
from articles.models import Article, RuleHit

from .admin_helpers import make_editor
from .helpers import news_text, run_import, write
from .rules_support import make_rule

pytestmark = pytest.mark.django_db

SPAM = "Speech Recognition Software Market Next Big Thing | Major Giants"
NEWS = "A speech model reads dialects it never heard"


def story(title):
    return Article.objects.get(title=title)


def import_two(folder, spam_scores=None, news_scores=None):
    write(folder, "spam.md", news_text(SPAM, "https://example.com/spam", spam_scores))
    write(folder, "news.md", news_text(NEWS, "https://example.com/news", news_scores))
    return run_import(folder)


class TestAtImport:
    def test_enabled_rules_act_on_new_stories_and_the_summary_counts_them(self, tmp_path):
        make_rule("reject", title_pattern="major giants")
        make_rule("set_quality", action_quality=90, title_pattern="dialects")
        code, out, _ = import_two(tmp_path)
        assert code == 0
        assert out.strip() == (
            "2 files: 2 created, 0 updated, 0 unchanged, 0 failed; rules: 1 rejected, 1 scored"
        )
        spam = story(SPAM)
        assert (spam.review_state, spam.decided_by, spam.published) == ("rejected", "rule", False)
        assert story(NEWS).quality == 90
        assert RuleHit.objects.filter(via="import").count() == 2

    def test_disabled_rules_do_nothing(self, tmp_path):
        make_rule("reject", title_pattern="major giants", enabled=False)
        _, out, _ = import_two(tmp_path)
        assert "rules:" not in out
        assert story(SPAM).review_state == "published"
        assert story(SPAM).decided_by == "source"

    def test_a_story_never_shows_before_the_rules_saw_it(self, tmp_path):
        """The rules run inside the batch's transaction: a dry run leaves nothing behind."""
        make_rule("reject", title_pattern="major giants")
        _, out, _ = import_two(tmp_path, spam_scores="")
        assert "1 rejected" in out
        Article.objects.all().delete()
        _, out, _ = run_import(tmp_path, dry_run=True)
        assert "rules: 1 rejected" in out
        assert not Article.objects.exists() and not RuleHit.objects.exists()

    def test_file_without_published_waits_for_an_editor(self, tmp_path):
        write(tmp_path, "a.md", news_text(scores="quality: 10"))
        run_import(tmp_path)
        article = Article.objects.get()
        assert (article.review_state, article.decided_by) == ("waiting", "")


class TestReimports:
    def change(self, folder, name, title, url, scores):
        write(folder, name, news_text(title, url, scores) + "\nchanged body\n")
        return run_import(folder)

    def test_an_editors_hold_survives_a_reimport_that_says_published(self, tmp_path):
        import_two(tmp_path, news_scores="published: false")
        publishing.hold(Article.objects.filter(title=NEWS), make_editor())
        make_rule("publish", title_pattern="dialects")
        self.change(tmp_path, "news.md", NEWS, "https://example.com/news", "published: true")
        news = story(NEWS)
        assert (news.review_state, news.decided_by, news.published) == ("held", "editor", False)
        assert not news.rule_hits.exists()

    def test_an_editors_score_is_kept_and_no_rule_touches_the_story(self, tmp_path):
        import_two(tmp_path)
        publishing.set_quality(Article.objects.filter(title=SPAM), make_editor(), 40)
        make_rule("reject", title_pattern="major giants")
        self.change(tmp_path, "spam.md", SPAM, "https://example.com/spam", "quality: 1")
        spam = story(SPAM)
        assert (spam.quality, spam.review_state, spam.decided_by) == (40, "published", "editor")
        assert not spam.rule_hits.exists()

    def test_a_rules_decision_survives_a_reimport_and_is_not_applied_twice(self, tmp_path):
        make_rule("reject", title_pattern="major giants")
        import_two(tmp_path)
        code, out, _ = self.change(
            tmp_path, "spam.md", SPAM, "https://example.com/spam", "published: true"
        )
        assert "1 updated" in out and "rules:" not in out
        assert story(SPAM).review_state == "rejected"
        assert story(SPAM).rule_hits.count() == 1

    def test_an_undecided_story_follows_its_file(self, tmp_path):
        import_two(tmp_path, news_scores="published: false")
        self.change(tmp_path, "news.md", NEWS, "https://example.com/news", "published: true")
        assert (story(NEWS).review_state, story(NEWS).decided_by) == ("published", "source")
        self.change(tmp_path, "news.md", NEWS, "https://example.com/news", "published: false")
        assert (story(NEWS).review_state, story(NEWS).decided_by) == ("waiting", "")

    def test_coverage_is_the_clusters_outlets_not_the_related_list(self, tmp_path):
        text = news_text(NEWS, "https://example.com/news").replace(
            "topics:\n",
            "related:\n"
            "  - title: Other\n    webUrl: https://other.example/1\n"
            "    provider:\n      name: Other\n      domain: other.example\n"
            "  - title: Third\n    webUrl: https://third.example/1\n"
            "    provider:\n      name: Third\n      domain: third.example\n"
            "topics:\n",
        )
        write(tmp_path, "news.md", text)
        run_import(tmp_path)
        # Related items not in the archive are no cluster members (clusters.outlets).
        assert story(NEWS).coverage == 1
