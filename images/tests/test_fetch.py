"""The downloader against a local server: every refusal and every limit, no internet."""

import ipaddress
import ssl
import time

import pytest

from images.fetch import FetchError, fetch_image, is_public_address
from images.processing import ImageRejected, open_image

from .image_files import GOOD_JPEG, GOOD_PNG, TEST_CERT, ImageServer


def allow_all(_address):
    return True


def only_127_0_0_1(address):
    return ipaddress.ip_address(address) == ipaddress.ip_address("127.0.0.1")


@pytest.fixture(scope="module")
def server():
    with ImageServer() as running:
        yield running


@pytest.fixture(scope="module")
def tls_server():
    with ImageServer(tls=True) as running:
        yield running


def fetch(url, **options):
    options.setdefault("allow_address", allow_all)
    options.setdefault("timeout", 5)
    return fetch_image(url, **options)


class TestFetchOutcomes:
    """Each kind of response the test server gives has its own outcome."""

    def test_a_good_png_comes_back_whole(self, server):
        fetched = fetch(server.url("/good.png"))
        assert fetched.data == GOOD_PNG
        assert fetched.content_type == "image/png"
        with open_image(fetched.data) as image:
            assert image.format == "PNG"

    def test_a_good_jpeg_comes_back_whole(self, server):
        fetched = fetch(server.url("/good.jpg"))
        assert fetched.data == GOOD_JPEG
        with open_image(fetched.data) as image:
            assert image.size == (1600, 900)

    def test_a_body_past_the_byte_limit_is_cut_off(self, server):
        with pytest.raises(FetchError, match="too large: more than 100,000 bytes"):
            fetch(server.url("/too-large"), max_bytes=100_000)

    def test_a_declared_length_past_the_limit_is_refused_before_reading(self, server):
        with pytest.raises(FetchError, match="1,000,000,000 bytes declared"):
            fetch(server.url("/declared-huge"))

    def test_not_an_image_downloads_but_pillow_rejects_it(self, server):
        fetched = fetch(server.url("/not-an-image"))
        with pytest.raises(ImageRejected, match="not an image"):
            open_image(fetched.data)

    def test_a_server_that_does_not_answer_times_out(self, server):
        with pytest.raises(FetchError, match=r"timed out after 0.5s"):
            fetch(server.url("/slow"), timeout=0.5)

    def test_a_server_that_trickles_bytes_times_out_as_a_whole(self, server):
        """Each byte arrives well within the timeout; the download as a whole does not."""
        with pytest.raises(FetchError, match="timed out"):
            fetch(server.url("/trickle"), timeout=0.5)

    @pytest.mark.parametrize("path", ["/trickle-slowly", "/trickle-headers"])
    def test_the_cap_is_wall_clock_time_however_the_bytes_trickle(self, server, path):
        """A byte every 0.5 s would take 20 s; the download is cut off at the 1 s cap.

        Each read finishes well within any socket timeout, so only a wall-clock cap
        stops it (the bound below is generous for a loaded machine, far from 20 s).
        """
        started = time.monotonic()
        with pytest.raises(FetchError, match=r"timed out after 1s"):
            fetch(server.url(path), timeout=1)
        assert time.monotonic() - started < 4

    def test_a_redirect_to_a_malformed_address_is_a_failure(self, server):
        with pytest.raises(FetchError, match=r"invalid redirect to 'http://\[::1/x'"):
            fetch(server.url("/to-malformed"))

    def test_a_redirect_loop_stops_after_the_limit(self, server):
        before = len(server.requests)
        with pytest.raises(FetchError, match=r"too many redirects \(more than 3\)"):
            fetch(server.url("/loop"), max_redirects=3)
        assert len(server.requests) - before == 4  # the first request and three redirects

    def test_a_redirect_within_the_limit_is_followed(self, server):
        fetched = fetch(server.url("/hop"))
        assert fetched.data == GOOD_PNG
        assert fetched.url.endswith("/good.png")

    def test_an_http_error_is_a_failure(self, server):
        with pytest.raises(FetchError, match="HTTP 404"):
            fetch(server.url("/missing.png"))


class TestAddressRules:
    """Only http(s) to public addresses, checked on every hop; the vetted address is used."""

    def test_loopback_is_refused_without_the_allow_flag(self, server):
        before = len(server.requests)
        with pytest.raises(FetchError, match="refused: 127.0.0.1 resolves to non-public"):
            fetch_image(server.url("/good.png"), timeout=2)
        assert len(server.requests) == before  # refused before connecting

    def test_localhost_by_name_is_refused(self, server):
        with pytest.raises(FetchError, match="refused"):
            fetch_image(server.url("/good.png", host="localhost"), timeout=2)

    @pytest.mark.parametrize(
        "url",
        [
            "http://10.1.2.3/a.png",
            "http://192.168.0.1/a.png",
            "http://172.16.5.4/a.png",
            "http://169.254.169.254/latest/meta-data",
            "http://[::1]/a.png",
            "http://[fe80::1]/a.png",
            "http://[::ffff:127.0.0.1]/a.png",
            "http://0.0.0.0/a.png",
            "http://224.0.0.1/a.png",
            "http://100.64.0.1/a.png",
            "http://240.0.0.1/a.png",
        ],
    )
    def test_non_public_addresses_are_refused(self, url):
        with pytest.raises(FetchError, match="refused"):
            fetch_image(url, timeout=1)

    @pytest.mark.parametrize(
        "url",
        ["ftp://example.com/a.png", "file:///etc/passwd", "javascript:alert(1)", "data:,x"],
    )
    def test_other_schemes_are_refused(self, url):
        with pytest.raises(FetchError, match="only http and https"):
            fetch_image(url)

    def test_credentials_in_the_url_are_refused(self):
        with pytest.raises(FetchError, match="credentials"):
            fetch_image("http://user:pass@example.com/a.png")

    def test_public_addresses_are_public(self):
        assert is_public_address("93.184.216.34")
        assert is_public_address("2606:2800:220:1:248:1893:25c8:1946")

    def test_every_resolved_address_must_be_public(self, server):
        """A name with one public and one private address is refused outright."""

        def resolver(host, port):
            return ["93.184.216.34", "10.0.0.1"]

        with pytest.raises(FetchError, match="non-public 10.0.0.1"):
            fetch_image("http://mixed.test/a.png", resolver=resolver)

    def test_a_redirect_hop_to_a_refused_address_is_refused(self, server):
        with pytest.raises(FetchError, match="refused: 127.0.0.2"):
            fetch(server.url("/to-other-loopback"), allow_address=only_127_0_0_1)

    def test_a_redirect_hop_to_another_scheme_is_refused(self, server):
        with pytest.raises(FetchError, match="only http and https URLs are fetched, not ftp"):
            fetch(server.url("/to-ftp"))

    def test_the_connection_goes_to_the_vetted_address(self, server):
        """The name is resolved once; the request keeps the name in its Host header."""
        lookups = []

        def resolver(host, port):
            lookups.append(host)
            return ["127.0.0.1"]

        url = f"http://images.invalid:{server.port}/good.png"
        fetched = fetch(url, resolver=resolver)
        assert fetched.data == GOOD_PNG
        assert lookups == ["images.invalid"]
        assert server.requests[-1] == ("/good.png", f"images.invalid:{server.port}")


class TestHttps:
    """HTTPS goes to the vetted address while SNI and the certificate check use the name."""

    @staticmethod
    def to_loopback(host, port):
        return ["127.0.0.1"]

    def test_a_good_image_over_https(self, tls_server):
        fetched = fetch(
            tls_server.url("/good.png", host="images.test"),
            resolver=self.to_loopback,
            ssl_context=ssl.create_default_context(cafile=TEST_CERT),
        )
        assert fetched.data == GOOD_PNG
        assert tls_server.requests[-1] == ("/good.png", f"images.test:{tls_server.port}")

    def test_the_wall_clock_cap_holds_over_tls_too(self, tls_server):
        started = time.monotonic()
        with pytest.raises(FetchError, match=r"timed out after 1s"):
            fetch(
                tls_server.url("/trickle-slowly", host="images.test"),
                resolver=self.to_loopback,
                ssl_context=ssl.create_default_context(cafile=TEST_CERT),
                timeout=1,
            )
        assert time.monotonic() - started < 4

    def test_a_certificate_for_another_name_is_a_failure(self, tls_server):
        with pytest.raises(FetchError, match="TLS error"):
            fetch(
                tls_server.url("/good.png", host="other.test"),
                resolver=self.to_loopback,
                ssl_context=ssl.create_default_context(cafile=TEST_CERT),
            )

    def test_an_untrusted_certificate_is_a_failure(self, tls_server):
        with pytest.raises(FetchError, match="TLS error"):
            fetch(tls_server.url("/good.png", host="images.test"), resolver=self.to_loopback)
