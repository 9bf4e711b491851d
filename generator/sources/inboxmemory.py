"""The inbox's memory (``.digest/state.sqlite``, beside the feed state): which bytes of which inbox file
ingest has already dealt with.

Ingest looks a file up here before anything else: the same bytes again are done, even when the article
made from them has since been deleted (a human did not want it) or was kept because a human had edited it
(the notice is given once per change of the inbox file). New bytes are a new input. The article files
remain the truth when this memory is gone (a fresh clone): an input whose sha256 is already some
article's ``origin`` is skipped and remembered then.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from types import TracebackType

_SCHEMA = """
CREATE TABLE IF NOT EXISTS inbox_files (
    file TEXT PRIMARY KEY,          -- inbox/NAME, as the article's origin names it
    sha256 TEXT NOT NULL,           -- of the bytes last dealt with
    outcome TEXT NOT NULL,          -- ingested | already-there | kept-human-edits
    article TEXT,                   -- the article file (project-relative), when there is one
    at TEXT NOT NULL                -- the ingest clock
)
"""


class InboxMemory:
    """``with InboxMemory(config.state_dir / "state.sqlite") as memory: …``"""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, isolation_level=None, timeout=10.0)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(_SCHEMA)

    def __enter__(self) -> InboxMemory:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def done(self, file: str, sha256: str) -> bool:
        """Has ingest already dealt with exactly these bytes of this inbox file?"""
        row = self._db.execute("SELECT sha256 FROM inbox_files WHERE file = ?", (file,)).fetchone()
        return row is not None and row[0] == sha256

    def remember(self, file: str, sha256: str, outcome: str, article: str | None, now: datetime) -> None:
        self._db.execute("INSERT OR REPLACE INTO inbox_files (file, sha256, outcome, article, at) "
                         "VALUES (?, ?, ?, ?, ?)", (file, sha256, outcome, article, now.isoformat()))
