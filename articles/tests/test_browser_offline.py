"""The browser tests' own guard: a page reaches the live server and nothing else."""

import pytest

from .browser import requires_chromium
from .factories import ArticleImageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), requires_chromium]

OUTSIDE_IMAGE = "https://images.outlet.example/chip.jpg"


class TestOnlyTheLiveServer:
    def test_an_outside_image_is_stopped_before_it_is_fetched(self, live_server, chromium):
        """A story's remote picture is aborted by the route, never answered by any server."""
        image = ArticleImageFactory(url=OUTSIDE_IMAGE, article__title="Chip startup tapes out")
        page = chromium.new_page()
        answered = []
        page.on("response", lambda response: answered.append(response.url))

        def is_outside_image(request):
            return request.url == OUTSIDE_IMAGE

        with page.expect_event("requestfailed", is_outside_image) as failed:
            page.goto(live_server.url + image.article.get_absolute_url())

        assert failed.value.failure == "net::ERR_FAILED"  # route.abort(), not a DNS miss
        assert chromium.outside == [OUTSIDE_IMAGE]
        assert OUTSIDE_IMAGE not in answered
        assert live_server.url + image.article.get_absolute_url() in answered
        assert any(url.endswith(".css") for url in answered)  # the server's own files load
