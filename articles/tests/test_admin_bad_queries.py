"""Admin lists answer a query string they cannot use with a 400 that names it, never a 500
(issue 10, class 8, the admin's part)."""

import pytest
from django.urls import reverse

from articles.search import MAX_WORDS

from .admin_helpers import CHANGELIST
from .factories import ArticleFactory, TopicFactory

pytestmark = pytest.mark.django_db

LONG_SEARCH = " ".join(f"word{i}" for i in range(120))


@pytest.fixture
def stories():
    topic = TopicFactory()
    return ArticleFactory.create_batch(2, topics=[topic]), topic


def reason_of(response):
    assert response.templates[0].name == "admin/bad_list_query.html"
    return response.context["reason"]


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"topic": "abc"}, "topic: 'abc' is not an id"),
        ({"topic": "99999999999999999999"}, "topic: '99999999999999999999' is not an id"),
        ({"topic": "-1"}, "topic: '-1' is not an id"),
        ({"published_at__year": "9999"}, "published_at: '9999' is not a date"),
        (
            {"published_at__year": "9999", "published_at__month": "12"},
            "published_at: '9999-12' is not a date",
        ),
        ({"published_at__year": "99999999999999999999"}, "is not a date this list can show"),
        ({"published_at__year": "abc"}, "published_at: 'abc' is not a date"),
        (
            {"published_at__year": "2024", "published_at__month": "2", "published_at__day": "30"},
            "published_at: '2024-2-30' is not a date",
        ),
        (
            {"published_at__year": "2024", "published_at__day": "40"},
            "published_at: '2024-40' is not a date",
        ),
        ({"q": LONG_SEARCH}, "search: Use at most 32 words in a search"),
        ({"type": "article\x00"}, "type: text may not hold NUL characters"),
        ({"provider__id__exact": "abc"}, "expected a number but got 'abc'"),
        ({"published__exact": "maybe"}, "“maybe” value must be either True or False"),
    ],
)
def test_story_list_names_what_it_cannot_use(editor_client, stories, params, reason):
    response = editor_client.get(CHANGELIST, params)
    assert response.status_code == 400
    assert reason in reason_of(response)
    assert CHANGELIST in response.content.decode()  # a way back to the whole list


@pytest.mark.parametrize(
    "params",
    [
        {"provider__id__exact": "99999999999999999999"},
        {"quality_band": "nonsense"},
        {"p": "99999999999999999999"},
        {"o": "99999999999999999999"},
        {"q": " ".join(["word"] * MAX_WORDS)},
        {"q": "word\x00"},
    ],
)
def test_story_list_shrugs_off_values_it_ignores(editor_client, stories, params):
    response = editor_client.get(CHANGELIST, params)
    assert response.status_code == 200


def test_good_filters_still_work(editor_client, stories):
    articles, topic = stories
    other = ArticleFactory()
    response = editor_client.get(CHANGELIST, {"topic": str(topic.pk)})
    assert {a.pk for a in response.context["cl"].result_list} == {a.pk for a in articles}
    year = str(other.published_at.year)
    response = editor_client.get(CHANGELIST, {"published_at__year": year, "q": "Story"})
    assert response.status_code == 200
    november = {"published_at__year": "9999", "published_at__month": "11"}
    assert editor_client.get(CHANGELIST, november).status_code == 200
    response = editor_client.get(CHANGELIST, {"published_at__year": "9998"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


def test_bad_filter_on_an_action_post_is_a_400(editor_client, stories):
    articles, _ = stories
    data = {"action": "publish_selected", "index": "0", "_selected_action": [articles[0].pk]}
    response = editor_client.post(CHANGELIST + "?topic=abc", data)
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("admin_list", "params"),
    [
        ("admin:articles_topic_changelist", {"parent__id__exact": "abc"}),
        ("admin:articles_topic_changelist", {"q": LONG_SEARCH}),
        ("admin:providers_provider_changelist", {"o": "abc"}),
        ("admin:providers_provider_changelist", {"q": LONG_SEARCH}),
        ("admin:articles_topic_changelist", {"q": "word\x00"}),
        ("admin:providers_provider_changelist", {"q": "word\x00"}),
    ],
)
def test_other_lists_never_fail(editor_client, stories, admin_list, params):
    response = editor_client.get(reverse(admin_list), params)
    assert response.status_code in (200, 400)


def test_story_autocomplete_with_a_long_term(editor_client, stories):
    """The related-story picker searches stories too: a long term finds nothing, never fails."""
    params = {
        "app_label": "articles",
        "model_name": "relatedlink",
        "field_name": "target",
        "term": LONG_SEARCH,
    }
    response = editor_client.get(reverse("admin:autocomplete"), params)
    assert response.status_code == 200
    assert response.json()["results"] == []
