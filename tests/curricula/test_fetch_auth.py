"""Adding a source by URL (against a real local HTTP server)."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from teachback.curricula.sources_fetch import fetch_url, is_public_address, resolve, save_fetched
from teachback.errors import SourceError

LOCAL = {"127.0.0.1"}  # the test server's address, explicitly allowed for these tests only


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _send(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if body:
            self.wfile.write(body)

    def do_GET(self):  # noqa: N802 - the http.server API
        if self.path in CANNED:
            self._send(*CANNED[self.path])
        elif self.path == "/slow":
            self._slow()
        elif self.path == "/huge":
            self._huge()
        else:
            self._send(404)

    def _slow(self):
        """Dribbles a byte every 0.2 s: each read is quick, the whole is not."""
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        for _ in range(30):
            try:
                self.wfile.write(b"x")
                self.wfile.flush()
            except OSError:
                return
            time.sleep(0.2)

    def _huge(self):
        """No Content-Length: streamed until the client gives up."""
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.server.huge_sent = 0
        try:
            for _ in range(1000):
                self.wfile.write(b"y" * 65536)
                self.server.huge_sent += 65536
        except OSError:
            pass


# What the server answers at each address: (status, body, headers).
CANNED = {
    "/notes.md": (
        200,
        b"# Osmosis\n\nWater crosses a membrane.\n",
        [("Content-Type", "text/markdown"), ("Content-Length", "39")],
    ),
    "/article": (
        200,
        b"<html><body><p>Diffusion.</p></body></html>",
        [("Content-Type", "text/html; charset=utf-8")],
    ),
    "/huge-declared": (200, b"", [("Content-Length", str(10**9))]),
    "/to-private": (302, b"", [("Location", "http://169.254.169.254/latest/meta-data/")]),
    "/to-notes": (301, b"", [("Location", "/notes.md")]),
    "/loop": (302, b"", [("Location", "/loop")]),
    "/missing": (404, b"<html><h1>Not found</h1></html>", [("Content-Type", "text/html")]),
    "/broken": (500, b"<html>oops</html>", [("Content-Type", "text/html")]),
}


@pytest.fixture(scope="module")
def server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}", srv
    srv.shutdown()
    srv.server_close()


def test_fetch_a_markdown_file_and_follow_a_redirect(server, tmp_path):
    base, _ = server
    got = fetch_url(base + "/to-notes", allow_private=LOCAL)
    assert (got.url, got.name, got.content_type) == (
        base + "/notes.md",
        "notes.md",
        "text/markdown",
    )
    assert got.data == b"# Osmosis\n\nWater crosses a membrane.\n"
    page = fetch_url(base + "/article", allow_private=LOCAL)
    assert page.name == "article.html"
    saved = save_fetched(page, tmp_path)
    assert saved.read_bytes() == page.data
    assert save_fetched(page, tmp_path).name == "article-2.html"


def test_local_and_private_addresses_are_refused_by_default(server):
    base, _ = server
    with pytest.raises(SourceError, match="private or local address"):
        fetch_url(base + "/notes.md")
    for host in ("127.0.0.1", "10.1.2.3", "169.254.169.254", "::1", "192.168.0.1", "0.0.0.0"):
        with pytest.raises(SourceError, match=r"refused: .* private or local address"):
            resolve("u", host, 80, allow_private=False)
        assert not is_public_address(host)
    assert is_public_address("93.184.216.34")


def test_redirect_to_a_private_address_is_refused(server):
    base, _ = server
    with pytest.raises(SourceError, match=r"169\.254\.169\.254"):
        fetch_url(base + "/to-private", allow_private=LOCAL)


def test_a_slow_url_times_out(server):
    base, _ = server
    started = time.monotonic()
    with pytest.raises(SourceError, match="timed out after 1 s"):
        fetch_url(base + "/slow", timeout=1, allow_private=LOCAL)
    assert time.monotonic() - started < 3


def test_a_huge_url_is_stopped_early(server):
    base, srv = server
    with pytest.raises(SourceError, match="too large: more than 100000 bytes"):
        fetch_url(base + "/huge", max_bytes=100_000, allow_private=LOCAL)
    with pytest.raises(SourceError, match="too large: 1000000000 bytes"):
        fetch_url(base + "/huge-declared", max_bytes=100_000, allow_private=LOCAL)
    time.sleep(0.2)
    assert srv.huge_sent < 1000 * 65536  # the server did not get to send it all


@pytest.mark.parametrize(
    "path, message", [("/missing", "404 Not Found"), ("/broken", "500"), ("/loop", "redirects")]
)
def test_error_pages_and_redirect_loops_are_refused(server, path, message):
    base, _ = server
    with pytest.raises(SourceError, match=message) as err:
        fetch_url(base + path, allow_private=LOCAL)
    assert str(err.value).startswith(base + path + ":")


@pytest.mark.parametrize(
    "url, message",
    [
        ("file:///etc/passwd", "only http and https"),
        ("ftp://example.org/x", "only http and https"),
        ("http://user:pw@example.org/", "user name or password"),
        ("http:///nohost", "no host"),
    ],
)
def test_bad_urls_are_refused_without_a_connection(url, message):
    with pytest.raises(SourceError, match=message):
        fetch_url(url)
