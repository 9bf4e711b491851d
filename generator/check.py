"""``digest check``: config, front matter, internal links and generated feeds, all problems at once."""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.config import Config
from generator.errors import ContentError, Location, Problem
from generator.frontmatter import key_line
from generator.links import link_scheme
from generator.model import Article, review_text
from generator.sources.articles import iter_article_paths, read_article
from generator.taxonomy import build_index, undefined_topic_problems

_LINK = re.compile(r'\s(?:href|src)="([^"]*)"')
_LINK_SCHEMES = ("http", "https", "mailto", "tel")  # what a page may link to; never javascript:, data:, file:


def check_project(config: Config) -> list[Problem]:
    problems: list[Problem] = []
    articles = []
    for path in iter_article_paths(config.articles_dir):
        display = path.relative_to(config.root).as_posix()
        try:
            article = read_article(path, display, config.tz)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        articles.append(article)
        problems += _review_problems(path, article)
    index = build_index(articles, config, drafts=True)
    problems += undefined_topic_problems(index)
    if config.output_dir.is_dir():
        problems += check_links(config.output_dir)
        problems += check_feeds(config.output_dir)
    return problems


def _review_problems(path: Path, article: Article) -> list[Problem]:
    """Warnings for an article held for review, and for a date that only says when ingest saved it."""
    found = []
    if article.held:
        found.append(Problem(Location(article.path), f"held for review: {review_text(article.review)}",
                             "fix the field, then remove its reason from `review:`; see `digest review`",
                             severity="warning"))
    if article.date_source == "ingested":
        try:
            line = key_line(path.read_text(encoding="utf-8"), "date_source")
        except (OSError, UnicodeDecodeError):
            line = None
        found.append(Problem(Location(article.path, line), "date_source: ingested: the date is when the file "
                             "was ingested, not when it was published (the site says \"saved on …\")",
                             "set `date` to the publication time and `date_source: stated`, or clear `date` "
                             "and add `review: [date]`", severity="warning"))
    return found


def check_links(site: Path) -> list[Problem]:
    problems = []
    for dirpath, _dirs, files in os.walk(site):
        for name in files:
            if not name.endswith(".html") or name == "404.html":
                continue
            page = Path(dirpath) / name
            text = page.read_text(encoding="utf-8", errors="replace")
            for match in _LINK.finditer(text):
                url = match.group(1)
                parts = urlsplit(url)
                scheme = link_scheme(url)
                if scheme and scheme not in _LINK_SCHEMES:
                    line = text.count("\n", 0, match.start()) + 1
                    problems.append(Problem(Location(page.relative_to(site.parent).as_posix(), line),
                                            f"unsafe link {url[:60]!r}: only http(s) links may leave the site",
                                            "find the input it came from and fix its URL"))
                    continue
                if parts.scheme or parts.netloc or not parts.path or url.startswith(("#", "mailto:")):
                    continue
                target = (page.parent / unquote(parts.path)).resolve()
                if target.is_dir():
                    target = target / "index.html"
                if not target.exists():
                    line = text.count("\n", 0, match.start()) + 1
                    problems.append(Problem(Location(page.relative_to(site.parent).as_posix(), line),
                                            f"broken link {url!r}"))
    return problems


ATOM = "{http://www.w3.org/2005/Atom}"
_RELATIVE = re.compile(r'(?:href|src)="(?!https?://|mailto:|data:|#)([^"]*)"')


def check_feeds(site: Path) -> list[Problem]:
    """Well-formed XML plus the W3C feed validator's rules that templates can break (DESIGN.md)."""
    problems = []
    for feed in sorted(site.rglob("*.xml")):
        display = feed.relative_to(site.parent).as_posix()
        try:
            root = ET.parse(feed).getroot()
        except ET.ParseError as exc:
            problems.append(Problem(Location(display, exc.position[0]), f"feed is not well-formed XML: {exc}"))
            continue
        if root.tag == "rss":
            problems += [Problem(Location(display), m) for m in _rss_problems(root)]
        elif root.tag == f"{ATOM}feed":
            problems += [Problem(Location(display), m) for m in _atom_problems(root)]
    return problems


def _rss_problems(root: ET.Element) -> list[str]:
    from email.utils import parsedate_to_datetime

    found = []
    channel = root.find("channel")
    if channel is None:
        return ["RSS without a <channel>"]
    for tag in ("title", "link", "description"):
        if not (channel.findtext(tag) or "").strip():
            found.append(f"channel has no <{tag}>")
    if not any(link.get("rel") == "self" for link in channel.iter(f"{ATOM}link")):
        found.append('channel has no <atom:link rel="self">')
    for n, item in enumerate(channel.findall("item"), start=1):
        if item.find("guid") is None:
            found.append(f"item {n} has no <guid>")
        date = item.findtext("pubDate")
        try:
            parsed = parsedate_to_datetime(date or "")
            if parsed.tzinfo is None:
                raise ValueError
        except (TypeError, ValueError):
            found.append(f"item {n}: pubDate {date!r} is not RFC 822 with a zone")
        for field in ("description", "{http://purl.org/rss/1.0/modules/content/}encoded"):
            for url in _RELATIVE.findall(item.findtext(field) or ""):
                found.append(f"item {n}: relative URL {url!r} in content")
    return found


def _atom_problems(root: ET.Element) -> list[str]:
    from datetime import datetime

    def rfc3339(value: str | None) -> bool:
        try:
            return value is not None and datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo is not None
        except ValueError:
            return False

    found = []
    for tag in ("id", "title"):
        if not (root.findtext(f"{ATOM}{tag}") or "").strip():
            found.append(f"feed has no <{tag}>")
    if not rfc3339(root.findtext(f"{ATOM}updated")):
        found.append("feed <updated> is not RFC 3339")
    if not any(link.get("rel") == "self" for link in root.findall(f"{ATOM}link")):
        found.append('feed has no <link rel="self">')
    feed_author = root.find(f"{ATOM}author") is not None
    for n, entry in enumerate(root.findall(f"{ATOM}entry"), start=1):
        for tag in ("id", "title"):
            if not (entry.findtext(f"{ATOM}{tag}") or "").strip():
                found.append(f"entry {n} has no <{tag}>")
        if not rfc3339(entry.findtext(f"{ATOM}updated")):
            found.append(f"entry {n}: <updated> is not RFC 3339")
        if not any(link.get("rel", "alternate") == "alternate" for link in entry.findall(f"{ATOM}link")):
            found.append(f"entry {n} has no alternate link")
        if not feed_author and entry.find(f"{ATOM}author") is None:
            found.append(f"entry {n} has no <author> (and the feed has none)")
        for url in _RELATIVE.findall(entry.findtext(f"{ATOM}content") or ""):
            found.append(f"entry {n}: relative URL {url!r} in content")
    return found
