"""Full text for summary-only feeds (``full_text: true``): each entry's linked page, fetched from the loopback
server and read by the HTML extractor, becomes the article's body; the entry keeps its own metadata.

Through the real CLI: the page text arrives (furniture and scripts left behind), a second build asks for
every page with its validators and rewrites nothing on 304; pages that are missing, too large, too slow,
not HTML or redirected to ``file:`` keep the entry's summary with one warning naming the entry; an unsafe
link is never fetched; without ``full_text`` no page is asked for; ``digest fetch`` reads the pages so that
an offline build has them. In-process: the per-run cap on page fetches, and a run killed between reading the
pages and writing the articles.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import formatdate
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXED_CLOCK, run_digest
from feedserver import FeedServer

import generator.ingest.feeds as feedingest
import generator.ingest.fulltext as fulltext
from generator.config import Config, FeedSource
from generator.frontmatter import parse_front_matter
from generator.ingest.feeds import ingest_feeds

LAST_MODIFIED = formatdate(1760270400, usegmt=True)  # 2025-10-12

# Invented stories: the feed carries one line of each, the page the whole text.
STORIES = {
    "ferry": ("Ferry crews vote on a new contract", "Crews accept a three-year deal.", [
        "Ferry crews at Gull Point voted on Tuesday night to accept a three-year contract, ending a dispute "
        "that had kept the morning sailing tied up for most of October.",
        "The deal raises pay by four per cent in the first year and adds a second engineer to every winter "
        "crossing, the union steward said outside the terminal.",
        "Passengers waiting for the late boat cheered when the result was read out. One fisherman said he had "
        "missed two auctions on the mainland because of the cancelled runs.",
        "The operator said the timetable returns to normal on Monday, with an extra Saturday crossing until "
        "the end of the month to clear the backlog of freight."]),
    "library": ("Library roof repairs slip to spring", "The council delays the library work.", [
        "The council of Gull Point has put off repairs to the library roof until April, after the only "
        "tender came in at twice the budget set aside in the summer.",
        "Librarians have moved the local history shelves away from the leaking north wall and placed buckets "
        "under the skylight, which drips whenever the wind comes from the sea.",
        "Councillor Amos Rell said a second call for tenders would go out in January and asked residents to "
        "keep using the reading room, which stays dry and open on weekday afternoons."]),
    "market": ("Night market returns to the wharf", "Stalls open again on Fridays.", [
        "The Friday night market returns to the old wharf this week, with twenty stalls selling smoked fish, "
        "wool, honey and the seaweed crackers that sold out within an hour last season.",
        "Organisers moved the stalls closer to the harbour lights after traders complained that customers "
        "could not read their price boards at the far end of the pier in the dark.",
        "A fiddler and a choir from the school will take turns on the bandstand, and the café beside the "
        "slipway will stay open until ten for anyone waiting out a shower."]),
}
FURNITURE = ("Subscribe now", "Most read", "All rights reserved", "page-script-marker", "Share this story")


def page(title: str, paragraphs: list[str], charset: str = "utf-8") -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!doctype html><html lang="en"><head><meta charset="{charset}">
<title>{title} | Gull Point Ledger</title><meta property="og:title" content="{title}">
<script>window.tracker = "page-script-marker";</script></head>
<body><header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/subscribe">Subscribe now for one
dollar</a></nav></header>
<main><article><h1>{title}</h1><p class="byline">By Nora Quill</p>
{body}
<p><a href="javascript:alert(1)" onclick="steal()">Share this story</a></p>
</article><aside><h2>Most read</h2><ul><li><a href="/x">Seagull census finds fewer birds</a></li></ul></aside>
</main><footer><p>© 2025 Gull Point Ledger. All rights reserved.</p></footer></body></html>"""


def item(title: str, link: str, summary: str, guid: str, day: int) -> str:
    return (f"<item><title>{title}</title><link>{link}</link><guid isPermaLink=\"false\">{guid}</guid>"
            f"<pubDate>{day:02d} Oct 2025 09:30:00 -0300</pubDate><description>{summary}</description></item>")


def rss(*items: str) -> bytes:
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Harbour Wire</title>'
            "<link>https://wire.example/</link><description>Short lines from the harbour.</description>"
            f"{''.join(items)}</channel></rss>").encode()


def story_item(server: FeedServer, key: str, day: int, path: str | None = None) -> str:
    title, summary, _ = STORIES[key]
    return item(title, server.url(path or f"/news/{key}"), summary, f"wire-{key}", day)


def serve_page(server: FeedServer, key: str, **fields: Any) -> None:
    title, _, paragraphs = STORIES[key]
    server.route(f"/news/{key}", page(title, paragraphs).encode(), headers={"Content-Type": "text/html; charset=utf-8"},
                 etag=f'"{key}-v1"', last_modified=LAST_MODIFIED, **fields)


def config_yaml(server: FeedServer, *, full_text: bool | None = True, extra: str = "") -> str:
    option = "" if full_text is None else f", full_text: {str(full_text).lower()}"
    return f"""\
site: {{title: Full Text, url: https://full.example.org/, language: en, timezone: America/Halifax}}
feeds:
  - {{name: Harbour Wire, url: "{server.url('/wire.xml')}"{option}}}
fetch: {{timeout: 1}}
search: false
digests: false
{extra}"""


def articles(root: Path) -> dict[str, tuple[dict[str, Any], str]]:
    """title → (front matter, body) of every article file."""
    out = {}
    for path in sorted((root / "content" / "articles").glob("*.md")):
        data, body = parse_front_matter(path.read_text(encoding="utf-8"), path.name)
        out[data["title"]] = (data, body.strip())
    return out


def warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("warning")]


def page_requests(server: FeedServer, start: int = 0) -> list[tuple[str, dict[str, str], int]]:
    return [(p, h, s) for p, h, s in server.requests[start:] if p != "/wire.xml"]


def test_pages_become_bodies_and_a_second_run_costs_304s(tmp_project: Callable[..., Path],
                                                          feed_server: FeedServer) -> None:
    feed_server.route("/wire.xml", rss(story_item(feed_server, "ferry", 14), story_item(feed_server, "library", 13)),
                      headers={"Content-Type": "application/rss+xml"}, etag='"wire-v1"')
    serve_page(feed_server, "ferry")
    serve_page(feed_server, "library", gzip=True)
    root = tmp_project(config=config_yaml(feed_server))

    first = run_digest(root, "build", "--strict", env=FIXED_CLOCK, timeout=60)
    assert first.returncode == 0, first.stdout + first.stderr
    assert warnings(first.stderr) == []
    asked = page_requests(feed_server)
    assert sorted(p for p, _, _ in asked) == ["/news/ferry", "/news/library"]
    for _, headers, status in asked:
        assert status == 200 and headers["user-agent"].startswith("digest/"), headers
        assert headers["accept"].startswith("text/html") and "gzip" in headers["accept-encoding"], headers
        assert "if-none-match" not in headers and "if-modified-since" not in headers

    found = articles(root)
    assert sorted(found) == sorted(STORIES[k][0] for k in ("ferry", "library"))
    for key, day in (("ferry", 14), ("library", 13)):
        title, summary, paragraphs = STORIES[key]
        data, body = found[title]
        assert body.split("\n\n") == paragraphs, body  # the page's article text, nothing around it
        # the entry's metadata, not the page's ("| Gull Point Ledger" title, "Nora Quill" byline)
        assert data["url"] == feed_server.url(f"/news/{key}")
        assert data["source"] == "Harbour Wire" and data["summary"] == summary
        assert data["date"] == datetime.fromisoformat(f"2025-10-{day}T09:30:00-03:00")
        assert data["date_source"] == "feed" and data["authors"] == [] and "review" not in data
        assert data["origin"]["feed"] == "Harbour Wire" and data["origin"]["guid"] == f"wire-{key}"
        assert data["word_count"] == len(" ".join(paragraphs).split())
        html = (root / "site" / "articles" / data["slug"] / "index.html").read_text(encoding="utf-8")
        assert paragraphs[-1].split(",")[0] in html
    site_text = "".join(p.read_text(encoding="utf-8", errors="replace")
                        for p in (root / "site").rglob("*") if p.is_file() and p.suffix in (".html", ".xml"))
    content_text = "".join(p.read_text(encoding="utf-8") for p in (root / "content").rglob("*.md"))
    for text in (site_text, content_text):
        assert not [f for f in FURNITURE if f in text]
        assert "javascript:" not in text and "onclick" not in text

    # The feed changes (a new story): the known pages are asked for with their validators and answer 304;
    # their articles are not rewritten; the new story's page is read.
    before = {p.name: p.read_bytes() for p in (root / "content" / "articles").glob("*.md")}
    feed_server.route("/wire.xml", rss(story_item(feed_server, "market", 15), story_item(feed_server, "ferry", 14),
                                       story_item(feed_server, "library", 13)),
                      headers={"Content-Type": "application/rss+xml"}, etag='"wire-v2"')
    serve_page(feed_server, "market")
    seen = len(feed_server.requests)
    second = run_digest(root, "build", "--strict", env=FIXED_CLOCK, timeout=60)
    assert second.returncode == 0, second.stdout + second.stderr
    later = {p: (h, s) for p, h, s in page_requests(feed_server, seen)}
    assert sorted(later) == ["/news/ferry", "/news/library", "/news/market"]
    for key in ("ferry", "library"):
        headers, status = later[f"/news/{key}"]
        assert headers.get("if-none-match") == f'"{key}-v1"', headers
        assert headers.get("if-modified-since") == LAST_MODIFIED, headers
        assert status == 304
    assert "if-none-match" not in later["/news/market"][0] and later["/news/market"][1] == 200
    after = {p.name: p.read_bytes() for p in (root / "content" / "articles").glob("*.md")}
    assert {name: after[name] for name in before} == before
    assert articles(root)[STORIES["market"][0]][1].split("\n\n") == STORIES["market"][2]

    # A corrected page (new bytes, new ETag) rewrites its article on the next change of the feed.
    fixed = [*STORIES["ferry"][2][:-1], "The operator said the timetable returns to normal on Tuesday, a day later "
             "than first announced, because the relief engineer is still on the mainland."]
    feed_server.route("/news/ferry", page(STORIES["ferry"][0], fixed).encode(),
                      headers={"Content-Type": "text/html"}, etag='"ferry-v2"')
    feed_server.route("/wire.xml", rss(story_item(feed_server, "ferry", 14), story_item(feed_server, "library", 13)),
                      headers={"Content-Type": "application/rss+xml"}, etag='"wire-v3"')
    third = run_digest(root, "build", "--strict", env=FIXED_CLOCK, timeout=60)
    assert third.returncode == 0, third.stdout + third.stderr
    final = articles(root)
    assert final[STORIES["ferry"][0]][1].split("\n\n") == fixed
    assert final[STORIES["library"][0]][1].split("\n\n") == STORIES["library"][2]


def test_a_page_that_fails_keeps_the_summary_with_one_warning(tmp_project: Callable[..., Path],
                                                              feed_server: FeedServer) -> None:
    title, _, paragraphs = STORIES["ferry"]
    bad = {  # path → what the warning says
        "/news/gone": "HTTP 404",
        "/news/huge": "too large",
        "/news/slow": "timed out after 1 s",
        "/news/photo": "not an HTML page (image/jpeg)",
        "/news/moved": "refused redirect to 'file:///etc/passwd'",
        "/news/stub": "the page gives only 10 words of article text",
    }
    items = [item(f"Harbour story {n}", feed_server.url(path), f"Summary line number {n} of the wire.", f"bad-{n}", 10)
             for n, path in enumerate(bad)]
    feed_server.route("/wire.xml", rss(story_item(feed_server, "library", 13), *items),
                      headers={"Content-Type": "application/rss+xml"})
    serve_page(feed_server, "library")
    # /news/gone is not routed: 404
    feed_server.route("/news/huge", page(title, paragraphs * 200).encode(), headers={"Content-Type": "text/html"})
    feed_server.route("/news/slow", page(title, paragraphs).encode(), headers={"Content-Type": "text/html"}, delay=3)
    feed_server.route("/news/photo", b"\xff\xd8\xff\xe0" + bytes(2000), headers={"Content-Type": "image/jpeg"})
    feed_server.redirect("/news/moved", "file:///etc/passwd")
    feed_server.route("/news/stub", page(title, ["Subscribers can read this story."]).encode(),
                      headers={"Content-Type": "text/html"})
    root = tmp_project(config=config_yaml(feed_server, extra="limits: {raw_file: 64 KB}\n"))

    result = run_digest(root, "build", env=FIXED_CLOCK, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr  # a page is never a failed build
    said = warnings(result.stderr)
    for path, what in bad.items():
        about = [line for line in said if feed_server.url(path) in line]
        assert len(about) == 1, (path, said)
        assert about[0].startswith(f"warning: feed Harbour Wire: {feed_server.url(path)}: "), about
        assert what in about[0] and about[0].endswith("; the entry's summary is kept"), about
    assert "limits.raw_file" in next(line for line in said if "/news/huge" in line)
    assert len(said) == len(bad), said
    found = articles(root)
    for n, _ in enumerate(bad):
        data, body = found[f"Harbour story {n}"]
        assert body.strip() == f"Summary line number {n} of the wire.", body
        assert data["url"].startswith(feed_server.base)
    assert found[STORIES["library"][0]][1].split("\n\n") == STORIES["library"][2]  # the others are unaffected
    assert "root:" not in "".join(body for _, body in found.values())
    strict = run_digest(root, "build", "--strict", "--offline", env=FIXED_CLOCK, timeout=60)
    assert strict.returncode == 0, strict.stderr  # the warnings were about that run's fetches, not the files


def test_unsafe_links_are_never_fetched(tmp_project: Callable[..., Path], feed_server: FeedServer,
                                        tmp_path: Path) -> None:
    secret = tmp_path / "secret.html"
    secret.write_text(page("Private notes", ["A local file the feed must not be able to read: owl-marker-7."]),
                      encoding="utf-8")
    feed_server.route("/wire.xml", rss(
        item("Script link", "javascript:fetch('/news/leak')", "A summary with a script for a link.", "js", 11),
        item("File link", secret.as_uri(), "A summary that points at a local file.", "file", 12)),
        headers={"Content-Type": "application/rss+xml"})
    feed_server.route("/news/leak", page("Leak", STORIES["ferry"][2]).encode(), headers={"Content-Type": "text/html"})
    root = tmp_project(config=config_yaml(feed_server))

    result = run_digest(root, "build", env=FIXED_CLOCK, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert [p for p, _, _ in feed_server.requests] == ["/wire.xml"]
    found = articles(root)
    assert sorted(found) == ["File link", "Script link"]
    for title, summary in (("Script link", "A summary with a script for a link."),
                           ("File link", "A summary that points at a local file.")):
        data, body = found[title]
        assert body.strip() == summary and data["url"] is None and data["review"] == ["url"]
    everything = "".join(p.read_text(encoding="utf-8", errors="replace") for p in root.rglob("*")
                         if p.is_file() and p.suffix in (".md", ".html", ".xml", ".json"))
    assert "owl-marker-7" not in everything and "Gull Point" not in everything
    said = warnings(result.stderr)
    assert sum("not an http(s) link, so not fetched" in line for line in said) == 2, said


def test_off_by_default_no_page_is_asked_for(tmp_project: Callable[..., Path], feed_server: FeedServer) -> None:
    feed_server.route("/wire.xml", rss(story_item(feed_server, "ferry", 14)),
                      headers={"Content-Type": "application/rss+xml"})
    serve_page(feed_server, "ferry")
    for option in (None, False):
        feed_server.requests.clear()
        root = tmp_project(config=config_yaml(feed_server, full_text=option))
        result = run_digest(root, "build", "--strict", env=FIXED_CLOCK, timeout=60)
        assert result.returncode == 0, result.stdout + result.stderr
        assert [p for p, _, _ in feed_server.requests] == ["/wire.xml"], option
        _, body = articles(root)[STORIES["ferry"][0]]
        assert body.strip() == STORIES["ferry"][1]


def test_digest_fetch_reads_the_pages_for_an_offline_build(tmp_project: Callable[..., Path],
                                                           feed_server: FeedServer) -> None:
    feed_server.route("/wire.xml", rss(story_item(feed_server, "market", 15)),
                      headers={"Content-Type": "application/rss+xml"})
    serve_page(feed_server, "market")
    root = tmp_project(config=config_yaml(feed_server))
    fetched = run_digest(root, "fetch", env=FIXED_CLOCK, timeout=60)
    assert fetched.returncode == 0, fetched.stdout + fetched.stderr
    assert sorted(p for p, _, _ in feed_server.requests) == ["/news/market", "/wire.xml"]
    assert articles(root) == {}  # fetching writes no article
    feed_server.reset()  # nothing answers now: the build must not need the network
    built = run_digest(root, "build", "--offline", "--strict", env=FIXED_CLOCK, timeout=60)
    assert built.returncode == 0, built.stdout + built.stderr
    assert feed_server.requests == []
    _, body = articles(root)[STORIES["market"][0]]
    assert body.split("\n\n") == STORIES["market"][2]


def test_page_fetches_are_capped_per_feed_and_run(tmp_path: Path, feed_server: FeedServer,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fulltext, "MAX_PAGES", 2)
    for key in STORIES:
        serve_page(feed_server, key)
    days = {"market": 15, "ferry": 14, "library": 13}
    feed_server.route("/wire.xml", rss(*(story_item(feed_server, k, d) for k, d in days.items())), etag='"a"')
    (tmp_path / "content" / "articles").mkdir(parents=True)
    wire = FeedSource("Harbour Wire", url=feed_server.url("/wire.xml"), full_text=True)
    config = Config(root=tmp_path, feeds=(wire,), fetch_timeout=2.0)
    now = datetime(2025, 10, 20, tzinfo=UTC)
    report = ingest_feeds(config, now, offline=False)
    assert report.pages_fetched == 2 and report.new_items == 3
    assert [str(p) for p in report.problems] == [
        "feed Harbour Wire: 1 entries' pages not fetched in this run (at most 2 page fetches per feed and run); "
        "their summaries are kept until a later run fetches them; set the feed's `limit` to choose how many "
        "entries it takes"]
    full = {key for key, (title, _, paragraphs) in STORIES.items()
            if articles(tmp_path)[title][1].split("\n\n") == paragraphs}
    assert full == {"market", "ferry"}  # the first two entries of the feed; the third keeps its summary
    assert articles(tmp_path)[STORIES["library"][0]][1] == STORIES["library"][1]
    # The feed changes: the page never read goes first, then a known one (304), within the cap again.
    feed_server.route("/wire.xml", rss(*(story_item(feed_server, k, d) for k, d in days.items())) + b"\n", etag='"b"')
    seen = len(feed_server.requests)
    report = ingest_feeds(config, now, offline=False)
    asked = sorted((p, s) for p, _, s in page_requests(feed_server, seen))
    assert asked == [("/news/library", 200), ("/news/market", 304)]
    assert report.pages_fetched == 2 and report.pages_not_modified == 1 and report.updated == 1
    assert report.problems == []
    assert all(articles(tmp_path)[title][1].split("\n\n") == paragraphs for title, _, paragraphs in STORIES.values())


def test_a_run_killed_after_the_pages_loses_nothing(tmp_path: Path, feed_server: FeedServer,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages are read and stored before the feed's ingest transaction: killed there, the next run gets a 304
    for the feed (its body is still pending) and for the page, and writes the article with the page's text."""
    serve_page(feed_server, "ferry")
    feed_server.route("/wire.xml", rss(story_item(feed_server, "ferry", 14)), etag='"w"')
    (tmp_path / "content" / "articles").mkdir(parents=True)
    wire = FeedSource("Harbour Wire", url=feed_server.url("/wire.xml"), full_text=True)
    config = Config(root=tmp_path, feeds=(wire,), fetch_timeout=2.0)
    now = datetime(2025, 10, 20, tzinfo=UTC)

    def killed(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(feedingest, "_ingest_feed", killed)
        with pytest.raises(KeyboardInterrupt):
            ingest_feeds(config, now, offline=False)
    assert articles(tmp_path) == {}
    seen = len(feed_server.requests)
    report = ingest_feeds(config, now, offline=False)
    assert sorted((p, s) for p, _, s in feed_server.requests[seen:]) == [("/news/ferry", 304), ("/wire.xml", 304)]
    assert report.new_items == 1 and report.problems == []
    assert articles(tmp_path)[STORIES["ferry"][0]][1].split("\n\n") == STORIES["ferry"][2]

def test_config_rejects_a_non_boolean(tmp_project: Callable[..., Path], feed_server: FeedServer) -> None:
    root = tmp_project(config=config_yaml(feed_server).replace("full_text: true", "full_text: maybe"))
    result = run_digest(root, "build", "--offline")
    assert result.returncode != 0
    assert "feeds[0].full_text" in result.stderr, result.stderr
    assert yaml.safe_load((root / "config.yaml").read_text(encoding="utf-8"))["feeds"][0]["full_text"] == "maybe"
