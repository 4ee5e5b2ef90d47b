"""Generated stories for the benchmarks: outlets, topics and stories written in bulk.

Deterministic (seeded), so two runs measure the same data: 200 outlets, 40 topics,
one topic per story, 80 % published, 10 % unscored, 5 % videos. Each story is
the lead of a cluster of its own, as an import leaves a story nobody else covered.
"""

import datetime as dt
import random

from django.db import connection

from articles.identity import url_hash
from articles.models import Article, Cluster, Topic
from providers.models import Provider

WORDS = (
    "model chip robot vision language safety hospital benchmark startup open data "
    "training inference lab policy regulators cloud edge speech translation agent"
).split()


def generate(stories):
    rng = random.Random(42)
    providers = Provider.objects.bulk_create(
        Provider(domain=f"outlet{i}.example", name=f"Outlet {i}") for i in range(200)
    )
    topics = Topic.objects.bulk_create(
        Topic(name=f"Topic {i}", slug=f"topic-{i}") for i in range(40)
    )
    start = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
    batch = []
    for i in range(stories):
        url = f"https://news.example/{i}"
        words = rng.sample(WORDS, 6)
        batch.append(
            Article(
                slug=f"story-{i}",
                title=" ".join(words).capitalize() + f" {i}",
                excerpt=" ".join(rng.sample(WORDS, 12)),
                type="video" if i % 20 == 0 else "article",
                category="news",
                published_at=start + dt.timedelta(minutes=26 * i + rng.randrange(20)),
                web_url=url,
                web_url_hash=url_hash(url),
                quality=None if i % 10 == 0 else rng.randrange(0, 130),
                heat=rng.randrange(0, 400),
                published=i * 2654435761 % 97 >= 19,  # ~80 %, whatever the outlet, topic or type
                provider=providers[rng.randrange(len(providers))],
            )
        )
    Article.objects.bulk_create(batch, batch_size=2000)
    pks = list(Article.objects.values_list("pk", flat=True))
    Cluster.objects.bulk_create((Cluster(lead_id=pk) for pk in pks), batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE articles_article SET cluster_id ="
            " (SELECT id FROM articles_cluster WHERE lead_id = articles_article.id)"
        )
    through = Article.topics.through
    through.objects.bulk_create(
        (through(article_id=pk, topic_id=topics[pk % 40].pk) for pk in pks), batch_size=5000
    )
    return providers, topics
