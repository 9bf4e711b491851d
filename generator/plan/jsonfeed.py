"""The site's feeds as JSON Feed 1.1 (https://jsonfeed.org/version/1.1): the document, as plain data.

Each ``feed.json`` sits beside a ``feed.xml`` and carries the same entries: the same ids (the RSS
``guid`` / Atom ``id``), links, dates and content, so a reader that switches format sees no new items.
Render serialises the dict (the ``json`` filter of ``feed.json``); nothing here formats text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.plan.views import FeedEntry

VERSION = "https://jsonfeed.org/version/1.1"

# Image types by file extension: a fixed table, not ``mimetypes`` (which reads the machine's own lists,
# so the same site could differ between two machines).
_IMAGE_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif",
                "webp": "image/webp", "avif": "image/avif", "svg": "image/svg+xml"}


@dataclass(frozen=True)
class FeedImage:
    """An article's lead photo as feeds carry it: the original address (feeds never copy images)."""

    url: str  # absolute http(s)
    type: str | None  # image/jpeg…, when the address says so
    title: str | None  # alt text or caption
    length: int | None = None  # bytes, when known: only then does RSS get an <enclosure> (it requires one)


def feed_image(url: str | None, alt: str | None, caption: str | None) -> FeedImage | None:
    if not url:
        return None
    path = url.split("?", 1)[0].split("#", 1)[0]
    ext = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    return FeedImage(url, _IMAGE_TYPES.get(ext), alt or caption or None)


def rfc3339(value: datetime) -> str:
    """``2025-06-05T04:00:00-04:00``: a timezone-aware datetime as RFC 3339 (``isoformat`` is exactly that)."""
    if value.tzinfo is None:
        raise ValueError("a feed date needs a time zone")
    return value.isoformat()


def json_feed(*, title: str, home_page_url: str, feed_url: str, description: str, language: str, author: str,
              hub: str | None, items: Sequence[FeedEntry]) -> dict[str, Any]:
    """The JSON Feed document, keys in the order of the spec's examples."""
    doc: dict[str, Any] = {
        "version": VERSION,
        "title": title,
        "home_page_url": home_page_url,
        "feed_url": feed_url,
    }
    if description:
        doc["description"] = description
    doc["language"] = language
    if author:
        doc["authors"] = [{"name": author}]
    if hub:
        doc["hubs"] = [{"type": "WebSub", "url": hub}]
    doc["items"] = [_item(i) for i in items]
    return doc


def _item(entry: FeedEntry) -> dict[str, Any]:
    item: dict[str, Any] = {"id": entry.guid, "url": entry.link, "title": entry.title}
    if entry.content_html:
        item["content_html"] = entry.content_html
    else:  # summary only (``feed.full_content: false``, or an article too long for one entry)
        item["content_text"] = entry.summary or entry.title
    if entry.summary:
        item["summary"] = entry.summary
    if entry.image is not None:
        item["image"] = entry.image.url
    # the article's own date (RSS pubDate, Atom published); `updated` moves when a story's feed entry does
    item["date_published"] = entry.article.iso_date or rfc3339(entry.updated)
    item["date_modified"] = rfc3339(entry.updated)
    if entry.author_names:
        item["authors"] = [{"name": n} for n in entry.author_names]
    if entry.categories:
        item["tags"] = list(entry.categories)
    return item
