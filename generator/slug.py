"""One slug function for pages, feeds, links and autodiscovery."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from slugify import slugify as _transliterate

_NON_WORD = re.compile(r"[^a-z0-9]+")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # what the steps below leave unchanged (within max_length)


@lru_cache(maxsize=65536)
def slugify(name: str, max_length: int = 80) -> str:
    """``"Trade War"`` → ``trade-war``, ``"Montréal"`` → ``montreal``; never empty, never a path.

    Accents are folded, other scripts transliterated, every run of other characters becomes ``-``.
    A name that yields nothing gets a short stable hash so it still has a page.
    """
    if len(name) <= max_length and _SLUG.fullmatch(name):
        return name  # already a slug, as most are (a file's `slug:`, its name)
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    ascii_only = folded.isascii()
    text = folded.lower() if ascii_only else _transliterate(folded, lowercase=True)
    slug = _NON_WORD.sub("-", text.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    if not slug:
        slug = "n-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return slug


def free_slug(base: str, taken: Callable[[str], bool]) -> str:
    """``base``, or ``base-2``, ``base-3``… — the first that ``taken`` says is free.

    The one collision rule for articles (ingest, feeds, the build) and pages alike.
    """
    slug, n = base, 1
    while taken(slug):
        n += 1
        slug = f"{base}-{n}"
    return slug
