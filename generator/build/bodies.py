"""Markdown bodies rendered once per content hash: memoised in memory, then the cache, then rendered."""

from __future__ import annotations

from generator.cache import BodyReader
from generator.model import Article
from generator.render import body_html


def body_key(article: Article, hotlink: bool) -> str:
    return f"{article.content_hash}:{int(article.allow_html)}:{int(hotlink)}"


class BodyRenderer:
    """``renderer(article) -> html``. ``known`` is shared with the Builder's state; ``new`` collects what
    this build (or this worker's slice) rendered, for the cache to store."""

    def __init__(self, hotlink: bool, known: dict[str, str], reader: BodyReader) -> None:
        self.hotlink = hotlink
        self.known = known
        self.reader = reader
        self.new: dict[str, str] = {}

    def key(self, article: Article) -> str:
        return body_key(article, self.hotlink)

    def __call__(self, article: Article) -> str:
        key = self.key(article)
        html = self.known.get(key)
        if html is None:
            html = self.reader.get(key)
            if html is None:
                html = body_html(article, self.hotlink)
                self.new[key] = html
            self.known[key] = html
        return html
