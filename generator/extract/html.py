"""Saved HTML page → record.

Page metadata comes from what the page declares: JSON-LD ``NewsArticle`` (headline, datePublished,
author — people or organisations —, publisher, articleSection, image caption), OpenGraph and
``article:*`` meta, ``<time datetime>``, ``<figure>/<figcaption>`` and byline elements. The main text
comes from trafilatura with deterministic settings (no metadata or date guessing), after navigation,
asides, footers and figures are removed; the result goes through the same layout, entity and quote
pipeline as plain text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from typing import Any

import lxml.html
import trafilatura
from lxml import etree

from generator.config import TopicConfig
from generator.extract import credits, dates
from generator.extract.assemble import PageMeta, build_record
from generator.extract.structure import layout_from_blocks
from generator.model import Image, Record

_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "blogposting",
                  "opinionnewsarticle", "backgroundnewsarticle", "webpage", "liveblogposting", "report"}
_DROP = ("nav", "aside", "footer", "form", "script", "style", "noscript", "iframe", "svg", "button",
         "figure", "figcaption", "template", "dialog")
_DROP_CLASS = re.compile(
    r"(?i)(?:^|[\s_-])(?:related|recommend|newsletter|share|social|subscribe|promo|advert|ad-slot|ad-container|"
    r"sponsor|trending|most-read|breadcrumb|byline|cookie|paywall|comments?|sidebar|tags?|more-stories|"
    r"read-more|outbrain|taboola|signup|sign-up|author-bio|bio|consent|cmp|gdpr|onetrust)(?:$|[\s_-])")


def extract_html(html: str, topics: Sequence[TopicConfig] = (), base_url: str | None = None) -> Record:
    """A saved page → record (``base_url`` resolves relative image links)."""
    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        tree = lxml.html.document_fromstring(f"<html><body><pre>{_escape(html)}</pre></body></html>")
    meta = _page_meta(tree, base_url)
    blocks = _body_blocks(tree, html, meta)
    layout = layout_from_blocks(blocks, title_hint=meta.title)
    return build_record(layout, topics, meta)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ----------------------------------------------------------------------------- metadata

def _json_ld(tree: Any) -> Iterator[dict[str, Any]]:
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            try:
                data = json.loads(re.sub(r"[\x00-\x1f]", " ", raw))
            except ValueError:
                continue
        yield from _flatten(data)


def _flatten(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _flatten(data["@graph"])


def _types(item: dict[str, Any]) -> set[str]:
    t = item.get("@type", [])
    return {str(x).lower() for x in (t if isinstance(t, list) else [t])}


def _names(value: Any) -> list[tuple[str, str]]:
    """(name, type) pairs from an author/publisher value."""
    out: list[tuple[str, str]] = []
    for v in value if isinstance(value, list) else [value]:
        if isinstance(v, str) and v.strip() and not v.startswith("http"):
            out.append((v.strip(), "person"))
        elif isinstance(v, dict) and isinstance(v.get("name"), str):
            kind = "org" if _types(v) & {"organization", "newsmediaorganization", "corporation"} else "person"
            out.append((v["name"].strip(), kind))
    return out


def _meta(tree: Any, *names: str) -> str | None:
    for name in names:
        for attr in ("property", "name", "itemprop"):
            found = tree.xpath(f'//meta[@{attr}="{name}"]/@content')
            if found and str(found[0]).strip():
                return str(found[0]).strip()
    return None


def _text(el: Any) -> str:
    return re.sub(r"\s+", " ", el.text_content() or "").strip()


def _page_meta(tree: Any, base_url: str | None) -> PageMeta:
    article: dict[str, Any] = {}
    for item in _json_ld(tree):
        if _types(item) & _ARTICLE_TYPES and (item.get("headline") or item.get("datePublished")):
            article = item
            break
    h1 = next((t for t in (_text(h) for h in tree.xpath("//h1")) if t), None)
    site_name = _meta(tree, "og:site_name")
    headline = article.get("headline") if isinstance(article.get("headline"), str) else None
    og_title = _meta(tree, "og:title", "twitter:title")
    title_tag = next((_text(t) for t in tree.xpath("//title")), None)
    title = h1 or headline or _strip_site(og_title, site_name) or _strip_site(title_tag, site_name)

    section_value = article.get("articleSection")
    if isinstance(section_value, list):
        section_value = next((s for s in section_value if isinstance(s, str)), None)
    section = section_value if isinstance(section_value, str) else _meta(tree, "article:section")
    if section is None:
        kicker = tree.xpath('//*[contains(@class,"kicker") or contains(@class,"eyebrow") or '
                            'contains(@class,"section-label") or contains(@class,"overline")]')
        section = next((t for t in (_text(k) for k in kicker) if t and len(t.split()) <= 4), None)

    date = None
    for value in (article.get("datePublished"), _meta(tree, "article:published_time", "datePublished",
                                                      "pubdate", "publish-date", "date"),
                  *tree.xpath("//time[@datetime]/@datetime")):
        if isinstance(value, str) and value.strip():
            date = dates.parse_date(value)
            if date:
                break

    authors: list[str] = []
    org_authors: list[str] = []
    publisher = next((n for n, _ in _names(article.get("publisher"))), None)
    for name, kind in _names(article.get("author")):
        desk = re.sub(r"(?i)\s*(?:staff(?:\s+reporters?|\s+writers?)?|news\s*desk|desk|newsroom|team|editors|"
                      r"digital\s+staff|web\s+desk)$", "", name).strip()
        if kind == "org" or credits.normalise_outlet(name):
            # "Prairie Dispatch Staff" is the publisher's own desk: credit the publisher
            org_authors.append(credits.normalise_outlet(name) or credits.normalise_outlet(desk)
                               or (publisher if publisher and desk != name and _simple(desk) == _simple(publisher)
                                   else None) or desk or name)
        else:
            authors.extend(n for n in credits.split_names(name) if n not in authors)
    if not authors and not org_authors:
        for raw in (_meta(tree, "author", "article:author", "byl"),
                    *(_text(e) for e in tree.xpath('//*[@rel="author" or @itemprop="author" or '
                                                   'contains(@class,"byline") or contains(@class,"author")]'))):
            if raw and not raw.startswith("http"):
                names, outlets = credits.parse_byline(raw)
                authors.extend(n for n in names if n not in authors)
                org_authors.extend(outlets)
            if authors:
                break
    source = (org_authors[0] if org_authors else None) or _outlet(publisher) or _outlet(site_name)

    # str(): lxml answers with a str subclass that keeps the whole tree alive and that YAML cannot write.
    url = _meta(tree, "og:url") or next((str(u) for u in tree.xpath('//link[@rel="canonical"]/@href')), None)
    if not url and isinstance(article.get("url"), str):
        url = article["url"]
    image = _image(tree, article, base_url or url)
    keywords = _meta(tree, "news_keywords", "keywords")
    tags = tuple(t.strip() for t in keywords.split(",") if t.strip()) if keywords else ()
    return PageMeta(title=title, section=section, date=date, source=source, url=url, authors=tuple(authors),
                    image=image, tags=tags)


def _outlet(name: str | None) -> str | None:
    if not name:
        return None
    return credits.normalise_outlet(name) or name.strip()


def _strip_site(title: str | None, site: str | None) -> str | None:
    if not title:
        return None
    parts = re.split(r"\s+[|–—-]\s+", title)
    if len(parts) > 1 and (site is None or _simple(parts[-1]) in _simple(site) or len(parts[-1].split()) <= 3):
        return " - ".join(parts[:-1])
    return title


def _simple(text: str) -> str:
    return re.sub(r"\W+", "", text.lower())


def _image(tree: Any, article: dict[str, Any], base_url: str | None) -> Image | None:
    caption = credit = url = None
    figures = tree.xpath("//article//figure") or tree.xpath("//figure")
    if figures:
        fig = figures[0]
        cap = fig.xpath(".//figcaption")
        credit_el = fig.xpath('.//*[contains(@class,"credit") or contains(@class,"copyright") or '
                              'contains(@class,"byline")]')
        if credit_el:
            credit = _text(credit_el[0]).strip("()") or None
        if cap:
            text = _text(cap[0])
            if credit and text.endswith(credit):
                text = text[: -len(credit)].strip().rstrip("(").strip()
            found = credits.split_caption(text)
            if found and not credit:
                caption, credit = found.text or None, found.credit
            else:
                caption = text or None
        src = fig.xpath(".//img/@src")
        url = str(src[0]) if src else None
    img = article.get("image")
    if isinstance(img, list):
        img = img[0] if img else None
    if isinstance(img, dict):
        url = url or (img.get("url") if isinstance(img.get("url"), str) else None)
        caption = caption or (img.get("caption") if isinstance(img.get("caption"), str) else None)
        if not credit:
            for key in ("creditText", "copyrightHolder", "author"):
                value = img.get(key)
                if isinstance(value, str) and value.strip():
                    credit = value.strip()
                    break
    elif isinstance(img, str):
        url = url or img
    url = url or _meta(tree, "og:image")
    if caption and not credit:
        found = credits.split_caption(caption)
        if found:
            caption, credit = found.text or None, found.credit
    if url and base_url and not re.match(r"^[a-z]+:", url):
        from urllib.parse import urljoin
        url = urljoin(base_url, url)
    if not (url or caption or credit):
        return None
    return Image(url=url, caption=caption, credit=credit)


# ----------------------------------------------------------------------------- body

def _body_blocks(tree: Any, html: str, meta: PageMeta) -> list[str]:
    cleaned = _clean(tree)
    text = trafilatura.extract(
        cleaned, output_format="txt", include_comments=False, include_tables=True, include_images=False,
        include_links=False, with_metadata=False, deduplicate=False, favor_precision=False,
        fast=False) if cleaned else None
    if not text:
        paragraphs = [_text(p) for p in tree.xpath("//article//p") or tree.xpath("//p")]
        text = "\n".join(p for p in paragraphs if p)
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    lines = [re.sub(r"^[-•*]\s+", "", ln) if ln.startswith("- ") else ln for ln in lines]
    caption = meta.image.caption if meta.image else None
    return [ln for ln in lines if not (caption and ln.strip() == caption.strip())]


def _clean(tree: Any) -> str:
    doc = lxml.html.fromstring(lxml.html.tostring(tree))
    for el in list(doc.iter(*_DROP)):
        parent = el.getparent()
        if parent is not None:
            el.drop_tree()
    for el in list(doc.xpath("//*[@class or @id]")):
        marker = f"{el.get('class', '')} {el.get('id', '')}"
        if el.tag not in ("html", "body", "article", "main") and _DROP_CLASS.search(marker) \
                and el.getparent() is not None:
            el.drop_tree()
    for el in list(doc.xpath('//*[@role="navigation" or @role="complementary" or @aria-hidden="true"]')):
        if el.getparent() is not None:
            el.drop_tree()
    for h1 in list(doc.xpath("//h1")):
        if h1.getparent() is not None:
            h1.drop_tree()
    return str(lxml.html.tostring(doc, encoding="unicode"))
