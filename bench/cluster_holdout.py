"""Held-out check of the clustering threshold on the dev set (../shared/clusters-dev.json).

Usage: NEWSROOM_SHARED=/work/shared .venv/bin/python bench/cluster_holdout.py

The word-overlap threshold (``matching.WORD_OVERLAP``) was chosen looking at the dev
set. This asks how it fares on stories it was not chosen on: leave one stored story
out, pick the threshold on the others by a rule fixed in advance (the grid value with
the best pairwise F1; among ties the middle of the tied run, the widest margin), then
score the pairs that involve the left-out story, with clusters over all stories. The
counts add up over every fold (a pair is scored once for each of its two stories).

With ``--idf`` (needs the ``wordfreq`` package, which the project does not ship) it
also measures the rejected second stage: cosine of title+excerpt words weighted by a
fixed general-English IDF (``-log10`` of the word's frequency, the plural's added),
within 3 days, on the dev pairs and on pairs of texts (stories and their related
items) more than 7 days apart, which the rule itself says are different stories.

With ``--lsh`` it measures the band keys against the exact rule: of the pairs of texts
(stories and their related items, within the window) whose word overlap the rule
counts, how many share a band key with 24, 32 (shipped) and 40 bands of 2 rows.

It also prints, for every same-story pair and the closest different-story pairs
inside the window, the overlaps the rule looks at, and how many different-story
pairs that share a topic and a week the shipped rule joins (it must be none).
"""

import itertools
import json
import os
import sys
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

from throwaway_sqlite import start_django

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSROOM_SHARED", ROOT.parent / "shared"))
LABELS = SHARED / "clusters-dev.json"
GRID = [round(0.10 + 0.05 * step, 2) for step in range(11)]  # 0.10 … 0.60


@contextmanager
def threshold(value):
    """The rule with another word-overlap threshold (wordings are admitted by it too)."""
    from articles.clusters import matching

    shipped = matching.WORD_OVERLAP
    matching.WORD_OVERLAP = value
    try:
        yield
    finally:
        matching.WORD_OVERLAP = shipped


def signatures():
    """Every stored story's signature, computed from its row (as the import does)."""
    from articles.clusters.signatures import signature_of
    from articles.models import Article, RelatedLink

    related, texts = defaultdict(list), defaultdict(list)
    for pk, web, original, title, excerpt in RelatedLink.objects.values_list(
        "article_id", "web_url", "original_url", "title", "excerpt"
    ):
        related[pk].extend((web, original))
        texts[pk].append((title, excerpt))
    return {
        a.pk: signature_of(
            a.title,
            a.excerpt,
            a.published_at,
            (a.web_url, a.original_url, a.amp_web_url, a.cdn_amp_web_url),
            related[a.pk],
            texts[a.pk],
        )
        for a in Article.objects.all()
    }


def clusters(stories, edges):
    """Story id → component id, over ``stories`` and the edges between them."""
    from articles.clusters.grouping import components

    inside = [(1.0, a, b) for a, b in edges if a in stories and b in stories]
    return {story: n for n, group in enumerate(components(stories, inside)) for story in group}


def pair_counts(found, truth, pairs):
    """(true positives, false positives, false negatives) over ``pairs``."""
    tp = fp = fn = 0
    for a, b in pairs:
        joined, same = found[a] == found[b], truth[a] == truth[b]
        tp += joined and same
        fp += joined and not same
        fn += same and not joined
    return tp, fp, fn


def f1(tp, fp, fn):
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def choose(scores):
    """The grid value with the best F1; among tied ones the middle of the tied run."""
    best = max(scores.values())
    tied = [value for value in GRID if scores[value] == best]
    return tied[len(tied) // 2]


def idf_check(stories, shipped, truth, names):
    """The IDF-cosine second stage that was tried and rejected (docs/clusters.md)."""
    import datetime as dt
    import functools
    import math

    import wordfreq

    from articles.clusters.matching import word_overlap
    from articles.clusters.signatures import words_of
    from articles.models import RelatedLink

    @functools.cache
    def weight(word):
        frequency = wordfreq.word_frequency(word, "en")
        if len(word) > 2:
            frequency += wordfreq.word_frequency(word + "s", "en")
        return -math.log10(max(frequency, 1e-9))

    def cosine(first, second):
        norm = math.sqrt(sum(weight(w) ** 2 for w in first) * sum(weight(w) ** 2 for w in second))
        return sum(weight(w) ** 2 for w in first & second) / norm if norm else 0.0

    near = []
    for a, b in itertools.combinations(stories, 2):
        gap = abs(shipped[a].published_at - shipped[b].published_at)
        if gap <= dt.timedelta(days=3):
            near.append((cosine(shipped[a].words, shipped[b].words), truth[a] == truth[b], a, b))
    near.sort(reverse=True)
    print("\nIDF cosine, pairs within 3 days (top 8 different, every same):")
    different = 0
    for value, same, a, b in near:
        different += not same
        if same or different <= 8:
            print(f"  {'same' if same else 'diff'}  {value:.2f}  {names[a][:48]} | {names[b][:48]}")
    texts = {}
    for pk, signature in shipped.items():
        texts[names[pk]] = (signature.published_at, signature.words)
    for url, when, title, excerpt in RelatedLink.objects.values_list(
        "web_url", "published_at", "title", "excerpt"
    ):
        if when is not None:
            texts.setdefault(url, (when, words_of(title, excerpt)))
    bands = [(7, 30), (30, 365), (365, 10**6)]
    for low, high in bands:
        count, jaccard, over = 0, 0, {0.25: 0, 0.3: 0, 0.35: 0, 0.4: 0}
        for (t1, w1), (t2, w2) in itertools.combinations(texts.values(), 2):
            if not dt.timedelta(days=low) < abs(t1 - t2) <= dt.timedelta(days=high):
                continue
            count += 1
            jaccard += bool(word_overlap(w1, w2))
            if len(w1 & w2) >= 5:
                value = cosine(w1, w2)
                for limit in over:
                    over[limit] += value >= limit
        print(
            f"  texts {low}-{high} days apart: {count} pairs; shipped word overlap joins "
            f"{jaccard} ({jaccard / count:.1e}); IDF cosine >= "
            + ", ".join(f"{limit}: {n} ({n / count:.1e})" for limit, n in over.items())
        )


def lsh_check(shipped):
    """How many pairs the exact word rule joins share a band key (docs/clusters.md)."""
    from datasketch import MinHash

    from articles.clusters.matching import MIN_SHARED_WORDS, WINDOW, word_overlap
    from articles.clusters.signatures import DRAWN, PERMUTATIONS, ROWS_PER_BAND, words_of
    from articles.models import RelatedLink

    texts = {("story", pk): (s.published_at, s.words) for pk, s in shipped.items()}
    for url, when, title, excerpt in RelatedLink.objects.values_list(
        "web_url", "published_at", "title", "excerpt"
    ):
        if when is not None:
            texts.setdefault(("link", url), (when, words_of(title, excerpt)))
    hashed = {}
    for name, (_, words) in texts.items():
        if len(words) >= MIN_SHARED_WORDS:
            minhash = MinHash(num_perm=DRAWN, seed=1, scheme="affine32")
            minhash.update_batch([word.encode() for word in sorted(words)])
            hashed[name] = minhash.hashvalues.reshape(-1, ROWS_PER_BAND)
    counts = {24: 0, PERMUTATIONS // ROWS_PER_BAND: 0, DRAWN // ROWS_PER_BAND: 0}
    joined, missed = 0, []
    for a, b in itertools.combinations(sorted(hashed), 2):
        (t1, w1), (t2, w2) = texts[a], texts[b]
        if abs(t1 - t2) > WINDOW or not word_overlap(w1, w2):
            continue
        joined += 1
        same_band = (hashed[a] == hashed[b]).all(axis=1)
        for bands in counts:
            counts[bands] += bool(same_band[:bands].any())
        if not same_band[: PERMUTATIONS // ROWS_PER_BAND].any():
            missed.append(word_overlap(w1, w2))
    print(
        f"\nLSH: {len(hashed)} texts (stories and related items); {joined} pairs within the "
        "window joined by word overlap; sharing a band key: "
        + ", ".join(f"{bands} bands {n} ({n / joined:.3f})" for bands, n in counts.items())
    )
    print(
        "  overlaps of the pairs the shipped bands miss: "
        + ", ".join(f"{v:.2f}" for v in sorted(missed))
    )


def main():
    start_django(prefix="newsroom-holdout-")
    from articles.clusters.matching import WINDOW, WORD_OVERLAP, same_story
    from articles.ingest.importer import import_paths
    from articles.models import Article, SourceFile

    labels = json.loads(LABELS.read_text(encoding="utf-8"))["files"]
    import_paths(sorted(SHARED / "corpus" / "news" / name for name in labels), workers=1)
    truth = {}
    for name, pk in SourceFile.objects.values_list("name", "article_id"):
        truth.setdefault(pk, labels[name])
    names = dict(Article.objects.values_list("pk", "source_file"))
    topics = defaultdict(set)
    for pk, topic in Article.objects.values_list("pk", "topics__name"):
        topics[pk].add(topic)
    stories = sorted(truth)
    pairs = list(itertools.combinations(stories, 2))

    edges, signature_of = {}, {}
    for value in GRID + [WORD_OVERLAP]:
        with threshold(value):
            found = signature_of[value] = signatures()
            edges[value] = [(a, b) for a, b in pairs if same_story(found[a], found[b])]
    everyone = {value: clusters(stories, edges[value]) for value in GRID}
    as_shipped = clusters(stories, edges[WORD_OVERLAP])

    print("Same-story pairs and the nearest different-story pairs within the window:")
    shipped = signature_of[WORD_OVERLAP]
    rows = []
    for a, b in pairs:
        first, second = shipped[a], shipped[b]
        if abs(first.published_at - second.published_at) > WINDOW:
            continue
        own = len(first.words & second.words) / (len(first.words | second.words) or 1)
        best = max(
            len(x & y) / (len(x | y) or 1)
            for x in (first.words, *first.wordings)
            for y in (second.words, *second.wordings)
        )
        rows.append((truth[a] == truth[b], best, own, len(first.words & second.words), a, b))
    rows.sort(key=lambda row: -row[1])
    different = 0
    for same, best, own, shared, a, b in rows:
        if not same:
            different += 1
            if different > 8:
                continue
        print(
            f"  {'same' if same else 'diff'}  best wording {best:.2f}  own {own:.2f}  "
            f"shared words {shared:2}  {names[a][:48]} | {names[b][:48]}"
        )

    joined = sum(
        1
        for a, b in pairs
        if truth[a] != truth[b]
        and topics[a] & topics[b]
        and abs(shipped[a].published_at - shipped[b].published_at) <= WINDOW
        and as_shipped[a] == as_shipped[b]
    )
    same_topic_week = sum(
        1
        for a, b in pairs
        if truth[a] != truth[b]
        and topics[a] & topics[b]
        and abs(shipped[a].published_at - shipped[b].published_at) <= WINDOW
    )
    print(
        f"\nDifferent stories sharing a topic within the window: {same_topic_week} pairs; "
        f"joined by the shipped rule: {joined}"
    )

    total = [0, 0, 0]
    chosen = defaultdict(int)
    for out in stories:
        rest = [story for story in stories if story != out]
        rest_pairs = [(a, b) for a, b in pairs if out not in (a, b)]
        scores = {
            value: f1(*pair_counts(clusters(rest, edges[value]), truth, rest_pairs))
            for value in GRID
        }
        value = choose(scores)
        chosen[value] += 1
        mine = [(a, b) for a, b in pairs if out in (a, b)]
        for n, count in enumerate(pair_counts(everyone[value], truth, mine)):
            total[n] += count
    tp, fp, fn = total
    print(
        f"\nLeave-one-story-out over {len(stories)} stories: thresholds chosen "
        + ", ".join(f"{value:.2f} ×{count}" for value, count in sorted(chosen.items()))
    )
    print(
        f"held-out pairs: precision {tp / (tp + fp) if tp + fp else 1:.3f} "
        f"({tp} of {tp + fp}), recall {tp / (tp + fn) if tp + fn else 1:.3f} "
        f"({tp} of {tp + fn}); each pair counted once per story it holds"
    )
    print(f"shipped threshold: {WORD_OVERLAP}")
    if "--idf" in sys.argv:
        idf_check(stories, shipped, truth, names)
    if "--lsh" in sys.argv:
        lsh_check(shipped)
    return 0


if __name__ == "__main__":
    sys.exit(main())
