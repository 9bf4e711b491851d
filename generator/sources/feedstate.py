"""Feed state in SQLite (``.digest/state.sqlite``): validators, fetch history, entries seen, and the
article text read from the linked pages of ``full_text`` feeds (with those pages' validators).

WAL mode and one transaction per step make it safe to kill a run at any point. A fetched body is
stored as *pending* in the same transaction as its new ETag/Last-Modified, and cleared only in the
transaction that records the entries ingested from it, so a run killed between fetching and writing
articles loses nothing: the next run ingests the pending body even when the server answers 304.

One connection, used from the thread that opened it (fetch workers never touch the state).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from generator.config import FeedSource
from generator.sources.fetch import FetchResult, Validators
from generator.sources.statedb import StateDB

SCHEMA_VERSION = 1
HISTORY_KEEP = 50  # fetch-log rows kept per feed

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS feeds (
    name TEXT PRIMARY KEY,
    location TEXT NOT NULL DEFAULT '',
    etag TEXT,
    last_modified TEXT,
    last_attempt TEXT,
    last_success TEXT,
    last_status INTEGER,
    last_error TEXT,
    last_error_at TEXT,
    error_count INTEGER NOT NULL DEFAULT 0,
    consecutive_errors INTEGER NOT NULL DEFAULT 0,
    http_fetches INTEGER NOT NULL DEFAULT 0,
    not_modified INTEGER NOT NULL DEFAULT 0,
    items INTEGER NOT NULL DEFAULT 0,
    new_items INTEGER NOT NULL DEFAULT 0,
    permanent_redirect TEXT,
    parsed_sha256 TEXT,
    pending_body BLOB,
    pending_sha256 TEXT,
    pending_url TEXT,
    pending_type TEXT
);
CREATE TABLE IF NOT EXISTS fetch_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    feed TEXT NOT NULL,
    at TEXT NOT NULL,
    status INTEGER,
    error TEXT,
    elapsed REAL NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS fetch_log_feed ON fetch_log (feed, id);
CREATE TABLE IF NOT EXISTS items (
    feed TEXT NOT NULL,
    guid TEXT NOT NULL,
    slug TEXT NOT NULL,
    link_key TEXT,
    fingerprint TEXT,
    content_hash TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    PRIMARY KEY (feed, guid)
);
CREATE INDEX IF NOT EXISTS items_guid ON items (guid);
CREATE INDEX IF NOT EXISTS items_link ON items (link_key);
CREATE INDEX IF NOT EXISTS items_fingerprint ON items (fingerprint);
CREATE TABLE IF NOT EXISTS pages (
    feed TEXT NOT NULL,
    guid TEXT NOT NULL,
    url TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    raw_sha256 TEXT NOT NULL,
    body TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    PRIMARY KEY (feed, guid)
);
"""


@dataclass(frozen=True)
class Pending:
    """A fetched body not yet turned into articles."""

    body: bytes
    sha256: str
    url: str | None
    content_type: str | None


@dataclass(frozen=True)
class PageRow:
    """The article text last taken from an entry's linked page (``full_text`` feeds), with the validators
    and the sha256 of the bytes it came from, so an unchanged page costs a 304 and no extraction."""

    url: str
    validators: Validators
    raw_sha256: str
    body: str  # Markdown, as extraction wrote it


@dataclass(frozen=True)
class ItemRow:
    feed: str
    guid: str
    slug: str
    content_hash: str
    first_seen: datetime


@dataclass(frozen=True)
class FeedHealth:
    """One row of ``digest feeds`` and of the sources page."""

    name: str
    location: str  # url or path
    last_success: datetime | None
    last_status: int | None
    items: int  # entries in the last parsed body
    new_items: int  # articles created by the last ingest of this feed
    not_modified_rate: float | None  # share of HTTP fetches answered 304; None before any
    error_count: int
    consecutive_errors: int
    last_error: str | None
    last_error_at: datetime | None
    permanent_redirect: str | None  # update config.yaml to this URL

    @property
    def ok(self) -> bool:
        return self.consecutive_errors == 0 and self.last_success is not None


def _iso(value: datetime) -> str:
    return value.isoformat()


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class FeedState(StateDB):
    """``with FeedState(config.state_dir / "state.sqlite") as state: …``"""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(path)  # isolation_level=None: BEGIN/COMMIT are ours, so a transaction is exactly a step
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._depth = 0
        with self.transaction():
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    self._db.execute(statement)
            self._db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', ?)",
                             (str(SCHEMA_VERSION),))

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception; nested calls join the outer one."""
        if self._depth:
            self._depth += 1
            try:
                yield self._db
            finally:
                self._depth -= 1
            return
        self._db.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        else:
            self._db.execute("COMMIT")
        finally:
            self._depth = 0

    # -- feeds ---------------------------------------------------------------------------------

    def validators(self, name: str) -> Validators:
        row = self._db.execute("SELECT etag, last_modified FROM feeds WHERE name = ?", (name,)).fetchone()
        return Validators(row[0], row[1]) if row else Validators()

    def _ensure(self, name: str, location: str) -> None:
        self._db.execute("INSERT OR IGNORE INTO feeds (name, location) VALUES (?, ?)", (name, location))
        self._db.execute("UPDATE feeds SET location = ? WHERE name = ? AND location != ?",
                         (location, name, location))

    def record_fetch(self, result: FetchResult, now: datetime) -> None:
        """Store one fetch outcome: history, validators, and a changed body as pending."""
        if result.skipped:
            return
        at = _iso(now)
        with self.transaction() as db:
            self._ensure(result.feed, result.location)
            db.execute("INSERT INTO fetch_log (feed, at, status, error, elapsed) VALUES (?, ?, ?, ?, ?)",
                       (result.feed, at, result.status, result.error, round(result.elapsed, 4)))
            db.execute("""DELETE FROM fetch_log WHERE feed = ? AND id NOT IN
                          (SELECT id FROM fetch_log WHERE feed = ? ORDER BY id DESC LIMIT ?)""",
                       (result.feed, result.feed, HISTORY_KEEP))
            db.execute("""UPDATE feeds SET last_attempt = ?, last_status = ?, permanent_redirect = ?,
                          http_fetches = http_fetches + ?, not_modified = not_modified + ?
                          WHERE name = ?""",
                       (at, result.status, result.permanent_redirect, int(result.is_http and
                                                                          result.status is not None),
                        int(result.not_modified), result.feed))
            if result.error:
                self._record_error(result.feed, result.error, now)
                return
            db.execute("UPDATE feeds SET etag = ?, last_modified = ? WHERE name = ?",
                       (result.validators.etag, result.validators.last_modified, result.feed))
            if result.not_modified:
                db.execute("UPDATE feeds SET last_success = ?, consecutive_errors = 0, new_items = 0 "
                           "WHERE name = ?", (at, result.feed))
                return
            body = result.body or b""
            digest = hashlib.sha256(body).hexdigest()
            parsed = db.execute("SELECT parsed_sha256 FROM feeds WHERE name = ?", (result.feed,)).fetchone()
            if parsed and parsed[0] == digest:
                # Same bytes as the last body ingested: as good as a 304, no parsing.
                db.execute("UPDATE feeds SET last_success = ?, consecutive_errors = 0, new_items = 0, "
                           "pending_body = NULL, pending_sha256 = NULL WHERE name = ?", (at, result.feed))
                return
            db.execute("""UPDATE feeds SET pending_body = ?, pending_sha256 = ?, pending_url = ?,
                          pending_type = ? WHERE name = ?""",
                       (body, digest, result.final_url, result.content_type, result.feed))

    def _record_error(self, name: str, error: str, now: datetime) -> None:
        self._db.execute("""UPDATE feeds SET last_error = ?, last_error_at = ?, error_count = error_count + 1,
                            consecutive_errors = consecutive_errors + 1 WHERE name = ?""",
                         (error, _iso(now), name))

    def record_parse_error(self, name: str, location: str, error: str, now: datetime) -> None:
        """The pending body is not a usable feed: count an error and drop the body."""
        with self.transaction() as db:
            self._ensure(name, location)
            self._record_error(name, error, now)
            # Forget the validators too: a 304 must not hide a feed whose last body was unusable.
            db.execute("UPDATE feeds SET pending_body = NULL, pending_sha256 = NULL, etag = NULL, "
                       "last_modified = NULL WHERE name = ?", (name,))

    def pending(self, name: str) -> Pending | None:
        row = self._db.execute(
            "SELECT pending_body, pending_sha256, pending_url, pending_type FROM feeds WHERE name = ?",
            (name,)).fetchone()
        if not row or row[0] is None:
            return None
        return Pending(bytes(row[0]), row[1], row[2], row[3])

    def finish_ingest(self, name: str, location: str, pending: Pending, *, items: int, new_items: int,
                      now: datetime) -> None:
        """Mark a pending body as ingested (call inside the transaction that stores its items)."""
        with self.transaction() as db:
            self._ensure(name, location)
            db.execute("""UPDATE feeds SET pending_body = NULL, pending_sha256 = NULL, pending_url = NULL,
                          pending_type = NULL, parsed_sha256 = ?, items = ?, new_items = ?,
                          last_success = ?, consecutive_errors = 0 WHERE name = ?""",
                       (pending.sha256, items, new_items, _iso(now), name))

    def history(self, name: str) -> list[tuple[datetime, int | None, str | None]]:
        """The recent fetches of one feed, newest first: (when, HTTP status, error)."""
        rows = self._db.execute("SELECT at, status, error FROM fetch_log WHERE feed = ? ORDER BY id DESC",
                                (name,)).fetchall()
        return [(datetime.fromisoformat(at), status, error) for at, status, error in rows]

    # -- items ---------------------------------------------------------------------------------

    def item(self, feed: str, guid: str) -> ItemRow | None:
        row = self._db.execute(
            "SELECT feed, guid, slug, content_hash, first_seen FROM items WHERE feed = ? AND guid = ?",
            (feed, guid)).fetchone()
        return ItemRow(row[0], row[1], row[2], row[3], datetime.fromisoformat(row[4])) if row else None

    def find_duplicate(
        self, *, guid: str | None, link_key: str | None, fingerprint: str | None
    ) -> str | None:
        """The slug of an article already holding this story, by GUID, link or title+body."""
        for column, value in (("guid", guid), ("link_key", link_key), ("fingerprint", fingerprint)):
            if value:
                query = f"SELECT slug FROM items WHERE {column} = ? ORDER BY first_seen LIMIT 1"
                row = self._db.execute(query, (value,)).fetchone()
                if row:
                    return str(row[0])
        return None

    def save_item(self, feed: str, guid: str, *, slug: str, link_key: str | None, fingerprint: str | None,
                  content_hash: str, now: datetime) -> None:
        at = _iso(now)
        self._db.execute(
            """INSERT INTO items
               (feed, guid, slug, link_key, fingerprint, content_hash, first_seen, last_seen)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (feed, guid) DO UPDATE SET slug = excluded.slug, link_key = excluded.link_key,
               fingerprint = excluded.fingerprint, content_hash = excluded.content_hash,
               last_seen = excluded.last_seen""",
            (feed, guid, slug, link_key, fingerprint, content_hash, at, at))

    # -- linked pages (full_text feeds) --------------------------------------------------------

    def page(self, feed: str, guid: str) -> PageRow | None:
        row = self._db.execute(
            "SELECT url, etag, last_modified, raw_sha256, body FROM pages WHERE feed = ? AND guid = ?",
            (feed, guid)).fetchone()
        return PageRow(row[0], Validators(row[1], row[2]), row[3], row[4]) if row else None

    def save_page(self, feed: str, guid: str, page: PageRow, now: datetime) -> None:
        """Store a page's text with the validators it came with, in one statement: a later 304 is never
        taken without the text it stands for."""
        self._db.execute(
            """INSERT OR REPLACE INTO pages (feed, guid, url, etag, last_modified, raw_sha256, body, fetched_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            (feed, guid, page.url, page.validators.etag, page.validators.last_modified, page.raw_sha256,
             page.body, _iso(now)))

    # -- health --------------------------------------------------------------------------------

    def _feed_rows(self) -> dict[str, sqlite3.Row]:
        cursor = self._db.cursor()
        cursor.row_factory = sqlite3.Row
        rows = cursor.execute("SELECT * FROM feeds").fetchall()
        return {row["name"]: row for row in rows}


def feed_health(state: FeedState, feeds: Sequence[FeedSource] = ()) -> list[FeedHealth]:
    """Per-feed health rows: the configured feeds in config order (never-fetched ones included),
    or, without ``feeds``, every feed the state knows, by name."""
    rows = state._feed_rows()
    wanted = [(f.name, f.url or f.path or "") for f in feeds] if feeds else [
        (name, str(row["location"])) for name, row in sorted(rows.items())]
    out = []
    for name, location in wanted:
        row = rows.get(name)
        if row is None:
            out.append(FeedHealth(name, location, None, None, 0, 0, None, 0, 0, None, None, None))
            continue
        fetches, not_modified = int(row["http_fetches"]), int(row["not_modified"])
        out.append(FeedHealth(
            name=name, location=location,
            last_success=_dt(row["last_success"]),
            last_status=row["last_status"],
            items=int(row["items"]), new_items=int(row["new_items"]),
            not_modified_rate=(not_modified / fetches) if fetches else None,
            error_count=int(row["error_count"]), consecutive_errors=int(row["consecutive_errors"]),
            last_error=row["last_error"], last_error_at=_dt(row["last_error_at"]),
            permanent_redirect=row["permanent_redirect"],
        ))
    return out
