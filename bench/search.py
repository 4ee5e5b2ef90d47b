"""Search latency on 100,000 stories in a throwaway PostgreSQL.

    bin/with-postgres .venv/bin/python bench/search.py

Loads generated stories (90% published, two topics each, Zipf-like words),
then times the public list's first page (published, newest first, LIMIT 20)
for a common, a rare and an absent term, and for two common words that never
occur together (the planner's worst case: it expects many matches and walks
the date index looking for them), against the unfiltered first page as the
baseline. Each figure is the median of REPEAT runs after a warm-up; the plan's
shape comes from EXPLAIN (ANALYZE). Results go to stdout as a Markdown table.
"""

import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from articles.models import Article, Topic  # noqa: E402
from articles.search import search_articles, update_search_vectors  # noqa: E402
from providers.models import Provider  # noqa: E402

STORIES = int(os.environ.get("BENCH_STORIES", 100_000))
REPEAT = 11
SEED = 7
TERMS = {
    "common": "model",  # in about 30% of titles
    "rare": "quasar",  # in 40 stories, all old
    "absent": "zeppelin",  # nowhere
    "absent pair": "robot banana",  # each in 20% of stories, never together
}


def generate():
    rng = random.Random(SEED)
    vocabulary = [f"{a}{b}{c}" for a in "bcdfgklmnprst" for b in "aeiou" for c in "lmnrst"]
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    providers = Provider.objects.bulk_create(
        Provider(domain=f"outlet{n}.example", name=f"Outlet {vocabulary[n]}") for n in range(50)
    )
    topics = Topic.objects.bulk_create(
        Topic(name=f"Topic {vocabulary[-n - 1]}", slug=f"topic-{n}") for n in range(20)
    )
    start = dt.datetime(2015, 1, 1, tzinfo=dt.UTC)
    stories = []
    for n in range(STORIES):
        title = rng.choices(vocabulary, weights, k=7)
        excerpt = rng.choices(vocabulary, weights, k=25)
        if rng.random() < 0.3:
            title.insert(rng.randrange(len(title)), "model")
        side = rng.random()
        if side < 0.2:
            excerpt.append("robots")
        elif side < 0.4:
            excerpt.append("bananas")
        if n < 40:  # the oldest stories: a date walk meets them last
            excerpt.append("quasar")
        stories.append(
            Article(
                slug=f"story-{n}",
                title=" ".join(title).capitalize(),
                excerpt=" ".join(excerpt).capitalize() + ".",
                published_at=start + dt.timedelta(minutes=45 * n),
                web_url=f"https://news.example/{n}",
                web_url_hash=f"{n:064x}",
                published=rng.random() < 0.9,
                provider=providers[n % len(providers)],
            )
        )
    with transaction.atomic():
        articles = Article.objects.bulk_create(stories, batch_size=5000)
        Article.topics.through.objects.bulk_create(
            (
                Article.topics.through(article_id=a.pk, topic_id=topics[(a.pk * k) % 20].pk)
                for a in articles
                for k in (1, 7)
                if (a.pk * k) % 20 != (a.pk * 1) % 20 or k == 1
            ),
            batch_size=10000,
        )
        update_search_vectors(Article.objects.values("pk"))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def newest_first(queryset):
    return queryset.order_by("-published_at", "-id")


def timed(queryset, run=list):
    """Median milliseconds of ``run`` over fresh copies (a queryset caches its rows)."""
    run(queryset.all())
    runs = []
    for _ in range(REPEAT):
        began = time.perf_counter()
        run(queryset.all())
        runs.append(time.perf_counter() - began)
    return statistics.median(runs) * 1000


def plan(queryset):
    text = queryset.explain(analyze=True)
    top = [line.strip() for line in text.splitlines() if "->" in line][:3]
    shape = " / ".join(part.split("  (")[0].lstrip("-> ") for part in top)
    removed = sum(
        int(line.split(":")[1]) for line in text.splitlines() if "Rows Removed by Filter" in line
    )
    return f"{shape}; {removed:,} rows read and dropped" if removed else shape


def main():
    began = time.perf_counter()
    call_command("migrate", verbosity=0)
    generate()
    load = time.perf_counter() - began
    published = Article.objects.published()
    base = timed(newest_first(published)[:20])
    print(
        f"{STORIES:,} stories loaded and indexed in {load:.0f} s"
        f" (PostgreSQL {connection.pg_version})"
    )
    print(
        f"\nBaseline, unfiltered first page: {base:.2f} ms ({plan(newest_first(published)[:20])})\n"
    )
    print("| term | matches | shape | ms | x baseline | plan |")
    print("| --- | ---: | --- | ---: | ---: | --- |")
    for label, term in TERMS.items():
        matches = search_articles(published, term).count()
        shapes = {
            # What a caller gets by re-ordering plainly: the planner picks the date walk.
            "date, plain ORDER BY": newest_first(search_articles(published, term))[:20],
            # search_articles' own (model) ordering, through order_matches().
            "date, search_articles": search_articles(published, term)[:20],
            "rank": search_articles(published, term, order_by_rank=True)[:20],
            "count (paginator)": None,
        }
        for shape, queryset in shapes.items():
            if queryset is None:
                ms = timed(search_articles(published, term), run=lambda qs: qs.count())
                how = ""
            else:
                ms, how = timed(queryset), plan(queryset)
            print(
                f"| {label} `{term}` | {matches:,} | {shape} | {ms:.2f} | {ms / base:.1f} | {how} |"
            )


if __name__ == "__main__":
    if connection.vendor != "postgresql":
        sys.exit("run under bin/with-postgres: this measures PostgreSQL")
    main()
