"""Which URLs from input may reach a page or a feed: absolute http(s) ones, after resolution.

A feed entry's link, an outlet's link in ``sources``, an image's address, a saved page's JSON-LD or
OpenGraph URL and a hand-written ``url:`` are all input. Each goes through ``http_url`` before ingest
writes it into an article and again before a page shows it, so ``javascript:``, ``data:``, ``file:``,
``vbscript:``, ``mailto:``, a scheme-relative or relative link with nothing to resolve it against, and a
URL without a host never become an ``href`` or ``src`` (a click on ``javascript:`` would run script on
the site's own origin).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

_INVISIBLE = str.maketrans("", "", "\t\n\r")  # browsers drop these anywhere in a URL: "java\tscript:" runs
_EDGES = "".join(map(chr, range(0x21))) + "\x7f"  # C0 controls and space, stripped at both ends


# The common case, decided without parsing: an absolute http(s) URL with a plain host name, nothing to strip.
_PLAIN = re.compile(r"https?://[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\d{1,5})?(?:[/?#][^\s\x00-\x1f\x7f]*)?")


def http_url(value: object, base: str | None = None) -> str | None:
    """``value`` resolved against ``base`` (when it is an http(s) URL) if that gives an http(s) URL with a
    host; otherwise None. The URL is returned as written, not re-encoded."""
    if not isinstance(value, str):
        return None
    if _PLAIN.fullmatch(value):
        return value  # already absolute: a base changes nothing
    text = value.translate(_INVISIBLE).strip(_EDGES)
    if not text:
        return None
    if base and is_http_url(base):
        try:
            text = urljoin(base, text)
        except ValueError:
            return None
    return text if is_http_url(text) else None


def is_http_url(text: str) -> bool:
    """An absolute http or https URL with a host."""
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:  # e.g. an invalid IPv6 literal or port
        return False
    return parts.scheme.lower() in ("http", "https") and bool(host)


def link_scheme(value: str) -> str:
    """The scheme a browser would see in ``value`` (``"java\tscript:x"`` → ``"javascript"``); "" for none."""
    text = value.translate(_INVISIBLE).strip(_EDGES)
    try:
        return urlsplit(text).scheme.lower()
    except ValueError:
        return ""
