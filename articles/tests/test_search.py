"""Search: one interface on both backends; ranked full-text search on PostgreSQL."""

import hashlib

import pytest
from django.db import connection

from articles import search
from articles.models import Article, Topic
from articles.search import (
    MARK_START,
    MARK_STOP,
    order_matches,
    safe_headline,
    search_articles,
)

from .factories import ArticleFactory, ProviderFactory, TopicFactory
from .helpers import news_text, run_import, write

pytestmark = pytest.mark.django_db


def found(query, queryset=None, **options):
    queryset = Article.objects.all() if queryset is None else queryset
    return list(search_articles(queryset, query, **options).values_list("title", flat=True))


class TestSearchInterface:
    """What every caller may rely on, whichever database is underneath."""

    def test_every_word_must_match_somewhere(self):
        """Title, excerpt, outlet and topic names all count; every word must be found."""
        robots = TopicFactory(name="Robotics")
        ArticleFactory(title="Chips get faster", excerpt="A new design.", topics=[robots])
        ArticleFactory(
            title="Unrelated", excerpt="Nothing here.", provider=ProviderFactory(name="Chipworld")
        )
        assert found("chips") == ["Chips get faster"]
        assert found("robotics design") == ["Chips get faster"]
        assert found("chipworld") == ["Unrelated"]
        assert found("chips nothing") == []

    def test_an_empty_query_changes_nothing(self):
        """A blank ``q`` is no search: the queryset comes back as it was."""
        ArticleFactory.create_batch(2)
        queryset = Article.objects.published()
        assert search_articles(queryset, "  ") is queryset

    def test_results_carry_rank_and_headlines(self):
        """``rank``, ``headline`` and ``title_headline`` exist on both backends."""
        ArticleFactory(title="Quantum chips", excerpt="Quantum chips are here.")
        story = search_articles(Article.objects.all(), "quantum").get()
        assert story.rank > 0
        if connection.vendor == "postgresql":
            assert MARK_START in story.headline and MARK_START in story.title_headline
        else:
            assert story.headline is None and story.title_headline is None

    def test_ranked_order_puts_title_matches_first(self):
        """``order_by_rank``: a story with the word in its title beats one with it below."""
        ArticleFactory(title="Weather report", excerpt="Drones deliver the forecast.")
        ArticleFactory(title="Drones deliver parcels", excerpt="In three cities.")
        assert found("drones", order_by_rank=True) == ["Drones deliver parcels", "Weather report"]

    def test_results_keep_the_querysets_order(self):
        """Without ``order_by_rank``: newest first (the model's order), or the caller's."""
        ArticleFactory(title="Drones old", quality=90)
        ArticleFactory(title="Drones new", quality=10)
        assert found("drones") == ["Drones new", "Drones old"]
        by_quality = Article.objects.order_by("-quality")
        assert found("drones", by_quality) == ["Drones old", "Drones new"]
        matches = search_articles(Article.objects.all(), "drones")
        assert list(order_matches(matches, "quality").values_list("title", flat=True)) == [
            "Drones new",
            "Drones old",
        ]

    def test_only_the_given_queryset_is_searched(self):
        """Searching the published stories never brings back an unpublished one."""
        ArticleFactory(title="Secret drone project", published=False)
        ArticleFactory(title="Public drone project")
        assert found("drone", Article.objects.published()) == ["Public drone project"]
        assert found("secret", Article.objects.published(), order_by_rank=True) == []


class TestSafeHeadline:
    """Headlines are shown as HTML: only the match marks may be markup."""

    def test_escapes_everything_but_the_marks(self):
        raw = f"<script>alert(1)</script> {MARK_START}robots{MARK_STOP} & more"
        assert safe_headline(raw) == (
            "&lt;script&gt;alert(1)&lt;/script&gt; <mark>robots</mark> &amp; more"
        )

    def test_none_stays_none(self):
        """No headline (SQLite) is not turned into the text "None"."""
        assert safe_headline(None) is None


@pytest.mark.postgres
class TestFullTextSearch:
    """PostgreSQL: stemming, weights, highlighting, and only what the queryset allows."""

    def test_a_title_match_beats_an_excerpt_match(self):
        """Weight A (title) outranks weight B (excerpt), whatever the dates say."""
        ArticleFactory(title="Markets today", excerpt="Regulators look at chatbots.")
        ArticleFactory(title="Chatbots everywhere", excerpt="A survey of the field.")
        results = list(search_articles(Article.objects.all(), "chatbots", order_by_rank=True))
        assert [r.title for r in results] == ["Chatbots everywhere", "Markets today"]
        assert results[0].rank > results[1].rank

    def test_an_excerpt_match_beats_a_topic_match(self):
        """Weight B (excerpt) outranks weight C (outlet and topic names)."""
        ArticleFactory(title="One", excerpt="Nothing to see.", topics=[TopicFactory(name="Vision")])
        ArticleFactory(title="Two", excerpt="Computer vision improves.")
        assert found("vision", order_by_rank=True) == ["Two", "One"]

    def test_english_stemming(self):
        """ "recognize" finds "recognition", a plural the singular; short stems stay exact."""
        ArticleFactory(title="Facial recognition is too young to trust")
        ArticleFactory(title="A robot learns to walk")
        ArticleFactory(title="Air traffic control")
        assert found("recognize") == ["Facial recognition is too young to trust"]
        assert found("recognized") == ["Facial recognition is too young to trust"]
        assert found("robots") == ["A robot learns to walk"]
        assert found("ai") == []

    def test_the_very_word_ranks_above_a_shared_stem(self):
        """Of two title matches, the one with the searched word itself comes first."""
        ArticleFactory(title="Recognition at scale")
        ArticleFactory(title="Systems that recognize faces")
        assert found("recognize", order_by_rank=True) == [
            "Systems that recognize faces",
            "Recognition at scale",
        ]

    def test_unpublished_stories_never_appear(self):
        """Through ``published()``, a draft is never found, ranked or not."""
        ArticleFactory(title="Recognition draft", published=False)
        ArticleFactory(title="Recognition story")
        for order_by_rank in (False, True):
            assert found(
                "recognition", Article.objects.published(), order_by_rank=order_by_rank
            ) == ["Recognition story"]

    def test_headlines_are_escaped_with_only_marks_live(self):
        """A title holding ``<script>`` comes back escaped; the match is in ``<mark>``."""
        ArticleFactory(
            title="<script>alert('x')</script> Robots & rules",
            excerpt='Robots <b onmouseover="x">bold</b> claims.',
        )
        story = search_articles(Article.objects.all(), "robots").get()
        title = safe_headline(story.title_headline)
        excerpt = safe_headline(story.headline)
        assert title == (
            "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; <mark>Robots</mark> &amp; rules"
        )
        assert "<mark>Robots</mark>" in excerpt
        for shown in (title, excerpt):
            assert "<" not in shown.replace("<mark>", "").replace("</mark>", "")

    def test_web_search_syntax(self):
        """Quotes, ``or`` and ``-`` work as on a search engine, and never raise."""
        ArticleFactory(title="Self driving cars")
        ArticleFactory(title="Driving tests for robots")
        assert found('"self driving"') == ["Self driving cars"]
        assert sorted(found("cars or robots")) == ["Driving tests for robots", "Self driving cars"]
        assert found("driving -robots") == ["Self driving cars"]
        assert found("(((") == []


@pytest.mark.postgres
class TestSortedSearchPlan:
    """A sorted search walks the sort's index only when the planner expects many matches."""

    @pytest.fixture
    def drones(self):
        ArticleFactory.create_batch(30, title="Drones deliver")
        ArticleFactory.create_batch(3, title="Zeppelins return")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE articles_article")

    def order_sql(self, term):
        matches = search_articles(Article.objects.all(), term)
        sql = str(order_matches(matches, "-published_at", "-id").query)
        return sql.rsplit("ORDER BY", 1)[1]

    def test_a_rare_term_sorts_its_matches(self, drones, monkeypatch):
        monkeypatch.setattr(search, "COMMON_MATCHES", 20)
        assert "COALESCE" in self.order_sql("zeppelins")

    def test_a_common_term_walks_the_index(self, drones, monkeypatch):
        monkeypatch.setattr(search, "COMMON_MATCHES", 20)
        assert "COALESCE" not in self.order_sql("drones")
        assert found("drones")[:1] == ["Drones deliver"]


@pytest.mark.postgres
class TestSearchVectorStaysCurrent:
    """Every way a story's words change is seen by search."""

    def test_a_new_story_is_searchable_at_once(self):
        ArticleFactory(title="Neuromorphic hardware", topics=[TopicFactory(name="Chips")])
        assert found("neuromorphic") == found("chips") == ["Neuromorphic hardware"]

    def test_saving_a_new_title(self):
        """Admin or ORM save: the old words are gone, the new ones found."""
        story = ArticleFactory(title="Old headline")
        story.title = "Fresh wording"
        story.save()
        assert found("old") == []
        assert found("fresh") == ["Fresh wording"]

    def test_a_bulk_update_of_title_or_excerpt(self):
        """``queryset.update()`` bypasses signals; the database trigger still follows."""
        ArticleFactory(title="Before", excerpt="Alpha")
        Article.objects.update(title="After", excerpt="Omega")
        assert found("before") == found("alpha") == []
        assert found("after omega") == ["After"]

    def test_topic_changes_both_ways(self):
        """Adding, removing and clearing topics, from the story's side or the topic's."""
        story = ArticleFactory(title="Story")
        ethics = TopicFactory(name="Ethics")
        story.topics.add(ethics)
        assert found("ethics") == ["Story"]
        story.topics.remove(ethics)
        assert found("ethics") == []
        ethics.articles.add(story)
        assert found("ethics") == ["Story"]
        ethics.articles.clear()
        assert found("ethics") == []
        story.topics.set([ethics])
        story.topics.clear()
        assert found("ethics") == []

    def test_renaming_an_outlet_or_a_topic(self):
        """A rename reaches every story of that outlet or topic, even by ``update()``."""
        provider = ProviderFactory(name="Daily Planet")
        topic = TopicFactory(name="Robotics")
        ArticleFactory(title="Story", provider=provider, topics=[topic])
        provider.name = "Evening Star"
        provider.save()
        Topic.objects.filter(pk=topic.pk).update(name="Automation")
        assert found("planet") == found("robotics") == []
        assert found("evening automation") == ["Story"]

    def test_deleting_a_topic(self):
        topic = TopicFactory(name="Ephemeral")
        ArticleFactory(title="Story", topics=[topic])
        topic.delete()
        assert found("ephemeral") == []

    def test_a_megabyte_of_distinct_words(self):
        """A tsvector holds 1 MB: a huge excerpt is indexed by its start, not refused."""
        words = " ".join(hashlib.md5(str(n).encode()).hexdigest() for n in range(30_000))
        ArticleFactory(title="Huge", excerpt=f"Zeppelins {words}")
        assert found("zeppelin") == ["Huge"]

    def test_imported_and_reimported_stories(self, tmp_path):
        """The importer's bulk writes keep the vector current, topics and outlet included."""
        path = write(tmp_path, "story.md", news_text(title="Transformers explained"))
        assert run_import(path)[0] == 0
        assert found("transformer") == found("example news ai") == ["Transformers explained"]
        write(tmp_path, "story.md", news_text(title="Diffusion explained"))
        assert run_import(path)[0] == 0
        assert found("transformer") == []
        assert found("diffusion") == ["Diffusion explained"]


class TestPublicSearch:
    """The reader's ?q= on the list, whichever database is underneath."""

    def test_best_match_first_and_unpublished_never(self, client):
        ArticleFactory(title="Markets today", excerpt="Regulators look at chatbots.")
        ArticleFactory(title="Chatbots everywhere", excerpt="A survey of the field.")
        ArticleFactory(title="Chatbots draft", excerpt="Not yet.", published=False)
        body = client.get("/", {"q": "chatbots"}).content.decode()
        assert "Chatbots draft" not in body
        first = body.index("everywhere")
        assert first < body.index("Markets today")

    def test_an_explicit_sort_reorders_the_matches(self, client):
        ArticleFactory(title="Chatbots everywhere", excerpt="x", quality=10)
        ArticleFactory(title="Markets today", excerpt="About chatbots.", quality=90)
        body = client.get("/", {"q": "chatbots", "sort": "quality"}).content.decode()
        assert body.index("Markets today") < body.index("everywhere")

    @pytest.mark.postgres
    def test_matches_are_highlighted_and_escaped(self, client):
        ArticleFactory(title="<script>x</script> chatbots rise", excerpt="Chatbots again.")
        body = client.get("/", {"q": "chatbots"}).content.decode()
        assert "&lt;script&gt;x&lt;/script&gt; <mark>chatbots</mark> rise" in body
        assert "<mark>Chatbots</mark> again." in body
        assert "<script>x" not in body
