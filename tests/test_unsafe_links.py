"""Nothing unsafe reaches a page: measured from outside, on the built site, against hostile inputs.

A feed served over loopback HTTP whose entries link to ``javascript:``, ``file:`` and ``data:`` URLs, a saved
page whose JSON-LD and OpenGraph URLs are scripts, and a hand-written article with script URLs in its front
matter: after ``digest build`` (and a ``--drafts`` preview, which shows the held articles too), every
``href`` and ``src`` in ``site/`` — pages and feeds, entities decoded — is relative or http(s).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import yaml
from conftest import BASE_CONFIG, FIXED_CLOCK, run_digest
from feedserver import FeedServer

HOSTILE_FEED = """\
<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Hostile Herald</title><link>javascript:alert(0)</link>
<description>Entries written by an attacker.</description>
<item><title>Harbour fees rise for pleasure boats</title><link>javascript:alert(1)</link>
<guid isPermaLink="false">h-1</guid><pubDate>Mon, 03 Mar 2025 08:00:00 -0400</pubDate>
<description><![CDATA[<p>Mooring fees for pleasure boats rise by a tenth in April, the harbour authority said.
<a href="javascript:alert(2)">Read the notice</a> <img src="javascript:alert(3)" alt="x">
<a href="vbscript:msgbox(4)">old browsers</a>
<img src="data:image/png;base64,iVBORw0KGgo=" alt="y"></p>]]></description>
</item>
<item><title>Ferry timetable moves to summer hours</title><link>/timetables/summer</link>
<guid isPermaLink="false">h-2</guid><pubDate>Tue, 04 Mar 2025 08:00:00 -0400</pubDate>
<description><![CDATA[<p>The ferry switches to its summer timetable at the end of the month.</p>]]></description>
</item>
<item><title>Net loft opens for the season</title><link>file:///etc/passwd</link>
<guid isPermaLink="false">h-3</guid><pubDate>Wed, 05 Mar 2025 08:00:00 -0400</pubDate>
<description><![CDATA[<p>The net loft opens its doors to visitors for the season on Saturday.</p>]]></description>
</item>
<item><title>Breakwater survey finds cracks</title><link>data:text/html,&lt;script&gt;alert(5)&lt;/script&gt;</link>
<guid isPermaLink="false">h-4</guid>
<description><![CDATA[<p>Divers found cracks along the outer breakwater during a survey last week.</p>]]></description>
</item>
</channel></rss>
"""

SAVED_PAGE = """\
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Pier lights restored | Harbour Gazette</title>
<meta property="og:url" content="javascript:alert(6)">
<meta property="og:image" content="javascript:alert(7)">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
"headline": "Pier lights restored after winter storm", "datePublished": "2025-04-02T09:00:00-03:00",
"url": "javascript:alert(8)", "image": "javascript:alert(9)",
"publisher": {"@type": "Organization", "name": "Harbour Gazette"}}</script>
</head><body><article><h1>Pier lights restored after winter storm</h1>
<p>The lamps along the old pier came back on on Wednesday evening, four months after a winter storm pulled down
the cables that fed them.</p>
<p>Crews from the town spent two weeks laying a new line under the boardwalk, the works manager said, and the
fishing co-op paid for the new lamp heads.</p>
<p>Walkers had asked for the lights since January, when the pier went dark just as the evening ferry began to
dock after sunset.</p>
</article></body></html>
"""

HAND_WRITTEN = """\
---
title: Letters to the harbour master
date: 2025-03-06T09:00:00-04:00
url: "javascript:alert(10)"
image: {url: "javascript:alert(11)", caption: The harbour office}
sources: [{name: Reader mail, url: "java\\tscript:alert(12)"}]
---

Readers wrote in about the new mooring fees.
"""

_URL = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"']*)["']""", re.I)


def urls_in(site: Path) -> dict[str, list[str]]:
    """Every href/src value in every file of ``site/``, with entities decoded (feeds escape their HTML)."""
    found: dict[str, list[str]] = {}
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.suffix in (".html", ".xml", ".json"):
            found[path.relative_to(site).as_posix()] = _URL.findall(html.unescape(path.read_text(encoding="utf-8")))
    return found


def unsafe(urls: dict[str, list[str]]) -> list[str]:
    """Values that are neither relative links within the site nor http(s) URLs."""
    bad = []
    for page, values in urls.items():
        for url in values:
            scheme = re.match(r"\s*([a-zA-Z][\w+.-]*):", url.replace("\t", "").replace("\n", ""))
            if (scheme and scheme.group(1).lower() not in ("http", "https")) or url.startswith("//"):
                bad.append(f"{page}: {url}")
    return bad


def review_of(root: Path, slug: str) -> list[str]:
    text = (root / "content" / "articles" / f"{slug}.md").read_text(encoding="utf-8")
    data = yaml.safe_load(text[4:text.index("\n---\n", 4)])
    return list(data.get("review") or [])


def test_no_unsafe_url_reaches_any_page_or_feed(tmp_project: Callable[..., Path], feed_server: FeedServer) -> None:
    url = feed_server.route("/hostile.xml", HOSTILE_FEED.encode("utf-8"),
                            headers={"Content-Type": "application/rss+xml"})
    root = tmp_project({"content/inbox/pier-lights.html": SAVED_PAGE, "content/articles/letters.md": HAND_WRITTEN},
                       config=BASE_CONFIG + f"feeds:\n  - {{name: Hostile Herald, url: '{url}'}}\n")
    built = run_digest(root, "build", env=FIXED_CLOCK)
    assert built.returncode == 0, built.stderr
    site = root / "site"
    urls = urls_in(site)
    assert sum(map(len, urls.values())) > 100  # the scan sees the site's links
    assert unsafe(urls) == []

    # Each input whose link had to be dropped waits for a human; the relative link resolved against the feed.
    assert review_of(root, "harbour-fees-rise-for-pleasure-boats") == ["url"]
    assert review_of(root, "net-loft-opens-for-the-season") == ["url"]
    assert review_of(root, "breakwater-survey-finds-cracks") == ["date", "url"]
    assert review_of(root, "pier-lights-restored-after-winter-storm") == ["url"]
    timetable = (root / "content" / "articles" / "ferry-timetable-moves-to-summer-hours.md").read_text("utf-8")
    assert f"url: {feed_server.url('/timetables/summer')}" in timetable
    assert review_of(root, "ferry-timetable-moves-to-summer-hours") == []
    held = [line for line in built.stderr.splitlines() if "held for review" in line]
    assert len(held) == 4 and all("an unsafe link was dropped" in line for line in held)
    letters = (site / "articles" / "letters" / "index.html").read_text(encoding="utf-8")
    assert "Reader mail" in letters and "The harbour office" in letters  # the text stays, the links go

    run_digest(root, "build", "--drafts", check=True, env=FIXED_CLOCK)
    urls = urls_in(site)
    assert "articles/harbour-fees-rise-for-pleasure-boats/index.html" in urls
    assert unsafe(urls) == []
    checked = run_digest(root, "check")
    assert "unsafe link '" not in checked.stderr and checked.returncode == 0, checked.stderr


def test_digest_check_reports_an_unsafe_link_in_site(tmp_project: Callable[..., Path]) -> None:
    root = tmp_project()
    run_digest(root, "build", check=True)
    page = root / "site" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</main>", '<a href="javascript:alert(1)">x</a></main>'),
                    encoding="utf-8")
    checked = run_digest(root, "check")
    assert checked.returncode == 1
    assert re.search(r"error: site/index.html:\d+: unsafe link 'javascript:alert\(1\)'", checked.stderr)


FEED_WITH_A_HUGE_ENTRY = """\
<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Quay Courier</title><link>https://courier.example/</link>
<description>News from the quay.</description>
<item><title>Fish plant adds a shift</title><link>https://courier.example/fish-plant</link>
<guid isPermaLink="false">c-1</guid><pubDate>Mon, 03 Mar 2025 08:00:00 -0400</pubDate>
<description><![CDATA[<p>The fish plant hires twenty people for a new night shift.</p>]]></description></item>
<item><title>The whole harbour bylaw</title><link>https://courier.example/bylaw</link>
<guid isPermaLink="false">c-2</guid><pubDate>Tue, 04 Mar 2025 08:00:00 -0400</pubDate>
<description><![CDATA[{body}]]></description></item>
{extra}
</channel></rss>
"""


def test_feed_entries_over_the_limit_are_left_out_once_and_site_feeds_stay_small(
        tmp_project: Callable[..., Path]) -> None:
    clause = "<p>Every vessel moored at the quay shall keep its lines in good order at all times.</p>"
    feed = FEED_WITH_A_HUGE_ENTRY.replace("{body}", clause * 60)  # about 5 KB
    long_hand = "Every mooring line is inspected in spring and again in autumn by the harbour crew. " * 40
    root = tmp_project({
        "content/feeds/quay.xml": feed.replace("{extra}", ""),
        "content/articles/inspections.md": "---\ntitle: Mooring inspections\ndate: 2025-03-05\n"
                                           "summary: Lines are inspected twice a year.\n---\n\n" + long_hand,
    }, config=BASE_CONFIG + "feeds:\n  - {name: Quay Courier, path: content/feeds/quay.xml}\n"
                            "limits: {feed_entry: 2 KB}\n")
    first = run_digest(root, "build", env=FIXED_CLOCK)
    assert first.returncode == 0, first.stderr
    [warning] = [line for line in first.stderr.splitlines() if "limits.feed_entry" in line]
    assert warning.startswith("warning: feed Quay Courier: entry 'https://courier.example/bylaw' is ")
    assert "over the limit of 2 KB (limits.feed_entry); it was left out" in warning
    articles = sorted(p.name for p in (root / "content" / "articles").iterdir())
    assert articles == ["fish-plant-adds-a-shift.md", "inspections.md"]

    # The feed changes (a new entry): the refused entry is not reported again.
    new_item = ("<item><title>Crane repaired</title><link>https://courier.example/crane</link><guid>c-3</guid>"
                "<pubDate>Wed, 05 Mar 2025 08:00:00 -0400</pubDate><description>The crane works.</description></item>")
    (root / "content" / "feeds" / "quay.xml").write_text(feed.replace("{extra}", new_item), encoding="utf-8")
    second = run_digest(root, "build", env=FIXED_CLOCK)
    assert second.returncode == 0 and "limits.feed_entry" not in second.stderr, second.stderr
    assert (root / "content" / "articles" / "crane-repaired.md").is_file()

    # The site's own feeds carry no entry over the limit either: the long article is given as its summary.
    rss = (root / "site" / "feed.xml").read_text(encoding="utf-8")
    assert "Lines are inspected twice a year." in rss and "again in autumn" not in rss
    for item in re.findall(r"<item>.*?</item>", rss, re.S):
        assert len(item.encode("utf-8")) <= 2048
