"""The inbox's memory (``.digest/state.sqlite``, beside the feed state): which bytes of which inbox file
ingest has already dealt with.

Ingest looks a file up here before anything else: the same bytes again are done, even when the article
made from them has since been deleted (a human did not want it) or was kept because a human had edited it
(the notice is given once per change of the inbox file). New bytes are a new input. The article files
remain the truth when this memory is gone (a fresh clone): an input whose sha256 is already some
article's ``origin`` is skipped and remembered then.
"""

from __future__ import annotations

from datetime import datetime

from generator.sources.statedb import StateDB

_SCHEMA = """
CREATE TABLE IF NOT EXISTS inbox_files (
    file TEXT PRIMARY KEY,          -- inbox/NAME, as the article's origin names it
    sha256 TEXT NOT NULL,           -- of the bytes last dealt with
    outcome TEXT NOT NULL,          -- ingested | already-there | kept-human-edits
    article TEXT,                   -- the article file (project-relative), when there is one
    at TEXT NOT NULL                -- the ingest clock
)
"""


class InboxMemory(StateDB):
    """``with InboxMemory(config.state_dir / "state.sqlite") as memory: …``"""

    SCHEMA = _SCHEMA

    def done(self, file: str, sha256: str) -> bool:
        """Has ingest already dealt with exactly these bytes of this inbox file?"""
        row = self._db.execute("SELECT sha256 FROM inbox_files WHERE file = ?", (file,)).fetchone()
        return row is not None and row[0] == sha256

    def remember(self, file: str, sha256: str, outcome: str, article: str | None, now: datetime) -> None:
        self._db.execute("INSERT OR REPLACE INTO inbox_files (file, sha256, outcome, article, at) "
                         "VALUES (?, ?, ?, ?, ?)", (file, sha256, outcome, article, now.isoformat()))
