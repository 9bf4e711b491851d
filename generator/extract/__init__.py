"""Extraction: one raw input (text copied from a news page, Markdown, saved HTML) → an article ``Record``.

Pure functions of their input: no clock, no network, no file I/O (the caller reads the bytes).
``extract_bytes`` decodes and dispatches on the input's name suffix; ``record_to_json`` gives the
front-matter keys plus ``body``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePath
from typing import Any

from generator.config import TopicConfig
from generator.errors import ContentError, Location, Problem
from generator.extract.assemble import build_record
from generator.extract.decode import MAX_BYTES, decode_bytes, too_large
from generator.extract.html import extract_html
from generator.extract.structure import parse_layout
from generator.model import EXTRACTED_KEYS, Record, front_matter

__all__ = ["MAX_BYTES", "extract_bytes", "extract_html", "extract_markdown", "extract_text", "input_kind",
           "record_to_json", "too_large"]

TEXT_SUFFIXES = {".txt", ".text", ""}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


def input_kind(name: str) -> str:
    """``"text"``, ``"markdown"`` or ``"html"`` by the name's suffix; ``ContentError`` for any other type."""
    suffix = PurePath(name).suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    if suffix in TEXT_SUFFIXES:
        return "text"
    raise ContentError(Problem(Location(name), f"unsupported file type {suffix!r}",
                               "inbox files must be .txt, .md or .html"))


def extract_bytes(data: bytes, name: str, topics: Sequence[TopicConfig] = ()) -> Record:
    """The record of one raw input called ``name``; ``ContentError`` (name:line) when it cannot be used."""
    kind = input_kind(name)
    text = decode_bytes(data, name)
    if kind == "html":
        record = extract_html(text, topics)
    elif kind == "markdown":
        record = extract_markdown(text, topics)
    else:
        record = extract_text(text, topics)
    if not record.body.strip():
        raise ContentError(Problem(Location(name, 1), "no article text found",
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


# `digest extract` has always printed `section` second, where the kicker sits above the headline; its
# output is a contract that scripts read, so that one key keeps its place.
_JSON_KEYS = ("title", "section", *(k for k in EXTRACTED_KEYS if k not in ("title", "section")))


def record_to_json(record: Record) -> dict[str, Any]:
    """The extracted front-matter keys plus ``body`` (paragraphs separated by blank lines), JSON-ready."""
    data = front_matter(record)
    out = {k: data.get(k) for k in _JSON_KEYS}
    out["date"] = record.date.isoformat() if record.date else None
    out["body"] = record.body
    return out
