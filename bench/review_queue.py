"""How fast the review queue is on 100,000 stories, and what a rule's preview costs.

Run from the repository root:
    .venv/bin/python bench/review_queue.py [STORIES]

Uses bench/admin_changelist.py's database and data (a fresh SQLite file in a
temporary folder; STORIES stories, default 100,000, a fifth of them unpublished,
so waiting), gives the stories varied coverage and puts them in clusters of three,
then times as an editor:

- the queue's first page and a deep page, each against its baseline measured in
  the same run: the bare ORM fetch of 50 waiting stories in the same order (one
  SELECT ... LIMIT 50, no one-per-cluster condition), the floor the page cannot beat;
- one keystroke's action (hold, then undo), against a bare one-row UPDATE;
- a rule's preview over every stored story (a title pattern, so every story's
  title goes through RE2), against loading the same titles with the ORM.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from admin_changelist import QueryLog, generate, median_ms  # noqa: E402 - sets up Django
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import F  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from articles.admin.queue import ATTENTION_ORDER, PAGE_SIZE  # noqa: E402
from articles.models import Article, Cluster, Rule  # noqa: E402
from articles.rules.apply import preview  # noqa: E402
from articles.tests.admin_helpers import make_editor  # noqa: E402

QUEUE = "/admin/articles/article/queue/"
ACT = "/admin/articles/article/queue/act/"


def main():
    numbers = [arg for arg in sys.argv[1:] if arg.isdigit()]
    stories = int(numbers[0]) if numbers else 100_000
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    generate(stories)
    Article.objects.update(coverage=1 + F("id") % 7)
    # Clusters of three consecutive stories, as copies of one story would be.
    Cluster.objects.bulk_create(Cluster() for _ in range(stories // 3 + 1))
    first = Cluster.objects.order_by("pk").values_list("pk", flat=True).first()
    Article.objects.update(cluster_id=(F("id") - 1) / 3 + first)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    waiting = Article.objects.filter(review_state="waiting")
    print(f"{stories} stories ({waiting.count()} waiting) in {time.perf_counter() - started:.0f} s")

    client = Client()
    client.force_login(make_editor())
    ordered = waiting.order_by(*ATTENTION_ORDER)
    deep = max(1, min(100, waiting.count() // PAGE_SIZE))
    print(f"\n{'case':24} {'ms':>8} {'queries':>8} {'baseline ms':>12} {'ratio':>6}")
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ):
        for name, page in [("queue, first page", 1), (f"queue, page {deep}", deep)]:
            params = {"page": str(page)}
            assert client.get(QUEUE, params).status_code == 200
            captured = QueryLog()
            with connection.execute_wrapper(captured):
                client.get(QUEUE, params)
            took = median_ms(lambda params=params: client.get(QUEUE, params))
            offset = (page - 1) * PAGE_SIZE
            floor = median_ms(lambda o=offset: list(ordered[o : o + PAGE_SIZE]))
            report(name, took, len(captured), floor)

        story = ordered.first()

        def keystroke():
            answer = client.post(ACT, {"story": story.pk, "action": "hold"}).json()
            client.post(ACT, {"story": story.pk, "action": "undo", "previous": _json(answer)})

        def bare_updates():
            Article.objects.filter(pk=story.pk).update(review_state="held", published=False)
            Article.objects.filter(pk=story.pk).update(review_state="waiting", published=False)

        report("hold + undo", median_ms(keystroke), 0, median_ms(bare_updates))

    rule = Rule(name="bench", action="reject", title_pattern=r"\bCAGR\b|robot \w+ vision")
    took = median_ms(lambda: preview(rule))
    floor = median_ms(lambda: list(Article.objects.values_list("pk", "title")))
    report("rule preview, all stories", took, 0, floor)
    print(f"   (the preview matched {preview(rule).count} stories)")
    print(f"\ntotal run time {time.perf_counter() - started:.0f} s")


def _json(answer):
    import json

    return json.dumps(answer["previous"])


def report(name, took, queries, floor):
    shown = str(queries) if queries else "-"
    print(f"{name:24} {took:8.1f} {shown:>8} {floor:12.1f} {took / floor:6.1f}")


if __name__ == "__main__":
    main()
