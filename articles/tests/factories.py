"""factory_boy factories for stories, topics and outlets."""

import datetime as dt

import factory
from django.db.models.signals import m2m_changed
from factory.django import DjangoModelFactory

from articles.models import Article, ArticleImage, RelatedLink, Topic
from providers.models import Provider


class ProviderFactory(DjangoModelFactory):
    class Meta:
        model = Provider
        django_get_or_create = ("domain",)

    domain = factory.Sequence(lambda n: f"outlet{n}.example")
    name = factory.Sequence(lambda n: f"Outlet {n}")


class TopicFactory(DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class ArticleFactory(DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True  # topics are set through the m2m, no save needed

    title = factory.Sequence(lambda n: f"Story number {n}")
    slug = factory.Sequence(lambda n: f"story-{n}")
    excerpt = "What happened, in two lines."
    category = "news"
    type = "article"
    published_at = factory.Sequence(
        lambda n: dt.datetime(2024, 1, 1, tzinfo=dt.UTC) + dt.timedelta(hours=n)
    )
    web_url = factory.Sequence(lambda n: f"https://news.example/story-{n}")
    quality = 50
    heat = 10
    published = True
    provider = factory.SubFactory(ProviderFactory)
    secured = "c2VjcmV0"

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        """Linked in the given order, as the importer links a file's (``topics.set()``
        inserts from a set: the order it gives PostgreSQL's larger ids is not the list's);
        the signals are what ``set()`` on a new story sends."""
        if not (create and extracted):
            return
        ids = list(dict.fromkeys(getattr(topic, "pk", topic) for topic in extracted))
        through = type(self).topics.through
        signal = {"sender": through, "instance": self, "reverse": False, "model": Topic}
        signal.update(pk_set=set(ids), using=self._state.db)
        m2m_changed.send(action="pre_add", **signal)
        through.objects.bulk_create(through(article=self, topic_id=pk) for pk in ids)
        m2m_changed.send(action="post_add", **signal)


class ArticleImageFactory(DjangoModelFactory):
    class Meta:
        model = ArticleImage

    article = factory.SubFactory(ArticleFactory)
    position = factory.Sequence(int)
    url = factory.Sequence(lambda n: f"https://img.example/{n}.jpg")
    width = 1200
    height = 630


class RelatedLinkFactory(DjangoModelFactory):
    class Meta:
        model = RelatedLink

    article = factory.SubFactory(ArticleFactory)
    position = factory.Sequence(int)
    title = factory.Sequence(lambda n: f"Related story {n}")
    web_url = factory.Sequence(lambda n: f"https://elsewhere.example/{n}")
    provider = factory.LazyFunction(lambda: {"name": "Elsewhere", "domain": "elsewhere.example"})


def one_story_from_three_outlets(t0, topics):
    """One story told by three outlets an hour apart (one card, "also reported by")."""
    return [
        ArticleFactory(
            title="Kyocera launches a chip",
            web_url=f"https://outlet-c{n}.example/kyocera",
            original_url="https://kyocera.example/news/chip",
            provider=ProviderFactory(domain=f"outlet-c{n}.example"),
            published_at=t0 + dt.timedelta(hours=n),
            topics=topics,
        )
        for n in range(3)
    ]
