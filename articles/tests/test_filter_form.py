"""The list's filter form: one search box, types that exist, outlets by name or domain."""

import pytest

from articles.tests.factories import ArticleFactory, ProviderFactory

pytestmark = pytest.mark.django_db


def test_outlet_found_by_name_or_domain(client):
    """?provider= takes an outlet's domain or its name, in any case, on pages, feeds and API."""
    outlet = ProviderFactory(domain="finance.example", name="YAHOO!Finance")
    ArticleFactory(title="Markets", provider=outlet)
    ArticleFactory(title="Elsewhere")
    for value in ("finance.example", "Finance.Example ", "yahoo!finance", "YAHOO!Finance"):
        titles = [a.title for a in client.get("/", {"provider": value}).context["articles"]]
        assert titles == ["Markets"], value
        api = client.get("/api/news/", {"provider": value}).json()["value"]
        assert [item["title"] for item in api] == ["Markets"], value
    assert "YAHOO!Finance" in client.get("/feeds/rss/", {"provider": "yahoo!finance"}).text


def test_outlet_box_suggests_public_outlets_only(client):
    """The outlet box is a text input with a datalist of public outlets, not a long select."""
    ArticleFactory(provider=ProviderFactory(domain="seen.example", name="Seen"))
    ArticleFactory(
        provider=ProviderFactory(domain="hidden.example", name="Hidden"), published=False
    )
    page = client.get("/").content.decode()
    assert 'list="id_provider-outlets"' in page
    assert '<datalist id="id_provider-outlets"><option value="seen.example">Seen</option>' in page
    assert "hidden.example" not in page


def test_type_is_a_choice_of_published_types(client):
    """The type filter offers the types published stories have; any type still filters."""
    ArticleFactory(type="video")
    ArticleFactory(type="article")
    ArticleFactory(type="podcast", published=False)
    form = client.get("/").context["filter"].form
    assert [label for _, label in form.fields["type"].widget.choices] == [
        "All types",
        "article",
        "video",
    ]
    assert '<option value="video" selected>' in client.get("/", {"type": "video"}).text
    assert client.get("/", {"type": "podcast"}).status_code == 200


def test_one_search_box_and_the_active_count(client):
    """A list page has one search box (its form's); the folded filters say how many are set."""
    ArticleFactory()
    page = client.get("/", {"q": "x", "type": "article", "min_quality": "3", "page": "1"}).text
    assert page.count('type="search"') == 1
    assert "(2 active)" in page
    assert "active)" not in client.get("/", {"q": "x"}).text
    story_page = client.get(ArticleFactory().get_absolute_url()).text
    assert story_page.count('type="search"') == 1  # the header's, on pages without a form
