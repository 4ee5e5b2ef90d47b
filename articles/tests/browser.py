"""Debian's chromium driven by Playwright, for the browser tests (never a downloaded browser).

Every page a test opens reaches the live server only: ``OfflineBrowser`` routes
every request of every context it makes, lets the live server's through and
stops the rest (aborted, or answered with a stand-in the test supplies), so a
test run never asks the network for an outlet's image. Each page also reports
Content-Security-Policy violations.
"""

import shutil
import time
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
"""Screenshots land here (git ignores it)."""

# Without the networking switches chromium keeps dialling Google's hosts, which
# this offline machine refuses; as root it needs --no-sandbox. No host name
# resolves, so even a request that slipped past the routing could not leave the
# machine: the live server is addressed as 127.0.0.1, which needs no lookup.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]

CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__reportCspViolation(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.documentURI}`);
});
"""

requires_chromium = pytest.mark.skipif(
    not shutil.which(CHROMIUM), reason=f"{CHROMIUM} is not installed (apt-get install chromium)"
)


def wait_until(page, expression, arg=None, timeout=10.0, every=0.1):
    """Evaluate ``expression`` (a JS function of ``arg``) until it is truthy, or fail.

    Playwright's ``wait_for_function`` re-evaluates its predicate inside the page
    while it polls, which the site's Content-Security-Policy (no ``unsafe-eval``)
    refuses: the wait then fails, but only when the first try was false, so the
    tests failed now and then. Each ``page.evaluate`` here comes through the
    DevTools protocol, which the policy does not govern.
    """
    deadline = time.monotonic() + timeout
    while True:
        result = page.evaluate(expression, arg)
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        time.sleep(every)


def origin(url):
    parts = urlsplit(url)
    return parts.scheme, parts.hostname, parts.port


class OfflineBrowser:
    """A launched chromium whose pages may reach ``server_url`` and nothing else.

    ``outside`` lists every request that was stopped, ``csp_violations`` every
    violation any page reported.
    """

    def __init__(self, browser, server_url):
        self.browser = browser
        self.server = origin(server_url)
        self.outside = []
        self.csp_violations = []

    def new_context(self, stand_in=None, **options):
        """A context whose outside requests abort, or get ``route.fulfill(**stand_in)``."""
        context = self.browser.new_context(service_workers="block", **options)
        context.route("**/*", partial(self._guard, stand_in=stand_in))
        context.expose_binding(
            "__reportCspViolation", lambda _source, text: self.csp_violations.append(text)
        )
        context.add_init_script(CSP_LISTENER)
        return context

    def new_page(self, stand_in=None, **options):
        return self.new_context(stand_in, **options).new_page()

    def _guard(self, route, stand_in):
        if origin(route.request.url) == self.server:
            route.continue_()
            return
        self.outside.append(route.request.url)
        if stand_in is None:
            route.abort()
        else:
            route.fulfill(**stand_in)
