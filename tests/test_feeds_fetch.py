"""Fetching against a real HTTP server on 127.0.0.1: every network fault costs bounded time and memory."""

from __future__ import annotations

import gzip
import threading
import time
import tracemalloc
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from generator.sources.fetch import FetchJob, Validators, fetch_all, fetch_url

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
RSS = (FEEDS / "rss20.xml").read_bytes()
ETAG = '"v1"'
LAST_MODIFIED = formatdate(1749126600, usegmt=True)
BOMB = gzip.compress(b"\0" * (40 * 1024 * 1024), compresslevel=9)  # ~40 KB on the wire, 40 MB inflated


@dataclass
class Server:
    base: str
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str) -> str:
        return self.base + path

    def headers_for(self, path: str) -> list[dict[str, str]]:
        return [h for p, h in self.requests if p == path]


def make_handler(server: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # quiet test output
            pass

        def send(self, status: int, body: bytes = b"", **headers: str) -> None:
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k.replace("_", "-"), v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def trickle(self, data: bytes, delay: float) -> None:
            for b in data:
                if server.stop.is_set():
                    return
                try:
                    self.wfile.write(bytes([b]))
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(delay)

        def do_GET(self) -> None:
            path = self.path
            server.requests.append((path, {k.lower(): v for k, v in self.headers.items()}))
            ua = self.headers.get("User-Agent", "")
            if path == "/feed.xml":
                if self.headers.get("If-None-Match") == ETAG:
                    self.send_response(304)
                    self.send_header("ETag", ETAG)
                    self.end_headers()
                    return
                self.send(200, RSS, Content_Type="application/rss+xml", ETag=ETAG, Last_Modified=LAST_MODIFIED,
                          X_UA=ua)
            elif path == "/lm-only.xml":
                if self.headers.get("If-Modified-Since") == LAST_MODIFIED:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send(200, RSS, Last_Modified=LAST_MODIFIED)
            elif path == "/gzip.xml":
                self.send(200, gzip.compress(RSS), Content_Encoding="gzip", Content_Type="application/rss+xml")
            elif path == "/moved":
                self.send(301, Location="/feed.xml")
            elif path == "/moved-twice":
                self.send(308, Location=server.url("/moved"))
            elif path == "/temporary":
                self.send(302, Location="/feed.xml")
            elif path.startswith("/loop"):
                n = int(path[5:] or 0)
                self.send(302, Location=f"/loop{n + 1}")
            elif path == "/to-file":
                self.send(302, Location="file:///etc/passwd")
            elif path == "/to-ftp":
                self.send(301, Location="ftp://example.org/feed.xml")
            elif path == "/error":
                self.send(500, b"oops")
            elif path == "/missing":
                self.send(404, b"nope")
            elif path == "/bomb":
                self.send(200, BOMB, Content_Encoding="gzip", Content_Type="application/rss+xml")
            elif path == "/huge":  # 15 MB, no Content-Length: only the streaming cap can stop it
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Connection", "close")
                self.end_headers()
                chunk = b"<p>" + b"x" * 65530 + b"</p>"
                try:
                    for _ in range(15 * 1024 * 1024 // len(chunk)):
                        self.wfile.write(chunk)
                except OSError:
                    return
            elif path == "/huge-declared":
                self.send_response(200)
                self.send_header("Content-Length", str(15 * 1024 * 1024))
                self.end_headers()
            elif path == "/truncated":
                self.send_response(200)
                self.send_header("Content-Length", str(len(RSS)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(RSS[:300])
                self.close_connection = True
            elif path == "/trickle":  # headers at once, then a byte every 50 ms forever
                self.send_response(200)
                self.send_header("Content-Length", str(len(RSS)))
                self.end_headers()
                self.trickle(RSS, 0.05)
            elif path == "/trickle-headers":  # even the status line dribbles in
                self.trickle(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n" * 100, 0.05)
            elif path == "/hang":
                server.stop.wait(10)
            elif path.startswith("/slow/"):
                time.sleep(0.4)
                self.send(200, RSS)
            else:
                self.send(404)

    return Handler


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hanging up on bombs and trickles are the point of these tests


@pytest.fixture(scope="module")
def http_server() -> Iterator[Server]:
    httpd = QuietServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    state = Server(f"http://127.0.0.1:{httpd.server_address[1]}")
    httpd.RequestHandlerClass = make_handler(state)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield state
    state.stop.set()
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def server(http_server: Server) -> Server:
    http_server.requests.clear()
    return http_server


def test_fetch_sends_user_agent_and_gets_validators(server: Server) -> None:
    r = fetch_url("Maple", server.url("/feed.xml"), timeout=2)
    assert r.error is None and r.status == 200 and r.body == RSS
    assert r.validators == Validators(ETAG, LAST_MODIFIED)
    ua = server.headers_for("/feed.xml")[0]["user-agent"]
    assert ua.startswith("digest/0.1 (+https://")
    assert "gzip" in server.headers_for("/feed.xml")[0]["accept-encoding"]


def test_conditional_get_gets_304(server: Server) -> None:
    first = fetch_url("Maple", server.url("/feed.xml"), timeout=2)
    second = fetch_url("Maple", server.url("/feed.xml"), first.validators, timeout=2)
    sent = server.headers_for("/feed.xml")[1]
    assert sent["if-none-match"] == ETAG
    assert sent["if-modified-since"] == LAST_MODIFIED
    assert second.not_modified and second.body is None and second.error is None
    assert second.validators.etag == ETAG

    first = fetch_url("LM", server.url("/lm-only.xml"), timeout=2)
    second = fetch_url("LM", server.url("/lm-only.xml"), first.validators, timeout=2)
    assert "if-none-match" not in server.headers_for("/lm-only.xml")[1]
    assert second.not_modified


def test_gzip_body_is_decoded(server: Server) -> None:
    r = fetch_url("Gz", server.url("/gzip.xml"), timeout=2)
    assert r.error is None and r.body == RSS


def test_permanent_redirect_is_reported(server: Server) -> None:
    r = fetch_url("Moved", server.url("/moved-twice"), timeout=2)
    assert r.error is None and r.body == RSS
    assert r.permanent_redirect == server.url("/feed.xml")
    assert r.final_url == server.url("/feed.xml")


def test_temporary_redirect_is_followed_silently(server: Server) -> None:
    r = fetch_url("Temp", server.url("/temporary"), timeout=2)
    assert r.error is None and r.body == RSS and r.permanent_redirect is None


def test_redirect_loop_is_capped(server: Server) -> None:
    r = fetch_url("Loop", server.url("/loop"), timeout=2)
    assert r.error is not None and "too many redirects" in r.error
    assert len(server.headers_for("/loop")) + sum(
        len(server.headers_for(f"/loop{i}")) for i in range(1, 10)) == 6  # the first request + 5 hops


@pytest.mark.parametrize("path", ["/to-file", "/to-ftp"])
def test_redirect_to_other_schemes_is_refused(server: Server, path: str) -> None:
    r = fetch_url("Sneaky", server.url(path), timeout=2)
    assert r.error is not None and "refused" in r.error and "only http and https" in r.error
    assert r.body is None


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/feed.xml", "gopher://x/"])
def test_non_http_urls_are_refused(url: str) -> None:
    r = fetch_url("Sneaky", url, timeout=2)
    assert r.error is not None and "refused" in r.error and r.body is None


@pytest.mark.parametrize(("path", "words"), [("/error", "HTTP 500"), ("/missing", "HTTP 404")])
def test_http_errors(server: Server, path: str, words: str) -> None:
    r = fetch_url("Err", server.url(path), timeout=2)
    assert r.error is not None and r.error.startswith(words) and r.status == int(words[-3:])


def test_gzip_bomb_is_capped_in_memory(server: Server) -> None:
    tracemalloc.start()
    try:
        r = fetch_url("Bomb", server.url("/bomb"), timeout=5, max_decoded=10 * 1024 * 1024)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert r.error is not None and "too large" in r.error and "decompressed" in r.error
    assert peak < 25 * 1024 * 1024, peak  # the 40 MB never exist at once


def test_huge_body_is_capped(server: Server) -> None:
    started = time.monotonic()
    r = fetch_url("Huge", server.url("/huge"), timeout=5, max_raw=5 * 1024 * 1024)
    assert r.error is not None and "too large" in r.error
    assert time.monotonic() - started < 5
    declared = fetch_url("Huge", server.url("/huge-declared"), timeout=5)
    assert declared.error is not None and "too large" in declared.error


def test_truncated_body_is_an_error(server: Server) -> None:
    r = fetch_url("Cut", server.url("/truncated"), timeout=2)
    assert r.error is not None and "truncated" in r.error


@pytest.mark.parametrize("path", ["/trickle", "/trickle-headers", "/hang"])
def test_total_deadline(server: Server, path: str) -> None:
    started = time.monotonic()
    r = fetch_url("Slow", server.url(path), timeout=0.6)
    elapsed = time.monotonic() - started
    assert r.error is not None and "timed out" in r.error, r.error
    assert elapsed < 1.2, elapsed


def test_connection_refused() -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = fetch_url("Gone", f"http://127.0.0.1:{port}/feed.xml", timeout=1)
    assert r.error is not None and "refused" in r.error


def test_concurrent_fetch_is_bounded_and_a_dead_server_delays_no_one(server: Server, tmp_path: Path) -> None:
    jobs = [FetchJob(f"slow {i}", server.url(f"/slow/{i}")) for i in range(8)]
    jobs.append(FetchJob("dead", server.url("/hang")))
    jobs.append(FetchJob("local", path="feed.xml"))
    (tmp_path / "feed.xml").write_bytes(RSS)
    started = time.monotonic()
    results = fetch_all(jobs, tmp_path, offline=False, timeout=1.0, concurrency=9)
    elapsed = time.monotonic() - started
    assert [r.feed for r in results] == [j.name for j in jobs]  # config order
    assert all(r.body == RSS for r in results[:8])
    assert results[8].error is not None and "timed out" in results[8].error
    assert results[9].body == RSS
    # 8 × 0.4 s sequentially would be 3.2 s + the dead one's 1 s; concurrently it is about 1 s.
    # The bound leaves room for a loaded CI machine while still failing a sequential fetcher.
    assert elapsed < 2.8, elapsed


def test_offline_skips_http_but_reads_local_files(server: Server, tmp_path: Path) -> None:
    (tmp_path / "feed.xml").write_bytes(RSS)
    results = fetch_all([FetchJob("web", server.url("/feed.xml")), FetchJob("local", path="feed.xml"),
                         FetchJob("missing", path="nope.xml")], tmp_path, offline=True, timeout=1, concurrency=2)
    assert results[0].skipped and results[0].body is None
    assert results[1].body == RSS
    assert results[2].error is not None and "cannot read" in results[2].error
    assert server.requests == []
