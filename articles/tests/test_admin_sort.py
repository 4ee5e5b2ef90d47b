"""Sorting the editors' list by a score: scored stories first, on SQLite and PostgreSQL alike."""

import pytest
from django.urls import reverse

from articles.admin.stories import ArticleAdmin
from articles.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")


def sort_param(field, descending):
    # The changelist counts its columns after the action checkbox's.
    column = ["action_checkbox", *ArticleAdmin.list_display].index(field)
    return f"{'-' if descending else ''}{column}"


def listed(response):
    return [article.pk for article in response.context["cl"].result_list]


@pytest.mark.parametrize("field", ["quality", "heat"])
@pytest.mark.parametrize("descending", [True, False], ids=["descending", "ascending"])
def test_unscored_stories_come_last_whichever_way(editor_client, field, descending):
    unscored = ArticleFactory(**{field: None})
    low = ArticleFactory(**{field: 10})
    high = ArticleFactory(**{field: 90})
    response = editor_client.get(CHANGELIST, {"o": sort_param(field, descending)})
    scored = [high.pk, low.pk] if descending else [low.pk, high.pk]
    assert listed(response) == [*scored, unscored.pk]


def test_sorted_and_searched_keeps_unscored_last(editor_client):
    unscored = ArticleFactory(title="Robots unscored", quality=None)
    scored = ArticleFactory(title="Robots scored", quality=70)
    response = editor_client.get(CHANGELIST, {"o": sort_param("quality", True), "q": "robots"})
    assert listed(response) == [scored.pk, unscored.pk]
