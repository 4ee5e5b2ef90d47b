"""Rules' conditions and actions, their order, and editors' decisions they never override."""

import pytest
from django.core.exceptions import ValidationError

from articles import publishing
from articles.models import Article, RuleHit
from articles.rules.engine import enabled_rules, run_rules
from articles.rules.matching import load_facts, matches
from articles.rules.patterns import PatternError, compile_pattern

from .admin_helpers import make_editor
from .factories import ArticleFactory, ProviderFactory, TopicFactory
from .rules_support import make_rule, waiting_story

pytestmark = pytest.mark.django_db


def run(*rules, stories):
    return run_rules(list(rules), [story.pk for story in stories], RuleHit.Via.APPLY)


def state_of(story):
    story.refresh_from_db()
    return story.review_state


def matched(rule, stories):
    facts = load_facts(Article.objects.filter(pk__in=[s.pk for s in stories]))
    return {f.pk for f in facts if matches(rule, f)}


class TestConditions:
    def test_outlet_domain_matches_the_domain_and_its_subdomains(self):
        """example.com catches news.example.com, not notexample.com."""
        own = waiting_story(provider=ProviderFactory(domain="example.com"))
        sub = waiting_story(provider=ProviderFactory(domain="news.example.com"))
        other = waiting_story(provider=ProviderFactory(domain="notexample.com"))
        rule = make_rule(outlet_domain="Example.com")
        assert matched(rule, [own, sub, other]) == {own.pk, sub.pk}

    def test_topic(self):
        ai, robots = TopicFactory(name="AI"), TopicFactory(name="Robots")
        tagged = waiting_story(topics=[ai, robots])
        untagged = waiting_story(topics=[robots])
        assert matched(make_rule(topic=ai), [tagged, untagged]) == {tagged.pk}

    @pytest.mark.parametrize(
        ("low", "high", "expected"),
        [(10, 20, {10, 20}), (None, 10, {5, 10}), (20, None, {20, 30}), (11, 19, set())],
    )
    def test_quality_range_is_inclusive_and_unscored_stories_are_outside(self, low, high, expected):
        stories = {q: waiting_story(quality=q) for q in (5, 10, 20, 30)}
        unscored = waiting_story(quality=None)
        rule = make_rule(quality_min=low, quality_max=high)
        found = matched(rule, [*stories.values(), unscored])
        assert found == {stories[q].pk for q in expected}

    def test_heat_range(self):
        cold, hot = waiting_story(heat=-1), waiting_story(heat=500)
        assert matched(make_rule(heat_min=100), [cold, hot]) == {hot.pk}
        assert matched(make_rule(heat_max=0), [cold, hot]) == {cold.pk}

    def test_title_pattern_is_a_case_insensitive_search(self):
        spam = waiting_story(title="Global Machine Translation MARKET at a CAGR of 19%")
        news = waiting_story(title="Translators worry about machine translation")
        rule = make_rule(title_pattern=r"\bcagr\b")
        assert matched(rule, [spam, news]) == {spam.pk}

    def test_excerpt_pattern(self):
        stub = waiting_story(excerpt="Subscribe to read the full story.")
        story = waiting_story(excerpt="The model was trained on public data.")
        assert matched(make_rule(excerpt_pattern="^subscribe"), [stub, story]) == {stub.pk}

    def test_url_pattern_looks_at_both_addresses(self):
        by_web = waiting_story(web_url="https://press.example/release/1")
        by_original = waiting_story(
            web_url="https://news.example/a", original_url="https://press.example/release/2"
        )
        neither = waiting_story(web_url="https://news.example/b")
        rule = make_rule(url_pattern=r"//press\.example/")
        assert matched(rule, [by_web, by_original, neither]) == {by_web.pk, by_original.pk}

    def test_unless_pattern_leaves_matching_stories_alone(self):
        ai = waiting_story(title="A robot learns to fold laundry", excerpt="")
        offtopic = waiting_story(title="Season 2 of a space drama", excerpt="Who survives?")
        in_excerpt = waiting_story(title="Season 3", excerpt="Its AI villain returns")
        rule = make_rule(action="hold", unless_pattern=r"\b(ai|robots?)\b")
        assert matched(rule, [ai, offtopic, in_excerpt]) == {offtopic.pk}

    def test_every_condition_given_must_hold(self):
        outlet = ProviderFactory(domain="spam.example")
        both = waiting_story(provider=outlet, title="Market report 2023-2031")
        only_outlet = waiting_story(provider=outlet, title="A real story")
        only_title = waiting_story(title="Market report 2023-2031")
        rule = make_rule(outlet_domain="spam.example", title_pattern="market report")
        assert matched(rule, [both, only_outlet, only_title]) == {both.pk}


class TestPatterns:
    def test_catastrophic_backtracking_pattern_runs_in_linear_time(self):
        """(a+)+$ hangs a backtracking engine on 'aaaa…!'; RE2 answers at once."""
        story = waiting_story(title="a" * 100_000 + "!")
        rule = make_rule(title_pattern=r"(a+)+$")
        assert matched(rule, [story]) == set()

    @pytest.mark.parametrize(
        ("pattern", "reason"),
        [
            ("(unclosed", "missing )"),
            (r"(?<=x)y", "invalid perl operator"),
            (r"(a)\1", "invalid escape sequence"),
        ],
    )
    def test_patterns_re2_cannot_run_are_refused_with_the_reason(self, pattern, reason):
        with pytest.raises(PatternError, match="Not a valid pattern") as caught:
            compile_pattern(pattern)
        assert reason in str(caught.value)
        with pytest.raises(ValidationError) as invalid:
            make_rule(title_pattern=pattern)
        assert reason in str(invalid.value.message_dict["title_pattern"])

    def test_a_lone_surrogate_in_the_text_does_not_break_matching(self):
        facts = load_facts(Article.objects.filter(pk=waiting_story(title="x").pk))[0]
        facts.title = "broken \ud800 market report"
        assert matches(make_rule(title_pattern="market report"), facts)


class TestRuleValidation:
    def test_a_rule_needs_a_condition(self):
        with pytest.raises(ValidationError, match="at least one condition"):
            make_rule()

    def test_set_quality_needs_a_score_and_add_topic_a_topic(self):
        with pytest.raises(ValidationError) as invalid:
            make_rule(action="set_quality", title_pattern="x")
        assert "action_quality" in invalid.value.message_dict
        with pytest.raises(ValidationError) as invalid:
            make_rule(action="add_topic", title_pattern="x")
        assert "action_topic" in invalid.value.message_dict

    def test_a_negative_score_is_refused(self):
        with pytest.raises(ValidationError) as invalid:
            make_rule(action="set_quality", action_quality=-1, title_pattern="x")
        assert "action_quality" in invalid.value.message_dict

    def test_a_range_upside_down_is_refused(self):
        with pytest.raises(ValidationError) as invalid:
            make_rule(quality_min=50, quality_max=10)
        assert "quality_max" in invalid.value.message_dict


class TestActions:
    @pytest.mark.parametrize(
        ("action", "state", "public"),
        [("hold", "held", False), ("reject", "rejected", False), ("publish", "published", True)],
    )
    def test_state_actions(self, action, state, public):
        story = waiting_story(title="Match me")
        counts = run(make_rule(action, title_pattern="match"), stories=[story])
        story.refresh_from_db()
        assert (story.review_state, story.decided_by, story.published) == (state, "rule", public)
        assert Article.objects.published().filter(pk=story.pk).exists() is public
        assert counts == {action: 1}

    def test_reject_takes_a_story_its_file_published_off_the_site(self):
        story = ArticleFactory(published=True, title="Market report | Major Giants")
        Article.objects.filter(pk=story.pk).update(decided_by="source")
        run(make_rule("reject", title_pattern="major giants"), stories=[story])
        assert not Article.objects.published().filter(pk=story.pk).exists()
        assert state_of(story) == "rejected"

    def test_set_quality(self):
        story = waiting_story(title="Match", quality=50)
        run(make_rule("set_quality", action_quality=0, title_pattern="match"), stories=[story])
        story.refresh_from_db()
        assert story.quality == 0
        assert story.review_state == "waiting"  # a score is not a decision to publish

    def test_add_topic_also_reaches_the_search(self):
        topic = TopicFactory(name="Chips")
        story = waiting_story(title="A new accelerator")
        rule = make_rule("add_topic", action_topic=topic, title_pattern="accelerator")
        assert run(rule, stories=[story]) == {"add_topic": 1}
        assert list(story.topics.all()) == [topic]
        assert run(rule, stories=[story]) == {}  # the topic is there: nothing to do

    def test_every_action_is_recorded_as_a_hit(self):
        story = waiting_story(title="Match")
        rule = make_rule("hold", title_pattern="match")
        run(rule, stories=[story])
        hit = story.rule_hits.get()
        assert (hit.rule, hit.action, hit.detail, hit.via) == (rule, "hold", "hold", "apply")


class TestOrder:
    def test_the_first_matching_state_rule_wins(self):
        story = waiting_story(title="Market report")
        reject = make_rule("reject", title_pattern="market", name="reject")
        hold = make_rule("hold", title_pattern="report", name="hold")
        reject.position, hold.position = 20, 10
        reject.save(), hold.save()
        assert run(*enabled_rules(), stories=[story]) == {"hold": 1}
        assert state_of(story) == "held"
        assert list(story.rule_hits.values_list("rule__name", flat=True)) == ["hold"]

    def test_ties_in_position_go_to_the_older_rule(self):
        story = waiting_story(title="Market report")
        make_rule("reject", title_pattern="market")
        make_rule("publish", title_pattern="report")
        run(*enabled_rules(), stories=[story])
        assert state_of(story) == "rejected"

    def test_scores_and_topics_combine_with_a_state(self):
        topic = TopicFactory(name="Spam")
        story = waiting_story(title="Market report", quality=60)
        rules = [
            make_rule("set_quality", action_quality=5, title_pattern="market"),
            make_rule("set_quality", action_quality=1, title_pattern="report"),
            make_rule("add_topic", action_topic=topic, title_pattern="report"),
            make_rule("hold", title_pattern="market"),
        ]
        assert run(*rules, stories=[story]) == {"set_quality": 1, "add_topic": 1, "hold": 1}
        story.refresh_from_db()
        assert (story.quality, story.review_state) == (5, "held")
        assert list(story.topics.all()) == [topic]

    def test_conditions_see_the_story_as_it_was_before_the_rules(self):
        """A score set by an earlier rule does not make a later quality rule match."""
        story = waiting_story(title="Match", quality=50)
        rules = [
            make_rule("set_quality", action_quality=0, title_pattern="match"),
            make_rule("reject", quality_max=10),
        ]
        run(*rules, stories=[story])
        assert state_of(story) == "waiting"

    def test_a_state_a_rule_gave_earlier_stays(self):
        story = waiting_story(title="Match")
        run(make_rule("hold", title_pattern="match"), stories=[story])
        assert run(make_rule("publish", title_pattern="match"), stories=[story]) == {}
        assert state_of(story) == "held"


class TestEditorsComeFirst:
    @pytest.mark.parametrize(
        "decide",
        [
            lambda stories, user: publishing.publish(stories, user),
            lambda stories, user: publishing.hold(stories, user),
            lambda stories, user: publishing.set_quality(stories, user, 77),
        ],
        ids=["published", "held", "scored"],
    )
    def test_rules_never_touch_a_story_an_editor_decided(self, decide):
        story = waiting_story(title="Match", quality=50)
        decide(Article.objects.filter(pk=story.pk), make_editor())
        before = Article.objects.values("review_state", "quality", "published").get(pk=story.pk)
        topic = TopicFactory()
        rules = [
            make_rule("reject", title_pattern="match"),
            make_rule("set_quality", action_quality=0, title_pattern="match"),
            make_rule("add_topic", action_topic=topic, title_pattern="match"),
        ]
        assert run(*rules, stories=[story]) == {}
        after = Article.objects.values("review_state", "quality", "published").get(pk=story.pk)
        assert after == before
        assert not story.rule_hits.exists()
        assert not story.topics.exists()
