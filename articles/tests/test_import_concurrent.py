"""Two ``import_articles`` processes on the same folder at once end in one clean state."""

import os
import subprocess
import sys
import time
from pathlib import Path

import frontmatter
import pytest
from django.db import connection, transaction

from articles.identity import url_hash
from articles.models import Article, Topic
from providers.models import Provider

from .helpers import write

ROOT = Path(__file__).resolve().parents[2]


def database_url():
    """The test database (pytest-django's ``test_<name>``), as a URL for a child process."""
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_import(folder):
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_DEBUG": "1"}
    return subprocess.Popen(
        [sys.executable, "manage.py", "import_articles", "--skip-checks", str(folder)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_together(folder):
    """Start two imports held at their first INSERT, then let both go at once.

    The test holds a lock that blocks inserts of outlets and topics (not
    reads) until both processes wait on it: each has already looked for the
    rows it is about to create, which is the race.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("LOCK TABLE providers_provider, articles_topic IN SHARE ROW EXCLUSIVE MODE")
        runs = [start_import(folder), start_import(folder)]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(DISTINCT pid) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0] == 2:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the two imports never both reached their first insert")
    outputs = [run.communicate(timeout=300) for run in runs]
    return [(run.returncode, *output) for run, output in zip(runs, outputs, strict=True)]


def assert_clean(results):
    for code, out, err in results:
        assert err == "", err
        assert code == 0
        assert out.rstrip().endswith(" 0 failed"), out


def generated_stories(folder, count=300):
    """Stories sharing new outlets and topics, so both runs create the same ones at once."""
    for n in range(count):
        topics = "".join(f"\n  - Race topic {(n + k) % 17}" for k in range(3))
        write(
            folder,
            f"race/2024-01-01-race-story-{n:04}.md",
            f"""---
title: "Race story {n}"
excerpt: "Story {n} of the concurrency test."
publishedDateTime: 2024-01-01T00:00:00Z
webUrl: "https://race{n % 9}.example/story-{n}"
type: article
category: news
provider:
  name: Race outlet {n % 9}
  domain: race{n % 9}.example
topics:{topics}
---
""",
        )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
class TestConcurrentImports:
    """Natural keys are unique constraints and writes are upserts: racing runs agree."""

    def test_two_processes_on_the_same_folder(self, corpus, tmp_path):
        folder = tmp_path / "data"
        for sub in ("news", "topics", "organizations"):
            for path in (corpus / sub).iterdir():
                write(folder, f"{sub}/{path.name}", path.read_bytes())
        generated_stories(folder)

        assert_clean(run_together(folder))
        news = [frontmatter.load(p).metadata for p in sorted((folder / "news").iterdir())]
        urls = {url_hash(m.get("webUrl") or m["originalUrl"]) for m in news}
        urls |= {url_hash(f"https://race{n % 9}.example/story-{n}") for n in range(300)}
        assert sorted(Article.objects.values_list("web_url_hash", flat=True)) == sorted(urls)
        topic_names = {name for m in news for name in m["topics"]}
        topic_names |= {f"Race topic {k}" for k in range(17)}
        topic_names |= {
            p.read_text().split("name:", 1)[1].splitlines()[0].strip().strip("\"'")
            for p in (folder / "topics").iterdir()
        }
        assert sorted(Topic.objects.values_list("name", flat=True)) == sorted(topic_names)
        domains = {m["provider"]["domain"].lower() for m in news}
        domains |= {f"race{k}.example" for k in range(9)}
        domains |= {
            frontmatter.load(p).metadata["domain"].lower()
            for p in (folder / "organizations").iterdir()
        }
        assert sorted(Provider.objects.values_list("domain", flat=True)) == sorted(domains)

        # Between them the two runs left nothing undone: a third finds no change.
        out, err = start_import(folder).communicate(timeout=300)
        assert " 0 created, 0 updated," in out and " 0 failed" in out, out + err

    def test_two_processes_creating_the_same_outlets_and_topics(self, corpus, tmp_path):
        """Topic and organization files naming rows nobody has yet: both runs create them."""
        folder = tmp_path / "data"
        for sub in ("topics", "organizations"):
            for path in (corpus / sub).iterdir():
                write(folder, f"{sub}/{path.name}", path.read_bytes())

        assert_clean(run_together(folder))
        assert Provider.objects.count() == len(list((folder / "organizations").iterdir()))
        assert Topic.objects.count() == len(list((folder / "topics").iterdir()))
