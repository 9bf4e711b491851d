"""What the WebSub hub was last told (``.digest/state.sqlite``, beside the feed state): for each feed of
the site, the sha256 of the bytes the hub last accepted a ping for.

``digest ping`` compares each feed file of ``site/`` with this and pings only feeds whose bytes changed;
a ping the hub refused or that never arrived is not remembered, so the next ping tries again. A new hub
address starts afresh: every feed is news to it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import TracebackType

_SCHEMA = """
CREATE TABLE IF NOT EXISTS websub_pings (
    hub TEXT NOT NULL,              -- the hub told
    feed TEXT NOT NULL,             -- the feed's absolute URL
    sha256 TEXT NOT NULL,           -- of the feed's bytes when the hub accepted the ping
    PRIMARY KEY (hub, feed)
)
"""


class PingState:
    """``with PingState(config.state_dir / "state.sqlite") as state: …``"""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, isolation_level=None, timeout=10.0)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(_SCHEMA)

    def __enter__(self) -> PingState:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def pinged(self, hub: str) -> dict[str, str]:
        """feed URL → sha256 of the bytes the hub last accepted a ping for."""
        return dict(self._db.execute("SELECT feed, sha256 FROM websub_pings WHERE hub = ?", (hub,)))

    def remember(self, hub: str, accepted: dict[str, str]) -> None:
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany("INSERT OR REPLACE INTO websub_pings (hub, feed, sha256) VALUES (?, ?, ?)",
                                 [(hub, feed, sha) for feed, sha in accepted.items()])
