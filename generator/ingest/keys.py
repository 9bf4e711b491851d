"""The keys by which a story is recognised again, in this feed or another, this run or a later one.

Two entries are the same story when they share a global GUID (``global_guid``), a normalised link
(``link_key``) or the same title and body once folded (``fingerprint``).
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit

from generator.topicmatch import fold

_TRACKING_PARAMS = re.compile(r"^(utm_.*|fbclid|gclid|mc_cid|mc_eid|ref|cmpid|ito|rss|feed)$", re.I)


def link_key(url: str | None) -> str | None:
    """A link normalised for dedup: no scheme, ``www.``, fragment, tracking parameters or final ``/``."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    if not host:
        return None
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                             if not _TRACKING_PARAMS.match(k)))
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    return f"{host}{port}{parts.path.rstrip('/') or '/'}{'?' + query if query else ''}"


def fingerprint(title: str, body: str) -> str:
    """Same story, same text: folded title and body, punctuation and spacing ignored."""
    words = re.sub(r"[\W_]+", " ", fold(f"{title}\n{body}")).split()
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()


def global_guid(guid: str) -> bool:
    """A GUID that means the same thing in another feed: a URI (tag:, urn:, http…) or our link+title hash.

    Bare numbers and other feed-local ids would wrongly merge stories from different outlets."""
    return bool(re.match(r"^[a-z][a-z0-9+.-]*:\S", guid, re.I))
