"""What the WebSub hub was last told (``.digest/state.sqlite``, beside the feed state): for each feed of
the site, the sha256 of the bytes the hub last accepted a ping for.

``digest ping`` compares each feed file of ``site/`` with this and pings only feeds whose bytes changed;
a ping the hub refused or that never arrived is not remembered, so the next ping tries again. A new hub
address starts afresh: every feed is news to it.
"""

from __future__ import annotations

from generator.sources.statedb import StateDB

_SCHEMA = """
CREATE TABLE IF NOT EXISTS websub_pings (
    hub TEXT NOT NULL,              -- the hub told
    feed TEXT NOT NULL,             -- the feed's absolute URL
    sha256 TEXT NOT NULL,           -- of the feed's bytes when the hub accepted the ping
    PRIMARY KEY (hub, feed)
)
"""


class PingState(StateDB):
    """``with PingState(config.state_dir / "state.sqlite") as state: …``"""

    SCHEMA = _SCHEMA

    def pinged(self, hub: str) -> dict[str, str]:
        """feed URL → sha256 of the bytes the hub last accepted a ping for."""
        return dict(self._db.execute("SELECT feed, sha256 FROM websub_pings WHERE hub = ?", (hub,)))

    def remember(self, hub: str, accepted: dict[str, str]) -> None:
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany("INSERT OR REPLACE INTO websub_pings (hub, feed, sha256) VALUES (?, ?, ?)",
                                 [(hub, feed, sha) for feed, sha in accepted.items()])
