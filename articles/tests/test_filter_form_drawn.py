"""A list with no filter set draws its form without a FilterSet: the bound form's HTML."""

from html import escape

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from articles.filterform import _drawn_form, bound_form_html, empty_form_html, topic_choices
from articles.filters import ArticleFilter
from articles.models import Article
from providers.models import Provider

from .factories import ArticleFactory, ProviderFactory, TopicFactory

pytestmark = pytest.mark.django_db

HOSTILE = '"><script>alert(1)</script>&amp;'


@pytest.fixture
def stories():
    parent = TopicFactory(name=f"Top {HOSTILE}", slug="top")
    ArticleFactory(topics=[parent], type="video", provider=ProviderFactory(name=HOSTILE))
    ArticleFactory(topics=[TopicFactory(name="Child", slug="child", parent=parent)], type="a&b")


def bound_to(query, request, leave_out=()):
    """What the page drew before: the FilterSet bound to the request, its topics offered."""
    filterset = ArticleFilter(QueryDict(query), queryset=Article.objects.none())
    for name in leave_out:
        filterset.filters.pop(name)
    form = filterset.form
    if "topic" in form.fields:
        field = form.fields["topic"]
        field.widget.choices = topic_choices(request, field.empty_label)
    return form


EMPTY_QUERIES = ["", "page=3", "q=&topic=&provider=&since=", "until=&min_quality=&type=", "u=1"]
"""Queries that set no filter: absent, empty (a date box then keeps ``value=""``), unknown."""


@pytest.mark.parametrize("query", EMPTY_QUERIES)
@pytest.mark.parametrize("leave_out", [(), ("topic",), ("provider",)])
@pytest.mark.parametrize("filtered", [False, True])
def test_the_empty_form_is_the_bound_forms_html(stories, query, leave_out, filtered):
    request = RequestFactory().get("/somewhere/", QueryDict(query))
    expected = bound_form_html(
        bound_to(query, request, leave_out),
        action="/some <where>/",
        filtered=filtered,
        active_filters=0,
    )
    drawn = empty_form_html(
        request, leave_out=leave_out, action="/some <where>/", filtered=filtered
    )
    assert drawn == expected
    assert "Top &quot;&gt;&lt;script&gt;" in drawn or "topic" in leave_out
    assert ("Clear filters" in drawn) is filtered


def test_the_form_of_each_request_has_its_own_topics(stories):
    """The topics offered are the request's: a topic made public since shows at once."""
    request = RequestFactory().get("/")
    assert "Later" not in empty_form_html(request, action="/", filtered=False)
    ArticleFactory(topics=[TopicFactory(name="Later", slug="later")])
    assert '<option value="later">Later</option>' in empty_form_html(
        RequestFactory().get("/"), action="/", filtered=False
    )


class TestTheDrawnFormKept:
    """A process keeps the empty form's HTML per set of values it shows (``_drawn_form``):
    what it shows is asked on every request, so a change shows on the next one."""

    def form(self):
        return empty_form_html(RequestFactory().get("/"), action="/", filtered=False)

    def test_the_same_values_draw_once_and_query_alike(self, stories, django_assert_num_queries):
        _drawn_form.cache_clear()
        with CaptureQueriesContext(connection) as drawing:
            first = self.form()
        with django_assert_num_queries(len(drawing)):
            again = self.form()
        assert again == first
        assert _drawn_form.cache_info().hits == 1

    def test_a_renamed_outlet_shows_at_once(self, stories):
        named = f">{escape(HOSTILE)}</option>"  # the outlet's option (the topic's is "Top …")
        assert named in self.form()
        Provider.objects.filter(name=HOSTILE).update(name="Renamed Daily")
        drawn = self.form()
        assert ">Renamed Daily</option>" in drawn
        assert named not in drawn

    def test_an_outlet_or_type_the_public_rule_hides_goes_at_once(self, stories):
        later = ArticleFactory(type="podcast", provider=ProviderFactory(name="Late Outlet"))
        assert ">Late Outlet</option>" in self.form()
        assert '<option value="podcast">' in self.form()
        Article.objects.filter(pk=later.pk).update(published=False)
        drawn = self.form()
        assert "Late Outlet" not in drawn
        assert "podcast" not in drawn
