"""One check per field, the same from a file, an admin form, an admin action and the model
(issue 10, class 7): what the importer refuses, an editor cannot store either."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles import publishing
from articles.models import Article, ArticleImage
from articles.validators import MAX_PROVIDER_NAME
from providers.models import Provider

from .admin_helpers import CHANGELIST, form_data, row_index
from .factories import ArticleFactory, ProviderFactory
from .helpers import news_text, run_import, write

pytestmark = pytest.mark.django_db

BAD_DOMAINS = ["a/b.example", "a b.example", "news.example?x", "a..b", ".example", "-a.example"]
TOO_BIG = ["99999999999999999999", "2147483648"]
DOMAIN_REASON = "is not a domain name"
RANGE_REASON = "is out of range"


def import_with(tmp_path, old, new, name="story.md"):
    text = news_text()
    assert old in text
    write(tmp_path, name, text.replace(old, new))
    return run_import(tmp_path)


class TestOutletDomain:
    @pytest.mark.parametrize("domain", BAD_DOMAINS)
    def test_importer_refuses_it_in_a_story(self, tmp_path, domain):
        code, out, err = import_with(tmp_path, "domain: example.com", f'domain: "{domain}"')
        assert code == 1
        assert f"provider.domain: {domain!r} {DOMAIN_REASON}" in err
        assert not Provider.objects.exists()

    @pytest.mark.parametrize("domain", BAD_DOMAINS)
    def test_importer_refuses_it_in_an_organization_file(self, tmp_path, domain):
        write(
            tmp_path, "org.md", f'---\ntaxonomy: organization\nname: X\ndomain: "{domain}"\n---\n'
        )
        code, out, err = run_import(tmp_path)
        assert code == 1
        assert f"domain: {domain!r} {DOMAIN_REASON}" in err
        assert not Provider.objects.exists()

    @pytest.mark.parametrize("domain", BAD_DOMAINS)
    def test_admin_refuses_it(self, editor_client, domain):
        provider = ProviderFactory(domain="news.example", name="News")
        url = reverse("admin:providers_provider_change", args=[provider.pk])
        data = {"name": "News", "domain": domain, "description": "", "source_images": "[]"}
        response = editor_client.post(url, data)
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors["domain"]
        assert any(DOMAIN_REASON in error for error in errors), errors
        provider.refresh_from_db()
        assert provider.domain == "news.example"
        assert editor_client.get("/").status_code == 200

    def test_admin_stores_a_good_domain_lower_case(self, editor_client):
        provider = ProviderFactory(domain="news.example", name="News")
        url = reverse("admin:providers_provider_change", args=[provider.pk])
        data = {"name": "News", "domain": " News.Example.ORG ", "source_images": "[]"}
        assert editor_client.post(url, data).status_code == 302
        provider.refresh_from_db()
        assert provider.domain == "news.example.org"

    @pytest.mark.parametrize(
        "domain", ["例え.jp", "xn--r8jz45g.jp", "my_site.example", "localhost"]
    )
    def test_real_host_names_pass_everywhere(self, tmp_path, domain):
        code, out, err = import_with(tmp_path, "domain: example.com", f'domain: "{domain}"')
        assert code == 0, err
        Provider.objects.get(domain=domain).full_clean()

    def test_outlet_names_have_the_importers_limit(self, tmp_path, editor_client):
        name = "N" * (MAX_PROVIDER_NAME + 1)
        code, out, err = import_with(tmp_path, "name: Example News", f"name: {name}")
        assert "provider.name: longer than 500 characters" in err
        provider = ProviderFactory(domain="news.example", name="News")
        url = reverse("admin:providers_provider_change", args=[provider.pk])
        data = {"name": name, "domain": "news.example", "source_images": "[]"}
        response = editor_client.post(url, data)
        assert "at most 500 characters" in str(response.context["adminform"].form.errors["name"])
        data["name"] = "N" * MAX_PROVIDER_NAME
        assert editor_client.post(url, data).status_code == 302

    @pytest.mark.parametrize("domain", BAD_DOMAINS)
    def test_model_refuses_it(self, domain):
        with pytest.raises(ValidationError, match=DOMAIN_REASON):
            Provider(domain=domain, name="X").full_clean()


def run_set_quality(client, articles, quality):
    data = {
        "action": "set_quality",
        "index": "0",
        "_selected_action": [a.pk for a in articles],
        "quality": quality,
        "apply": "1",
    }
    return client.post(CHANGELIST, data, follow=True)


class TestScores:
    @pytest.mark.parametrize("value", TOO_BIG)
    def test_set_quality_action_refuses_it_with_a_message(self, editor_client, value):
        article = ArticleFactory(quality=10)
        response = run_set_quality(editor_client, [article], value)
        assert response.status_code == 200
        errors = response.context["form"].errors["quality"]
        assert errors == [f"{value} is out of range (at most 2147483647)"]
        assert f"{value} {RANGE_REASON}" in response.content.decode()
        assert Article.objects.get(pk=article.pk).quality == 10

    def test_set_quality_action_takes_the_largest_score(self, editor_client):
        article = ArticleFactory(quality=10)
        run_set_quality(editor_client, [article], "2147483647")
        assert Article.objects.get(pk=article.pk).quality == 2147483647

    def test_set_quality_rule_refuses_it_for_any_caller(self, editor):
        ArticleFactory(quality=10)
        with pytest.raises(ValueError, match=RANGE_REASON):
            publishing.set_quality(Article.objects.all(), editor, 2**31)

    @pytest.mark.parametrize("value", TOO_BIG)
    def test_list_edit_refuses_it(self, editor_client, value):
        article = ArticleFactory(quality=10)
        data = form_data(editor_client.get(CHANGELIST))
        data[f"{row_index(data, article)}-quality"] = [value]
        response = editor_client.post(CHANGELIST, {**data, "_save": "Save"})
        assert response.status_code == 200
        assert f"{value} {RANGE_REASON}" in str(response.context["cl"].formset.errors)
        assert Article.objects.get(pk=article.pk).quality == 10

    @pytest.mark.parametrize("field", ["quality", "heat"])
    @pytest.mark.parametrize("value", TOO_BIG)
    def test_importer_refuses_it(self, tmp_path, field, value):
        write(tmp_path, "story.md", news_text(scores=f"{field}: {value}"))
        code, out, err = run_import(tmp_path)
        assert code == 1
        assert f"{field}: {value} {RANGE_REASON}" in err
        assert not Article.objects.exists()

    @pytest.mark.parametrize(
        ("field", "value"), [("quality", -1), ("quality", 2**31), ("heat", 2**31)]
    )
    def test_model_refuses_it(self, field, value):
        article = ArticleFactory()
        setattr(article, field, value)
        with pytest.raises(ValidationError) as raised:
            article.full_clean()
        assert list(raised.value.message_dict) == [field]

    def test_image_sizes_have_one_range(self, tmp_path):
        text = news_text().replace(
            "topics:", "images:\n  - url: https://img.example/a.jpg\n    width: 2147483648\ntopics:"
        )
        write(tmp_path, "story.md", text)
        code, out, err = run_import(tmp_path)
        assert "images[0].width: 2147483648 is out of range" in err
        image = ArticleImage(article=ArticleFactory(), url="https://img.example/a.jpg")
        for value, refused in ((2**31, True), (-1, True), (2**31 - 1, False)):
            image.width = value
            if refused:
                with pytest.raises(ValidationError, match="width"):
                    image.full_clean()
            else:
                image.full_clean()

    def test_story_change_form_refuses_it(self, admin_client):
        article = ArticleFactory(quality=10, heat=5)
        url = reverse("admin:articles_article_change", args=[article.pk])
        response = admin_client.get(url)
        data = {
            key: value
            for key, value in response.context["adminform"].form.initial.items()
            if value is not None and not isinstance(value, list)
        }
        data.update(
            quality="2147483648",
            heat="-2147483649",
            topics=[],
            provider=article.provider.pk,
            published_at_0="2024-01-01",
            published_at_1="00:00:00",
        )
        for prefix in ("images", "related_links"):
            data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
        response = admin_client.post(url, data)
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors
        assert set(errors) == {"quality", "heat"}, errors
        article.refresh_from_db()
        assert (article.quality, article.heat) == (10, 5)
