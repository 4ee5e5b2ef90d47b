"""Every public page and the editors' list at a million stories on PostgreSQL.

Run from the repository root (about half an hour at 1,000,000 on 2 shared cores):
    bin/with-postgres .venv/bin/python bench/million.py [STORIES] [-v]

Builds STORIES stories (default 1,000,000) in the empty database bin/with-postgres
provides, with SQL (``INSERT ... SELECT`` over ``generate_series`` in batches):
every column the importer fills, the search vector computed by the same SQL
function the trigger uses, one topic link and one image per story; 200 outlets,
40 topics, 80 % published, 10 % unscored. Then, DEBUG off, each page is requested
through django.test.Client (the admin's as an editor) and reported as the median
of several requests with its query count and the median time its queries took
("SQL ms": what the database costs, apart from rendering) and the CPU this
process spent on it ("CPU ms", ``time.process_time``), beside a bare-ORM
baseline measured in the same run: the same filter and order fetching one page
of rows.
``-v`` also prints each page's three slowest queries; ``--only=WORD`` (repeatable)
measures only the pages whose name holds WORD (``--only=sitemap --only=heat``).
``--build-only`` builds and stops; ``--reuse`` measures a database built before
(same STORIES) without building, so two versions of the code can be measured on the same data:
    bin/with-postgres bash -c 'python bench/million.py --build-only; sleep 1d' &
    DATABASE_URL=... .venv/bin/python bench/million.py --reuse -v
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret")
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
os.environ.pop("DJANGO_DEBUG", None)
os.environ.pop("REDIS_URL", None)  # measure the pages, not the page cache

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.db.models import F  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from articles.models import Article, ArticleImage, Topic  # noqa: E402
from articles.paging import MAX_PAGES  # noqa: E402
from articles.search import search_articles  # noqa: E402
from articles.sitemaps import ArticleSitemap  # noqa: E402
from articles.tests.admin_helpers import make_editor  # noqa: E402
from bench import timing  # noqa: E402
from bench.stories import WORDS  # noqa: E402
from bench.timing import QueryLog  # noqa: E402
from providers.models import Provider  # noqa: E402

REPEAT = 5
BATCH = 100_000
OUTLETS, TOPICS = 200, 40
# 80 % published, by the story number modulo a prime: independent of the outlet
# (mod 200), topic (mod 40), type (mod 20) and score (mod 10), so that, as in real
# data, no outlet, topic or type is carried only by unpublished stories.
PUBLISHED = "s.i * 2654435761 % 97 >= 19"


def median_ms(function):
    return timing.median_ms(function, REPEAT)


def page_sql_cpu_ms(client, url, params):
    """The page's median time, the median time its queries took and its median CPU, in ms.

    The second is what the database costs, apart from rendering; the third is this
    process's CPU (``time.process_time``: Django's work, not the database's). On a
    shared machine under load the page time grows with the load, the other two less.
    """
    client.get(url, params)
    pages, sql, cpu = [], [], []
    for _ in range(REPEAT):
        log = QueryLog()
        with connection.execute_wrapper(log):
            start, start_cpu = time.perf_counter(), time.process_time()
            client.get(url, params)
            pages.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        sql.append(sum(seconds for seconds, _ in log))
    return (statistics.median(values) * 1000 for values in (pages, sql, cpu))


def words(count, step):
    """SQL for ``count`` words picked from WORDS by the story number ``i``."""
    picks = [f"w[1 + ((i * {step + 2 * k} + {k}) % {len(WORDS)})]" for k in range(count)]
    return " || ' ' || ".join(picks)


def default_sql(field):
    """A column the bench does not set: what a fresh import leaves in it."""
    if field.null:
        return "NULL"
    default = field.get_default()
    if isinstance(field, models.JSONField):
        return "'[]'::jsonb" if default == [] else "'{}'::jsonb"
    if isinstance(field, models.BooleanField):
        return "false"
    if isinstance(field, models.DateTimeField):
        return "now()"
    if isinstance(field, (models.IntegerField, models.PositiveIntegerField)):
        return str(default or 0)
    return "''"


def insert_sql(model, explicit, source):
    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(connection.ops.quote_name(field.column))
        values.append(explicit.get(field.column, default_sql(field)))
    table = model._meta.db_table
    return f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} FROM {source}"


def between(sql, low, high):
    """The statement for one batch (no parameters, so '%' stays SQL's modulo)."""
    return sql.replace(":lo", str(int(low))).replace(":hi", str(int(high)))


def build(stories):
    Provider.objects.bulk_create(
        Provider(domain=f"outlet{i}.example", name=f"Outlet {i}") for i in range(OUTLETS)
    )
    Topic.objects.bulk_create(Topic(name=f"Topic {i}", slug=f"topic-{i}") for i in range(TOPICS))
    first_provider = Provider.objects.order_by("pk").first().pk
    first_topic = Topic.objects.order_by("pk").first().pk
    story = {
        "slug": "'story-' || s.i",
        "title": "s.title",
        "excerpt": "s.excerpt",
        "body": "'A body paragraph for story ' || s.i || '.'",
        "category": "'news'",
        "type": "CASE WHEN s.i % 20 = 0 THEN 'video' ELSE 'article' END",
        "published_at": "timestamptz '2021-01-01' + s.i * interval '2 minutes'",
        "web_url": "s.url",
        "web_url_hash": "encode(sha256(convert_to(s.url, 'UTF8')), 'hex')",
        "quality": "CASE WHEN s.i % 10 = 0 THEN NULL ELSE (s.i * 37) % 130 END",
        "heat": "(s.i * 53) % 400",
        "published": PUBLISHED,
        "review_state": f"CASE WHEN {PUBLISHED} THEN 'published' ELSE 'waiting' END",
        "decided_by": f"CASE WHEN {PUBLISHED} THEN 'source' ELSE '' END",
        # Every imported story has a cluster; here each is a cluster of one, made
        # below (the foreign key is checked at the batch's commit).
        "cluster_id": "s.i + 1",
        "provider_id": "p.id",
        "source_file": "'news/' || s.i || '.md'",
        "content_hash": "md5(s.i::text)",
        "data_hash": "md5(s.url)",
        "imported_at": "now()",
        "imported_published": PUBLISHED,
        "imported_quality": "CASE WHEN s.i % 10 = 0 THEN NULL ELSE (s.i * 37) % 130 END",
        # What articles_search_document() computes, with the outlet and topic at hand.
        "search_vector": "setweight(to_tsvector('english', s.title), 'A')"
        " || setweight(to_tsvector('english', s.excerpt), 'B')"
        " || setweight(to_tsvector('english', p.name || ' ' || t.name), 'C')",
    }
    source = f"""(
        SELECT i, 'https://news.example/' || i AS url,
               initcap({words(6, 7)}) || ' ' || i AS title, {words(12, 11)} AS excerpt,
               {first_provider} + (i * 7919) % {OUTLETS} AS provider_id,
               {first_topic} + i % {TOPICS} AS topic_id
          FROM generate_series(:lo::bigint, :hi::bigint) AS i,
               (SELECT ARRAY[{", ".join(f"'{w}'" for w in WORDS)}] AS w) AS vocabulary
    ) AS s
    JOIN providers_provider p ON p.id = s.provider_id
    JOIN articles_topic t ON t.id = s.topic_id"""
    articles = insert_sql(Article, story, source)
    image = {
        "article_id": "a.id",
        "position": "0",
        "url": "'https://images.example/' || a.id || '.jpg'",
        "width": "1200",
        "height": "675",
    }
    images = insert_sql(ArticleImage, image, "articles_article a WHERE a.id BETWEEN :lo AND :hi")
    links = (
        "INSERT INTO articles_article_topics (article_id, topic_id) "
        f"SELECT a.id, {first_topic} + (substr(a.slug, 7)::bigint % {TOPICS}) "
        "FROM articles_article a WHERE a.id BETWEEN :lo AND :hi"
    )
    clusters = (
        "INSERT INTO articles_cluster (id, lead_id, lead_chosen, created_at, updated_at) "
        "SELECT a.cluster_id, a.id, false, now(), now() "
        "FROM articles_article a WHERE a.id BETWEEN :lo AND :hi"
    )
    with connection.cursor() as cursor:
        for start in range(0, stories, BATCH):
            stop = min(stories, start + BATCH) - 1
            cursor.execute("SELECT coalesce(max(id), 0) FROM articles_article")
            (last,) = cursor.fetchone()
            with transaction.atomic():
                cursor.execute(between(articles, start, stop))
                cursor.execute(between(clusters, last + 1, last + BATCH))
            cursor.execute(between(images, last + 1, last + BATCH))
            cursor.execute(between(links, last + 1, last + BATCH))
            print(f"  {stop + 1:>9,} stories", flush=True)
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('articles_cluster', 'id'), max(id)) "
            "FROM articles_cluster"
        )
        cursor.execute("VACUUM ANALYZE")


def cases(stories):
    published = Article.objects.published().order_by("-published_at", "-id")
    topic = Topic.objects.get(slug="topic-3")
    provider = Provider.objects.get(domain="outlet7.example")
    story = published[stories // 3 : stories // 3 + 1].get()
    deep = max(2, min(MAX_PAGES, stories // 500))  # the deepest page a public list serves
    admin_deep = max(2, min(2000, stories // 500))
    ordered = Article.objects.order_by("-published_at", "-id")
    by_quality = published.order_by(F("quality").desc(nulls_last=True), "-published_at", "-id")
    by_heat = published.order_by(F("heat").desc(nulls_last=True), "-published_at", "-id")
    # The stories' sitemap sections are ranges of ids: the last and one in the middle.
    span = ArticleSitemap.limit
    last_id = published.order_by("-id").values_list("id", flat=True).first() or 1
    sections = -(-last_id // span)

    def section(p):
        return published.order_by("id").filter(id__gt=(p - 1) * span, id__lte=p * span)

    def ranked(term):
        return search_articles(published, term, order_by_rank=True)

    a = "/admin/articles/article/"
    return [
        ("/", "/", {}, published, 20, False),
        (f"/?page={deep}", "/", {"page": deep}, published, 20, False, (deep - 1) * 20),
        ("topic page", f"/topics/{topic.slug}/", {}, published.filter(topics=topic), 20, False),
        (
            "outlet page",
            f"/providers/{provider.domain}/",
            {},
            published.filter(provider=provider),
            20,
            False,
        ),
        ("/?min_quality=90", "/", {"min_quality": 90}, published.filter(quality__gte=90), 20, 0),
        ("/?sort=quality", "/", {"sort": "quality"}, by_quality, 20, False),
        ("/?sort=heat", "/", {"sort": "heat"}, by_heat, 20, False),
        ("/?q=robot", "/", {"q": "robot"}, ranked("robot"), 20, False),
        (
            "/?q=robot&sort=newest",
            "/",
            {"q": "robot", "sort": "newest"},
            search_articles(published, "robot"),
            20,
            False,
        ),
        ("/?q=zeppelin", "/", {"q": "zeppelin"}, search_articles(published, "zeppelin"), 20, 0),
        (
            "topic page ?sort=quality",
            f"/topics/{topic.slug}/",
            {"sort": "quality"},
            by_quality.filter(topics=topic),
            20,
            False,
        ),
        (
            "/?type=video&sort=heat",
            "/",
            {"type": "video", "sort": "heat"},
            by_heat.filter(type="video"),
            20,
            False,
        ),
        # The filters' stories spread out in the sort's order (a match every few rows) ...
        (
            "topic page ?sort=heat",
            f"/topics/{topic.slug}/",
            {"sort": "heat"},
            by_heat.filter(topics=topic),
            20,
            False,
        ),
        (
            "outlet page ?sort=quality",
            f"/providers/{provider.domain}/",
            {"sort": "quality"},
            by_quality.filter(provider=provider),
            20,
            False,
        ),
        # ... and clustered: none (every video is unscored), or late in the order.
        (
            "/?type=video&min_quality=50",
            "/",
            {"type": "video", "min_quality": 50},
            published.filter(type="video", quality__gte=50),
            20,
            False,
        ),
        (
            "/?topic=3&min_quality=100&sort=heat",
            "/",
            {"topic": topic.slug, "min_quality": 100, "sort": "heat"},
            by_heat.filter(topics=topic, quality__gte=100),
            20,
            False,
        ),
        # The deepest page of each narrowing filter and sort: 2,000 matches passed first.
        *(
            (
                f"{name} p={deep}",
                url,
                {**params, "page": deep},
                queryset,
                20,
                False,
                (deep - 1) * 20,
            )
            for name, url, params, queryset in (
                ("topic page", f"/topics/{topic.slug}/", {}, published.filter(topics=topic)),
                (
                    "outlet page",
                    f"/providers/{provider.domain}/",
                    {},
                    published.filter(provider=provider),
                ),
                ("/?min_quality=90", "/", {"min_quality": 90}, published.filter(quality__gte=90)),
                (
                    "topic page ?sort=quality",
                    f"/topics/{topic.slug}/",
                    {"sort": "quality"},
                    by_quality.filter(topics=topic),
                ),
                (
                    "topic page ?sort=heat",
                    f"/topics/{topic.slug}/",
                    {"sort": "heat"},
                    by_heat.filter(topics=topic),
                ),
                (
                    "outlet page ?sort=quality",
                    f"/providers/{provider.domain}/",
                    {"sort": "quality"},
                    by_quality.filter(provider=provider),
                ),
                (
                    "/?type=video&sort=heat",
                    "/",
                    {"type": "video", "sort": "heat"},
                    by_heat.filter(type="video"),
                ),
                (
                    "/?topic=3&min_quality=100&sort=heat",
                    "/",
                    {"topic": topic.slug, "min_quality": 100, "sort": "heat"},
                    by_heat.filter(topics=topic, quality__gte=100),
                ),
            )
        ),
        ("story page", f"/articles/{story.slug}/", {}, published.filter(pk=story.pk), 1, False),
        ("/api/news/", "/api/news/", {}, published, 20, False),
        ("/feeds/rss/", "/feeds/rss/", {}, published, 20, False),
        ("/sitemap.xml", "/sitemap.xml", {}, published, 1, False),
        ("sitemap-topics", "/sitemap-topics.xml", {}, Topic.objects.all(), 40, False),
        ("sitemap-articles", "/sitemap-articles.xml", {}, section(1), span, False),
        *(
            (f"sitemap-articles p={p}", "/sitemap-articles.xml", {"p": p}, section(p), span, 0)
            for p in sorted({max(1, sections // 2), sections})
        ),
        ("admin plain", a, {}, ordered, 100, True),
        ("admin drafts", a, {"published__exact": "0"}, ordered.filter(published=False), 100, 1),
        (
            "admin one outlet",
            a,
            {"provider__id__exact": provider.pk},
            ordered.filter(provider=provider),
            100,
            True,
        ),
        ("admin one topic", a, {"topic": topic.pk}, ordered.filter(topics=topic), 100, True),
        ("admin q=robot", a, {"q": "robot"}, search_articles(ordered, "robot"), 100, True),
        ("admin q=zeppelin", a, {"q": "zeppelin"}, search_articles(ordered, "zeppelin"), 100, 1),
        (
            "admin by quality",
            a,
            {"o": "-4"},
            ordered.order_by(F("quality").desc(nulls_last=True), "-id"),
            100,
            True,
        ),
        (
            f"admin page {admin_deep}",
            a,
            {"p": admin_deep},
            ordered,
            100,
            True,
            (admin_deep - 1) * 100,
        ),
    ]


def measure(chosen, reader, editor):
    """One line per case: page, SQL and CPU medians, queries, the bare-ORM floor."""
    for name, url, params, queryset, size, staff, *offset in chosen:
        client = editor if staff else reader
        offset = offset[0] if offset else 0
        response = client.get(url, params)
        assert response.status_code == 200, (name, response.status_code)
        captured = QueryLog()
        with connection.execute_wrapper(captured):
            client.get(url, params)
        page, sql, cpu = page_sql_cpu_ms(client, url, params)
        floor = median_ms(lambda q=queryset, o=offset, n=size: list(q[o : o + n]))
        print(
            f"{name:24} {page:8.1f} {sql:8.1f} {cpu:8.1f} {len(captured):8d} {floor:8.1f}"
            f" {page / floor:6.1f}"
        )
        if "-v" in sys.argv:
            for seconds, sql in sorted(captured, reverse=True)[:3]:
                print(f"    {seconds * 1000:7.1f} ms  {sql[:150]}")


def main():
    numbers = [arg for arg in sys.argv[1:] if arg.isdigit()]
    stories = int(numbers[0]) if numbers else 1_000_000
    assert connection.vendor == "postgresql", "run under bin/with-postgres"
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if "--reuse" in sys.argv:
        print(f"{Article.objects.count():,} stories already built")
    else:
        build(stories)
        built = time.perf_counter() - started
        print(f"{stories:,} stories built in {built:.0f} s", flush=True)
    if "--build-only" in sys.argv:
        return
    reader, editor = Client(), Client()
    editor.force_login(User.objects.filter(username="editor").first() or make_editor())
    only = [arg.removeprefix("--only=") for arg in sys.argv if arg.startswith("--only=")]
    chosen = [case for case in cases(stories) if not only or any(w in case[0] for w in only)]
    columns = ("ms", "SQL ms", "CPU ms", "queries", "ORM ms")
    print(f"\n{'page':24}", *(f"{column:>8}" for column in columns), f"{'ratio':>6}")
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ):
        measure(chosen, reader, editor)
        # What a sitemap page costs once the values it keeps per page-cache generation
        # are kept (the outlets' count, the public topics' ids): the page cache on
        # over a memory cache, and the reader carrying a session cookie so that no
        # whole page is served from it or stored.
        kept = [case for case in chosen if "sitemap" in case[0]]
        if kept:
            print("\nwith the page cache's kept values (pages themselves not cached):")
            store = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
            with override_settings(
                CACHES={**settings.CACHES, "default": store}, PAGE_CACHE_SECONDS=300
            ):
                reader.cookies[settings.SESSION_COOKIE_NAME] = "bench-not-a-session"
                measure(kept, reader, editor)
    print(f"\ntotal run time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
