"""Feed entries made ready for articles: which to take, safe Markdown, plain titles, clean links."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

from generator.config import FeedSource, MatchRule
from generator.ingest.keys import fingerprint, link_key
from generator.links import http_url, link_scheme
from generator.sources.feedparse import FeedEntry
from generator.sources.sanitize import entry_markdown, html_to_text, shorten
from generator.topicmatch import count_hits, fold

MAX_ENTRIES = 500  # per feed and run, when the feed sets no `limit`: a runaway feed cannot flood content/


@dataclass(frozen=True)
class Prepared:
    """An entry made ready for the article file: safe Markdown, plain title, hashes."""

    entry: FeedEntry
    title: str
    body: str  # Markdown
    summary: str | None
    link: str | None
    link_key: str | None
    fingerprint: str
    content_hash: str
    review: tuple[str, ...] = ()  # what the entry leaves in doubt: "title" (none given), "url" (an unsafe link)


def entry_link(entry: FeedEntry, base_url: str | None) -> str | None:
    """The entry's link as its article keeps it: absolute http(s), no ``utm_*``; None for any other kind."""
    return http_url(clean_link(entry.link), base_url)


def prepare(entry: FeedEntry, base_url: str | None, page_text: str | None = None) -> Prepared:
    """``page_text``: the article text of the entry's linked page (``full_text`` feeds, Markdown), which
    becomes the body in place of the entry's own; the entry's summary is then the article's summary."""
    link = entry_link(entry, base_url)  # only an http(s) link becomes the article's url
    unsafe_link = bool(entry.link) and link is None and link_scheme(entry.link or "") != ""
    body = entry_markdown(entry.content_html, link or base_url) if entry.content_html else ""
    given_title = html_to_text(entry.title)
    title = given_title or shorten(html_to_text(entry.content_html), 80) or "Untitled"
    review = (() if given_title else ("title",)) + (("url",) if unsafe_link else ())
    summary = None
    if page_text:
        body = page_text
        summary = shorten(html_to_text(entry.summary_html or entry.content_html)) or None
    elif entry.summary_html:
        text = html_to_text(entry.summary_html)
        if text and fold(text[:200]) not in fold(html_to_text(entry.content_html)):
            summary = shorten(text)
    if summary is None:
        first = next((p for p in body.split("\n\n") if p.strip() and not p.lstrip().startswith(("#", "!["))),
                     "")
        summary = shorten(html_to_text(first.replace("\n", " "))) or None
    return Prepared(entry, title, body, summary, link, link_key(link), fingerprint(title, body),
                    content_hash(entry, page_text), review)


def entry_size(entry: FeedEntry) -> int:
    """Bytes of what an entry brings (title, summary, content), for ``limits.feed_entry``."""
    return sum(len(part.encode("utf-8")) for part in (entry.title, entry.summary_html or "", entry.content_html))


def content_hash(entry: FeedEntry, page_text: str | None = None) -> str:
    """What an update must change for the article to be rewritten (cheap: no sanitizing); with
    ``page_text`` (a ``full_text`` feed), a change of the linked page's article text too."""
    content = "\x1f".join([entry.title, entry.content_html, entry.summary_html or "", entry.link or "",
                           entry.published.isoformat() if entry.published else "", *entry.authors, "\x1e",
                           *entry.categories])
    if page_text:
        content += "\x1d" + page_text
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def clean_link(url: str | None) -> str | None:
    """The entry's link without ``utm_*`` campaign parameters (what the article's ``url`` keeps)."""
    if not url or "utm_" not in url:
        return url
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.lower().startswith("utm_")]
    return parts._replace(query=urlencode(query)).geturl()


def select_entries(feed: FeedSource, entries: Sequence[FeedEntry]) -> list[FeedEntry]:
    """Apply the feed's ``include``/``exclude`` keywords and its ``limit`` (newest first)."""
    chosen = list(entries)
    if feed.include or feed.exclude:
        include = MatchRule(any=feed.include) if feed.include else None
        exclude = MatchRule(any=feed.exclude) if feed.exclude else None
        kept = []
        for e in chosen:
            title = html_to_text(e.title)
            text = html_to_text(e.content_html)
            summary = html_to_text(e.summary_html or "")
            if include and count_hits(include, title, text, summary) == 0:
                continue
            if exclude and count_hits(exclude, title, text, summary) > 0:
                continue
            kept.append(e)
        chosen = kept
    limit = feed.limit if feed.limit is not None else (MAX_ENTRIES if len(chosen) > MAX_ENTRIES else None)
    if limit is not None:
        def newest_first(i: int) -> tuple[bool, float, int]:
            published = chosen[i].published
            return (published is None, -published.timestamp() if published else 0.0, i)

        order = sorted(range(len(chosen)), key=newest_first)
        chosen = [chosen[i] for i in sorted(order[:limit])]
    return chosen
