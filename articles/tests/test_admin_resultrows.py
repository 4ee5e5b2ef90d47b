"""Every admin list's rows, drawn by ``articles/admin/resultrows.py``, are Django's byte for byte.

Each case requests a real changelist, then renders its ``cl`` through Django's own
``{% result_list %}`` and through ``{% newsroom_result_list %}`` and compares the two.
"""

import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.template import Context, Template
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils import timezone

from articles.admin import clusters
from articles.models import Article, Cluster, Pin
from jobs.models import Job

from .admin_helpers import CHANGELIST, form_data
from .factories import ArticleFactory, TopicFactory
from .rules_support import make_rule

pytestmark = pytest.mark.django_db

DJANGO = Template("{% load admin_list %}{% result_list cl %}")
OURS = Template("{% load newsroom_admin %}{% newsroom_result_list cl %}")


def both(cl):
    """Django's rendering of the list's results and ours."""
    context = {"cl": cl, "opts": cl.opts}  # Django's tag looks for per-model templates
    return DJANGO.render(Context(context)), OURS.render(Context(context))


def assert_same_rows(response, rows=None):
    assert response.status_code == 200
    cl = response.context["cl"]
    if rows is not None:
        assert len(cl.result_list) == rows
    django, ours = both(cl)
    assert ours == django
    return django


@pytest.fixture
def stories():
    """Stories with what the columns show differently: an unscored one, an unpublished
    one, a cluster of two (the coverage link), a title to escape, a topic."""
    topic = TopicFactory(name="Robots & <b>AI</b>")
    cluster = Cluster.objects.create()
    made = [
        ArticleFactory(title='Quotes "and" <tags> & ampersands', topics=[topic]),
        ArticleFactory(quality=None, published=False, heat=None),
        ArticleFactory(cluster=cluster),
        ArticleFactory(cluster=cluster, quality=120),
        ArticleFactory(published_at=dt.datetime(2023, 6, 1, 12, 30, tzinfo=dt.UTC)),
    ]
    cluster.lead = made[2]
    cluster.save()
    return made


class TestStoryList:
    @pytest.mark.parametrize(
        "params",
        [
            {},
            {"o": "4"},
            {"o": "-4.3"},
            {"o": "3.-5.1"},
            {"published__exact": "0"},
            {"q": "story"},
            {"published_at__year": "2023"},
            {"quality_band": "90", "o": "-2"},
        ],
    )
    def test_editor_lists(self, editor_client, stories, params):
        """Sorted, filtered (the links keep the filters), searched, drilled down."""
        html = assert_same_rows(editor_client.get(CHANGELIST, params))
        if params.get("published__exact"):
            assert "_changelist_filters=published__exact%3D0" in html

    @pytest.mark.parametrize(
        ("setting", "value"),
        [
            ("TIME_ZONE", "Pacific/Chatham"),
            ("USE_THOUSAND_SEPARATOR", True),
            ("LANGUAGE_CODE", "de"),
        ],
    )
    def test_settings_the_cells_read(self, editor_client, stories, settings, setting, value):
        """Times in another zone, numbers grouped, German: drawn as Django draws them."""
        ArticleFactory(heat=1234567, quality=1234)
        setattr(settings, setting, value)
        assert_same_rows(editor_client.get(CHANGELIST))

    def test_superuser_list(self, admin_client, stories):
        assert_same_rows(admin_client.get(CHANGELIST), rows=len(stories))

    def test_popup(self, admin_client, stories):
        """The popup's links carry the object's id for the opener; no list edit."""
        html = assert_same_rows(admin_client.get(CHANGELIST, {"_popup": "1", "_to_field": "id"}))
        assert "data-popup-opener" in html

    def test_empty_list(self, editor_client, stories):
        assert_same_rows(editor_client.get(CHANGELIST, {"q": "nothing-matches-this"}), rows=0)

    def test_list_edit_errors(self, editor_client, stories):
        """A refused save draws each form with its errors, non-field errors in a row above."""
        page = editor_client.get(CHANGELIST)
        data = form_data(page)
        data["form-0-quality"] = ["-5"]
        data["form-1-quality"] = ["not a number"]
        data["_save"] = ["Save"]
        response = editor_client.post(CHANGELIST, data)
        cl = response.context["cl"]
        assert cl.formset.errors[0]
        cl.formset.forms[2].add_error(None, "A <row> error")
        django, ours = both(cl)
        assert ours == django
        assert "errornote" in ours or "errorlist" in ours
        assert 'colspan="' in ours


class TestOtherLists:
    def test_clusters(self, admin_client, stories):
        assert_same_rows(admin_client.get(reverse("admin:articles_cluster_changelist")))

    def test_outlets(self, admin_client, stories):
        assert_same_rows(admin_client.get(reverse("admin:providers_provider_changelist")))

    def test_topics(self, admin_client, stories):
        assert_same_rows(admin_client.get(reverse("admin:articles_topic_changelist")), rows=1)

    def test_rules(self, admin_client):
        make_rule(title_pattern="x", enabled=False)
        make_rule(title_pattern="busy", name="Busy <one>")
        assert "Busy &lt;one&gt;" in assert_same_rows(
            admin_client.get(reverse("admin:articles_rule_changelist"))
        )

    def test_pins(self, admin_client, stories):
        """Booleans from a display function, an editable date and position, a null date."""
        Pin.objects.create(article=stories[0], position=0)
        Pin.objects.create(
            article=stories[1], position=1, expires_at=timezone.now() + dt.timedelta(days=1)
        )
        assert_same_rows(admin_client.get(reverse("admin:articles_pin_changelist")), rows=2)

    def test_jobs(self, admin_client, admin_user):
        Job.objects.create(kind="cache_images", state="succeeded")
        Job.objects.create(kind="import_articles", created_by=admin_user, state="failed")
        assert_same_rows(admin_client.get(reverse("admin:jobs_job_changelist")), rows=2)

    def test_users_and_groups(self, admin_client, editor):
        assert_same_rows(admin_client.get(reverse("admin:auth_user_changelist")), rows=2)
        assert Group.objects.exists()
        assert_same_rows(admin_client.get(reverse("admin:auth_group_changelist")))


def test_the_page_uses_the_fast_rows(editor_client, stories):
    """The changelist page draws its table through ``newsroom_result_list``: the page
    holds exactly the rows Django's tag draws for the same list."""
    response = editor_client.get(CHANGELIST)
    django, _ = both(response.context["cl"])
    assert django.strip() in response.content.decode()
    assert Article.objects.count() == len(stories)


@pytest.mark.parametrize(
    "title",
    ["Short", "x" * 120, "x" * 121, "y" * 500, "Cafe\u0301 decomposed", "e\u0301" * 70, ""],
    ids=["short", "120", "121", "long", "decomposed", "combining", "empty"],
)
def test_title_column_is_truncatechars(title):
    """The title column's shortcut for a title that fits gives what truncatechars gives."""
    story = Article(title=title)
    assert admin.site.get_model_admin(Article).title_short(story) == truncatechars(title, 120)


def test_coverage_links_to_the_cluster(stories):
    """The coverage column's link (``quick_reverse``) is the cluster's change page."""
    clustered = stories[2]
    url = reverse("admin:articles_cluster_change", args=[clustered.cluster_id])
    assert f'href="{url}"' in str(clusters.coverage(clustered))
