"""The story list's filters drawn in Python are Django's ``admin/filter.html``, byte for byte,
and the outlet filter read as rows offers what the stock one offers."""

import pytest
from django.core.cache import cache
from django.template.loader import get_template

from articles.admin.filterhtml import filter_html
from articles.models import Article

from .admin_helpers import CHANGELIST
from .factories import ArticleFactory, ProviderFactory, TopicFactory

pytestmark = pytest.mark.django_db

DJANGO_FILTER = get_template("admin/filter.html")


@pytest.fixture
def outlets():
    cache.clear()  # the type filter caches its choices
    made = [
        ProviderFactory(name='Outlet <b>"bold"</b> & co'),
        ProviderFactory(name="", domain="nameless.example"),
        ProviderFactory(name="Zeta"),
    ]
    topic = TopicFactory(name="Robots & <i>AI</i>")
    for outlet in made:
        ArticleFactory(provider=outlet, topics=[topic])
    return made


@pytest.mark.parametrize(
    "params",
    [{}, {"provider__id__exact": "1"}, {"_facets": "1"}, {"published__exact": "0"}],
)
def test_every_filter_drawn_as_the_template_draws_it(editor_client, outlets, params):
    params = {
        key: str(outlets[1].pk) if key == "provider__id__exact" else value
        for key, value in params.items()
    }
    response = editor_client.get(CHANGELIST, params)
    assert response.status_code == 200
    cl = response.context["cl"]
    assert cl.filter_specs
    for spec in cl.filter_specs:
        choices = list(spec.choices(cl))
        context = {"title": spec.title, "choices": choices, "spec": spec}
        assert filter_html(spec.title, choices) == DJANGO_FILTER.render(context), spec.title
    page = response.content.decode()
    outlet = next(spec for spec in cl.filter_specs if spec.title == "provider")
    assert filter_html(outlet.title, list(outlet.choices(cl))) in page


def test_outlet_choices_are_the_stock_filters(editor_client, outlets):
    """Ids and labels (``str(outlet)``: the name, else the domain) in the outlets' order."""
    cl = editor_client.get(CHANGELIST).context["cl"]
    outlet = next(spec for spec in cl.filter_specs if spec.title == "provider")
    field = Article._meta.get_field("provider")
    assert outlet.lookup_choices == field.get_choices(include_blank=False)
    assert (outlets[1].pk, "nameless.example") in outlet.lookup_choices


def test_counts_shown_for_every_filter(editor_client, outlets):
    """ "Show counts" counts each topic too (its ids were ints, and the page failed)."""
    topic = TopicFactory(name="Counted")
    response = editor_client.get(CHANGELIST, {"_facets": "1", "topic": str(topic.pk)})
    assert response.status_code == 200
    assert "Counted (0)" in response.content.decode()
