"""Layout (+ page metadata) → ``Record``: credits, source, date, entities, quotes, summary, topics.

The same assembly serves plain text and saved HTML; HTML metadata, when present, wins over what the
visible text suggests, except that wire copy is always credited to the wire service.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from generator.config import TopicConfig
from generator.extract import credits, dates, structure
from generator.extract.entities import canonical_place, find_entities
from generator.extract.quotes import find_quotes
from generator.extract.structure import Layout
from generator.model import Image, Record, reading_time
from generator.topicmatch import TopicText, match_topics


@dataclass(frozen=True)
class PageMeta:
    """What an HTML page declares about itself (JSON-LD, OpenGraph, ``<time>``, ``<figure>``)."""

    title: str | None = None
    section: str | None = None
    date: datetime | None = None
    source: str | None = None
    url: str | None = None
    authors: tuple[str, ...] = ()
    image: Image | None = None
    tags: tuple[str, ...] = ()


def build_record(layout: Layout, topics: Sequence[TopicConfig] = (), meta: PageMeta | None = None) -> Record:
    meta = meta or PageMeta()
    authors: list[str] = list(meta.authors)
    outlets: list[str] = []
    for line in layout.bylines:
        names, found = credits.parse_byline(line)
        authors.extend(n for n in names if n not in authors)
        outlets.extend(found)
    contributors: list[str] = []
    footer_outlets: list[str] = []
    wire = credits.wire_from_dateline(layout.paragraphs[0]) if layout.paragraphs else None
    copyright_owner = provided = None
    for line in layout.footers:
        c = credits.parse_footer(line)
        contributors.extend(n for n in c.contributors if n not in contributors and n not in authors)
        footer_outlets.extend(c.outlets)
        wire = wire or c.wire
        copyright_owner = copyright_owner or c.copyright
        provided = provided or c.provided

    byline_wire = next((o for o in [*outlets, *layout.outlets] if credits.is_wire(o)), None)
    # The outlet, from the strongest evidence there is; ``evidence["source"]`` says which (ingest holds an
    # article whose outlet rests on a photo credit or a "More from …" line for review).
    source, source_from = next(((o, how) for o, how in (
        (wire, "wire"), (byline_wire, "byline"), (meta.source, "page-meta"), (provided, "provided"),
        (_first(outlets), "byline"), (_first(layout.outlets), "header"), (layout.site_name, "site-name"),
        (copyright_owner, "copyright"), (_first(footer_outlets), "footer"),
        (next((o for o in (credits.staff_photo_outlet(c.credit) for c in layout.captions) if o), None),
         "photo-credit"),
        (_first(layout.tail_outlets), "more-from"), (_first(layout.hosts), "address")) if o), (None, ""))

    image = meta.image
    if layout.captions:
        first = layout.captions[0]
        if image is None:
            image = Image(caption=first.text or None, credit=first.credit)
        elif image.credit is None or image.caption is None:
            image = Image(url=image.url, caption=image.caption or first.text or None,
                          credit=image.credit or first.credit, alt=image.alt)

    date, date_source = meta.date, "html-meta" if meta.date else None
    if date is None:
        date = _stated_date(layout)
        date_source = "stated" if date else None

    title = meta.title or layout.title
    evidence = {"title": "page-meta" if meta.title else _title_evidence(layout),
                "section": "page-meta" if meta.section else "text" if layout.section else "",
                "source": source_from}
    photographers = [p for p in (credits.photographer(c.credit) for c in layout.captions) if p]
    units = list(layout.paragraphs)
    if not title.isupper() and not _title_case(title):
        units.append(title)  # a Title Case Headline capitalises every word, so it names nothing reliably
    if layout.deck:
        units.append(layout.deck)
    units.extend(c.text for c in layout.captions if c.text)
    if image is not None and image.caption and image.caption not in units:
        units.append(image.caption)
    dateline_places = _dateline_places(layout.dateline)
    ents = find_entities(units, exclude_people=[*authors, *contributors, *photographers],
                         known_places=dateline_places)
    places = list(ents.places)
    for place in reversed(dateline_places):
        if place not in places:
            places.insert(0, place)
    quotes = find_quotes(layout.paragraphs, ents)

    body = "\n\n".join(layout.paragraphs)
    summary = layout.deck or _summary(layout.paragraphs)
    words = len(re.findall(r"\w+(?:['’-]\w+)*", body))
    found_topics = match_topics(topics, TopicText(title, body, summary)) if topics else ()
    return Record(
        title=title,
        body=body,
        date=date,
        date_source=date_source,
        section=meta.section or layout.section,
        source=source,
        url=meta.url,
        authors=tuple(authors),
        contributors=tuple(contributors),
        image=image,
        topics=found_topics,
        tags=tuple(dict.fromkeys([*meta.tags, *layout.tags])),
        people=tuple(ents.people),
        organizations=tuple(ents.organizations),
        places=tuple(places),
        quotes=tuple(quotes),
        summary=summary,
        word_count=words,
        reading_time=reading_time(words),
        dateline=layout.dateline,
        evidence={k: v for k, v in evidence.items() if v},
    )


def _first(items: Sequence[str]) -> str | None:
    return items[0] if items else None


def _title_evidence(layout: Layout) -> str:
    """``header``: a headline line; ``first-paragraph``: none was found, so the story's opening words stand
    in for it (cut with "…", or a whole sentence: a line of 12+ words ending in a lower-case word and a full
    stop, or of 25+ words, is a paragraph — no headline of the 48 fixtures and 121 saved pages is either);
    empty: no title."""
    title = layout.title
    if not title:
        return ""
    first = layout.paragraphs[0] if layout.paragraphs else ""
    words = len(title.split())
    last = title.split()[-1]
    if (title.endswith("…") and first.startswith(title[:-1].rstrip())) or words >= 25 \
            or (words >= 12 and re.fullmatch(r"[a-z]{3,}[.]", last)):  # not "U.S." or "Inc."
        return "first-paragraph"
    return "header"


def _title_case(title: str) -> bool:
    words = [w for w in re.findall(r"[A-Za-zÀ-ÿ’']+", title) if len(w) > 3]
    return len(words) >= 4 and all(w[0].isupper() for w in words)


def _dateline_places(dateline: str | None) -> list[str]:
    """"HUNTSVILLE, Ont." → ["Huntsville", "Ontario"]: known places canonical, unknown towns in title case."""
    out: list[str] = []
    for part in (dateline or "").split(","):
        part = part.strip()
        place = canonical_place(part)
        if place is None and part and re.fullmatch(r"[A-ZÀ-Ý][A-ZÀ-Ý.'’ -]+", part) and len(part.split()) <= 3:
            place = canonical_place(credits.fix_caps(part)) or credits.fix_caps(part)
        if place and place not in out:
            out.append(place)
    return out


def _stated_date(layout: Layout) -> datetime | None:
    updated = None
    for line in layout.date_lines:  # "First published on …" beats the last-modified stamp printed above it
        m = dates.FIRST_PUBLISHED.search(line)
        value = dates.parse_date(m["rest"]) if m else None
        if value is not None:
            return value
    for line in (*layout.date_lines, *layout.bylines):
        value, is_update = dates.labelled_date(line)
        if value is None and dates.bare_date_line(line):
            value, is_update = dates.parse_date(line), False
        if value is not None and not is_update:
            return value
        updated = updated or value
    for line in layout.footers:
        m = dates.FIRST_PUBLISHED.search(line)
        if m:
            value = dates.parse_date(m["rest"])
            if value:
                return value
    return updated


def _summary(paragraphs: Sequence[str], limit: int = 60) -> str | None:
    for para in (structure.strip_dateline(p) for p in paragraphs):
        words = para.split()
        if len(words) >= 8:
            return para if len(words) <= limit else " ".join(words[:limit]) + "…"
    return paragraphs[0] if paragraphs else None
