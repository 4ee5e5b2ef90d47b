"""The scorecard in one pass gives the figures the eight correlated subqueries gave.

The reference (``reference.py``) is the computation the one pass replaced; the stored
figures of the admin's list (``providers.figures``) must equal it too.
"""

import pytest
from django.db.models import F
from django.urls import reverse

from articles.clusters.scorecards import public_scorecard, scorecard
from articles.models import Article
from providers import figures

from .reference import reference_annotations, reference_rows, reference_scorecard, stored_rows

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:providers_provider_changelist")
FIGURES = ("stories_per_week", "published_share", "mean_quality", "first_reports", "repeats")


def test_the_public_card_is_the_reference(newsroom, settings):
    settings.NEWSROOM_PRECOMPILED_SQL = True
    for provider in newsroom:
        expected = reference_scorecard(provider, Article.objects.published())
        assert public_scorecard(provider) == expected, provider.domain
    a = newsroom.get(domain="a.example")
    assert (public_scorecard(a)["first_reports"], public_scorecard(a)["repeats"]) == (3, 2)


def test_the_admin_card_is_the_reference(newsroom):
    for provider in newsroom:
        expected = reference_scorecard(provider, Article.objects.all(), with_share=True)
        assert scorecard(provider, Article.objects.all(), with_share=True) == expected


def test_the_stored_columns_are_the_reference(newsroom):
    figures.recount_due()
    assert stored_rows() == reference_rows(newsroom)
    assert any(row["repeats"] for row in reference_rows(newsroom).values())


@pytest.mark.parametrize("figure", FIGURES)
def test_the_admin_list_sorts_by_each_figure(editor_client, newsroom, figure):
    """Descending, the best first and the outlets without the figure last, on both databases."""
    figures.recount_due()
    columns = editor_client.get(CHANGELIST).context["cl"].list_display
    index = [getattr(column, "__name__", column) for column in columns].index(figure)
    response = editor_client.get(CHANGELIST, {"o": f"-{index}"})
    rows = list(response.context["cl"].result_list)
    expected = newsroom.annotate(**reference_annotations(Article.objects.all(), True))
    expected = expected.order_by(F(figure).desc(nulls_last=True), "-pk")
    assert [getattr(p.figures, figure) for p in rows] == [getattr(p, figure) for p in expected]
