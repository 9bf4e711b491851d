"""Saved HTML page → record.

Page metadata comes from what the page declares (``html_meta``: JSON-LD, OpenGraph, microdata, ``<time>``,
``<figure>``); the main text is trafilatura's (``html_body``), read by the same layout, entity and quote
pipeline as plain text, which finds bylines, captions and credit footers among its lines.
"""

from __future__ import annotations

from collections.abc import Sequence

import lxml.html
from lxml import etree

from generator.config import TopicConfig
from generator.extract import html_body
from generator.extract.assemble import build_record
from generator.extract.html_meta import declared_body, page_meta
from generator.extract.structure import layout_from_blocks
from generator.model import Record


def extract_html(html: str, topics: Sequence[TopicConfig] = (), base_url: str | None = None) -> Record:
    """A saved page → record (``base_url`` resolves relative image links)."""
    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        tree = lxml.html.document_fromstring(f"<html><body><pre>{_escape(html)}</pre></body></html>")
    meta = page_meta(tree, base_url)
    lines = html_body.choose_lines(html_body.main_text(html), html_body.declared_lines(declared_body(tree)),
                                   html_body.paragraph_lines(tree))
    caption = meta.image.caption.strip() if meta.image and meta.image.caption else None
    lines = [ln for ln in lines if ln != caption]
    layout = layout_from_blocks(lines, title_hint=meta.title)
    layout = html_body.keep_main_text(layout, lines, meta.title, html_body.marked_texts(tree))
    return build_record(layout, topics, meta)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
