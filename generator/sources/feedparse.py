"""Feed bytes → ``ParsedFeed`` of frozen ``FeedEntry`` records (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed).

feedparser always gets BYTES (handed a string it may treat it as a path or a URL and go fetching);
it does RSS and Atom, including its own charset sniffing for feeds that lie about their encoding.
JSON Feed 1.0/1.1 is parsed here with ``json``. feedparser objects never leave this module.

A feed that yields no entries and is malformed (or is not a feed at all) has ``error`` set; one that
is malformed but still yields entries (a truncated download) has ``warning`` set and its entries.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin

import feedparser

# Harmless bozo reasons: the feed is fine, only its declared encoding or content type was wrong.
_BENIGN = ("CharacterEncodingOverride", "NonXMLContentType")
_JSON_FEED = "https://jsonfeed.org/version/"


@dataclass(frozen=True)
class FeedEntry:
    guid: str  # the entry's id, or a stable sha256 of link + title when it has none
    title: str
    link: str | None = None
    published: datetime | None = None  # timezone-aware, with the offset the feed stated
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    summary_html: str | None = None
    content_html: str = ""  # the fullest HTML body the feed gives (content, else summary)
    has_guid: bool = True


@dataclass(frozen=True)
class ParsedFeed:
    kind: str  # e.g. rss20, atom10, json11; "" when unknown
    title: str | None = None
    link: str | None = None
    entries: tuple[FeedEntry, ...] = ()
    error: str | None = None  # nothing usable: a warning for the report
    warning: str | None = None  # malformed, but entries were read


def parse_feed(data: bytes, *, base_url: str | None = None, content_type: str | None = None) -> ParsedFeed:
    """Parse one feed document; never raises for bad input."""
    if not isinstance(data, bytes):  # a str would make feedparser fetch a URL or open a path
        raise TypeError("parse_feed needs bytes")
    if not data.strip():
        return ParsedFeed("", error="empty document")
    if _looks_like_json(data, content_type):
        return _parse_json_feed(data, base_url)
    headers = {}
    if content_type:
        headers["content-type"] = content_type
    if base_url:
        headers["content-location"] = base_url
    parsed = feedparser.parse(data, response_headers=headers)
    version = str(parsed.get("version") or "")
    bozo = bool(parsed.get("bozo"))
    reason = _bozo_reason(parsed.get("bozo_exception"))
    entries = tuple(e for e in (_rss_entry(x) for x in parsed.get("entries", ())) if _usable(e))
    feed = parsed.get("feed", {})
    title = html.unescape(str(feed.get("title", ""))).strip() or None
    link = feed.get("link") or None
    if not entries:
        if bozo and not _benign(parsed.get("bozo_exception")):
            return ParsedFeed(version, title, link, error=f"malformed feed, no entries read: {reason}")
        if not version:
            return ParsedFeed(version, title, link, error="not a feed (no RSS, Atom or JSON Feed found)")
        return ParsedFeed(version, title, link)
    warning = None
    if bozo and not _benign(parsed.get("bozo_exception")):
        warning = f"malformed feed ({reason}); {len(entries)} entries read anyway"
    return ParsedFeed(version, title, link, entries, warning=warning)


def _benign(exc: object) -> bool:
    return type(exc).__name__ in _BENIGN


def _bozo_reason(exc: object) -> str:
    if exc is None:
        return "unknown problem"
    text = getattr(exc, "getMessage", None)
    message = text() if callable(text) else str(exc)
    line = getattr(exc, "getLineNumber", None)
    if callable(line):
        return f"{message} at line {line()}"
    return str(message) or type(exc).__name__


def stable_guid(link: str | None, title: str) -> str:
    """An id for an entry that has none: stable across runs and feeds for the same link and title."""
    digest = hashlib.sha256(f"{link or ''}\n{title}".encode()).hexdigest()
    return f"sha256:{digest}"


def _text(value: Any) -> str:
    return html.unescape(str(value or "")).strip()


def _rss_entry(e: Any) -> FeedEntry:
    title = _text(e.get("title"))
    link = e.get("link") or None
    guid = str(e.get("id") or "").strip()
    contents = e.get("content") or []
    content_html = ""
    if contents:
        # Prefer the HTML alternative when a feed offers several.
        best = sorted(contents, key=lambda c: "html" not in str(c.get("type", "")))[0]
        content_html = _as_html(best.get("value", ""), str(best.get("type", "")))
    summary = e.get("summary")
    summary_html = _as_html(summary, str(e.get("summary_detail", {}).get("type", ""))) if summary else None
    authors = tuple(dict.fromkeys(
        a for a in (_text(x.get("name")) for x in e.get("authors", []) if isinstance(x, dict)) if a))
    if not authors and e.get("author"):
        authors = (_text(e.get("author")),)
    categories = tuple(dict.fromkeys(
        t for t in (_text(x.get("term") or x.get("label")) for x in e.get("tags", [])) if t))
    return FeedEntry(
        guid=guid or stable_guid(link, title),
        title=title,
        link=link,
        published=_entry_date(e),
        authors=authors,
        categories=categories,
        summary_html=summary_html,
        content_html=content_html or summary_html or "",
        has_guid=bool(guid),
    )


def _as_html(value: Any, kind: str) -> str:
    text = str(value or "")
    if "html" in kind or not kind:
        return text
    return _text_to_html(text)


def _text_to_html(text: str) -> str:
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


def _entry_date(e: Any) -> datetime | None:
    for raw_key, parsed_key in (("published", "published_parsed"), ("updated", "updated_parsed"),
                                ("created", "created_parsed")):
        found = parse_date(str(e.get(raw_key) or ""))
        if found is not None:
            return found
        struct = e.get(parsed_key)
        if struct:
            try:
                year, month, day, hour, minute, second = struct[:6]
                return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
            except (TypeError, ValueError):
                continue
    return None


def parse_date(raw: str) -> datetime | None:
    """RFC 822 or RFC 3339, keeping the stated offset; naive values are taken as UTC."""
    raw = raw.strip()
    if not raw:
        return None
    value: datetime | None = None
    try:
        value = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        try:
            value = datetime.fromisoformat(raw.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            return None
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def _looks_like_json(data: bytes, content_type: str | None) -> bool:
    if content_type and "json" in content_type.lower():
        return True
    return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"


def _parse_json_feed(data: bytes, base_url: str | None) -> ParsedFeed:
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError) as exc:
        return ParsedFeed("", error=f"invalid JSON: {exc}")
    if not isinstance(doc, dict) or not str(doc.get("version", "")).startswith(_JSON_FEED):
        return ParsedFeed("", error="not a feed (JSON without a jsonfeed.org version)")
    kind = "json" + str(doc["version"]).rsplit("/", 1)[-1].replace(".", "")
    base = _str(doc.get("feed_url")) or _str(doc.get("home_page_url")) or base_url
    feed_authors = _json_authors(doc)
    entries = []
    items = doc.get("items")
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        title = _str(item.get("title")) or ""
        link = _str(item.get("url")) or _str(item.get("external_url"))
        if link and base:
            link = urljoin(base, link)
        raw_id = item.get("id")
        guid = str(raw_id).strip() if isinstance(raw_id, str | int) and not isinstance(raw_id, bool) else ""
        content = _str(item.get("content_html")) or _text_to_html(_str(item.get("content_text")) or "")
        summary = _str(item.get("summary"))
        summary_html = _text_to_html(summary) if summary else None
        tags = item.get("tags")
        entries.append(FeedEntry(
            guid=guid or stable_guid(link, title),
            title=title,
            link=link,
            published=parse_date(_str(item.get("date_published")) or _str(item.get("date_modified")) or ""),
            authors=_json_authors(item) or feed_authors,
            categories=tuple(dict.fromkeys(t.strip() for t in tags if isinstance(t, str) and t.strip()))
            if isinstance(tags, list) else (),
            summary_html=summary_html,
            content_html=content or summary_html or "",
            has_guid=bool(guid),
        ))
    return ParsedFeed(kind, _str(doc.get("title")), _str(doc.get("home_page_url")),
                      tuple(e for e in entries if _usable(e)))


def _usable(entry: FeedEntry) -> bool:
    """An entry with neither title, link nor content is debris of a broken document."""
    return bool(entry.title or entry.link or entry.content_html.strip())


def _str(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _json_authors(obj: dict[str, Any]) -> tuple[str, ...]:
    found: list[str] = []
    authors = obj.get("authors")
    for a in authors if isinstance(authors, list) else [obj.get("author")]:
        if isinstance(a, dict) and _str(a.get("name")):
            found.append(str(_str(a.get("name"))))
    return tuple(dict.fromkeys(found))
