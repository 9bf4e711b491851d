"""Markdown bodies, rendered where they are shown (the render workers), once per content hash where kept.

Only the bodies the feeds show are kept (``wanted``): in memory for this process and in the cache for the
next one. Each feed shows dozens of them again on every build that touches it; an article page shows its
body once, and rendering it again costs less than storing it (most bodies go through markdown-it-pyrs).
The parent process never holds the HTML of every article: at 100,000 articles that would be gigabytes.
"""

from __future__ import annotations

import mmap
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from generator.cache import BodyReader
from generator.model import Article
from generator.render import body_html


def body_key(article: Article, hotlink: bool) -> str:
    return f"{article.content_hash}:{int(article.allow_html)}:{int(hotlink)}"


AHEAD_LIMIT = 4 << 30  # bytes of HTML rendered ahead at most (a file: about 0.7 GB at 100,000 bench articles)


class BodiesAhead:
    """Bodies rendered ahead of the render step by a process forked for it, for the render workers forked later.

    A cold build has a core to spare while the parent indexes and plans; the Markdown of the article
    bodies, newest first, is rendered there. The HTML goes to a file with no name (made in ``folder``, the
    staging folder's holder, and unlinked at once: nothing to clean up, even after ``kill -9``), read back with
    ``pread``; only the table of offsets is shared memory. Kept out of memory, the bodies add nothing to any
    process's peak memory, and at 100,000 articles all of them fit. The maker may be killed at any moment
    (``executor.Background``): a body counts only once its length is stored, after its bytes, so a body cut
    short is never read.
    """

    def __init__(self, articles: Sequence[Article], hotlink: bool, folder: Path, limit: int = AHEAD_LIMIT) -> None:
        self.hotlink = hotlink
        self.articles = articles
        self.limit = limit
        self.slot: dict[str, int] = {}
        for i, article in enumerate(articles):
            self.slot.setdefault(body_key(article, hotlink), i)
        self._file = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115  (closed by close())
        self._fd = self._file.fileno()
        self._table = mmap.mmap(-1, 16 * max(1, len(articles)))
        self._index = memoryview(self._table).cast("q")  # (offset, length + 1) per article; 0: not there
        self._free = 0  # the maker's next offset

    def make(self, i: int) -> None:
        """Render body ``i`` into the file (in the maker; a body past the limit is left out)."""
        raw = body_html(self.articles[i], self.hotlink).encode("utf-8", "surrogatepass")
        start, end = self._free, self._free + len(raw)
        if end > self.limit or os.pwrite(self._fd, raw, start) != len(raw):
            return
        self._index[2 * i] = start
        self._index[2 * i + 1] = len(raw) + 1  # last: the body is whole
        self._free = end

    def get(self, key: str) -> str | None:
        i = self.slot.get(key)
        if i is None or not self._index[2 * i + 1]:
            return None
        size = self._index[2 * i + 1] - 1
        raw = os.pread(self._fd, size, self._index[2 * i])
        return raw.decode("utf-8", "surrogatepass") if len(raw) == size else None

    def close(self) -> None:
        self._index.release()
        self._table.close()
        self._file.close()


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
        self.ahead: BodiesAhead | None = None  # bodies a cold build rendered before its render step

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
            html = self.ahead.get(key) if self.ahead is not None else None
            if html is None:
                html = body_html(article, self.hotlink)
            if wanted:
                self.new[key] = html
        if wanted:
            self.known[key] = html
        self._last = (key, html)
        return html
