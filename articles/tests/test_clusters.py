"""Story clusters: URL forms, text similarity, order independence, incremental joins,
editors' decisions surviving re-imports and re-clustering."""

import dataclasses
import datetime as dt
import itertools
import os
import random
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext

from articles.clusters import editing, signatures
from articles.clusters.addresses import canonical_url
from articles.clusters.assign import (
    cluster_new_stories,
    load_signatures,
    recluster,
    refresh_signatures,
)
from articles.clusters.grouping import components
from articles.clusters.matching import MIN_SHARED_WORDS, SHARED_LINKS, same_story
from articles.clusters.models import BAND_COLUMNS
from articles.clusters.signatures import (
    ADDRESS_KIND,
    DRAWN,
    LINK_KIND,
    PERMUTATIONS,
    ROWS_PER_BAND,
    Signature,
    band_key,
    band_keys_many,
    from_stored_form,
    is_address_key,
    key_kind,
    keys_many,
    keys_of,
    remember_stored_form,
    signature_of,
    stored_form,
)
from articles.ingest.importer import import_paths
from articles.models import Article, Cluster, StoryBands, StoryKey, StorySignature

from .factories import ArticleFactory, ProviderFactory, RelatedLinkFactory

pytestmark = pytest.mark.django_db

SHARED = Path(os.environ.get("NEWSROOM_SHARED", Path(__file__).parents[3] / "shared"))
DEV_NEWS = SHARED / "corpus" / "news"
T0 = dt.datetime(2024, 3, 1, 9, tzinfo=dt.UTC)

CHIPS = (
    "Google AI designs computer chips faster than humans can",
    "Google says its reinforcement learning software designs computer chip floorplans "
    "faster than human engineers, in a paper published in Nature.",
)
MARKET = (
    "Machine translation market to grow at a CAGR of over 19% during the forecast period",
    "Technavio's new report on the global machine translation market by deployment and region.",
)


def story(title, excerpt="", when=T0, **fields):
    return ArticleFactory(title=title, excerpt=excerpt, published_at=when, **fields)


def partition(articles=None):
    """The clusters as sets of story URLs: what must not depend on ids or order."""
    groups = {}
    for url, cluster in Article.objects.values_list("web_url", "cluster_id"):
        groups.setdefault(cluster, set()).add(url)
    return sorted(sorted(group) for group in groups.values())


def together(*articles):
    clusters = set(
        Article.objects.filter(pk__in=[a.pk for a in articles]).values_list("cluster", flat=True)
    )
    return len(clusters) == 1 and None not in clusters


class TestCanonicalUrl:
    @pytest.mark.parametrize(
        "url",
        [
            "https://www.example.com/news/story-1?utm_source=feed&utm_medium=rss",
            "http://example.com/news/story-1/",
            "https://example.com/news/story-1?ref=upstract.com",
            "https://example.com/news/story-1/amp",
            "https://amp.example.com/news/story-1",
            "https://www-example-com.cdn.ampproject.org/c/s/www.example.com/news/story-1",
            "https://example.com/news/story-1#comments",
            "https://EXAMPLE.com/news/story-1?fbclid=abc",
        ],
    )
    def test_forms_of_one_address(self, url):
        """Tracking parameters, AMP and CDN forms and ``www.`` all name one story."""
        assert canonical_url(url) == "example.com/news/story-1"

    def test_meaningful_parameters_stay(self):
        """A query that picks the story (``?id=``) is part of its address."""
        assert canonical_url("https://example.com/a?id=2") != canonical_url(
            "https://example.com/a?id=3"
        )
        assert canonical_url("https://example.com/a.amp.html") == "example.com/a.html"

    @pytest.mark.parametrize("url", ["", None, "javascript:alert(1)", "mailto:x@y", "https://"])
    def test_not_web_addresses(self, url):
        assert canonical_url(url) == ""


class TestMatching:
    def test_same_story_rewritten_matches(self):
        first = signature_of(*CHIPS, T0, ["https://a.example/1"], [])
        second = signature_of(
            "Google claims it is using A.I. to design computer chips faster than humans",
            "Google's reinforcement learning software designs chip floorplans faster than "
            "human engineers can, says a paper in Nature.",
            T0 + dt.timedelta(days=2),
            ["https://b.example/2"],
            [],
        )
        assert same_story(first, second) > 0
        assert same_story(first, second) == same_story(second, first)

    def test_score_is_the_best_jaccard_overlap_of_any_two_wordings(self):
        """The score is 1 + the Jaccard overlap (shared words over the union's) of the
        best-matching pair among both stories' own words and wordings, from either side."""
        words = [f"word{n}" for n in range(40)]

        def story(own, wordings=()):
            return Signature(
                published_at=T0,
                words=frozenset(words[n] for n in own),
                addresses=frozenset(),
                links=frozenset(),
                wordings=frozenset(frozenset(words[n] for n in w) for w in wordings),
            )

        plain = story(range(10))
        assert same_story(plain, story(range(4, 14))) == pytest.approx(1 + 6 / 14)
        # Its own words overlap 6/14, one wording 8/12, another 5/20 (under the threshold):
        rewritten = story(range(4, 14), [range(2, 12), range(5, 20)])
        assert same_story(plain, rewritten) == pytest.approx(1 + 8 / 12)
        assert same_story(rewritten, plain) == same_story(plain, rewritten)
        assert same_story(story(range(30, 40), [range(6)]), plain) == pytest.approx(1 + 6 / 10)
        assert same_story(plain, story(range(10, 20), [range(6, 16)])) == 0

    def test_outside_the_window_no_match(self):
        first = signature_of(*MARKET, T0, ["https://a.example/1"], [])
        later = signature_of(*MARKET, T0 + dt.timedelta(days=30), ["https://b.example/2"], [])
        assert same_story(first, later) == 0

    def test_one_shared_related_link_is_not_enough(self):
        """Related lists hold same-topic stories too: one link in common proves nothing."""
        first = signature_of(
            "Amazon adds a tool", "", T0, ["https://a.example/1"], ["https://x.example/r"]
        )
        second = signature_of(
            "Rekognition labels launch", "", T0, ["https://b.example/2"], ["https://x.example/r"]
        )
        assert same_story(first, second) == 0
        first = signature_of(
            "Amazon adds a tool",
            "",
            T0,
            ["https://a.example/1"],
            ["https://x.example/r", "https://y.example/s"],
        )
        second = signature_of(
            "Rekognition labels launch",
            "",
            T0,
            ["https://b.example/2"],
            ["https://www.x.example/r", "https://y.example/s?utm_source=z"],
        )
        assert same_story(first, second) > 0

    def test_rewrites_meet_in_a_third_outlets_version(self):
        """Two rewrites in their own words match through a related item that is the
        same story as one of them; a merely related item is no such bridge."""
        wire = (
            "Artificial intelligence can now track down blood cancer",
            "This approach could support conventional diagnostics and accelerate therapy; "
            "the transcriptome analysis uses trainable algorithms",
        )
        first = signature_of(
            "Artificial intelligence tracks down leukemia",
            "This approach could support conventional diagnostics and possibly accelerate "
            "therapy, researchers report in iScience",
            T0,
            ["https://a.example/1"],
            [],
        )
        own_words = (
            "Artificial Intelligence can help detect blood cancer: study",
            "What an analysis of the transcriptome can achieve using trainable algorithms",
        )
        second = signature_of(*own_words, T0, ["https://b.example/2"], [], [wire])
        assert second.wordings and same_story(first, second) > 0
        assert same_story(first, signature_of(*own_words, T0, ["https://b.example/2"], [])) == 0
        unrelated = ("Hospitals buy new scanners", "A market report on imaging hardware")
        lone = signature_of(*own_words, T0, ["https://b.example/2"], [], [unrelated])
        assert not lone.wordings

    def test_batched_band_keys_are_datasketchs(self):
        """The one-pass computation gives the keys a MinHash per story gives."""
        from datasketch import MinHash

        vocabulary = [f"wörd{n}" for n in range(400)]
        chooser = random.Random(4)
        word_sets = [
            frozenset(chooser.sample(vocabulary, chooser.randint(0, 40))) for _ in range(30)
        ]

        def one_by_one(words):
            if not words:
                return []
            minhash = MinHash(num_perm=DRAWN, seed=1, scheme="affine32")
            minhash.update_batch([word.encode() for word in sorted(words)])
            values = minhash.hashvalues[:PERMUTATIONS].reshape(-1, ROWS_PER_BAND).tolist()
            return [band_key(band, a, b) for band, (a, b) in enumerate(values)]

        assert band_keys_many(word_sets) == [one_by_one(words) for words in word_sets]
        assert [] in band_keys_many(word_sets)

    def test_keys_are_distinct_integers_of_their_kind(self):
        """Band keys keep their band, addresses and related links their own tags."""
        related = ["https://other.example/x", "https://third.example/y"]
        signature = signature_of(*CHIPS, T0, ["https://example.com/story"], related)
        stored = keys_of(signature)
        keys = stored.flat()
        kinds = [key_kind(key) for key in keys]
        assert all(-(2**63) <= key < 2**63 for key in keys)
        assert sorted(k for k in kinds if k < 62) == list(range(PERMUTATIONS // ROWS_PER_BAND))
        # One row of bands per wording, band b in column b; the others stored apart.
        assert [[key_kind(key) for key in row] for row in stored.bands] == [list(range(32))]
        assert {key_kind(key) for key in stored.others} == {ADDRESS_KIND, LINK_KIND}
        assert kinds.count(62) == len(signature.addresses) == 1
        assert kinds.count(63) == len(signature.links) == 2
        assert [is_address_key(key) for key in keys].count(True) == 1
        assert band_key(39, 2**32 - 1, 2**32 - 1) < 0 < band_key(1, 0, 0)

    def test_stored_form_gives_the_signature_back(self, monkeypatch):
        """One text column holds a signature's sets, wordings included, losslessly
        (parsed: nothing remembered)."""
        monkeypatch.setattr(signatures, "_RECENT", signatures._Recent(size=10))
        related = ["https://other.example/x", "https://third.example/y"]
        signature = signature_of(
            *CHIPS,
            T0,
            ["https://example.com/story", "https://www.example.com/story/amp"],
            related,
            [("Ünïcode chips beat rivals in AI benchmark tests", CHIPS[1]), ("x", "")],
        )
        assert signature.wordings and signature.links and signature.addresses
        assert from_stored_form(T0, stored_form(signature)) == signature

    def test_a_remembered_stored_form_comes_back_unparsed_and_only_for_its_time(self, monkeypatch):
        monkeypatch.setattr(signatures, "_RECENT", signatures._Recent(size=2))
        made = signature_of(*CHIPS, T0, ["https://example.com/story"], [])
        text = stored_form(made)
        remember_stored_form(made, text)
        assert from_stored_form(T0, text) is made
        later = from_stored_form(T0 + dt.timedelta(hours=1), text)
        assert later == dataclasses.replace(made, published_at=T0 + dt.timedelta(hours=1))
        other = signature_of("Other words entirely here", "", T0, [], [])
        for n in range(3):  # two generations of two: the first is forgotten, still right
            remember_stored_form(
                dataclasses.replace(other, published_at=T0 + n * dt.timedelta(days=7)), "x"
            )
        assert from_stored_form(T0, text) == made and from_stored_form(T0, text) is not made

    def test_no_keys_that_can_never_match(self):
        """One related link cannot be two shared ones, four words cannot be five shared:
        such a story stores neither its link key nor its band keys."""
        short = signature_of(
            "Chips beat rivals", "", T0, ["https://example.com/a"], ["https://other.example/x"]
        )
        assert len(short.words) < MIN_SHARED_WORDS and len(short.links) < SHARED_LINKS
        assert [key_kind(key) for key in keys_of(short).flat()] == [ADDRESS_KIND]
        assert keys_of(short).bands == []
        assert keys_many([short]) == [keys_of(short)]

    def test_components_ignore_edge_order(self):
        edges = [(1.0, "a", "b"), (1.0, "c", "d"), (1.5, "b", "c"), (1.0, "e", "f")]
        expected = components("abcdefg", edges)
        for order in itertools.permutations(edges):
            assert components("gfedcba", list(order)) == expected
        assert expected == [["a", "b", "c", "d"], ["e", "f"], ["g"]]

    def test_locked_groups_never_join(self):
        edges = [(1.0, "a", "x"), (1.0, "x", "b")]
        found = components("abx", edges, groups=[(["a"], 1), (["b"], 2)])
        assert ["a", "x"] in found and ["b"] in found


class TestClustering:
    def test_other_url_forms_cluster(self):
        """Copies under AMP, CDN, tracking and www. forms join one cluster, whatever the text."""
        original = story("Kyocera launches a printer chip", web_url="https://www.news.example/k")
        amp = story(
            "Kyocera printer SoC (AMP)",
            web_url="https://mirror.example/k",
            amp_web_url="https://news.example/k/amp",
        )
        cdn = story(
            "Different headline entirely",
            web_url="https://news-example.cdn.ampproject.org/c/s/news.example/k?utm_source=x",
        )
        cluster_new_stories()
        assert together(original, amp, cdn)

    def test_coverage_is_the_clusters_outlet_count(self, admin_user):
        """One home for "how many outlets": Article.coverage follows the cluster through
        the import, a split and a merge (the review queue orders by it)."""
        first = story("Kyocera launches a printer chip", web_url="https://www.news.example/k")
        copy = story("Kyocera printer SoC (AMP)", web_url="https://news.example/k/amp")
        same_outlet = story(
            "Kyocera chip, again",
            web_url="https://news.example/k?utm_source=x",
            provider=first.provider,
        )
        alone = story("Something else entirely", web_url="https://elsewhere.example/x")
        cluster_new_stories()
        coverage = dict(Article.objects.values_list("pk", "coverage"))
        assert [coverage[a.pk] for a in (first, copy, same_outlet, alone)] == [2, 2, 2, 1]
        editing.split_off(Article.objects.filter(pk=copy.pk), admin_user)
        coverage = dict(Article.objects.values_list("pk", "coverage"))
        assert [coverage[a.pk] for a in (first, copy, same_outlet)] == [1, 1, 1]
        clusters = Cluster.objects.filter(stories__in=[first, alone]).distinct()
        editing.merge(clusters, admin_user)
        coverage = dict(Article.objects.values_list("pk", "coverage"))
        assert [coverage[a.pk] for a in (first, same_outlet, alone)] == [2, 2, 2]

    def test_a_cluster_with_stories_cannot_be_deleted(self):
        """Deleting a cluster that still has stories is refused, naming why: it would leave
        them in no cluster, with the coverage of the one they left. Empty ones go."""
        first = story("Kyocera launches a printer chip", web_url="https://www.news.example/k")
        copy = story("Kyocera printer SoC (AMP)", web_url="https://news.example/k/amp")
        cluster_new_stories()
        cluster = Article.objects.get(pk=first.pk).cluster
        with pytest.raises(ProtectedError, match="Article.cluster"):
            cluster.delete()
        assert set(Article.objects.values_list("pk", "cluster_id", "coverage")) == {
            (first.pk, cluster.pk, 2),
            (copy.pk, cluster.pk, 2),
        }
        empty = Cluster.objects.create()
        empty.delete()
        assert not Cluster.objects.filter(pk=empty.pk).exists()

    def test_same_topic_different_stories_stay_apart(self):
        """Two chip stories of one week are the same topic, not the same story."""
        chips = story(*CHIPS)
        other = story(
            "Nvidia H100 GPU sweeps MLPerf inference benchmarks",
            "Nvidia's Hopper chips topped every test of the MLPerf AI inference round.",
            when=T0 + dt.timedelta(days=1),
        )
        cluster_new_stories()
        assert not together(chips, other)
        assert Cluster.objects.count() == 2

    def test_every_story_gets_a_cluster_and_a_lead(self):
        """A story nobody else covered is a cluster of one and leads it."""
        alone = story("A story only one outlet covered")
        cluster_new_stories()
        alone.refresh_from_db()
        assert alone.cluster is not None
        assert alone.cluster.lead_id == alone.pk

    def test_incremental_join(self):
        """A new copy joins the cluster already stored; nothing else moves."""
        first = story(*MARKET, provider=ProviderFactory(domain="prnewswire.example"))
        unrelated = story("Tesla video games while driving", "Regulators ask questions.")
        cluster_new_stories()
        before = Article.objects.get(pk=first.pk).cluster_id
        copy = story(*MARKET, when=T0 + dt.timedelta(hours=6))
        assert cluster_new_stories() == 1
        copy.refresh_from_db()
        assert copy.cluster_id == before
        assert not together(copy, unrelated)

    def test_cost_per_new_story_does_not_grow_with_the_archive(self):
        """Clustering one new story takes the same queries with 3 or 30 stories stored."""

        def queries_for_one_new_story(archive_size):
            Article.objects.all().delete()
            Cluster.objects.all().delete()
            for n in range(archive_size):
                story(f"Archive story {n} about subject {n}", when=T0 - dt.timedelta(days=n * 9))
            cluster_new_stories()
            story(*MARKET)
            with CaptureQueriesContext(connection) as queries:
                cluster_new_stories()
            return len(queries)

        assert queries_for_one_new_story(3) == queries_for_one_new_story(30)

    def test_candidates_outside_a_storys_window_are_dropped_unread(self):
        """The batch's range scan spans all its stories' windows; a story is a candidate
        only inside its own (judged by the index's time, before any signature is
        read), or across any time when it shares an address."""
        from django.apps import apps

        from articles.clusters import assign

        stored = story(*MARKET, web_url="https://a.example/1")
        cluster_new_stories()
        middle = story(*MARKET, web_url="https://b.example/2", when=T0 + dt.timedelta(days=4))
        late = story(*MARKET, web_url="https://c.example/3", when=T0 + dt.timedelta(days=8))
        moved = story(
            "A different text under the first story's address",
            web_url="https://www.a.example/1/?utm_source=feed",
            when=T0 + dt.timedelta(days=30),
        )
        ids = [middle.pk, late.pk, moved.pk]
        found = assign.find_candidates(assign._compute_signatures(ids, apps).found)
        assert found == {
            middle.pk: {stored.pk, late.pk},
            late.pk: {middle.pk},
            moved.pk: {stored.pk},
        }
        cluster_new_stories()
        assert together(stored, middle, late, moved)

    def test_migration_0021_deletes_the_dropped_bands_keys_only(self):
        """Stored under 40 bands (all keys in StoryKey, as until 0025), a story keeps
        the keys of bands 0-31, its address and link keys: the keys it is signed with now."""
        import importlib

        from django.apps import apps

        migration = importlib.import_module("articles.migrations.0021_story_keys_32_bands")
        related = ["https://other.example/x", "https://third.example/y"]
        kept = story(*CHIPS, web_url="https://example.com/story")
        for url in related:
            RelatedLinkFactory(article=kept, web_url=url)
        refresh_signatures([kept.pk])
        (bands,) = keys_of(load_signatures([kept.pk])[kept.pk]).bands
        StoryKey.objects.bulk_create(
            StoryKey(article=kept, key=key, published_epoch=0) for key in bands
        )
        now = set(StoryKey.objects.values_list("key", flat=True))
        top = 2**32 - 1
        dropped = [band_key(32, 0, 0), *(band_key(b, top, top) for b in range(32, DRAWN // 2))]
        StoryKey.objects.bulk_create(
            StoryKey(article=kept, key=key, published_epoch=0) for key in dropped
        )
        migration.delete_dropped_bands(apps, None)
        assert set(StoryKey.objects.values_list("key", flat=True)) == now
        assert {key_kind(key) for key in now} == {*range(32), ADDRESS_KIND, LINK_KIND}

    def test_migration_0025_moves_band_keys_to_their_rows(self):
        """A clustered story stored with its band keys in StoryKey (as until 0025), and
        a new one without a cluster, leave the migration with their bands in one row per
        wording, both clustered, together."""
        import importlib

        from django.apps import apps

        migration = importlib.import_module("articles.migrations.0025_clustercost_story_bands")
        old = story(*CHIPS, web_url="https://example.com/story")
        cluster_new_stories()
        (bands,) = StoryBands.objects.filter(article=old).values_list(*BAND_COLUMNS)
        StoryBands.objects.all().delete()
        StoryKey.objects.bulk_create(
            StoryKey(article=old, key=key, published_epoch=0) for key in bands
        )
        copy = story(*CHIPS, web_url="https://other.example/copy")
        migration.sign_and_cluster_stories(apps, None)
        kinds = {key_kind(key) for key in StoryKey.objects.values_list("key", flat=True)}
        assert kinds == {ADDRESS_KIND}
        assert list(StoryBands.objects.values_list(*BAND_COLUMNS)) == [bands, bands]
        assert together(old, copy)

    def test_stories_of_one_import_meet_each_other(self):
        """New stories of one batch match each other as well as the stored ones."""
        first = story(*MARKET, web_url="https://a.example/1")
        second = story(*MARKET, web_url="https://b.example/2")
        later = story(*MARKET, web_url="https://c.example/3", when=T0 + dt.timedelta(days=1))
        cluster_new_stories()
        stored = story(*MARKET, web_url="https://d.example/4", when=T0 + dt.timedelta(days=2))
        cluster_new_stories()
        assert together(first, second, later, stored)

    def test_wordings_found_by_index(self):
        """A story matching only another story's wording finds it at import (its keys)."""
        listed = story(
            "Artificial intelligence can help detect blood cancer: study",
            "What an analysis of the transcriptome can achieve using trainable algorithms",
        )
        RelatedLinkFactory(
            article=listed,
            title="Artificial intelligence can now track down blood cancer",
            excerpt="This approach could support conventional diagnostics and accelerate "
            "therapy; the transcriptome analysis uses trainable algorithms",
        )
        cluster_new_stories()
        rewrite = story(
            "Artificial intelligence tracks down leukemia",
            "This approach could support conventional diagnostics and possibly accelerate "
            "therapy, researchers report in iScience",
            when=T0 + dt.timedelta(days=2),
        )
        cluster_new_stories()
        assert together(listed, rewrite)

    def test_bridging_story_merges_clusters(self):
        """A story matching two clusters joins them (connected components)."""
        left = story("x", web_url="https://left.example/a")
        right = story("y", web_url="https://right.example/b")
        cluster_new_stories()
        assert not together(left, right)
        story(
            "z",
            web_url="https://left.example/a?utm_source=feed",
            original_url="https://www.right.example/b",
        )
        cluster_new_stories()
        assert together(left, right)
        assert Cluster.objects.count() == 1

    def test_related_coverage_links(self):
        """Stories whose related lists share two other reports are the same story."""
        first = story("Google trains AI for chips", "Tensor processing units.")
        second = story(
            "AI floorplans in six hours", "Nature paper.", when=T0 + dt.timedelta(days=3)
        )
        for article in (first, second):
            RelatedLinkFactory(article=article, web_url="https://hothardware.example/chips")
            RelatedLinkFactory(article=article, web_url="https://www.zdnet.example/chips?ref=x")
        cluster_new_stories()
        assert together(first, second)

    def test_recluster_matches_incremental(self):
        """``cluster_stories`` finds nothing to change after incremental clustering."""
        story(*MARKET)
        story(*MARKET, when=T0 + dt.timedelta(days=1))
        story(*CHIPS)
        cluster_new_stories()
        before = partition()
        assert recluster().moves == {}
        assert partition() == before

    def test_dry_run_writes_nothing(self, capsys):
        first = story(*MARKET)
        second = story("Unrelated", when=T0 + dt.timedelta(days=1))
        cluster_new_stories()
        # A change of "method": the two are put together by hand, unpinned.
        Article.objects.filter(pk=second.pk).update(
            cluster=Article.objects.get(pk=first.pk).cluster
        )
        call_command("cluster_stories", "--dry-run")
        out = capsys.readouterr().out
        moved = f"story {first.pk} " in out or f"story {second.pk} " in out
        assert moved and "1 stories would move" in out
        assert together(first, second)
        call_command("cluster_stories", verbosity=0)
        assert not together(first, second)


class TestLeads:
    def test_default_lead_is_best_quality_then_earliest(self):
        early = story(*MARKET, quality=50)
        late_better = story(*MARKET, quality=80, when=T0 + dt.timedelta(hours=2))
        tie_later = story(*MARKET, quality=80, when=T0 + dt.timedelta(hours=3))
        cluster_new_stories()
        cluster = Cluster.objects.get()
        assert cluster.lead_id == late_better.pk
        assert {early.pk, tie_later.pk}.isdisjoint({cluster.lead_id})

    def test_chosen_lead_survives_recluster(self, admin_user):
        first = story(*MARKET, quality=90)
        second = story(*MARKET, quality=10, when=T0 + dt.timedelta(hours=1))
        cluster_new_stories()
        cluster = Cluster.objects.get()
        editing.choose_lead(cluster, second, admin_user)
        call_command("cluster_stories", verbosity=0)
        cluster.refresh_from_db()
        assert cluster.lead_id == second.pk and cluster.lead_chosen
        assert together(first, second)


class TestEditorsDecisionsSurvive:
    def write(self, folder, name, title, url, when="2024-03-01T09:00:00Z", excerpt=None):
        excerpt = excerpt or MARKET[1]
        (folder / name).write_text(
            f'---\ntitle: "{title}"\nexcerpt: "{excerpt}"\nwebUrl: "{url}"\n'
            f"publishedDateTime: {when}\ncategory: news\ntype: article\n"
            'provider:\n  name: "Outlet"\n  domain: "outlet.example"\ntopics:\n  - AI\n'
            'secured: "x"\npublished: true\n---\n',
            encoding="utf-8",
        )

    def test_split_survives_reimport_and_recluster(self, tmp_path, admin_user):
        self.write(tmp_path, "a.md", MARKET[0], "https://one.example/a")
        self.write(tmp_path, "b.md", MARKET[0], "https://two.example/b")
        import_paths([tmp_path], workers=1)
        a, b = Article.objects.order_by("web_url")
        assert together(a, b)
        editing.split_off(Article.objects.filter(pk=b.pk), admin_user)
        assert not together(a, b)
        # The file changes (an updated story) and a third copy arrives.
        self.write(tmp_path, "b.md", MARKET[0] + " (updated)", "https://two.example/b")
        self.write(tmp_path, "c.md", MARKET[0], "https://three.example/c")
        import_paths([tmp_path], workers=1)
        call_command("cluster_stories", verbosity=0)
        assert not together(a, b)
        c = Article.objects.get(web_url="https://three.example/c")
        assert together(a, c) or together(b, c)

    def test_merge_survives_reimport_and_recluster(self, tmp_path, admin_user):
        self.write(tmp_path, "a.md", MARKET[0], "https://one.example/a")
        self.write(
            tmp_path,
            "b.md",
            "Tesla chief talks lidar",
            "https://two.example/b",
            excerpt="Cameras are enough for self-driving cars, he says.",
        )
        import_paths([tmp_path], workers=1)
        a, b = Article.objects.order_by("web_url")
        assert not together(a, b)
        editing.merge(Cluster.objects.all(), admin_user)
        self.write(
            tmp_path,
            "b.md",
            "Tesla chief talks lidar again",
            "https://two.example/b",
            excerpt="Cameras are enough for self-driving cars.",
        )
        import_paths([tmp_path], workers=1)
        call_command("cluster_stories", verbosity=0)
        assert together(a, b)


class TestClusteredBatchByBatch:
    """The importer clusters each batch it writes; a run gives what clustering its
    stories' last versions all at once would."""

    write = TestEditorsDecisionsSurvive.write

    def test_story_rewritten_later_in_the_run_is_clustered_by_its_last_version(self, tmp_path):
        self.write(tmp_path, "a.md", MARKET[0], "https://one.example/x")
        self.write(tmp_path, "b.md", CHIPS[0], "https://two.example/y", excerpt=CHIPS[1])
        # The same story again: the writer puts it in a later batch than a.md's.
        self.write(tmp_path, "c.md", CHIPS[0], "https://one.example/x", excerpt=CHIPS[1])
        report = import_paths([tmp_path], workers=1)
        assert (report.created, report.updated) == (2, 1)
        x = Article.objects.get(web_url="https://one.example/x")
        y = Article.objects.get(web_url="https://two.example/y")
        assert together(x, y)
        assert Cluster.objects.count() == 1

    def test_story_rewritten_in_a_later_run_is_clustered_by_its_new_version(self, tmp_path):
        """A file changed since the last run: its story, alone in its cluster, is clustered
        again by its new words; a change that leaves its words keeps its cluster."""
        self.write(tmp_path, "a.md", MARKET[0], "https://one.example/x")
        self.write(tmp_path, "b.md", CHIPS[0], "https://two.example/y", excerpt=CHIPS[1])
        import_paths([tmp_path], workers=1)
        x = Article.objects.get(web_url="https://one.example/x")
        y = Article.objects.get(web_url="https://two.example/y")
        assert not together(x, y)
        kept = y.cluster_id
        self.write(tmp_path, "b.md", CHIPS[0], "https://two.example/y", excerpt=CHIPS[1] + " ")
        assert import_paths([tmp_path], workers=1).updated == 1
        assert Article.objects.get(pk=y.pk).cluster_id == kept
        self.write(tmp_path, "a.md", CHIPS[0], "https://one.example/x", excerpt=CHIPS[1])
        assert import_paths([tmp_path], workers=1).updated == 1
        assert together(x, y)
        assert Cluster.objects.count() == 1

    def test_later_stories_meet_a_rewritten_storys_new_words(self, tmp_path):
        """Rewritten inside a cluster of two, a story stays, and its stored signature is
        its new version's: a third outlet telling the new story finds it."""
        self.write(tmp_path, "a.md", MARKET[0], "https://one.example/x")
        self.write(tmp_path, "b.md", MARKET[0], "https://two.example/y")
        import_paths([tmp_path], workers=1)
        x = Article.objects.get(web_url="https://one.example/x")
        y = Article.objects.get(web_url="https://two.example/y")
        assert together(x, y)
        self.write(tmp_path, "a.md", CHIPS[0], "https://one.example/x", excerpt=CHIPS[1])
        import_paths([tmp_path], workers=1)
        assert together(x, y)
        self.write(tmp_path, "c.md", CHIPS[0], "https://three.example/z", excerpt=CHIPS[1])
        import_paths([tmp_path], workers=1)
        assert together(x, Article.objects.get(web_url="https://three.example/z"))

    def test_the_import_leaves_no_story_unclustered(self, tmp_path):
        texts = [MARKET, CHIPS, ("Tesla chief talks lidar", "Cameras are enough, he says.")]
        for n, (title, excerpt) in enumerate(texts):
            self.write(tmp_path, f"{n}.md", title, f"https://o.example/{n}", excerpt=excerpt)
        import_paths([tmp_path], workers=1)
        assert not Article.objects.filter(cluster=None).exists()
        assert Cluster.objects.count() == 3


def _dev_files():
    if not DEV_NEWS.is_dir():
        pytest.fail(f"the shared corpus is missing at {DEV_NEWS} (set NEWSROOM_SHARED)")
    return sorted(DEV_NEWS.glob("*.md"))


class TestRealFiles:
    def test_order_independent(self, tmp_path):
        """All files at once, or one by one in a shuffled order: the same clusters."""
        files = _dev_files()
        import_paths(files, workers=1)
        at_once = partition()
        Article.objects.all().delete()
        Cluster.objects.all().delete()
        from articles.models import SourceFile

        SourceFile.objects.all().delete()
        shuffled = list(files)
        random.Random(7).shuffle(shuffled)
        for path in shuffled:
            import_paths([path], workers=1)
        assert partition() == at_once
        assert len(at_once) < len(files)  # some stories did cluster

    def test_same_as_pure_computation(self):
        """The stored clusters equal an all-pairs computation in plain Python: what the
        database gives (SQLite or PostgreSQL alike) is the method's own answer."""
        import_paths(_dev_files(), workers=1)
        ids = list(Article.objects.values_list("pk", flat=True))

        signatures = load_signatures(ids)
        urls = dict(Article.objects.values_list("pk", "web_url"))
        edges = [
            (score, urls[a], urls[b])
            for a, b in itertools.combinations(sorted(ids), 2)
            if (score := same_story(signatures[a], signatures[b]))
        ]
        assert partition() == components(urls.values(), edges)

    def test_signatures_made_at_parse_equal_the_stored_storys(self):
        """The import's parse workers sign each record; computing the same from the
        stored stories (what ``cluster_stories`` does) gives the same rows and keys."""

        def stored():
            signatures = StorySignature.objects.values_list(
                "article_id", "published_at", "data_hash", "features"
            )
            keys = StoryKey.objects.values_list("article_id", "key", "published_epoch")
            bands = StoryBands.objects.values_list(
                "article_id", "wording", "published_epoch", *BAND_COLUMNS
            )
            return sorted(signatures), sorted(keys), sorted(bands)

        import_paths(_dev_files(), workers=1)
        at_import = stored()
        assert at_import[0] and at_import[1] and at_import[2]
        refresh_signatures(sorted(Article.objects.values_list("pk", flat=True)))
        assert stored() == at_import

    def test_dev_set_different_stories_apart(self):
        """The dev set's borderline "different story" calls stay apart."""
        import_paths(_dev_files(), workers=1)
        by_file = dict(Article.objects.values_list("source_file", "cluster_id"))
        apart = [
            (
                "2019-12-17-amazon-releases-a-new-tool-to-improve-machine-learning-processes.md",
                "2019-12-17-amazon-releases-sagemaker-studio-ide-for-machine-learning.md",
            ),
            (
                "2023-04-06-nvidias-h100-hopper-gpu-sweeps-mlperf-ai-inference-tests-with-huge-"
                "performance-uplift.md",
                "2023-04-06-google-reveals-its-newest-ai-supercomputer-says-it-beats-nvidia.md",
            ),
        ]
        for first, second in apart:
            assert by_file[first] != by_file[second], (first, second)

    def test_same_topic_same_week_different_stories_never_join(self):
        """Synthetic negatives from the real files: every two stories the dev labels call
        different that share a topic and lie within the window stay apart (836 pairs)."""
        import json

        from articles.clusters.matching import WINDOW

        labels = json.loads((SHARED / "clusters-dev.json").read_text(encoding="utf-8"))["files"]
        import_paths(_dev_files(), workers=1)
        stories = {
            a.source_file: a for a in Article.objects.prefetch_related("topics").order_by("pk")
        }
        negatives = [
            (a, b)
            for a, b in itertools.combinations(stories.values(), 2)
            if labels[a.source_file] != labels[b.source_file]
            and {t.pk for t in a.topics.all()} & {t.pk for t in b.topics.all()}
            and abs(a.published_at - b.published_at) <= WINDOW
        ]
        assert len(negatives) > 500
        joined = [
            (a.source_file, b.source_file) for a, b in negatives if a.cluster_id == b.cluster_id
        ]
        assert joined == []
