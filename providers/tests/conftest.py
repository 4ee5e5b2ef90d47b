import datetime as dt

import pytest

from articles.clusters import outlets
from articles.models import Cluster
from articles.tests.factories import ProviderFactory
from providers import figures
from providers.models import Provider

from .reference import T0, story


@pytest.fixture
def recounted():
    """Run the background recount now (the worker's task), as often as a test needs."""
    return figures.recount_due


@pytest.fixture
def newsroom():
    """Ties on time, unpublished and scheduled copies, clusters of one, unclustered and
    unscored stories, an outlet with no story and one with only a held story."""
    a, b, c = (ProviderFactory(domain=f"{name}.example") for name in "abc")
    ProviderFactory(domain="empty.example")
    held_only = ProviderFactory(domain="held.example")
    tie, twice, hidden, scheduled, alone = (Cluster.objects.create() for _ in range(5))
    story(a, 0, tie), story(b, 0, tie), story(c, 5, tie, quality=None)
    story(a, 1, twice), story(b, 2, twice), story(a, 3, twice), story(a, 3, twice)
    story(b, 0, hidden, published=False), story(a, 4, hidden), story(c, 200, hidden)
    future = dt.datetime(2999, 1, 1, tzinfo=dt.UTC)
    story(c, 1, scheduled, publish_at=future), story(a, 6, scheduled, quality=None)
    story(b, 7, scheduled, unpublish_at=T0)
    story(a, 9, alone), story(a, 500), story(b, 24 * 30, quality=None)
    story(held_only, 3, twice, published=False)
    outlets.refresh(None)
    return Provider.objects.order_by("domain")
