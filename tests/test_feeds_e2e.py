"""Feeds end to end through the real CLI: a loopback HTTP server, `digest build`, and the built site.

The server speaks conditional GET (ETag + Last-Modified, 304 on a match) and records every
request's headers. One feed is RSS 2.0, one Atom; one story is in both; one entry is hostile; a
third configured feed points at a closed port and must only cost a warning (and exit 1 with --strict).
"""

from __future__ import annotations

from collections.abc import Callable
from email.utils import formatdate
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXED_CLOCK, run_digest
from feedserver import FeedServer, closed_port

SHARED_LINK = "https://harbour.example/2025/10/ferry-strike-ends/"

RSS_FEED = f"""\
<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
<title>Quay Courier</title>
<link>https://courier.example/</link>
<description>News from the quay.</description>
<item>
<title>Fish plant adds a night shift</title>
<link>https://courier.example/2025/10/fish-plant-night-shift/</link>
<guid isPermaLink="false">courier-1001</guid>
<pubDate>Mon, 06 Oct 2025 08:00:00 -0300</pubDate>
<description>The plant hires twenty people for a new night shift.</description>
<content:encoded><![CDATA[<p>The fish plant on the north quay will hire twenty people for a night shift from November,
its manager said on Monday.</p><p>Applications open at the harbour office.</p>]]></content:encoded>
</item>
<item>
<title>Ferry strike ends after three days</title>
<link>{SHARED_LINK}</link>
<guid isPermaLink="false">courier-1002</guid>
<pubDate>Wed, 08 Oct 2025 17:30:00 -0300</pubDate>
<description>Crews return to work after a deal on overtime pay.</description>
<content:encoded><![CDATA[<p>Ferry crews returned to work on Wednesday evening after the union and the operator agreed
on overtime pay. The first sailing left at six.</p>]]></content:encoded>
</item>
<item>
<title>Lighthouse open day draws a crowd</title>
<link>https://courier.example/2025/10/lighthouse-open-day/</link>
<guid isPermaLink="false">courier-1003</guid>
<pubDate>Sat, 11 Oct 2025 12:00:00 -0300</pubDate>
<description>Hundreds climb the lighthouse stairs.</description>
<content:encoded><![CDATA[<p>Hundreds of visitors climbed the 114 steps of the old lighthouse on Saturday.</p>
<script>document.cookie = "stolen"</script>
<p onclick="steal()">Volunteers handed out maps <a href="javascript:alert(1)">of the coast path</a>.</p>
<iframe src="https://tracker.example/embed"></iframe>
<p>The keeper's cottage opens again in the spring.</p>]]></content:encoded>
</item>
</channel>
</rss>
""".encode()

ATOM_FEED = f"""\
<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>Gull Island Gazette</title>
<id>tag:gazette.example,2025:feed</id>
<updated>2025-10-12T10:00:00Z</updated>
<link rel="alternate" href="https://gazette.example/"/>
<author><name>Gazette desk</name></author>
<entry>
<title>Ferry strike ends after three days</title>
<id>tag:gazette.example,2025:strike-ends</id>
<link rel="alternate" href="{SHARED_LINK}"/>
<updated>2025-10-08T21:00:00Z</updated>
<content type="html">&lt;p&gt;Ferry crews returned to work on Wednesday evening after the union and the operator
agreed on overtime pay. The first sailing left at six.&lt;/p&gt;</content>
</entry>
<entry>
<title>Island school gets a new roof</title>
<id>tag:gazette.example,2025:school-roof</id>
<link rel="alternate" href="https://gazette.example/2025/10/school-roof/"/>
<updated>2025-10-12T10:00:00Z</updated>
<content type="html">&lt;p&gt;Roofers finished the island school on Sunday, a week before the first
autumn storm is forecast.&lt;/p&gt;</content>
</entry>
</feed>
""".encode()

FEEDS = {
    "/courier.xml": (RSS_FEED, "application/rss+xml", '"courier-v1"'),
    "/gazette.atom": (ATOM_FEED, "application/atom+xml", '"gazette-v1"'),
}
LAST_MODIFIED = formatdate(1760270400, usegmt=True)  # 2025-10-12

# title → outlets of every entry; the strike story is in both feeds
ENTRIES = {
    "Fish plant adds a night shift": {"Quay Courier"},
    "Ferry strike ends after three days": {"Quay Courier", "Gull Island Gazette"},
    "Lighthouse open day draws a crowd": {"Quay Courier"},
    "Island school gets a new roof": {"Gull Island Gazette"},
}
HOSTILE = ("<script", "onclick", "javascript:", "<iframe", "tracker.example", "document.cookie")


@pytest.fixture
def project(tmp_project: Callable[..., Path], feed_server: FeedServer) -> Path:
    for path, (body, ctype, etag) in FEEDS.items():
        feed_server.route(path, body, headers={"Content-Type": ctype}, etag=etag, last_modified=LAST_MODIFIED)
    dead = f"http://127.0.0.1:{closed_port()}/gone.xml"
    return tmp_project(config=f"""\
        site: {{title: Feeds E2E, url: https://e2e.example.org/, language: en, timezone: America/Halifax}}
        topics:
          - name: Harbour
            match: {{any: [ferry, ferries, quay, harbour, lighthouse], min_hits: 1}}
        feeds:
          - {{name: Quay Courier, url: "{feed_server.base}/courier.xml"}}
          - {{name: Gull Island Gazette, url: "{feed_server.base}/gazette.atom"}}
          - {{name: Dead Wire, url: "{dead}"}}
        fetch: {{timeout: 2}}
        per_page: 10
        """)


def front_matter(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    head = text.split("---\n", 2)[1]
    data = yaml.safe_load(head)
    assert isinstance(data, dict)
    return data


def site_snapshot(site: Path) -> dict[str, tuple[int, bytes]]:
    """Each output's mtime and bytes: outputs are only replaced when their bytes change."""
    return {p.relative_to(site).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(site.rglob("*")) if p.is_file()}


def article_files(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted((root / "content" / "articles").glob("*.md"))}


def test_feeds_through_the_cli(project: Path, feed_server: FeedServer) -> None:
    first = run_digest(project, "build", env=FIXED_CLOCK, timeout=60)
    assert first.returncode == 0, first.stdout + first.stderr
    assert sorted(p for p, _, _ in feed_server.requests) == sorted(FEEDS)  # one plain GET per live feed
    warnings = [line for line in first.stderr.splitlines() if line.startswith("warning")]
    assert any("Dead Wire" in line for line in warnings), first.stderr
    assert not any(name in first.stderr for name in ("Quay Courier", "Gull Island Gazette")), first.stderr

    # every entry is exactly one content file and one page, which shows its outlet(s)
    files = article_files(project)
    by_title: dict[str, list[dict[str, Any]]] = {}
    for path in files:
        fm = front_matter(path)
        by_title.setdefault(fm["title"], []).append(fm)
    assert sorted(by_title) == sorted(ENTRIES), sorted(by_title)
    site = project / "site"
    pages = sorted((site / "articles").glob("*/index.html"))
    assert len(pages) == len(ENTRIES) == len(files)
    for title, outlets in ENTRIES.items():
        (fm,) = by_title[title]
        assert {s["name"] for s in fm["sources"]} == outlets, fm["sources"]
        page = site / "articles" / fm["slug"] / "index.html"
        html = page.read_text(encoding="utf-8")
        holding = [p for p in pages if f">{title}</h1>" in p.read_text(encoding="utf-8")]
        assert holding == [page], (title, holding)
        for outlet in outlets:
            assert outlet in html, (title, outlet)

    # the hostile entry left nothing executable or third-party anywhere in the output
    theme_script = '<script type="module" src="../static/search.js"></script>'  # the search page's own
    for path in sorted(site.rglob("*")):
        if path.is_file():
            text = path.read_bytes().decode("utf-8", "replace").lower()
            if path == site / "search/index.html":
                assert text.count("<script") == 1 and theme_script in text
                text = text.replace(theme_script, "")
            found = [h for h in HOSTILE if h in text]
            assert not found, (path.relative_to(project), found)
    lighthouse = (site / "articles" / by_title["Lighthouse open day draws a crowd"][0]["slug"] / "index.html")
    lighthouse_html = lighthouse.read_text(encoding="utf-8")
    assert "keeper" in lighthouse_html and "of the coast path" in lighthouse_html  # text kept, markup gone

    # 2nd build: conditional GET for both live feeds, 304, nothing new written
    seen = len(feed_server.requests)
    before = site_snapshot(site)
    second = run_digest(project, "build", env=FIXED_CLOCK, timeout=60)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Dead Wire" in second.stderr
    for path, (_, _, etag) in FEEDS.items():
        later = [(h, s) for p, h, s in feed_server.requests[seen:] if p == path]
        assert len(later) == 1, (path, later)
        headers, status = later[0]
        assert headers.get("if-none-match") == etag, headers
        assert headers.get("if-modified-since") == LAST_MODIFIED, headers
        assert status == 304
    assert article_files(project) == files
    # Only the sources page may change: it shows each feed's health (last status 200 → 304, new items,
    # failure count), which a fetch updates even when no content does. Every other output is untouched.
    after = site_snapshot(site)
    rewritten = sorted(rel for rel in after if before.get(rel) != after[rel])
    assert set(rewritten) <= {"sources/index.html"}, rewritten
    assert sorted(before) == sorted(after)
    assert f"({len(rewritten)} files written, 0 removed)" in second.stdout, (second.stdout, rewritten)

    # --strict: the dead feed's warning becomes a failure
    strict = run_digest(project, "build", "--strict", env=FIXED_CLOCK, timeout=60)
    assert strict.returncode == 1, strict.stdout + strict.stderr
    assert "Dead Wire" in strict.stderr

