"""A small store in ``.digest/state.sqlite`` (beside the feed state): one connection, its table made on open.

Subclasses declare ``SCHEMA`` (CREATE TABLE IF NOT EXISTS …) and their queries; this owns opening the file
(WAL, so a build killed mid-write loses nothing committed), the context manager and closing.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import TracebackType
from typing import ClassVar, Self


class StateDB:
    """``with Store(config.state_dir / "state.sqlite") as store: …``"""

    SCHEMA: ClassVar[str] = ""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, isolation_level=None, timeout=10.0)
        self._db.execute("PRAGMA journal_mode=WAL")
        if self.SCHEMA:
            self._db.execute(self.SCHEMA)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()
