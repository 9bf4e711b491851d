"""Extraction: one raw file (text copied from a news page, Markdown, saved HTML) → an article ``Record``.

Pure functions of their input: no clock, no network, no writes. ``extract_file`` reads and decodes the
file and dispatches on its suffix; ``record_to_json`` gives the front-matter keys plus ``body``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from generator.config import TopicConfig
from generator.errors import ContentError, Location, Problem
from generator.extract.assemble import build_record
from generator.extract.decode import read_text
from generator.extract.html import extract_html
from generator.extract.structure import parse_layout
from generator.model import Record

__all__ = ["extract_file", "extract_html", "extract_markdown", "extract_text", "record_to_json"]

TEXT_SUFFIXES = {".txt", ".text", ""}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


def extract_file(path: Path, topics: Sequence[TopicConfig] = ()) -> Record:
    """Read ``path`` and extract its record; ``ContentError`` (path:line) when it cannot be used."""
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES:
        raise ContentError(Problem(Location(str(path)), f"unsupported file type {suffix!r}",
                                   "inbox files must be .txt, .md or .html"))
    text = read_text(path)
    if suffix in HTML_SUFFIXES:
        record = extract_html(text, topics)
    elif suffix in MARKDOWN_SUFFIXES:
        record = extract_markdown(text, topics)
    else:
        record = extract_text(text, topics)
    if not record.body.strip():
        raise ContentError(Problem(Location(str(path), 1), "no article text found",
                                   "is this the article page? save the full page or copy its text"))
    return record


def extract_text(text: str, topics: Sequence[TopicConfig] = ()) -> Record:
    """Text copied from a news page → record."""
    return build_record(parse_layout(text), topics)


def extract_markdown(text: str, topics: Sequence[TopicConfig] = ()) -> Record:
    """Markdown without front matter (a leading ``---`` block, if any, is skipped) → record."""
    m = re.match(r"\A---\s*\n.*?\n---\s*\n", text, re.S)
    if m:
        text = text[m.end():]
    return build_record(parse_layout(text, markdown=True), topics)


def record_to_json(record: Record) -> dict[str, Any]:
    """The front-matter keys plus ``body`` (paragraphs separated by blank lines), JSON-ready."""
    image = None
    if record.image is not None:
        image = {"url": record.image.url, "caption": record.image.caption, "credit": record.image.credit}
    return {
        "title": record.title,
        "section": record.section,
        "date": record.date.isoformat() if record.date else None,
        "date_source": record.date_source,
        "source": record.source,
        "url": record.url,
        "authors": list(record.authors),
        "contributors": list(record.contributors),
        "image": image,
        "topics": list(record.topics),
        "tags": list(record.tags),
        "people": list(record.people),
        "organizations": list(record.organizations),
        "places": list(record.places),
        "quotes": [{"speaker": q.speaker, "text": q.text} for q in record.quotes],
        "summary": record.summary,
        "word_count": record.word_count,
        "reading_time": record.reading_time,
        "body": record.body,
    }
