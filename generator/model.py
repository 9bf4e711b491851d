"""The content model: plain frozen dataclasses that every stage passes along.

YAML dicts and feedparser objects never get past the parsing edge; templates see these.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Image:
    url: str | None = None
    caption: str | None = None
    credit: str | None = None
    alt: str | None = None


@dataclass(frozen=True)
class Quote:
    speaker: str
    text: str


@dataclass(frozen=True)
class SourceRef:
    """One outlet or feed the story came from (dedup merges append here)."""

    name: str
    url: str | None = None


@dataclass(frozen=True)
class Origin:
    """Where an ingested article came from; ``written`` detects human edits."""

    file: str | None = None
    sha256: str | None = None
    feed: str | None = None
    guid: str | None = None
    written: str | None = None


@dataclass(frozen=True)
class Record:
    """What extraction finds in one raw input: the front-matter fields plus the clean body.

    ``date`` is ``None`` when the input states none; ingest fills it from the clock.
    """

    title: str
    body: str
    date: datetime | None = None
    date_source: str | None = None
    section: str | None = None
    source: str | None = None
    url: str | None = None
    authors: tuple[str, ...] = ()
    contributors: tuple[str, ...] = ()
    image: Image | None = None
    topics: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    quotes: tuple[Quote, ...] = ()
    summary: str | None = None
    word_count: int = 0
    reading_time: int = 0
    dateline: str | None = None


@dataclass(frozen=True)
class Article:
    """One article of ``content/articles/``: its front matter, validated, plus the Markdown body."""

    path: str  # relative to the project root, e.g. content/articles/foo.md
    slug: str
    title: str
    date: datetime  # timezone-aware
    body: str  # Markdown
    date_source: str | None = None
    section: str | None = None
    source: str | None = None
    url: str | None = None
    authors: tuple[str, ...] = ()
    contributors: tuple[str, ...] = ()
    image: Image | None = None
    topics: tuple[str, ...] | None = None  # None: key absent, the topic rules decide
    tags: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    quotes: tuple[Quote, ...] = ()
    summary: str | None = None
    word_count: int = 0
    reading_time: int = 0
    origin: Origin | None = None
    sources: tuple[SourceRef, ...] = ()
    draft: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False)
    content_hash: str = ""  # sha256 of the file bytes: the render cache key

    @property
    def allow_html(self) -> bool:
        """Hand-written articles may use raw HTML; anything with an origin is untrusted."""
        return self.origin is None


@dataclass(frozen=True)
class Topic:
    name: str
    slug: str
    description: str = ""
    defined: bool = True  # False: named in front matter but absent from config
