"""Fetching against a real HTTP server on 127.0.0.1: every network fault costs bounded time and memory."""

from __future__ import annotations

import gzip
import time
import tracemalloc
from email.utils import formatdate
from pathlib import Path

import pytest
from feedserver import FeedServer, closed_port

from generator.sources.fetch import FetchJob, Validators, fetch_all, fetch_url

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
RSS = (FEEDS / "rss20.xml").read_bytes()
ETAG = '"v1"'
LAST_MODIFIED = formatdate(1749126600, usegmt=True)
BOMB = gzip.compress(b"\0" * (40 * 1024 * 1024), compresslevel=9)  # ~40 KB on the wire, 40 MB inflated


@pytest.fixture
def server(feed_server: FeedServer) -> FeedServer:
    """The loopback server with every fault below at its own path."""
    s = feed_server
    s.route("/feed.xml", RSS, headers={"Content-Type": "application/rss+xml"}, etag=ETAG, last_modified=LAST_MODIFIED)
    s.route("/lm-only.xml", RSS, last_modified=LAST_MODIFIED)
    s.route("/gzip.xml", RSS, gzip=True, headers={"Content-Type": "application/rss+xml"})
    s.redirect("/moved", "/feed.xml", 301)
    s.redirect("/moved-twice", s.url("/moved"), 308)
    s.redirect("/temporary", "/feed.xml")
    for n in range(20):  # a loop far longer than any redirect cap
        s.redirect(f"/loop{n or ''}", f"/loop{n + 1}")
    s.redirect("/to-file", "file:///etc/passwd")
    s.redirect("/to-ftp", "ftp://example.org/feed.xml", 301)
    s.route("/error", b"oops", 500)
    s.route("/missing", b"nope", 404)
    s.route("/bomb", BOMB, headers={"Content-Encoding": "gzip", "Content-Type": "application/rss+xml"})
    # 15 MB, no Content-Length: only the streaming cap can stop it
    chunk = b"<p>" + b"x" * 65530 + b"</p>"
    s.route("/huge", chunk, repeat=15 * 1024 * 1024 // len(chunk), content_length=None,
            headers={"Content-Type": "text/html"})
    s.route("/huge-declared", content_length=15 * 1024 * 1024)
    s.route("/truncated", RSS[:300], content_length=len(RSS), close=True)
    s.route("/trickle", RSS, trickle=0.05)  # headers at once, then a byte every 50 ms
    s.route("/trickle-headers", b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n" * 100, raw=True,
            trickle=0.05)  # even the status line dribbles in
    s.route("/hang", hang=True)
    for i in range(8):
        s.route(f"/slow/{i}", RSS, delay=0.4)
    return s


def test_fetch_sends_user_agent_and_gets_validators(server: FeedServer) -> None:
    r = fetch_url("Maple", server.url("/feed.xml"), timeout=2)
    assert r.error is None and r.status == 200 and r.body == RSS
    assert r.validators == Validators(ETAG, LAST_MODIFIED)
    ua = server.headers_for("/feed.xml")[0]["user-agent"]
    assert ua.startswith("digest/0.1 (+https://")
    assert "gzip" in server.headers_for("/feed.xml")[0]["accept-encoding"]


def test_conditional_get_gets_304(server: FeedServer) -> None:
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


def test_gzip_body_is_decoded(server: FeedServer) -> None:
    r = fetch_url("Gz", server.url("/gzip.xml"), timeout=2)
    assert r.error is None and r.body == RSS


def test_permanent_redirect_is_reported(server: FeedServer) -> None:
    r = fetch_url("Moved", server.url("/moved-twice"), timeout=2)
    assert r.error is None and r.body == RSS
    assert r.permanent_redirect == server.url("/feed.xml")
    assert r.final_url == server.url("/feed.xml")


def test_temporary_redirect_is_followed_silently(server: FeedServer) -> None:
    r = fetch_url("Temp", server.url("/temporary"), timeout=2)
    assert r.error is None and r.body == RSS and r.permanent_redirect is None


def test_redirect_loop_is_capped(server: FeedServer) -> None:
    r = fetch_url("Loop", server.url("/loop"), timeout=2)
    assert r.error is not None and "too many redirects" in r.error
    assert len(server.headers_for("/loop")) + sum(
        len(server.headers_for(f"/loop{i}")) for i in range(1, 10)) == 6  # the first request + 5 hops


@pytest.mark.parametrize("path", ["/to-file", "/to-ftp"])
def test_redirect_to_other_schemes_is_refused(server: FeedServer, path: str) -> None:
    r = fetch_url("Sneaky", server.url(path), timeout=2)
    assert r.error is not None and "refused" in r.error and "only http and https" in r.error
    assert r.body is None


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/feed.xml", "gopher://x/"])
def test_non_http_urls_are_refused(url: str) -> None:
    r = fetch_url("Sneaky", url, timeout=2)
    assert r.error is not None and "refused" in r.error and r.body is None


@pytest.mark.parametrize(("path", "words"), [("/error", "HTTP 500"), ("/missing", "HTTP 404")])
def test_http_errors(server: FeedServer, path: str, words: str) -> None:
    r = fetch_url("Err", server.url(path), timeout=2)
    assert r.error is not None and r.error.startswith(words) and r.status == int(words[-3:])


def test_gzip_bomb_is_capped_in_memory(server: FeedServer) -> None:
    tracemalloc.start()
    try:
        r = fetch_url("Bomb", server.url("/bomb"), timeout=5, max_decoded=10 * 1024 * 1024)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert r.error is not None and "too large" in r.error and "decompressed" in r.error
    assert peak < 25 * 1024 * 1024, peak  # the 40 MB never exist at once


def test_huge_body_is_capped(server: FeedServer) -> None:
    started = time.monotonic()
    r = fetch_url("Huge", server.url("/huge"), timeout=5, max_raw=5 * 1024 * 1024)
    assert r.error is not None and "too large" in r.error
    assert time.monotonic() - started < 5
    declared = fetch_url("Huge", server.url("/huge-declared"), timeout=5)
    assert declared.error is not None and "too large" in declared.error


def test_truncated_body_is_an_error(server: FeedServer) -> None:
    r = fetch_url("Cut", server.url("/truncated"), timeout=2)
    assert r.error is not None and "truncated" in r.error


@pytest.mark.parametrize("path", ["/trickle", "/trickle-headers", "/hang"])
def test_total_deadline(server: FeedServer, path: str) -> None:
    started = time.monotonic()
    r = fetch_url("Slow", server.url(path), timeout=0.6)
    elapsed = time.monotonic() - started
    assert r.error is not None and "timed out" in r.error, r.error
    assert elapsed < 1.2, elapsed


def test_connection_refused() -> None:
    r = fetch_url("Gone", f"http://127.0.0.1:{closed_port()}/feed.xml", timeout=1)
    assert r.error is not None and "refused" in r.error


def test_concurrent_fetch_is_bounded_and_a_dead_server_delays_no_one(server: FeedServer, tmp_path: Path) -> None:
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


def test_offline_skips_http_but_reads_local_files(server: FeedServer, tmp_path: Path) -> None:
    (tmp_path / "feed.xml").write_bytes(RSS)
    results = fetch_all([FetchJob("web", server.url("/feed.xml")), FetchJob("local", path="feed.xml"),
                         FetchJob("missing", path="nope.xml")], tmp_path, offline=True, timeout=1, concurrency=2)
    assert results[0].skipped and results[0].body is None
    assert results[1].body == RSS
    assert results[2].error is not None and "cannot read" in results[2].error
    assert server.requests == []
