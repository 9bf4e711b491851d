"""Markdown bodies, rendered where they are shown (the render workers), once per content hash where kept.

Only the bodies the feeds show are kept (``wanted``): in memory for this process and in the cache for the
next one. Each feed shows dozens of them again on every build that touches it; an article page shows its
body once, and rendering it again costs less than storing it (most bodies go through markdown-it-pyrs).
The parent process never holds the HTML of every article: at 100,000 articles that would be gigabytes.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.cache import BodyReader
from generator.model import Article
from generator.render import body_html


def body_key(article: Article, hotlink: bool) -> str:
    return f"{article.content_hash}:{int(article.allow_html)}:{int(hotlink)}"


class BodyRenderer:
    """``renderer(article) -> html``. ``known`` (the Builder's state) keeps the wanted bodies between
    builds; ``new`` collects the wanted bodies this build (or this worker's slice) rendered, for the cache."""

    def __init__(self, hotlink: bool, known: dict[str, str], reader: BodyReader) -> None:
        self.hotlink = hotlink
        self.known = known
        self.reader = reader
        self.new: dict[str, str] = {}
        self.wanted: frozenset[str] = frozenset()
        self._last = ("", "")  # a page asks for its body more than once: the last one is kept
        self._wanted_from: object = None

    def key(self, article: Article) -> str:
        return body_key(article, self.hotlink)

    def want(self, articles: Iterable[Article]) -> None:
        """This build's feed articles: their bodies are kept; what ``known`` held of others is let go."""
        if articles is self._wanted_from:  # the planner's list of last build (the same feed articles)
            return
        self._wanted_from = articles
        self.wanted = frozenset(self.key(a) for a in articles)
        for key in [k for k in self.known if k not in self.wanted]:
            del self.known[key]

    def __call__(self, article: Article) -> str:
        key = self.key(article)
        if self._last[0] == key:
            return self._last[1]
        html = self.known.get(key)
        if html is not None:
            return html
        wanted = key in self.wanted
        html = self.reader.get(key) if wanted else None
        if html is None:
            html = body_html(article, self.hotlink)
            if wanted:
                self.new[key] = html
        if wanted:
            self.known[key] = html
        self._last = (key, html)
        return html
