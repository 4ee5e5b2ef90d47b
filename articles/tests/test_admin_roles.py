"""Who may do what in the admin: the Editors group, anonymous visitors, add_editor."""

import io

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles.models import Article, Topic
from providers.models import Provider

from .admin_helpers import CHANGELIST
from .factories import ArticleFactory, ArticleImageFactory, ProviderFactory, TopicFactory

pytestmark = pytest.mark.django_db


class TestAnonymous:
    @pytest.mark.parametrize(
        "url",
        [
            CHANGELIST,
            reverse("admin:index"),
            reverse("admin:providers_provider_changelist"),
            reverse("admin:articles_topic_changelist"),
        ],
    )
    def test_sent_to_login(self, client, url):
        """An anonymous visitor is redirected to the admin login page."""
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


class TestEditorsGroup:
    def test_group_permissions(self):
        """The migration's group changes stories and adds/changes outlets and topics."""
        codenames = set(
            Group.objects.get(name="Editors").permissions.values_list("codename", flat=True)
        )
        assert {"change_article", "add_provider", "change_provider"} <= codenames
        assert {"add_topic", "change_topic", "change_articleimage"} <= codenames
        assert not {"delete_article", "delete_provider", "delete_topic"} & codenames

    @pytest.mark.parametrize(
        ("factory", "name"),
        [
            (ArticleFactory, "articles_article"),
            (ProviderFactory, "providers_provider"),
            (TopicFactory, "articles_topic"),
        ],
    )
    def test_editor_cannot_delete(self, editor_client, factory, name):
        """Stories, outlets and topics cannot be deleted by an editor."""
        obj = factory()
        response = editor_client.post(reverse(f"admin:{name}_delete", args=[obj.pk]), {"post": 1})
        assert response.status_code == 403
        assert type(obj).objects.filter(pk=obj.pk).exists()

    def test_no_delete_action_for_editors(self, editor_client):
        """The bulk delete action is not offered to editors."""
        ArticleFactory()
        response = editor_client.get(CHANGELIST)
        choices = [name for name, _ in response.context["action_form"].fields["action"].choices]
        assert "delete_selected" not in choices
        assert {"publish_selected", "unpublish_selected", "set_quality"} <= set(choices)

    def test_editor_can_add_provider_and_topic(self, editor_client):
        """Editors add outlets and topics."""
        response = editor_client.post(
            reverse("admin:providers_provider_add"),
            {
                "name": "New Outlet",
                "domain": "New.Example",
                "description": "",
                "source_images": "[]",
            },
        )
        assert response.status_code == 302, response.context["adminform"].form.errors
        assert Provider.objects.filter(domain="new.example").exists()
        response = editor_client.post(
            reverse("admin:articles_topic_add"),
            {"name": "Robots", "slug": "robots", "keywords": "[]", "hashtags": "[]"},
        )
        assert response.status_code == 302
        assert Topic.objects.filter(slug="robots").exists()
        assert LogEntry.objects.count() == 2

    def test_editor_cannot_add_story(self, editor_client):
        """Stories arrive by import: editors change them but do not add them."""
        assert editor_client.get(reverse("admin:articles_article_add")).status_code == 403


class TestChangeForm:
    def test_editorial_fields_first_and_source_read_only(self, editor_client):
        """The form opens with the editorial fields; secured and bookkeeping are read-only."""
        article = ArticleFactory(secured="b3BhcXVl")
        response = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
        assert response.status_code == 200
        fieldsets = response.context["adminform"].fieldsets
        assert fieldsets[0][0] == "Editorial"
        assert fieldsets[0][1]["fields"][:2] == ["review_state", "quality"]
        form_fields = response.context["adminform"].form.fields
        for name in ("secured", "source_file", "content_hash", "imported_at", "web_url"):
            assert name not in form_fields
        html = response.content.decode()
        assert "b3BhcXVl" in html
        assert "View on site" in html
        # Title and addresses are long text columns, but edited as short boxes.
        assert form_fields["title"].widget.attrs["rows"] == 2
        assert form_fields["original_url"].widget.attrs["rows"] == 1

    def test_autocompletes_and_inlines(self, editor_client):
        """Provider and topics are autocompletes; images and related links are inlines."""
        article = ArticleFactory()
        ArticleImageFactory(article=article, position=1, url="https://img.example/b.jpg")
        ArticleImageFactory(article=article, position=0, url="https://img.example/a.jpg")
        response = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
        form = response.context["adminform"].form
        assert type(form.fields["provider"].widget.widget).__name__ == "AutocompleteSelect"
        assert type(form.fields["topics"].widget.widget).__name__ == "AutocompleteSelectMultiple"
        images = response.context["inline_admin_formsets"][0].formset
        assert [f.instance.url for f in images.forms] == [
            "https://img.example/a.jpg",
            "https://img.example/b.jpg",
        ]
        assert response.context["inline_admin_formsets"][1].formset.model.__name__ == (
            "RelatedLink"
        )

    def test_editor_saves_the_form_with_history(self, editor_client, editor):
        """An editor's save through the form is recorded in the story's history."""
        article = ArticleFactory(published=False)
        url = reverse("admin:articles_article_change", args=[article.pk])
        response = editor_client.get(url)
        form = response.context["adminform"].form
        data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
        data["topics"] = []
        # The admin splits a date-time into a date and a time input.
        data["published_at_0"] = f"{article.published_at:%Y-%m-%d}"
        data["published_at_1"] = f"{article.published_at:%H:%M:%S}"
        del data["published_at"]
        data["review_state"] = "published"
        for prefix in ("images", "related_links", "corrections"):
            data.update(
                {
                    f"{prefix}-TOTAL_FORMS": "0",
                    f"{prefix}-INITIAL_FORMS": "0",
                    f"{prefix}-MIN_NUM_FORMS": "0",
                    f"{prefix}-MAX_NUM_FORMS": "1000",
                }
            )
        response = editor_client.post(url, data)
        assert response.status_code == 302, response.context["adminform"].form.errors
        saved = Article.objects.get(pk=article.pk)
        assert saved.published
        assert (saved.review_state, saved.decided_by) == ("published", "editor")
        entry = LogEntry.objects.get(object_id=str(article.pk), action_flag=CHANGE)
        assert entry.user == editor
        history = editor_client.get(reverse("admin:articles_article_history", args=[article.pk]))
        assert "Changed Review state." in history.content.decode()


class TestAddEditorCommand:
    def test_creates_an_editor(self):
        """The command creates a staff user in the Editors group, not a superuser."""
        out = io.StringIO()
        call_command("add_editor", "ada", "--email", "ada@example.com", stdout=out)
        user = User.objects.get(username="ada")
        assert user.is_staff and not user.is_superuser
        assert not user.has_usable_password()
        assert user.groups.filter(name="Editors").exists()
        assert user.has_perm("articles.change_article")
        assert not user.has_perm("articles.delete_article")
        assert "changepassword ada" in out.getvalue()

    def test_existing_user_becomes_editor(self):
        """Run on an existing user, it keeps the password and adds the role."""
        user = User.objects.create_user("bob", password="kept-password-123")
        call_command("add_editor", "bob", stdout=io.StringIO())
        user.refresh_from_db()
        assert user.is_staff and user.check_password("kept-password-123")
        assert user.groups.filter(name="Editors").exists()

    def test_without_group_it_fails(self):
        """Without the migration's group the command stops with a clear error."""
        Group.objects.filter(name="Editors").delete()
        with pytest.raises(CommandError, match="migrate"):
            call_command("add_editor", "carol", stdout=io.StringIO())
