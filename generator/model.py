"""The content model: the article schema, declared once, and the frozen dataclasses every stage passes along.

``Record`` declares every front-matter key, in the order ingest writes them, each with a doc line
(``docs/front-matter.md`` is checked against them) and a ``kind`` that says how the key is read and
written. The key order (``FRONT_MATTER_KEYS``), the front matter ingest writes (``front_matter``), the
``digest extract`` output (``extract.record_to_json``) and the reader's validation
(``sources.articles``) all derive from that one declaration, as Zola's ``front_matter/split.rs`` does
with its typed struct. Any other key lands in ``extra`` and is written back unchanged.

``Article`` is a ``Record`` read back from ``content/articles/``: its date is known and it has a file.
YAML dicts and feedparser objects never get past the parsing edge; templates see these classes.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

WORDS_PER_MINUTE = 230


def reading_time(words: int) -> int:
    """Minutes to read ``words`` words: the one rule, for extraction and feed entries alike."""
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def _key(doc: str, kind: str, *, extracted: bool = True, absent_when_none: bool = False,
         absent_when_empty: bool = False, type: str | None = None) -> dict[str, Any]:
    """The metadata of a front-matter key of ``Record``.

    ``kind`` says how it is read and written (text, date, names, count, flag, image, quotes, origin,
    sources); ``extracted``: extraction fills it and ``digest extract`` prints it; ``absent_when_none``:
    None means the key is absent from the file (and is not written); ``absent_when_empty``: an empty
    value is not written; ``type``: how the docs name it.
    """
    return {"doc": doc, "kind": kind, "extracted": extracted, "absent_when_none": absent_when_none,
            "absent_when_empty": absent_when_empty, "type": type or _KIND_TYPES.get(kind, kind)}


_KIND_TYPES = {"names": "list", "count": "number", "flag": "bool"}

# Why an article waits for a human (``review:``), as the build, ``digest review`` and ``digest check`` say
# it. Ingest writes these; a human removes each reason once the field is fixed. Any other word a human
# writes there holds the article too, and is shown as written.
REVIEW_REASONS: dict[str, str] = {
    "date": "no date",
    "title": "no headline found (the opening words stand in)",
    "text": "little or no article text",
    "length": "much longer than a news article",
    "source": "outlet inferred from a passing mention (photo credit, \"More from\", web address)",
    "section": "section label looks like site navigation or a player button",
    "url": "an unsafe link was dropped",
}

# ``date_source`` values that are the input's own statement of when it was published. Any other value
# (``ingested``: older versions of digest used the ingest clock) is shown as "saved on …", never as the
# publication time; a hand-written article (no ``date_source``) shows what its front matter declares.
PUBLICATION_DATE_SOURCES = ("stated", "html-meta", "feed")


def review_text(reasons: Collection[str]) -> str:
    """``[date, source]`` → "no date; outlet guessed from weak evidence"."""
    return "; ".join(REVIEW_REASONS.get(r, r) for r in reasons)


def _part(doc: str, *, when_set: bool = False) -> dict[str, Any]:
    """The metadata of a field of a value nested in front matter; ``when_set``: written only when not None."""
    return {"doc": doc, "when_set": when_set}


@dataclass(frozen=True)
class Image:
    """The lead photo."""

    url: str | None = field(default=None, metadata=_part("the picture's address"))
    caption: str | None = field(default=None, metadata=_part("what it shows"))
    credit: str | None = field(default=None, metadata=_part("who took or owns it"))
    alt: str | None = field(default=None, metadata=_part("text for readers who cannot see it", when_set=True))


@dataclass(frozen=True)
class Quote:
    speaker: str = field(metadata=_part("who said it"))
    text: str = field(metadata=_part("what they said"))


@dataclass(frozen=True)
class SourceRef:
    """One outlet or feed the story came from (dedup merges append here)."""

    name: str = field(metadata=_part("the outlet or feed"))
    url: str | None = field(default=None, metadata=_part("its link to the story"))


@dataclass(frozen=True)
class Origin:
    """Where an ingested article came from; ``written`` detects human edits."""

    file: str | None = field(default=None, metadata=_part("the inbox file (`inbox/NAME`)", when_set=True))
    sha256: str | None = field(default=None, metadata=_part("sha256 of that file's bytes", when_set=True))
    feed: str | None = field(default=None, metadata=_part("the feed's name in config.yaml", when_set=True))
    guid: str | None = field(default=None, metadata=_part("the entry's GUID in that feed", when_set=True))
    written: str | None = field(default=None, metadata=_part("sha256 of the file's text as ingest wrote it",
                                                             when_set=True))


@dataclass(frozen=True, kw_only=True)
class Record:
    """One article: its front-matter keys (declared in the order ingest writes them) and its body.

    From extraction, ``date`` is None when the input states none, and the ingest-only keys (``slug``,
    ``review``, ``origin``, ``sources``, ``draft``) keep their defaults.
    """

    title: str = field(metadata=_key("the headline (required)", "text"))
    slug: str = field(default="", metadata=_key(
        "URL name under `articles/`; default: the file name without `.md`", "text", extracted=False))
    date: datetime | None = field(default=None, metadata=_key(
        "publication time (required; empty only while `review: [date]` holds the article); "
        "`2025-06-05T04:00:00-04:00` keeps its offset, a date alone means midnight in `site.timezone`", "date",
        type="ISO 8601"))
    review: tuple[str, ...] = field(default=(), metadata=_key(
        "why the article is held for review (`date`, `title`, `text`, `length`, `source`, `section`, `url`); "
        "while the list is not empty it is left out like a draft; fix the field, then remove the reason",
        "names", extracted=False, absent_when_empty=True))
    date_source: str | None = field(default=None, metadata=_key(
        "where the date came from: `stated` (the text), `html-meta` (the page's metadata) or `feed`; "
        "`ingested` (left by older versions: the ingest clock) is shown as \"saved on …\"", "text"))
    section: str | None = field(default=None, metadata=_key("the kicker / section label", "text"))
    source: str | None = field(default=None, metadata=_key("the outlet", "text"))
    url: str | None = field(default=None, metadata=_key("the original article", "text", type="URL"))
    authors: tuple[str, ...] = field(default=(), metadata=_key("the byline", "names"))
    contributors: tuple[str, ...] = field(default=(), metadata=_key(
        '"with files from", "contributed to this report"', "names"))
    image: Image | None = field(default=None, metadata=_key(
        "lead photo; third-party images are linked, not hotlinked, unless `images: hotlink`", "image",
        type="`{url, caption, credit, alt}`"))
    topics: tuple[str, ...] | None = field(default=None, metadata=_key(
        "when present, the truth; when absent, the topic rules of `config.yaml` decide at build time", "names",
        absent_when_none=True))
    tags: tuple[str, ...] = field(default=(), metadata=_key("free tags; each gets `tags/<slug>/` with feeds",
                                                            "names"))
    people: tuple[str, ...] = field(default=(), metadata=_key(
        "people the story mentions; each gets `people/<slug>/`", "names"))
    organizations: tuple[str, ...] = field(default=(), metadata=_key("organizations the story mentions", "names"))
    places: tuple[str, ...] = field(default=(), metadata=_key("places the story mentions", "names"))
    quotes: tuple[Quote, ...] = field(default=(), metadata=_key("quotes with their speakers", "quotes",
                                                                type="list of `{speaker, text}`"))
    summary: str | None = field(default=None, metadata=_key("the dek shown in listings and feeds", "text"))
    word_count: int = field(default=0, metadata=_key("words in the body", "count"))
    reading_time: int = field(default=0, metadata=_key(
        f"reading time in minutes ({WORDS_PER_MINUTE} words a minute, rounded up)", "count"))
    origin: Origin | None = field(default=None, metadata=_key(
        "where ingest got it; `written` detects human edits: a file whose text no longer matches is never "
        "rewritten by ingest", "origin", extracted=False, type="`{file, sha256, written}` or `{feed, guid, written}`"))
    sources: tuple[SourceRef, ...] = field(default=(), metadata=_key(
        "every outlet/feed the story came from", "sources", extracted=False, type="list of `{name, url}`"))
    story: str | None = field(default=None, metadata=_key(
        "the story this article belongs to, set by a human: a story's slug (or one of its articles' slugs) "
        "joins it, a new name groups the articles that give it, `none` keeps the article out of every story",
        "text", extracted=False, absent_when_none=True))
    draft: bool = field(default=False, metadata=_key("left out unless `digest build --drafts`", "flag",
                                                     extracted=False))

    body: str = ""  # the clean article text: Markdown below the front matter
    dateline: str | None = None  # extraction only, never written: the place line of wire copy ("OTTAWA —")
    # extraction only, never written: how a field was found, for ingest's review flags:
    # title (page-meta | header | first-paragraph), section (page-meta | text),
    # source (wire | byline | page-meta | provided | header | site-name | copyright | footer | photo-credit |
    # more-from | address)
    evidence: Mapping[str, str] = field(default_factory=dict, hash=False)
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False)  # every other key, as written


@dataclass(frozen=True, kw_only=True)
class Article(Record):
    """One article of ``content/articles/``: its front matter, validated, plus the Markdown body."""

    path: str  # relative to the project root, e.g. content/articles/foo.md
    date: datetime | None  # timezone-aware; None only while held for review (``review:`` not empty)
    content_hash: str = ""  # sha256 of the file bytes: the render cache key

    @property
    def allow_html(self) -> bool:
        """Hand-written articles may use raw HTML; anything with an origin is untrusted."""
        return self.origin is None

    @property
    def held(self) -> bool:
        """Waiting for review: left out of the site like a draft."""
        return bool(self.review)

    @property
    def date_is_publication(self) -> bool:
        """Is ``date`` the publication time (not just when the input was saved)?"""
        return self.date_source is None or self.date_source in PUBLICATION_DATE_SOURCES


@dataclass(frozen=True)
class Topic:
    name: str
    slug: str
    description: str = ""
    defined: bool = True  # False: named in front matter but absent from config


# -- the schema, read from the declaration ------------------------------------------------------------

KEY_FIELDS: tuple[dataclasses.Field[Any], ...] = tuple(f for f in dataclasses.fields(Record) if "kind" in f.metadata)
FRONT_MATTER_KEYS: tuple[str, ...] = tuple(f.name for f in KEY_FIELDS)  # the canonical order ingest writes
EXTRACTED_KEYS: tuple[str, ...] = tuple(f.name for f in KEY_FIELDS if f.metadata["extracted"])


def front_matter(record: Record, omit: Collection[str] = ()) -> dict[str, Any]:
    """The record as front-matter data, in key order, then ``extra``: plain values for YAML (lists and
    mappings; datetimes stay datetimes). Keys in ``omit`` are left out."""
    data: dict[str, Any] = {}
    for f in KEY_FIELDS:
        value = getattr(record, f.name)
        if f.name in omit or (value is None and f.metadata["absent_when_none"]) \
                or (not value and f.metadata["absent_when_empty"]):
            continue
        data[f.name] = _plain(value)
    for k, v in record.extra.items():
        data.setdefault(k, v)
    return data


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)
                if not (f.metadata.get("when_set") and getattr(value, f.name) is None)}
    return value
