"""Small builders for import tests: news files written the way curators write them."""

import io

from django.core.management import call_command

NEWS_TEMPLATE = """---
category: news
title: "{title}"
excerpt: "An excerpt."
publishedDateTime: 2021-05-19T03:20:00Z
originalUrl: "{url}"
webUrl: "{url}"
type: article
{scores}
provider:
  name: Example News
  domain: example.com

topics:
  - AI

secured: "c2VjcmV0;Ym9i"
---

"""


def news_text(title="A story", url="https://example.com/a-story", scores=None):
    if scores is None:
        scores = "quality: 50\nheat: 10\npublished: true"
    return NEWS_TEMPLATE.format(title=title, url=url, scores=scores)


def write(folder, name, content):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode()
    path.write_bytes(content)
    return path


def run_import(*paths, **options):
    """Run import_articles; return (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("import_articles", *map(str, paths), stdout=out, stderr=err, **options)
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue(), err.getvalue()
