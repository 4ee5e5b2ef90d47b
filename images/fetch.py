"""Download one image over HTTP(S) without letting the URL point us anywhere unsafe.

Rules, checked on the first request and again on every redirect hop:

- only ``http`` and ``https`` URLs, without credentials;
- the host is resolved once and every address it resolves to must be public
  (no loopback, private, link-local, shared, multicast, reserved or unspecified
  address, IPv4-mapped IPv6 included); we then connect to the vetted address
  itself, keeping the name for the ``Host`` header, SNI and certificate checks,
  so a second DNS answer (DNS rebinding) cannot send us elsewhere;
- at most ``max_redirects`` redirects, ``max_bytes`` of body (a larger declared
  ``Content-Length`` is refused before reading; a body that runs past the limit
  is cut off), and ``timeout`` seconds of wall-clock time for the whole download,
  all hops included: a watchdog shuts the socket when the time is up, wherever the
  exchange is blocked, since a socket timeout restarts with every byte received.

Proxies from the environment are deliberately not used: the address checks would
then vet the proxy, not the image host.
"""

import http.client
import ipaddress
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

from newsroom.http_urls import HTTP_SCHEMES, http_url

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_REDIRECTS = 5
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
CHUNK = 64 * 1024
USER_AGENT = "NewsroomImageCache/1.0"
ACCEPT = "image/webp,image/png,image/jpeg,image/gif;q=0.9,*/*;q=0.5"
# Characters left as they are when a URL's path and query are made ASCII-safe.
SAFE_URL_CHARS = "/%:@!$&'()*+,;=-._~?"


class FetchError(Exception):
    """The download was refused or failed; the message is one line for people."""


@dataclass(frozen=True)
class Fetched:
    url: str
    data: bytes
    content_type: str


def is_public_address(address):
    """True for an address on the public internet, the only kind we fetch from."""
    address = ipaddress.ip_address(address)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def resolve(host, port):
    """Every address ``host`` resolves to, as strings (the system resolver)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(f"cannot resolve {host}: {error}") from None
    return list(dict.fromkeys(info[4][0] for info in infos))


def fetch_image(
    url,
    *,
    timeout=DEFAULT_TIMEOUT,
    max_bytes=DEFAULT_MAX_BYTES,
    max_redirects=DEFAULT_MAX_REDIRECTS,
    allow_address=is_public_address,
    resolver=resolve,
    ssl_context=None,
):
    """Download ``url`` under the rules above; return a ``Fetched`` or raise ``FetchError``.

    ``allow_address`` decides which resolved addresses may be contacted (the
    command's ``--allow-private-hosts`` passes one that allows all); ``resolver``
    and ``ssl_context`` exist for tests (a made-up name, a test certificate).
    """
    deadline = time.monotonic() + timeout
    current = url
    for _hop in range(max_redirects + 1):
        target = _Target.parse(current)
        addresses = resolver(target.host, target.port)
        if not addresses:
            raise FetchError(f"cannot resolve {target.host}")
        refused = [a for a in addresses if not allow_address(a)]
        if refused:
            raise FetchError(f"refused: {target.host} resolves to non-public {refused[0]}")
        location, fetched = _request(
            target, addresses, current, deadline, timeout, max_bytes, ssl_context
        )
        if fetched is not None:
            return fetched
        try:
            current = urljoin(current, location)
        except ValueError as error:  # e.g. "http://[::1/x": an unclosed IPv6 bracket
            raise FetchError(f"invalid redirect to {location[:200]!r}: {error}") from None
    raise FetchError(f"too many redirects (more than {max_redirects})")


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str
    port: int
    path: str

    @classmethod
    def parse(cls, url):
        checked = http_url(url)
        if not checked:
            raise FetchError(_refusal(url))
        parts = urlsplit(checked)
        try:
            port = parts.port
        except ValueError as error:
            raise FetchError(f"invalid URL: {error}") from None
        scheme = parts.scheme.lower()
        if parts.username is not None or parts.password is not None:
            raise FetchError("refused: URLs with credentials are not fetched")
        if not parts.hostname:
            raise FetchError("invalid URL: no host")
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        return cls(
            scheme=scheme,
            host=parts.hostname,
            port=port or (443 if scheme == "https" else 80),
            path=quote(path, safe=SAFE_URL_CHARS),
        )


def _refusal(url):
    """Why ``http_url()`` turned ``url`` down, in words for the report."""
    try:
        parts = urlsplit(url.strip() if isinstance(url, str) else "")
    except ValueError as error:
        return f"invalid URL: {error}"
    if parts.scheme.lower() in HTTP_SCHEMES:
        return "invalid URL: no host"
    return f"refused: only http and https URLs are fetched, not {parts.scheme or '?'}"


def _request(target, addresses, url, deadline, timeout, max_bytes, ssl_context):
    """One HTTP exchange: ``(location, None)`` for a redirect, ``(None, Fetched)`` for a body."""
    remaining = _remaining(deadline, timeout)
    watchdog = _Watchdog(deadline)
    if target.scheme == "https":
        connection = _HTTPSConnection(
            target.host,
            target.port,
            timeout=remaining,
            context=ssl_context or ssl.create_default_context(),
        )
        connection.watchdog = watchdog
    else:
        connection = http.client.HTTPConnection(target.host, target.port, timeout=remaining)
    # Connect to the vetted addresses, never to a fresh lookup of the name; the
    # name still goes into Host, SNI and the certificate check.
    connection._create_connection = _Connector(addresses, target.port, watchdog)
    try:
        with watchdog:
            result = _exchange(connection, target, url, deadline, timeout, max_bytes)
    except FetchError:
        if watchdog.fired:
            raise FetchError(f"timed out after {timeout:g}s") from None
        raise
    finally:
        connection.close()
    if watchdog.fired:  # a body cut short by the watchdog reads as a clean end
        raise FetchError(f"timed out after {timeout:g}s")
    return result


def _exchange(connection, target, url, deadline, timeout, max_bytes):
    try:
        connection.request(
            "GET",
            target.path,
            headers={"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": "identity"},
        )
        response = connection.getresponse()
        if response.status in REDIRECT_STATUSES:
            location = response.getheader("Location")
            if not location:
                raise FetchError(f"HTTP {response.status} without a Location")
            return location, None
        if response.status != 200:
            raise FetchError(f"HTTP {response.status} {response.reason}".rstrip())
        data = _read_body(response, deadline, timeout, max_bytes)
        content_type = response.getheader("Content-Type", "")
        return None, Fetched(url=url, data=data, content_type=content_type)
    except TimeoutError:
        raise FetchError(f"timed out after {timeout:g}s") from None
    except ssl.SSLError as error:
        raise FetchError(f"TLS error: {error.reason or error}") from None
    except http.client.HTTPException as error:
        raise FetchError(f"bad HTTP response: {type(error).__name__}") from None
    except OSError as error:
        raise FetchError(f"connection failed: {error.strerror or error}") from None
    except ValueError as error:  # http.client refuses a URL or header it cannot send
        raise FetchError(f"invalid URL: {error}") from None


def _read_body(response, deadline, timeout, max_bytes):
    declared = response.getheader("Content-Length")
    if declared and declared.strip().isdigit() and int(declared) > max_bytes:
        raise FetchError(f"too large: {int(declared):,} bytes declared, the limit is {max_bytes:,}")
    chunks, total = [], 0
    while not response.isclosed():
        _remaining(deadline, timeout)
        chunk = response.read1(min(CHUNK, max_bytes + 1 - total))
        if not chunk:
            break
        total += len(chunk)
        if total > max_bytes:
            raise FetchError(f"too large: more than {max_bytes:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _remaining(deadline, timeout):
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchError(f"timed out after {timeout:g}s")
    return remaining


class _Connector:
    """Stands in for ``socket.create_connection``: tries the vetted addresses only."""

    def __init__(self, addresses, port, watchdog):
        self.addresses = addresses
        self.port = port
        self.watchdog = watchdog

    def __call__(self, _address, timeout=None, source_address=None, **_kwargs):
        error = None
        for address in self.addresses:
            try:
                sock = socket.create_connection((address, self.port), timeout, source_address)
            except OSError as exc:
                error = exc
            else:
                self.watchdog.watch(sock)
                return sock
        raise error


class _HTTPSConnection(http.client.HTTPSConnection):
    """Shows the TLS socket to the watchdog before the handshake, so a stalled one is cut too."""

    watchdog = None

    def __init__(self, host, port, *, timeout, context):
        super().__init__(host, port, timeout=timeout, context=context)
        self.tls_context = context

    def connect(self):
        http.client.HTTPConnection.connect(self)
        self.sock = self.tls_context.wrap_socket(
            self.sock, server_hostname=self.host, do_handshake_on_connect=False
        )
        self.watchdog.watch(self.sock)
        self.sock.do_handshake()


class _Watchdog:
    """Shuts the download's sockets down at ``deadline``: the wall-clock cap.

    ``shutdown()`` wakes a thread blocked in the TLS handshake, the headers or the
    body (``close()`` from another thread would not); connecting has its own timeout.
    A socket already closed refuses the shutdown, harmlessly.
    """

    def __init__(self, deadline):
        self.fired = False
        self.sockets = []
        self.lock = threading.Lock()
        self.timer = threading.Timer(max(0.0, deadline - time.monotonic()), self._fire)
        self.timer.daemon = True

    def __enter__(self):
        self.timer.start()
        return self

    def __exit__(self, *exc_info):
        self.timer.cancel()

    def watch(self, sock):
        with self.lock:
            self.sockets.append(sock)
            if self.fired:
                _shut(sock)

    def _fire(self):
        with self.lock:
            self.fired = True
            for sock in self.sockets:
                _shut(sock)


def _shut(sock):
    try:
        # socket.socket's own shutdown, not SSLSocket's: only the file descriptor
        # is shut, the TLS object stays as the reading thread left it.
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass  # already closed
