"""An editor reviews a cluster in a real browser: its stories, then a new lead."""

import datetime as dt

import pytest

from articles.clusters.assign import cluster_new_stories
from articles.models import Article, Cluster

from .browser import ARTIFACTS, requires_chromium
from .factories import ArticleFactory, ProviderFactory

PASSWORD = "a-long-test-password"
T0 = dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC)

pytestmark = [
    pytest.mark.browser,
    # No serialized_rollback (it clashes with other live-server tests' flushes):
    # the Editors group a migration makes is then gone, so a superuser reviews.
    pytest.mark.django_db(transaction=True),
    requires_chromium,
]


class TestClusterReview:
    def test_cluster_page_and_lead_choice(self, live_server, chromium, django_user_model):
        editor = django_user_model.objects.create_superuser("chief", password=PASSWORD)
        stories = [
            ArticleFactory(
                title=f"Kyocera printer chip, as outlet {n} told it",
                web_url=f"https://outlet{n}.example/kyocera",
                original_url="https://source.example/kyocera",
                provider=ProviderFactory(domain=f"outlet{n}.example", name=f"Outlet {n}"),
                published_at=T0 + dt.timedelta(hours=n),
                quality=50,
            )
            for n in range(3)
        ]
        cluster_new_stories()
        cluster = Cluster.objects.get()
        assert cluster.lead_id == stories[0].pk

        page = chromium.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{live_server.url}/admin/")
        page.fill("#id_username", editor.username)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_selector("#newsroom-dashboard")

        # From the story list's coverage column to the cluster page.
        page.goto(f"{live_server.url}/admin/articles/article/")
        page.locator("#result_list").get_by_role("link", name="3 outlets").first.click()
        page.wait_for_url(f"**/admin/articles/cluster/{cluster.pk}/change/")
        table = page.locator("#stories-group")
        for n in range(3):
            assert f"Outlet {n}" in table.inner_text()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / "admin-cluster.png", full_page=True)

        page.select_option("#id_lead", str(stories[2].pk))
        page.click("input[name=_save]")
        page.wait_for_selector(".messagelist .success")
        cluster.refresh_from_db()
        assert cluster.lead_id == stories[2].pk and cluster.lead_chosen
        assert Article.objects.get(pk=stories[2].pk).cluster_pinned
        assert chromium.csp_violations == []
