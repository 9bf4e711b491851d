"""The default theme, end to end: build the example project with the real CLI and inspect ``site/``.

Structure and accessibility landmarks of every HTML page, relative links that resolve, no third-party
requests, feeds that parse (ElementTree, feedparser with bozo == 0) with absolute URLs and real dates,
the sitemap, and — when the jar is present (always in CI) — the Nu HTML checker with zero errors.
"""

from __future__ import annotations

import json
import re
import subprocess
import textwrap
import xml.etree.ElementTree as ET
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import feedparser
import lxml.html
import pytest
from conftest_theme import (
    REPO,
    build_example,
    build_project,
    example_config,
    front_matter,
    html_pages,
    missing_tool,
    vnu_jar,
)

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


# ---------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_example(tmp_path_factory.mktemp("example"))


@pytest.fixture(scope="module")
def config() -> dict:
    return example_config()


EDGE_CONFIG = """\
site:
  title: Edge & Case Digest
  url: https://news.example.net/sub/
  description: "Stress test for the theme: long words, wide tables, footnotes, pagination."
  language: fr-CA
  timezone: America/Toronto
  author: Test Desk
per_page: 4
topics:
  - name: Trade War
    description: Tariffs and retaliation.
  - name: Élections fédérales
"""

LONG_URL = "https://www.example.com/" + "very-long-path-segment-" * 12 + "end.html"
LONG_WORD = "Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherungsanstalt" * 2

WIDE_TABLE = "\n".join("| " + " | ".join(row) + " |" for row in [
    ["Year", "Steel (t)", "Aluminum (t)", "Autos (units)", "Energy (bbl)", "Lumber (m³)", "Dairy (kg)",
     "Notes on the measure and its retaliation"],
    ["---"] * 8,
    ["2023", "1,234,567,890", "2,345,678,901", "3,456,789,012", "4,567,890,123", "5,678,901,234",
     "6,789,012,345", "none-at-all-before-the-trade-war-began"],
    ["2025", "9,876,543,210", "8,765,432,109", "7,654,321,098", "6,543,210,987", "5,432,109,876",
     "4,321,098,765", "counter-tariffs-in-force-since-march"],
])

EDGE_FEATURE = f"""\
---
title: "Ottawa's \\"wide\\" tariff table & a {LONG_WORD[:40]} headline <script>"
date: 2025-06-05T04:00:00-04:00
section: Trade War
source: The Example Times
url: https://www.example.com/news/wide-table
authors: [Alice Martin, Bob Chen, Chloé Tremblay]
contributors: [The Canadian Press, Reuters]
image:
  url: https://images.example.com/photo.jpg
  caption: Trucks wait at the Ambassador Bridge.
  credit: THE CANADIAN PRESS/Jane Doe
  alt: A line of trucks on a bridge
topics: [Trade War, Élections fédérales]
tags: [steel, "Border & Trade"]
people: [Alice Speaker, Mark Carney]
organizations: [House of Commons]
places: ["Windsor, Ont."]
quotes:
  - {{speaker: Alice Speaker, text: "We will not blink first."}}
  - {{speaker: An unnamed official, text: "Talks continue."}}
summary: A stress test with a table wider than any phone, a long unbroken word and footnotes.
sources:
  - {{name: The Example Times, url: "https://www.example.com/news/wide-table"}}
  - {{name: Wire service}}
---
The lede paragraph mentions {LONG_WORD} and links to [a very long address]({LONG_URL})
and prints it bare: {LONG_URL}

{WIDE_TABLE}

> “A blockquote from the story,” said someone.[^1]

1. First point
2. Second point with `code`

![A chart of steel exports](https://images.example.com/chart.png)

See the [archive](../../archive/) too.[^2]

[^1]: A footnote with a [link](https://www.example.com/source).
[^2]: Another footnote.
"""


def _filler(n: int) -> str:
    return textwrap.dedent(f"""\
        ---
        title: Filler story number {n} about tariffs
        date: 2025-0{1 + n % 5}-1{n % 9}T09:00:00-05:00
        source: Outlet {n}
        topics: [Trade War]
        summary: Summary of filler story {n}.
        ---
        Body of story {n} about tariff retaliation.
        """)


@pytest.fixture(scope="module")
def edge_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("edge")
    (project / "config.yaml").write_text(EDGE_CONFIG, encoding="utf-8")
    articles = project / "content" / "articles"
    articles.mkdir(parents=True)
    (articles / "edge-feature.md").write_text(EDGE_FEATURE, encoding="utf-8")
    for n in range(1, 10):
        (articles / f"filler-{n}.md").write_text(_filler(n), encoding="utf-8")
    return build_project(project)


def parse(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


def rel(site: Path, page: Path) -> str:
    return page.relative_to(site).as_posix()


# ---------------------------------------------------------------- page structure

def test_theme_outputs_exist(site: Path) -> None:
    for name in ("index.html", "404.html", "feed.xml", "atom.xml", "sitemap.xml", "robots.txt",
                 "static/style.css", "static/favicon.svg", "topics/index.html", "tags/index.html",
                 "people/index.html", "archive/index.html"):
        assert (site / name).is_file(), name
    assert list((site / "articles").glob("*/index.html"))


def _structure_problems(site: Path, page: Path, language: str, base_url: str) -> list[str]:
    doc = parse(page)
    where = rel(site, page)
    problems: list[str] = []

    def need(cond: object, what: str) -> None:
        if not cond:
            problems.append(f"{where}: {what}")

    need(doc.get("lang") == language, f"<html lang> is {doc.get('lang')!r}, want {language!r}")
    need(len(doc.xpath("//h1")) == 1, f"{len(doc.xpath('//h1'))} <h1> elements, want exactly 1")
    mains = doc.xpath("//main")
    need(len(mains) == 1 and mains[0].get("id") == "main", "one <main id=main>")
    first_link = doc.xpath("(//body//a)[1]")
    need(first_link and first_link[0].get("href") == "#main", "first link of <body> is the skip link to #main")
    need(doc.xpath("//body/header") or doc.xpath("//header[not(ancestor::main)]"), "a page <header>")
    need(doc.xpath("//footer[not(ancestor::main)]"), "a page <footer>")
    navs = doc.xpath("//nav")
    need(navs and all(n.get("aria-label") for n in navs), "every <nav> has an aria-label")
    labels = [n.get("aria-label") for n in navs]
    need(len(labels) == len(set(labels)), f"nav labels are unique: {labels}")
    need((doc.findtext(".//title") or "").strip(), "a non-empty <title>")
    desc = doc.xpath("//meta[@name='description']/@content")
    need(desc and desc[0].strip(), "a non-empty meta description")
    canonical = doc.xpath("//link[@rel='canonical']/@href")
    need(canonical and canonical[0].startswith(base_url), f"canonical under {base_url}: {canonical}")
    for prop in ("og:title", "og:description", "og:url"):
        need(doc.xpath(f"//meta[@property='{prop}']/@content"), f"<meta property={prop}>")
    og_url = doc.xpath("//meta[@property='og:url']/@content")
    need(og_url == canonical, "og:url equals canonical")
    types = {a.get("type") for a in doc.xpath("//link[@rel='alternate']") if a.get("title") and a.get("href")}
    need({"application/rss+xml", "application/atom+xml"} <= types, f"RSS and Atom alternates, got {types}")
    need(doc.xpath("//link[@rel='stylesheet']"), "the stylesheet")
    return problems


def test_every_page_has_landmarks_and_metadata(site: Path, config: dict) -> None:
    problems: list[str] = []
    pages = html_pages(site)
    assert len(pages) > 10
    for page in pages:
        problems += _structure_problems(site, page, config["site"]["language"], config["site"]["url"])
    assert not problems, "\n".join(problems[:40])


def test_edge_pages_have_landmarks_and_metadata(edge_site: Path) -> None:
    problems: list[str] = []
    for page in html_pages(edge_site):
        problems += _structure_problems(edge_site, page, "fr-CA", "https://news.example.net/sub/")
    assert not problems, "\n".join(problems[:40])


def test_topic_and_tag_pages_link_their_own_feeds(site: Path) -> None:
    checked = 0
    for kind in ("topics", "tags"):
        for page in sorted((site / kind).glob("*/index.html")):
            hrefs = parse(page).xpath("//link[@rel='alternate']/@href")
            targets = {(page.parent / h).resolve() for h in hrefs}
            for name in ("feed.xml", "atom.xml"):
                own = (page.parent / name).resolve()
                assert own in targets, f"{rel(site, page)}: no alternate for its own {name}: {hrefs}"
                assert own.is_file()
            checked += 1
    assert checked


def test_navigation_marks_the_current_page(site: Path) -> None:
    home = parse(site / "index.html")
    assert home.xpath("//nav//a[@aria-current='page']"), "home: no aria-current in the navigation"
    for page in sorted((site / "topics").glob("*/index.html")):
        doc = parse(page)
        slug = page.parent.name
        current = doc.xpath("//header//nav//a[@aria-current='page']/@href")
        if current:  # topics without articles are not in the navigation
            assert [h for h in current if h.rstrip("/").endswith(slug)], f"topics/{slug}: {current}"
    topics = parse(site / "topics" / "index.html")
    assert topics.xpath("//nav//a[@aria-current='page']"), "topics index: utility nav marks Topics"


# ---------------------------------------------------------------- links and third parties

def _local_target(site: Path, page: Path, url: str) -> Path | None:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:
        return page
    target = (page.parent / unquote(parts.path)).resolve()
    if url.split("#")[0].endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def _link_problems(site: Path, allow_root_relative: set[str]) -> list[str]:
    problems: list[str] = []
    root = site.resolve()
    ids_cache: dict[Path, set[str]] = {}

    def ids(path: Path) -> set[str]:
        if path not in ids_cache:
            ids_cache[path] = set(parse(path).xpath("//@id"))
        return ids_cache[path]

    for page in html_pages(site):
        where = rel(site, page)
        doc = parse(page)
        for el, attr in [(e, "href") for e in doc.xpath("//*[@href]")] + [(e, "src") for e in doc.xpath("//*[@src]")]:
            url = el.get(attr).strip()
            parts = urlsplit(url)
            if parts.scheme in ("http", "https", "mailto"):
                continue
            assert not parts.scheme, f"{where}: unexpected scheme in {url!r}"
            if url.startswith("/"):
                if where not in allow_root_relative:
                    problems.append(f"{where}: root-relative link {url!r} (links must be relative)")
                continue
            target = _local_target(site, page, url)
            assert target is not None
            if not str(target).startswith(str(root)):
                problems.append(f"{where}: {url!r} escapes site/")
            elif not target.is_file():
                shown = target.relative_to(root) if target.is_relative_to(root) else target
                problems.append(f"{where}: {url!r} → missing {shown}")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in ids(target):
                problems.append(f"{where}: {url!r}: no element with id {parts.fragment!r}")
    return problems


def test_internal_links_resolve(site: Path) -> None:
    problems = _link_problems(site, {"404.html"})
    assert not problems, "\n".join(problems[:40])


def test_edge_internal_links_resolve(edge_site: Path) -> None:
    problems = _link_problems(edge_site, {"404.html"})
    assert not problems, "\n".join(problems[:40])


def test_404_links_work_from_any_depth(site: Path, config: dict) -> None:
    # 404.html is served for any missing path, however deep: its links are relative to a <base> that is
    # the path of site.url, so they resolve to the same pages from /x and from /a/b/c/x alike.
    base_path = urlsplit(config["site"]["url"]).path or "/"
    doc = parse(site / "404.html")
    assert doc.xpath("//head/base/@href") == [base_path]
    assert doc.xpath("//head/base/following::*[@href or @src]") and not doc.xpath(
        "//head/base/preceding::*[@href or @src]"), "<base> must come before every link"
    hrefs = doc.xpath("//a/@href | //link[@rel='stylesheet' or @rel='alternate']/@href")
    assert len(hrefs) > 10
    for href in hrefs:
        if href.startswith("#") or urlsplit(href).scheme:
            continue
        assert not href.startswith("/"), f"404.html: {href!r} is root-relative"
        for missing in ("https://h/x", "https://h/a/b/c/x"):
            resolved = urljoin(urljoin(missing, base_path), href)
            assert resolved == urljoin("https://h" + base_path, href), (missing, href)
        path = urlsplit(urljoin(base_path, href)).path[len(base_path):]
        target = site / path / "index.html" if (not path or path.endswith("/")) else site / path
        assert target.is_file(), f"404.html: {href!r} → missing {target}"


def _third_party_problems(site: Path) -> list[str]:
    problems = []
    for page in html_pages(site):
        where = rel(site, page)
        doc = parse(page)
        for el in doc.xpath("//*[@src]"):
            if urlsplit(el.get("src")).scheme or el.get("src").startswith("//"):
                problems.append(f"{where}: <{el.tag} src={el.get('src')!r}> loads from another host")
        # The one script: the search page's own, a file of the site (it loads the site's Pagefind index).
        allowed = ["../static/search.js"] if where == "search/index.html" else []
        scripts = doc.xpath("//script")
        if [s.get("src") for s in scripts] != allowed or any((s.text or "").strip() for s in scripts):
            problems.append(f"{where}: <script> in the theme (only search/ has one, static/search.js)")
        for el in doc.xpath("//link[@rel!='alternate' and @rel!='canonical']"):
            href = el.get("href", "")
            if urlsplit(href).scheme or href.startswith("//"):
                problems.append(f"{where}: <link rel={el.get('rel')} href={href!r}> loads from another host")
        for el in doc.xpath("//*[@srcset or @poster or @data]"):
            problems.append(f"{where}: <{el.tag}> with srcset/poster/data")
        for style in doc.xpath("//style/text() | //@style"):
            if re.search(r"url\(|@import", style):
                problems.append(f"{where}: inline style loads a resource")
    for js in site.glob("static/**/*.js"):
        for url in re.findall(r"(?:https?:)?//[\w.-]+\.\w+", js.read_text(encoding="utf-8")):
            problems.append(f"{rel(site, js)}: names another host ({url})")
    for css in site.glob("static/**/*.css"):
        text = css.read_text(encoding="utf-8")
        for bad in re.findall(r"@import[^;]*|@font-face|url\(\s*['\"]?(?:https?:)?//[^)]*\)", text):
            problems.append(f"{rel(site, css)}: {bad}")
    return problems


def test_no_third_party_requests(site: Path) -> None:
    assert not _third_party_problems(site)


def test_edge_third_party_images_become_links(edge_site: Path) -> None:
    assert not _third_party_problems(edge_site)
    doc = parse(edge_site / "articles" / "edge-feature" / "index.html")
    links = doc.xpath("//a[@href='https://images.example.com/photo.jpg']")
    assert links, "the lead photo is not linked to its original"
    assert "A line of trucks on a bridge" in links[0].text_content(), "the photo link carries the alt text"
    text = doc.text_content()
    assert "Trucks wait at the Ambassador Bridge." in text
    assert "THE CANADIAN PRESS/Jane Doe" in text


# ---------------------------------------------------------------- the article page

def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _article_problems(site: Path, source: Path) -> list[str]:
    fm = front_matter(source)
    problems: list[str] = []
    slug = fm.get("slug") or source.stem
    page = site / "articles" / slug / "index.html"
    if fm.get("draft"):
        return []
    if not page.is_file():
        return [f"{source.name}: no page at {rel(site, page)}"]
    doc = parse(page)
    text = _norm(doc.text_content())
    where = rel(site, page)

    def need(cond: object, what: str) -> None:
        if not cond:
            problems.append(f"{where}: {what}")

    h1 = doc.xpath("//h1")
    need(h1 and _norm(h1[0].text_content()) == _norm(str(fm["title"])), "the h1 is the title")
    need(doc.xpath("//main//time[@datetime]"), "a <time datetime>")
    for t in doc.xpath("//time/@datetime"):
        try:
            datetime.fromisoformat(t)
        except ValueError:
            problems.append(f"{where}: bad <time datetime={t!r}>")
    if fm.get("authors"):
        need(f"By {_names(fm['authors'])}" in text, f"byline 'By {_names(fm['authors'])}'")
    if fm.get("contributors"):
        need(f"With files from {_names(fm['contributors'])}" in text, "the 'With files from' line")
    if fm.get("source"):
        need(fm["source"] in text, "the outlet")
    if fm.get("url"):
        links = doc.xpath("//main//a[@href=$u]", u=fm["url"])
        need(any("Read the original" in _norm(a.text_content()) for a in links), "a 'Read the original' link")
    quotes = fm.get("quotes") or []
    if quotes:
        panel = doc.xpath("//section[.//h2[contains(., 'Quoted in this story')]]")
        need(panel, "a 'Quoted in this story' panel")
        if panel:
            panel_text = _norm(panel[0].text_content())
            for q in quotes:
                need(_norm(q["text"]) in panel_text, f"quote {q['text'][:30]!r} in the panel")
                need(q["speaker"] in panel_text, f"speaker {q['speaker']!r} in the panel")
    for person in fm.get("people") or []:
        need(doc.xpath("//main//a[normalize-space()=$p]", p=person), f"a link to {person!r}")
    for key in ("organizations", "places"):
        for name in fm.get(key) or []:
            need(name in text, f"{key[:-1]} {name!r} shown")
    for tag in fm.get("tags") or []:
        need(tag in text, f"tag {tag!r} shown")
    for src in fm.get("sources") or []:
        need(src["name"] in text, f"source {src['name']!r} listed")
    image = fm.get("image") or {}
    for key in ("caption", "credit"):
        if image.get(key):
            need(_norm(image[key]) in text, f"image {key} shown")
    need(doc.xpath("//nav[@aria-label]//a[@rel='next' or @rel='prev']") or len(list(site.glob("articles/*/"))) == 1,
         "newer/older navigation")
    return problems


def test_article_pages_show_their_metadata(site: Path) -> None:
    sources = sorted((REPO / "content" / "articles").glob("*.md"))
    assert sources, "the example project has no articles"
    problems = [p for s in sources for p in _article_problems(site, s)]
    assert not problems, "\n".join(problems[:40])


def test_edge_article_page(edge_site: Path) -> None:
    project = edge_site.parent
    assert not _article_problems(edge_site, project / "content" / "articles" / "edge-feature.md")
    doc = parse(edge_site / "articles" / "edge-feature" / "index.html")
    text = _norm(doc.text_content())
    assert "By Alice Martin, Bob Chen and Chloé Tremblay" in text
    assert "With files from The Canadian Press and Reuters" in text
    assert "<script>" in doc.xpath("//h1")[0].text_content(), "the title is shown as text, escaped"
    assert doc.xpath("//a[@href='../../people/alice-speaker/']"), "the speaker links to their page"
    assert doc.xpath("//main//table"), "the table is rendered"
    assert doc.xpath("//*[starts-with(@id, 'fn')]"), "footnotes are rendered"
    assert "An unnamed official" in text, "an unnamed speaker keeps their quote"
    # Its topic chips link to topic pages, tags to tag pages
    assert doc.xpath("//a[contains(@href, 'topics/elections-federales/')]")
    assert doc.xpath("//a[contains(@href, 'tags/border-trade/')]")


def test_edge_pagination(edge_site: Path) -> None:
    first = parse(edge_site / "index.html")
    nav = first.xpath("//nav[@aria-label='Pagination']")
    assert nav, "page 1 has a pagination nav"
    assert nav[0].xpath(".//a[@rel='next']/@href") == ["page/2/"]
    last = sorted((edge_site / "page").glob("*/index.html"))[-1]
    doc = parse(last)
    assert doc.xpath("//nav[@aria-label='Pagination']//a[@rel='prev']")
    assert not doc.xpath("//nav[@aria-label='Pagination']//a[@rel='next']")
    two = parse(edge_site / "page" / "2" / "index.html")
    assert two.xpath("//nav[@aria-label='Pagination']//a[@rel='prev']/@href") == ["../../"]


def test_listing_cards(site: Path) -> None:
    doc = parse(site / "index.html")
    cards = doc.xpath("//main//article")
    assert cards, "the home page lists stories as <article> cards"
    for card in cards:
        assert card.xpath(".//h2/a | .//h3/a"), "each card has a headline link"
        assert card.xpath(".//time[@datetime]"), "each card has a <time datetime>"


# ---------------------------------------------------------------- feeds

def _feeds(site: Path) -> list[Path]:
    return sorted(site.rglob("feed.xml")) + sorted(site.rglob("atom.xml"))


def _absolute_urls_problems(html: str, where: str) -> list[str]:
    if not html.strip():
        return []
    frag = lxml.html.fragment_fromstring(html, create_parent="div")
    bad = []
    for el in frag.iter():
        for attr in ("href", "src"):
            value = el.get(attr) if isinstance(el.tag, str) else None
            if value is not None and not urlsplit(value).scheme:
                bad.append(f"{where}: relative {attr}={value!r} in feed content")
    return bad


def _check_rss(path: Path, base: str, language: str) -> list[str]:
    problems = []
    channel = ET.parse(path).getroot().find("channel")
    assert channel is not None
    for tag in ("title", "link", "description", "language", "lastBuildDate", "generator"):
        if not (channel.findtext(tag) or "").strip():
            problems.append(f"{path.name}: channel has no {tag}")
    if channel.findtext("language") != language:
        problems.append(f"{path.name}: language {channel.findtext('language')!r}")
    selfs = [x for x in channel.findall(f"{ATOM}link") if x.get("rel") == "self"]
    if not selfs or not selfs[0].get("href", "").startswith(base):
        problems.append(f"{path.name}: no absolute atom:link rel=self")
    items = channel.findall("item")
    dates = []
    for item in items:
        for tag in ("title", "link", "guid", "pubDate", "description"):
            if not (item.findtext(tag) or "").strip():
                problems.append(f"{path.name}: item without {tag}")
        link, guid = item.findtext("link") or "", item.find("guid")
        if not link.startswith(base):
            problems.append(f"{path.name}: item link {link!r} not absolute")
        if guid is not None and guid.get("isPermaLink") == "true" and not (guid.text or "").startswith("http"):
            problems.append(f"{path.name}: permalink guid that is not a URL")
        pub = item.findtext("pubDate") or ""
        if not re.match(r"^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$", pub):
            problems.append(f"{path.name}: pubDate {pub!r} is not RFC 822 with a numeric zone")
        else:
            dates.append(parsedate_to_datetime(pub))
        if not item.findall("category"):
            problems.append(f"{path.name}: item {item.findtext('title')!r} has no category")
        if not (item.findall(f"{DC}creator") or item.findall("author")):
            problems.append(f"{path.name}: item has no dc:creator/author")
        content = item.findtext(f"{CONTENT}encoded") or ""
        problems += _absolute_urls_problems(content, path.name)
    if dates and parsedate_to_datetime(channel.findtext("lastBuildDate") or "") != max(dates):
        problems.append(f"{path.name}: lastBuildDate is not the newest item's date")
    return problems


def _check_atom(path: Path, base: str, language: str) -> list[str]:
    problems = []
    feed = ET.parse(path).getroot()
    assert feed.tag == f"{ATOM}feed"
    if feed.get("{http://www.w3.org/XML/1998/namespace}lang") != language:
        problems.append(f"{path.name}: xml:lang is {feed.get('{http://www.w3.org/XML/1998/namespace}lang')!r}")
    for tag in ("id", "title", "updated", "generator"):
        if not (feed.findtext(f"{ATOM}{tag}") or "").strip():
            problems.append(f"{path.name}: feed has no {tag}")
    rels = {x.get("rel"): x.get("href", "") for x in feed.findall(f"{ATOM}link")}
    if not rels.get("self", "").startswith(base) or not rels.get("alternate", "").startswith(base):
        problems.append(f"{path.name}: links {rels}")
    if not (feed.findtext(f"{ATOM}author/{ATOM}name") or "").strip():
        problems.append(f"{path.name}: feed has no author")
    datetime.fromisoformat(feed.findtext(f"{ATOM}updated") or "")
    for entry in feed.findall(f"{ATOM}entry"):
        for tag in ("id", "title", "updated", "published"):
            if not (entry.findtext(f"{ATOM}{tag}") or "").strip():
                problems.append(f"{path.name}: entry without {tag}")
        for tag in ("updated", "published"):
            value = entry.findtext(f"{ATOM}{tag}") or ""
            if not re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", value):
                problems.append(f"{path.name}: {tag} {value!r} is not RFC 3339")
        if not urlsplit(entry.findtext(f"{ATOM}id") or "").scheme:
            problems.append(f"{path.name}: entry id is not a URI")
        alt = [x for x in entry.findall(f"{ATOM}link") if x.get("rel") == "alternate"]
        if not alt or not alt[0].get("href", "").startswith(base):
            problems.append(f"{path.name}: entry without absolute rel=alternate")
        if not entry.findall(f"{ATOM}category"):
            problems.append(f"{path.name}: entry without category")
        content = entry.find(f"{ATOM}content")
        if content is not None:
            if content.get("type") != "html":
                problems.append(f"{path.name}: content type {content.get('type')!r}")
            if "&lt;" in (content.text or ""):
                problems.append(f"{path.name}: content is escaped twice")
            problems += _absolute_urls_problems(content.text or "", path.name)
    return problems


def _feed_problems(site: Path, base: str, language: str) -> list[str]:
    problems: list[str] = []
    feeds = _feeds(site)
    assert (site / "feed.xml") in feeds and (site / "atom.xml") in feeds
    for path in feeds:
        where = rel(site, path)
        head = path.read_bytes()[:60]
        if not head.startswith(b'<?xml version="1.0" encoding="utf-8"?>'):
            problems.append(f"{where}: does not start with the XML declaration")
        check = _check_rss if path.name == "feed.xml" else _check_atom
        problems += [f"{where}: {p}" for p in check(path, base, language)]
        parsed = feedparser.parse(path.read_bytes())
        if parsed.bozo:
            problems.append(f"{where}: feedparser bozo: {parsed.bozo_exception!r}")
        if not parsed.entries and path.parent == site:
            problems.append(f"{where}: no entries")
        for entry in parsed.entries:
            if not entry.get("published_parsed") and not entry.get("updated_parsed"):
                problems.append(f"{where}: entry {entry.get('title')!r} has no parseable date")
            if not entry.get("link", "").startswith(base):
                problems.append(f"{where}: entry link {entry.get('link')!r}")
        if parsed.feed.get("language", language) not in (language, language.lower()):
            problems.append(f"{where}: language {parsed.feed.get('language')!r}")
    return problems


def test_feeds_are_valid(site: Path, config: dict) -> None:
    problems = _feed_problems(site, config["site"]["url"], config["site"]["language"])
    assert not problems, "\n".join(problems[:40])


def test_edge_feeds_are_valid(edge_site: Path) -> None:
    problems = _feed_problems(edge_site, "https://news.example.net/sub/", "fr-CA")
    assert not problems, "\n".join(problems[:40])
    rss = ET.parse(edge_site / "feed.xml").getroot()
    item = next(i for i in rss.iter("item") if "wide" in (i.findtext("title") or ""))
    assert item.findtext("title").startswith("Ottawa's \"wide\" tariff table & a"), "title escaped exactly once"
    assert {c.text for c in item.findall("category")} >= {"Trade War", "Élections fédérales", "steel"}
    assert [c.text for c in item.findall(f"{DC}creator")] == ["Alice Martin", "Bob Chen", "Chloé Tremblay"]
    content = item.findtext(f"{CONTENT}encoded") or ""
    assert "<table>" in content and "https://news.example.net/sub/archive/" in content
    atom = feedparser.parse((edge_site / "atom.xml").read_bytes())
    entry = next(e for e in atom.entries if "wide" in e.title)
    assert entry.title.startswith("Ottawa's \"wide\" tariff table & a")
    assert "<table>" in entry.content[0].value
    assert [a.name for a in entry.authors] == ["Alice Martin", "Bob Chen", "Chloé Tremblay"]


def test_sitemap_and_robots(site: Path, config: dict) -> None:
    base = config["site"]["url"]
    root = ET.parse(site / "sitemap.xml").getroot()
    assert root.tag == f"{SITEMAP}urlset"
    locs = [u.findtext(f"{SITEMAP}loc") or "" for u in root.findall(f"{SITEMAP}url")]
    assert base in locs
    for loc in locs:
        assert loc.startswith(base), loc
        path = loc[len(base):]
        assert (site / path / "index.html").is_file() or (site / path).is_file(), loc
    for lastmod in root.iter(f"{SITEMAP}lastmod"):
        datetime.fromisoformat(lastmod.text or "")
    articles = {p.parent.name for p in (site / "articles").glob("*/index.html")}
    assert {f"{base}articles/{a}/" for a in articles} <= set(locs)
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {base}sitemap.xml" in robots.splitlines()


# ---------------------------------------------------------------- the Nu HTML checker

def test_nu_html_checker_reports_no_errors(site: Path, edge_site: Path) -> None:
    jar = vnu_jar()
    if jar is None or not jar.is_file():
        missing_tool("Nu HTML checker not found (set VNU_JAR or npm install --prefix .cache/npm vnu-jar)")
    pages = [str(p) for p in html_pages(site) + html_pages(edge_site)]
    proc = subprocess.run(["java", "-jar", str(jar), "--errors-only", "--format", "json", *pages],
                          capture_output=True, text=True, timeout=600, check=False)
    report = json.loads(proc.stderr or proc.stdout or '{"messages": []}')
    errors = [m for m in report.get("messages", []) if m.get("type") in ("error", "non-document-error")]
    summary = [f"{m.get('url', '').rsplit('/site/', 1)[-1]}:{m.get('lastLine')}: {m.get('message')}" for m in errors]
    assert not errors, "\n".join(summary[:40])
