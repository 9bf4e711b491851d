"""What a saved page declares about itself: JSON-LD ``NewsArticle`` (headline, datePublished, author —
people or organisations —, publisher, articleSection, image caption, articleBody), OpenGraph and
``article:*`` meta, microdata, ``<time datetime>``, ``<figure>/<figcaption>`` and byline elements.

Declared fields are facts the publisher states; nothing here guesses from the visible text (that is the
layout parser's job, on the main text).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

from generator.extract import credits, dates
from generator.extract.assemble import PageMeta
from generator.model import Image

_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "blogposting",
                  "opinionnewsarticle", "backgroundnewsarticle", "webpage", "liveblogposting", "report"}

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


def _article(tree: Any) -> dict[str, Any]:
    """The page's JSON-LD article object (the first with a headline or a date), or ``{}``."""
    for item in _json_ld(tree):
        if _types(item) & _ARTICLE_TYPES and (item.get("headline") or item.get("datePublished")):
            return item
    return {}


def page_meta(tree: Any, base_url: str | None) -> PageMeta:
    """Title, section, date, source, url, authors, lead image and keywords the page declares."""
    article = _article(tree)
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
    # A portal that syndicates a paper's story declares itself as publisher and site; the paper is named
    # only in its credit ("© Provided by The Kootenay Current").
    source = (org_authors[0] if org_authors else None) or _provided_by(tree) or _outlet(publisher) \
        or _outlet(site_name)

    # str(): lxml answers with a str subclass that keeps the whole tree alive and that YAML cannot write.
    url = _meta(tree, "og:url") or next((str(u) for u in tree.xpath('//link[@rel="canonical"]/@href')), None)
    if not url and isinstance(article.get("url"), str):
        url = article["url"]
    image = _image(tree, article, base_url or url)
    keywords = _meta(tree, "news_keywords", "keywords")
    tags = tuple(t.strip() for t in keywords.split(",") if t.strip()) if keywords else ()
    return PageMeta(title=title, section=section, date=date, source=source, url=url, authors=tuple(authors),
                    image=image, tags=tags)


_PROVIDED_BY = re.compile(r"(?i)^(?:©|\(c\)|copyright)?\s*(?:content\s+|story\s+)?"
                          r"(?:provided|supplied|syndicated)\s+by:?\s+(?P<name>[^.|·•:;]{2,60}?)\.?$")


def _provided_by(tree: Any) -> str | None:
    """The outlet a syndicated story credits ("© Provided by X", "Content provided by X")."""
    for node in tree.xpath('//body//text()[contains(., "rovided by") or contains(., "rovided By") or '
                           'contains(., "ROVIDED BY") or contains(., "upplied by") or contains(., "yndicated by")]'):
        parent = node.getparent()
        if parent is None or parent.tag in ("script", "style"):
            continue
        m = _PROVIDED_BY.match(_text(parent))
        if m and len(m["name"].split()) <= 6 and m["name"][:1].isupper():
            return _outlet(m["name"].strip())
    return None


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
        url = urljoin(base_url, url)
    if not (url or caption or credit):
        return None
    return Image(url=url, caption=caption, credit=credit)




def declared_body(tree: Any) -> str | None:
    """The article text the page declares in JSON-LD (``articleBody``), if any."""
    article = _article(tree)
    candidates = [article, *(item for item in _json_ld(tree) if item is not article)]
    for item in candidates:
        body = item.get("articleBody")
        if isinstance(body, str) and body.strip():
            return body
    return None
