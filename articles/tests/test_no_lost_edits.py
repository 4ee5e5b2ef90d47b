"""Two editors, or an editor and an import: the second save never silently wins."""

import pytest
from django.test import Client
from django.urls import reverse

from articles import publishing
from articles.clusters import editing
from articles.models import Article

from .admin_helpers import CHANGELIST, change_form_data, form_data, make_editor, row_index
from .factories import ArticleFactory, TopicFactory
from .helpers import news_text, run_import, write

pytestmark = pytest.mark.django_db


def change_url(story):
    return reverse("admin:articles_article_change", args=[story.pk])


def save(client, story, data, **changes):
    return client.post(change_url(story), {**data, **changes, "_save": "Save"})


def errors_of(response):
    form = response.context["adminform"].form
    return {name: " ".join(messages) for name, messages in form.errors.items()}


@pytest.fixture
def second_editor_client():
    client = Client()
    client.force_login(make_editor("second"))
    return client


class TestStoryForm:
    def test_a_fresh_save_is_accepted(self, editor_client):
        story = ArticleFactory(quality=10)
        data = change_form_data(editor_client, story)
        assert save(editor_client, story, data, quality="20").status_code == 302
        # The form now stands on the version that save made: a second save goes through.
        data = change_form_data(editor_client, story)
        assert save(editor_client, story, data, quality="30").status_code == 302
        assert Article.objects.get(pk=story.pk).quality == 30

    def test_a_save_over_another_editors_change_is_refused_with_their_value(
        self, editor_client, second_editor_client
    ):
        story = ArticleFactory(quality=10, title="The title")
        mine = change_form_data(editor_client, story)
        theirs = change_form_data(second_editor_client, story)
        assert save(second_editor_client, story, theirs, quality="80").status_code == 302

        response = save(editor_client, story, mine, quality="60", title="My better title")
        assert response.status_code == 200
        errors = errors_of(response)
        assert set(errors) == {"__all__", "quality"}
        assert errors["quality"] == (
            "Changed meanwhile. Their value: '80'; yours: '60'; you loaded: '10'."
        )
        assert "Not saved: second changed this story at" in errors["__all__"]
        assert ": quality. Their value, yours and the one you loaded" in errors["__all__"]
        story.refresh_from_db()
        assert (story.quality, story.title) == (80, "The title")  # nothing of mine written

        # The refused form now carries the newer version: merged, it saves.
        merged = {
            **mine,
            "loaded_version": response.context["adminform"].form["loaded_version"].value(),
        }
        assert (
            save(editor_client, story, merged, quality="70", title="My better title").status_code
            == 302
        )
        story.refresh_from_db()
        assert (story.quality, story.title) == (70, "My better title")

    def test_an_import_meanwhile_refuses_the_save(self, editor_client, tmp_path):
        path = write(tmp_path, "a.md", news_text(title="As imported"))
        run_import(tmp_path)
        story = Article.objects.get()
        data = change_form_data(editor_client, story)
        path.write_text(news_text(title="As corrected at the source"))
        run_import(tmp_path)

        response = save(editor_client, story, data, quality="90")
        assert response.status_code == 200
        errors = errors_of(response)
        assert errors["title"] == (
            "Changed meanwhile. Their value: 'As corrected at the source'; yours: "
            "'As imported'; you loaded: 'As imported'."
        )
        assert "Not saved: import changed this story" in errors["__all__"]
        story.refresh_from_db()
        assert (story.title, story.quality) == ("As corrected at the source", 50)

    def test_a_bulk_action_meanwhile_refuses_the_save(self, editor_client, editor):
        story = ArticleFactory(published=False, quality=10)
        data = change_form_data(editor_client, story)
        publishing.publish(Article.objects.filter(pk=story.pk), editor)
        response = save(editor_client, story, data, quality="20")
        assert response.status_code == 200
        assert errors_of(response)["review_state"] == (
            "Changed meanwhile. Their value: 'Published'; yours: 'Waiting'; you loaded: 'Waiting'."
        )
        assert Article.objects.get(pk=story.pk).published

    def test_topics_changed_meanwhile_refuse_the_save_with_theirs(
        self, editor_client, second_editor_client
    ):
        names = ("alpha", "beta", "gamma")
        alpha, beta, gamma = (TopicFactory(name=n.title(), slug=n) for n in names)
        story = ArticleFactory(topics=[alpha])
        mine = change_form_data(editor_client, story)
        theirs = change_form_data(second_editor_client, story)
        saved = save(second_editor_client, story, theirs, topics=[str(beta.pk)])
        assert saved.status_code == 302

        response = save(editor_client, story, mine, topics=[str(alpha.pk), str(gamma.pk)])
        assert response.status_code == 200
        assert errors_of(response)["topics"] == (
            "Changed meanwhile. Their topics: beta; yours: alpha, gamma; you loaded: alpha."
        )
        assert list(story.topics.values_list("slug", flat=True)) == ["beta"]
        # The same topics on both sides lose nothing: that save goes through.
        again = {**mine, "loaded_version": mine["loaded_version"]}
        assert save(editor_client, story, again, topics=[str(beta.pk)]).status_code == 302

    def test_a_change_outside_the_form_is_no_conflict(self, editor_client, editor):
        """A cluster pin meanwhile touches no field of the form: the save goes through."""
        story = ArticleFactory(quality=10)
        data = change_form_data(editor_client, story)
        editing.split_off(Article.objects.filter(pk=story.pk), editor)
        assert save(editor_client, story, data, quality="20").status_code == 302
        story.refresh_from_db()
        assert (story.quality, story.cluster_pinned) == (20, True)

    def test_a_tampered_version_is_named(self, editor_client):
        story = ArticleFactory(quality=10)
        data = change_form_data(editor_client, story)
        response = save(editor_client, story, data, quality="20", loaded_version="x1")
        assert response.status_code == 200
        assert "loaded_version: 'x1' is not a version number" in errors_of(response)["__all__"]
        assert Article.objects.get(pk=story.pk).quality == 10

    def test_the_change_page_keeps_its_query_budget(
        self, editor_client, django_assert_max_num_queries
    ):
        """The version token costs one query on the change page, whatever the versions."""
        story = ArticleFactory()
        editor_client.get(change_url(story))

        def count():
            with django_assert_max_num_queries(30) as captured:
                assert editor_client.get(change_url(story)).status_code == 200
            return len(captured)

        few = count()
        for quality in range(20):
            Article.objects.filter(pk=story.pk).update(quality=quality)
            story.refresh_from_db()
            story.save()
        assert count() == few


class TestListEdit:
    def test_a_stale_list_edit_is_refused_naming_the_field_and_value(self, editor_client, editor):
        story = ArticleFactory(quality=10)
        data = form_data(editor_client.get(CHANGELIST))
        publishing.set_quality(Article.objects.filter(pk=story.pk), editor, 80)
        data[f"{row_index(data, story)}-quality"] = ["60"]
        response = editor_client.post(CHANGELIST, {**data, "_save": "Save"})
        assert response.status_code == 200
        errors = [
            str(e) for form in response.context["cl"].formset.forms for e in form.errors.values()
        ]
        assert errors == [
            '<ul class="errorlist" id="id_form-0-quality_error"><li>Not saved: quality was '
            "changed to 80 since you loaded the page (you loaded 10, you entered 60). "
            "Reload the list and edit again.</li></ul>"
        ]
        assert Article.objects.get(pk=story.pk).quality == 80

    def test_a_list_edit_of_a_field_nobody_else_touched_is_saved(self, editor_client, editor):
        story = ArticleFactory(quality=10, published=False)
        data = form_data(editor_client.get(CHANGELIST))
        publishing.publish(Article.objects.filter(pk=story.pk), editor)
        data[f"{row_index(data, story)}-quality"] = ["60"]
        response = editor_client.post(CHANGELIST, {**data, "_save": "Save"})
        assert response.status_code == 302
        story.refresh_from_db()
        assert (story.quality, story.published) == (60, True)
