"""What the starter rules catch on a folder of real news files (docs/editors.md).

Run from the repository root:
    .venv/bin/python bench/starter_rules.py [FOLDER]     # default ../shared/corpus/news

Imports FOLDER into a fresh SQLite database in a temporary folder (the starter
rules are there, disabled, as on a new site), then prints each starter rule's
preview: how many stored stories it matches, and every matching title.
"""

import io
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.TemporaryDirectory(prefix="newsroom-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{TMP.name}/bench.sqlite3"
os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret")
os.environ.pop("DJANGO_DEBUG", None)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from articles.models import Article, Rule  # noqa: E402
from articles.rules.apply import matching_ids  # noqa: E402


def main():
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared/corpus/news"
    call_command("migrate", verbosity=0)
    call_command("import_articles", str(folder), stdout=io.StringIO(), stderr=io.StringIO())
    stories = Article.objects.count()
    print(f"{stories} stories imported from {folder}")
    caught = set()
    for rule in Rule.objects.filter(name__startswith="Starter:").order_by("position"):
        ids = matching_ids(rule)
        caught.update(ids)
        print(f"\n{rule.name} ({rule.get_action_display().lower()}): {len(ids)} stories")
        for title in (
            Article.objects.filter(pk__in=ids).order_by("title").values_list("title", flat=True)
        ):
            print(f"  - {title[:110]}")
    print(f"\nall starter rules together: {len(caught)} of {stories} stories")


if __name__ == "__main__":
    main()
