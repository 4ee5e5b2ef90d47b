"""Images made on the spot, and a local HTTP server that misbehaves on request.

The server listens on 127.0.0.1 only; no test touches the internet.
"""

import io
import ssl
import struct
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from PIL import Image


def image_bytes(format="PNG", size=(64, 48), color=(200, 30, 30), mode="RGB", **options):
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, format=format, **options)
    return buffer.getvalue()


def jpeg_with_exif(size=(80, 40), orientation=None):
    """A JPEG carrying EXIF (camera make, GPS-ish comment, optional orientation)."""
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Inc."  # Make
    exif[0x9286] = "secret location"  # UserComment
    if orientation:
        exif[0x0112] = orientation
    return image_bytes("JPEG", size, exif=exif.tobytes())


def png_header_only(width, height):
    """A PNG that claims ``width``×``height`` pixels: the shape of a decompression bomb."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


GOOD_PNG = image_bytes("PNG", (300, 200), (10, 120, 200))
GOOD_JPEG = image_bytes("JPEG", (1600, 900), (250, 200, 0))
# Few pixels, but too tall for a WebP thumbnail (WebP stops at 16383 px a side).
TALL_PNG = image_bytes("PNG", (10, 17_000), (0, 90, 0))
NOT_AN_IMAGE = b"<!doctype html><title>Not found</title><p>Sorry."
BIG_BODY = b"\x00" * 300_000


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.requests.append((self.path, self.headers.get("Host")))
        route = ROUTES.get(self.path.split("?")[0])
        if route is None:
            self.send_error(404)
            return
        try:
            route(self)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as the timeout tests intend

    def log_message(self, *args):
        pass

    def body(self, data, content_type="application/octet-stream", length=True):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        if length:
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def redirect(self, location):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


def _slow(handler):
    time.sleep(2)
    handler.body(GOOD_PNG, "image/png")


def _trickle(handler):
    handler.send_response(200)
    handler.send_header("Content-Type", "image/png")
    handler.end_headers()
    for byte in GOOD_PNG[:30]:
        handler.wfile.write(bytes([byte]))
        handler.wfile.flush()
        time.sleep(0.1)


def _trickle_slowly(handler):
    """One byte every half second: each read is quick, the download never ends."""
    handler.send_response(200)
    handler.send_header("Content-Type", "image/png")
    handler.send_header("Content-Length", str(len(GOOD_PNG)))
    handler.end_headers()
    for byte in GOOD_PNG[:40]:
        handler.wfile.write(bytes([byte]))
        handler.wfile.flush()
        time.sleep(0.5)


def _trickle_headers(handler):
    """The status line and headers themselves, one byte every half second."""
    for byte in b"HTTP/1.0 200 OK\r\nContent-Type: image/png\r\nX-Padding: " + b"x" * 40:
        handler.wfile.write(bytes([byte]))
        handler.wfile.flush()
        time.sleep(0.5)


def _declared_huge(handler):
    handler.send_response(200)
    handler.send_header("Content-Type", "image/png")
    handler.send_header("Content-Length", str(10**9))
    handler.end_headers()
    handler.wfile.write(GOOD_PNG)


ROUTES = {
    "/good.png": lambda h: h.body(GOOD_PNG, "image/png"),
    "/good.jpg": lambda h: h.body(GOOD_JPEG, "image/jpeg"),
    # A lying content type: Pillow decides, not the header.
    "/photo": lambda h: h.body(GOOD_JPEG, "text/plain"),
    "/too-large": lambda h: h.body(BIG_BODY, "image/png", length=False),
    "/declared-huge": _declared_huge,
    "/not-an-image": lambda h: h.body(NOT_AN_IMAGE, "image/png"),
    "/bomb.png": lambda h: h.body(png_header_only(100_000, 100_000), "image/png"),
    "/slow": _slow,
    "/trickle": _trickle,
    "/trickle-slowly": _trickle_slowly,
    "/trickle-headers": _trickle_headers,
    "/tall.png": lambda h: h.body(TALL_PNG, "image/png"),
    "/to-malformed": lambda h: h.redirect("http://[::1/x"),
    "/loop": lambda h: h.redirect("/loop"),
    "/hop": lambda h: h.redirect("/good.png"),
    "/to-ftp": lambda h: h.redirect("ftp://127.0.0.1/good.png"),
    "/to-other-loopback": lambda h: h.redirect(f"http://127.0.0.2:{h.server.server_port}/good.png"),
}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a sleeping /slow handler must not hold up the test

    def handle_error(self, request, client_address):
        pass


CERTS = Path(__file__).parent / "certs"
TEST_CERT = CERTS / "images.test.pem"


class ImageServer:
    """``with ImageServer() as server: server.url("/good.png")``; ``tls=True`` for HTTPS."""

    def __init__(self, tls=False):
        self.tls = tls

    def __enter__(self):
        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        if self.tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(TEST_CERT, CERTS / "images.test.key")
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.httpd.requests = []
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def port(self):
        return self.httpd.server_port

    @property
    def requests(self):
        return self.httpd.requests

    def url(self, path, host="127.0.0.1"):
        scheme = "https" if self.tls else "http"
        return f"{scheme}://{host}:{self.port}{path}"
