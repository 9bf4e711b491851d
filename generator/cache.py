"""The render cache under ``.digest/cache.sqlite``: parsed articles, rendered bodies, output fingerprints.

A warm build re-parses only files whose (mtime, size) changed, re-renders only outputs whose input
fingerprint changed, and writes only bytes that differ. Dropping the file (``--clean``) is always safe.
The cache owns its files: it creates, opens, drops and locks them; nobody else touches them.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from generator import __version__
from generator.model import Article

SCHEMA = 8  # 5: article pickles stored as they are (compressing them cost a second of CPU per 10k articles);
#            6: Article is a model.Record (keyword-only fields, plus `dateline`); 7: `review`, `evidence`
#            8: a memos table (the story clustering's state, reused by the next process)


class KnownArticle(NamedTuple):
    """An article as last parsed, with the ``mtime_ns:size`` stamp of the file it came from."""

    stamp: str
    article: Article


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


CACHE_FILE = "cache.sqlite"
LOCK_FILE = "build.lock"


def cache_path(state_dir: Path) -> Path:
    return state_dir / CACHE_FILE


def drop_cache(state_dir: Path) -> None:
    """Forget everything (``--clean``): the database and its journal files."""
    path = cache_path(state_dir)
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


@contextlib.contextmanager
def build_lock(state_dir: Path) -> Iterator[None]:
    """One build at a time per project (``digest serve`` and a manual ``digest build`` may race)."""
    state_dir.mkdir(parents=True, exist_ok=True)
    with open(state_dir / LOCK_FILE, "a+b") as handle:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX: no lock
            yield
            return
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


class BodyReader:
    """Reads rendered bodies through a read-only connection of each process's own (workers fork)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._db: tuple[int, sqlite3.Connection] | None = None

    def get(self, key: str) -> str | None:
        if self.path is None or not self.path.exists():
            return None
        if self._db is None or self._db[0] != os.getpid():
            try:
                self._db = (os.getpid(), sqlite3.connect(f"file:{self.path}?mode=ro", uri=True))
            except sqlite3.Error:
                self.path = None
                return None
        try:
            row = self._db[1].execute("SELECT html FROM bodies WHERE key=?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        return str(row[0]) if row else None


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
        # No sync to disk on commit: a killed process still leaves a consistent file (the journal rolls
        # back), only a power cut can lose or damage the last commits, and site/ itself is not synced
        # either: the next build finds a damaged cache and starts again. A sync costs 3-30 ms on this
        # kind of disk, a third of a `serve` rebuild.
        db.execute("PRAGMA synchronous=OFF")
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        row = db.execute("SELECT value FROM meta WHERE key='version'").fetchone()
        version = f"{SCHEMA}:{__version__}"
        if row is None or row[0] != version:
            db.executescript("DROP TABLE IF EXISTS articles; DROP TABLE IF EXISTS bodies; "
                             "DROP TABLE IF EXISTS outputs; DROP TABLE IF EXISTS memos;")
        db.executescript(
            """
            CREATE TABLE IF NOT EXISTS articles (path TEXT PRIMARY KEY, stamp TEXT, data BLOB);
            CREATE TABLE IF NOT EXISTS bodies (key TEXT PRIMARY KEY, html TEXT);
            CREATE TABLE IF NOT EXISTS outputs (path TEXT PRIMARY KEY, fingerprint TEXT);
            CREATE TABLE IF NOT EXISTS memos (key TEXT PRIMARY KEY, data BLOB);
            """
        )
        db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (version,))
        return db

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None

    # -- parsed articles, keyed by path and (mtime_ns, size)
    def articles(self) -> dict[str, KnownArticle]:
        if self.db is None:
            return {}
        result = {}
        for path, stamp, data in self.db.execute("SELECT path, stamp, data FROM articles"):
            try:
                result[path] = KnownArticle(stamp, decode_article(data))
            except Exception:
                continue
        return result

    @contextlib.contextmanager
    def storing_articles(self) -> Iterator[Callable[[Sequence[tuple[str, str, bytes]]], None]]:
        """``put(rows)`` of (path, stamp, ``encode_article`` blob) as parses come back, in one transaction:
        the records are written as they arrive instead of all being held until the end."""
        if self.db is None:
            yield lambda rows: None
            return
        with self._tx() as db:
            def put(rows: Sequence[tuple[str, str, bytes]]) -> None:
                db.executemany("INSERT OR REPLACE INTO articles VALUES (?,?,?)", rows)

            yield put

    def forget_articles(self, gone: Sequence[str]) -> None:
        if self.db is None or not gone:
            return
        with self._tx() as db:
            db.executemany("DELETE FROM articles WHERE path=?", [(p,) for p in gone])

    # -- rendered Markdown bodies (read back through BodyReader)
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

    # -- small facts about the last build (the search step's stamp)
    # -- what a step learnt and a new process may reuse (the story clustering's memo)
    def memo(self, key: str) -> object | None:
        """The object stored under ``key``, or None (absent, or unreadable: a memo is only a memo)."""
        if self.db is None:
            return None
        row = self.db.execute("SELECT data FROM memos WHERE key=?", (key,)).fetchone()
        if row is None:
            return None
        try:
            value: object = pickle.loads(row[0])
        except Exception:
            return None
        return value

    def store_memo(self, key: str, value: object) -> None:
        if self.db is not None:
            self.db.execute("INSERT OR REPLACE INTO memos VALUES (?, ?)",
                            (key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)))

    def meta(self, key: str) -> str | None:
        if self.db is None:
            return None
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (f"build:{key}",)).fetchone()
        return str(row[0]) if row else None

    def store_meta(self, key: str, value: str) -> None:
        if self.db is not None:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (f"build:{key}", value))

    def prune_bodies(self, keep: Iterable[str]) -> None:
        if self.db is None:
            return
        with self._tx() as db:
            db.execute("CREATE TEMP TABLE IF NOT EXISTS keep (key TEXT PRIMARY KEY)")
            db.execute("DELETE FROM keep")
            db.executemany("INSERT OR IGNORE INTO keep VALUES (?)", [(k,) for k in keep])
            db.execute("DELETE FROM bodies WHERE key NOT IN (SELECT key FROM keep)")

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Everything stored inside goes in one transaction: one sync of the disk, not one per store."""
        if self.db is None:
            yield
            return
        with self._tx():
            yield

    @contextlib.contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        assert self.db is not None
        if self.db.in_transaction:  # inside batch(): its transaction
            yield self.db
            return
        self.db.execute("BEGIN")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")
