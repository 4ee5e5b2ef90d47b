"""The demo's data (fixtures/, as bin/demo imports it) plus hostile long words."""

from pathlib import Path

from django.conf import settings
from django.urls import Resolver404, resolve

from articles.ingest.importer import import_paths
from articles.models import Article, Correction, Topic
from providers.models import Provider

from .factories import ArticleFactory, ProviderFactory, RelatedLinkFactory, TopicFactory

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
LONG_WORD = "https://unbroken.example/" + "x" * 300
"""One unbroken "word" wider than any screen, as real outlet descriptions and URLs hold."""

NOT_FOUND = "/no-such-page/"
"""The demo's one page that is not there on purpose: the 404 page must fit too."""
INDEX_PAGES = ["/topics/", "/corrections/"]
"""Index pages other branches add; each is visited where this checkout has it."""


def import_demo():
    """The demo as ``bin/demo`` imports it, then a story, outlet and topic of long words
    (the topic with a picture, as the corpus's taxonomy files have; the story corrected,
    so /corrections/ lists something)."""
    import_paths([FIXTURES / "topics", FIXTURES / "organizations", FIXTURES / "news"], workers=1)
    outlet = ProviderFactory(domain="unbroken.example", description=f"See {LONG_WORD}")
    topic = TopicFactory(
        name="Unbroken",
        slug="unbroken",
        description=f"Read {LONG_WORD}",
        extra={"images": [f"{LONG_WORD}.jpg"]},
    )
    story = ArticleFactory(
        provider=outlet,
        title=f"Long {LONG_WORD}",
        excerpt=LONG_WORD,
        body=f"Source: {LONG_WORD}\n\nSee <{LONG_WORD}>.",
        web_url=LONG_WORD + "/story",
        original_url=LONG_WORD + "/original",
        topics=[topic],
    )
    RelatedLinkFactory(article=story, title=f"Related {LONG_WORD}", web_url=LONG_WORD + "/r")
    Correction.objects.create(article=story, text=f"The link was wrong: {LONG_WORD}")
    return story


def public_pages():
    """One page of every kind the demo has, the widest content of each kind included."""
    newest = Article.objects.published().order_by("-published_at").first()
    longest_title = max(Article.objects.published(), key=lambda a: len(a.title))
    widest_url = max(Article.objects.published(), key=lambda a: len(a.web_url))
    outlet = max(Provider.objects.public(), key=lambda p: len(p.description or ""))
    demo_outlet = newest.provider
    child_topic = Topic.objects.public().filter(parent__isnull=False).first()
    pages = [
        "/",
        "/?page=2",
        "/?q=ai&sort=quality",
        f"/?topic={child_topic.slug}&min_quality=10",
        "/?provider=unbroken.example",
        child_topic.get_absolute_url(),
        Topic.objects.get(slug="unbroken").get_absolute_url(),
        outlet.get_absolute_url(),
        demo_outlet.get_absolute_url(),
        newest.get_absolute_url(),
        longest_title.get_absolute_url(),
        widest_url.get_absolute_url(),
        NOT_FOUND,
    ]
    return pages + [path for path in INDEX_PAGES if _exists(path)]


def _exists(path):
    try:
        resolve(path)
    except Resolver404:
        return False
    return True
