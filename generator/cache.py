"""The render cache under ``.digest/cache.sqlite``: parsed articles, rendered bodies, output fingerprints.

A warm build re-parses only files whose (mtime, size) changed, re-renders only outputs whose input
fingerprint changed, and writes only bytes that differ. Dropping the file (``--clean``) is always safe.
"""

from __future__ import annotations

import contextlib
import pickle
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from generator import __version__
from generator.model import Article

SCHEMA = 5  # 5: article pickles stored as they are (compressing them cost a second of CPU per 10k articles)


def encode_article(article: Article) -> bytes:
    """The cache's form of a parsed article, also how parse workers send it back (done once, in parallel).

    Not compressed: zlib (even at level 1) cost more CPU than the bytes it saves cost to write and read.
    """
    return pickle.dumps(article, protocol=pickle.HIGHEST_PROTOCOL)


def decode_article(blob: bytes) -> Article:
    article = pickle.loads(blob)
    if not isinstance(article, Article):
        raise TypeError("not an article")
    return article


class RenderCache:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.db: sqlite3.Connection | None = None
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = self._open(path)
        except sqlite3.DatabaseError:
            # A corrupt cache is only a cache: start again.
            with contextlib.suppress(OSError):
                path.unlink()
            self.db = self._open(path)

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        # A rollback journal, not WAL: a cold build appends tens of MB, which WAL would write twice
        # (log, then checkpoint). Builds are serialised by the build lock; worker processes only read,
        # and a read that meets a write in progress is a cache miss, never an error.
        db.execute("PRAGMA journal_mode=DELETE")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        row = db.execute("SELECT value FROM meta WHERE key='version'").fetchone()
        version = f"{SCHEMA}:{__version__}"
        if row is None or row[0] != version:
            db.executescript("DROP TABLE IF EXISTS articles; DROP TABLE IF EXISTS bodies; "
                             "DROP TABLE IF EXISTS outputs;")
        db.executescript(
            """
            CREATE TABLE IF NOT EXISTS articles (path TEXT PRIMARY KEY, stamp TEXT, data BLOB);
            CREATE TABLE IF NOT EXISTS bodies (key TEXT PRIMARY KEY, html TEXT);
            CREATE TABLE IF NOT EXISTS outputs (path TEXT PRIMARY KEY, fingerprint TEXT);
            """
        )
        db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (version,))
        return db

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None

    # -- parsed articles, keyed by path and (mtime_ns, size)
    def articles(self) -> dict[str, tuple[str, Article]]:
        if self.db is None:
            return {}
        result = {}
        for path, stamp, data in self.db.execute("SELECT path, stamp, data FROM articles"):
            try:
                result[path] = (stamp, decode_article(data))
            except Exception:
                continue
        return result

    def store_articles(self, entries: Mapping[str, tuple[str, bytes]], gone: Iterable[str]) -> None:
        """``entries``: path → (stamp, ``encode_article`` blob), encoded by whoever parsed the file."""
        if self.db is None:
            return
        with self._tx() as db:
            db.executemany("DELETE FROM articles WHERE path=?", [(p,) for p in gone])
            db.executemany("INSERT OR REPLACE INTO articles VALUES (?,?,?)",
                           [(p, s, blob) for p, (s, blob) in entries.items()])

    # -- rendered Markdown bodies (read by workers.BodyRenderer through its own connection)
    def store_bodies(self, bodies: Mapping[str, str]) -> None:
        if self.db is None or not bodies:
            return
        with self._tx() as db:
            db.executemany("INSERT OR REPLACE INTO bodies VALUES (?,?)", bodies.items())

    # -- output fingerprints
    def fingerprints(self) -> dict[str, str]:
        if self.db is None:
            return {}
        return dict(self.db.execute("SELECT path, fingerprint FROM outputs"))

    def store_fingerprints(self, fingerprints: Mapping[str, str], gone: Iterable[str]) -> None:
        if self.db is None:
            return
        with self._tx() as db:
            db.executemany("DELETE FROM outputs WHERE path=?", [(p,) for p in gone])
            db.executemany("INSERT OR REPLACE INTO outputs VALUES (?,?)", fingerprints.items())

    def prune_bodies(self, keep: Iterable[str]) -> None:
        if self.db is None:
            return
        with self._tx() as db:
            db.execute("CREATE TEMP TABLE IF NOT EXISTS keep (key TEXT PRIMARY KEY)")
            db.execute("DELETE FROM keep")
            db.executemany("INSERT OR IGNORE INTO keep VALUES (?)", [(k,) for k in keep])
            db.execute("DELETE FROM bodies WHERE key NOT IN (SELECT key FROM keep)")

    @contextlib.contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        assert self.db is not None
        self.db.execute("BEGIN")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")
