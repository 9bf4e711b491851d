"""Untrusted feed HTML → safe HTML → editable Markdown.

Feed entries are written by strangers: nh3 (Rust ammonia, an allow-list sanitizer) drops scripts,
styles, iframes, event handlers and every URL that is not http(s)/mailto; relative links are made
absolute against the entry's link; tracking pixels (1×1 images, known tracker hosts) are removed;
markdownify then turns what is left into Markdown a human can edit.
"""

from __future__ import annotations

import html as html_lib
import re
from urllib.parse import quote, urljoin, urlsplit

import nh3
from bs4 import BeautifulSoup
from markdownify import markdownify

# Everything inside these goes, text and all (not just the tag).
_DROP_WITH_CONTENT = {"script", "style", "iframe", "noscript", "object", "embed", "template", "svg",
                      "math", "form", "select", "textarea", "button", "head", "title", "frameset"}
_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dl", "dt", "em",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
    "mark", "ol", "p", "pre", "q", "s", "samp", "small", "strike", "strong", "sub", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "var", "div", "span", "section", "article",
    "time",
}
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "ol": {"start"},
}
_URL_ATTRIBUTES = {"href", "src", "cite"}
_SCHEMES = {"http", "https", "mailto"}
# Hosts whose images exist only to count readers (matched as the host or a parent domain).
TRACKER_HOSTS = (
    "feeds.feedburner.com", "feedproxy.google.com", "pixel.wp.com", "stats.wordpress.com",
    "google-analytics.com", "doubleclick.net", "scorecardresearch.com", "quantserve.com",
    "pixel.quantserve.com", "facebook.com", "analytics.twitter.com", "t.co", "mc.yandex.ru",
    "pixel.mathtag.com", "feedblitz.com", "pi.feedsportal.com", "da.feedsportal.com",
    "rss.buysellads.com", "api.follow.it", "ct.pinterest.com", "sb.scorecardresearch.com",
)
# Characters that would break a Markdown link destination or are not valid in a URL.
_URL_SAFE = ":/?#[]@!$&'*+,;=%~"


def safe_url(value: str, base_url: str | None) -> str | None:
    """An absolute http(s)/mailto URL, or None for anything else (``javascript:``, ``data:``, …)."""
    value = value.strip()
    if not value:
        return None
    absolute = urljoin(base_url, value) if base_url else value
    parts = urlsplit(absolute)  # also strips the tab/newline tricks of ``jav&#9;ascript:``
    if parts.scheme.lower() not in _SCHEMES:
        return None
    if parts.scheme.lower() != "mailto" and not parts.netloc:
        return None
    return quote(parts.geturl(), safe=_URL_SAFE)


def is_tracker(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == t or host.endswith("." + t) for t in TRACKER_HOSTS)


def _tiny(value: str | None) -> bool:
    if value is None:
        return False
    match = re.match(r"\s*(\d+)", value)
    return match is not None and int(match.group(1)) <= 1


def sanitize_html(html: str, base_url: str | None = None) -> str:
    """Allow-list sanitize ``html``; URLs made absolute against ``base_url``; pixels removed."""

    def keep(tag: str, attr: str, value: str) -> str | None:
        if attr in _URL_ATTRIBUTES:
            return safe_url(value, base_url)
        return value

    cleaned: str = nh3.clean(
        html, tags=_TAGS, clean_content_tags=_DROP_WITH_CONTENT, attributes=_ATTRIBUTES,
        attribute_filter=keep, url_schemes=_SCHEMES, link_rel=None, strip_comments=True,
    )
    if "<img" not in cleaned:
        return cleaned
    soup = BeautifulSoup(cleaned, "html.parser")
    changed = False
    for img in soup.find_all("img"):
        src = img.get("src")
        if not isinstance(src, str) or is_tracker(src) or (_tiny(_attr(img.get("width"))) and
                                                            _tiny(_attr(img.get("height")))):
            img.decompose()
            changed = True
    return str(soup) if changed else cleaned


def _attr(value: object) -> str | None:
    return value if isinstance(value, str) else None


def html_to_markdown(safe_html: str) -> str:
    """Markdown from already-sanitized HTML: ATX headings, ``-`` bullets, tidy blank lines."""
    text: str = markdownify(safe_html, heading_style="ATX", bullets="-", strip=["span", "div"])
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def entry_markdown(html: str, base_url: str | None = None) -> str:
    """Untrusted entry HTML straight to safe, editable Markdown."""
    return html_to_markdown(sanitize_html(html, base_url))


_BLOCK_TAG = re.compile(r"<(/?(?:p|div|li|h[1-6]|br|tr|td|th|blockquote|dd|dt|figcaption)\b)", re.I)


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment (summaries, titles): tags dropped, entities decoded, spaces folded."""
    spaced = _BLOCK_TAG.sub(r" <\1", html)  # so "<li>a</li><li>b</li>" reads "a b", not "ab"
    stripped: str = nh3.clean(spaced, tags=set(), clean_content_tags=_DROP_WITH_CONTENT)
    return re.sub(r"\s+", " ", html_lib.unescape(stripped)).strip()


def shorten(text: str, limit: int = 300) -> str:
    """Cut ``text`` at a word boundary to at most ``limit`` characters, marking the cut with ``…``."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.-")
    return cut + "…"
