#!/usr/bin/env python3
"""Full text for summary-only feeds: linked pages fetched and read per second, against a loopback server.

    .venv/bin/python bench/fulltext_speed.py                       # 120 pages, 300 ms latency, default concurrency
    .venv/bin/python bench/fulltext_speed.py --latency 0.3 --pages 200 --concurrency 8
    .venv/bin/python bench/fulltext_speed.py --html-dir ../shared/html-dev/pages   # real saved pages

A local HTTP server answers every request after ``--latency`` seconds (each page with an ETag, so the
second run is all 304s). One summary-only feed links ``--pages`` pages; the bench runs the real ingest
(``ingest_feeds``, the feed's ``limit`` = the page count) into a fresh project three times: ``full_text``
off (the feed alone), on (every page fetched and read), and on again after the feed changed (every page
asked for with its validators: 304).
Pages/s is (pages) / (time on − time off). By default the pages are generated here (about 600 words of
filler prose in a page with navigation and footer, ~4 kB); ``--html-dir`` serves saved ``*.html`` files
instead, for a figure on real page sizes (those pages are only read, never copied anywhere).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.config import Config, FeedSource  # noqa: E402
from generator.ingest.feeds import ingest_feeds  # noqa: E402

WORDS = ["harbour", "ferry", "council", "tide", "wharf", "crew", "vote", "storm", "repair", "school", "market",
         "lantern", "gull", "boat", "timetable", "engineer", "union", "fishing", "quay", "island", "bridge",
         "ledger", "morning", "evening", "winter", "season", "freight"]


def filler_page(n: int, rng: random.Random) -> bytes:
    paragraphs = []
    for _ in range(12):
        sentences = []
        for _ in range(4):
            words = [rng.choice(WORDS) for _ in range(rng.randint(8, 16))]
            sentences.append(" ".join(words).capitalize() + ".")
        paragraphs.append("<p>" + " ".join(sentences) + "</p>")
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>Story {n} | Bench Ledger</title></head>"
            "<body><nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sub'>Subscribe</a></nav>"
            f"<main><article><h1>Story number {n}</h1>{''.join(paragraphs)}</article></main>"
            "<footer>All rights reserved.</footer></body></html>").encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        time.sleep(self.server.latency)
        with self.server.lock:
            self.server.hits[self.path] = self.server.hits.get(self.path, 0) + 1
        if self.path == "/feed.xml":
            body, etag = self.server.feed, f'"feed-{self.server.feed_version}"'
        elif self.path in self.server.pages:
            body, etag = self.server.pages[self.path], '"v1"'
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.headers.get("If-None-Match") == etag:
            self.server.not_modified += 1
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8" if self.path != "/feed.xml"
                         else "application/rss+xml")
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    latency = 0.3
    feed = b""
    feed_version = 1
    pages: dict[str, bytes]
    hits: dict[str, int]
    not_modified = 0
    lock = threading.Lock()


def feed_xml(base: str, count: int, version: int) -> bytes:
    items = "".join(
        f"<item><title>Story number {i}</title><link>{base}/p/{i}</link><guid>bench-{i}</guid>"
        f"<pubDate>Mon, 13 Oct 2025 {i % 24:02d}:00:00 +0000</pubDate><description>One line about story {i}."
        "</description></item>" for i in range(count))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Bench</title><link>{base}/</link>'
            f"<description>v{version}</description>{items}</channel></rss>").encode()


def run(server: Server, base: str, work: Path, *, full_text: bool, concurrency: int | None) -> tuple[float, int]:
    feed = FeedSource("Bench Wire", url=f"{base}/feed.xml", full_text=full_text, limit=len(server.pages))
    kwargs = {} if concurrency is None else {"fetch_concurrency": concurrency}
    config = Config(root=work, feeds=(feed,), fetch_timeout=20.0, **kwargs)  # type: ignore[arg-type]
    start = time.perf_counter()
    report = ingest_feeds(config, datetime(2025, 10, 20, tzinfo=UTC), offline=False)
    return time.perf_counter() - start, report.pages_fetched


def fresh(work: Path) -> None:
    shutil.rmtree(work, ignore_errors=True)
    (work / "content" / "articles").mkdir(parents=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=120, help="pages linked from the feed (default 120)")
    parser.add_argument("--latency", type=float, default=0.3, help="seconds before each answer (default 0.3)")
    parser.add_argument("--concurrency", type=int, default=None, help="fetch.concurrency (default: config's)")
    parser.add_argument("--html-dir", type=Path, default=None, help="serve these saved *.html pages instead")
    args = parser.parse_args(argv)

    rng = random.Random(12)
    if args.html_dir:
        saved = sorted(args.html_dir.glob("*.html"))
        bodies = [saved[i % len(saved)].read_bytes() for i in range(args.pages)]
    else:
        bodies = [filler_page(i, rng) for i in range(args.pages)]
    server = Server(("127.0.0.1", 0), Handler)
    server.latency = args.latency
    server.pages = {f"/p/{i}": body for i, body in enumerate(bodies)}
    server.hits = {}
    base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    size = sum(map(len, bodies)) / len(bodies) / 1000
    concurrency = args.concurrency or Config(root=Path(".")).fetch_concurrency
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "project"
        server.feed = feed_xml(base, args.pages, 1)
        fresh(work)
        off, _ = run(server, base, work, full_text=False, concurrency=args.concurrency)
        fresh(work)
        on, fetched = run(server, base, work, full_text=True, concurrency=args.concurrency)
        server.feed_version = 2
        server.feed = feed_xml(base, args.pages, 2)
        again, revalidated = run(server, base, work, full_text=True, concurrency=args.concurrency)
    server.shutdown()
    pages = on - off
    print(f"{args.pages} pages ({size:.1f} kB each), {args.latency * 1000:.0f} ms latency, concurrency "
          f"{concurrency}: feed alone {off:.2f} s; with full text {on:.2f} s, {fetched} pages read: "
          f"{fetched / pages:.1f} pages/s (network bound at {concurrency / args.latency:.1f}/s); "
          f"second run {again:.2f} s, {server.not_modified} pages 304 of {revalidated} asked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
