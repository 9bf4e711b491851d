"""Ingest orchestration at the edge of the build: inbox files and feeds → ``content/articles/``."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from generator.config import Config
from generator.errors import ConfigError, Location, Problem
from generator.write import write_file_atomic

# Ingest pulls in the extractors (trafilatura, lxml) and the feed stack (feedparser, nh3, bs4):
# a quarter of a second at start-up, so they are imported only when there is something to ingest.


def ingest_all(config: Config, now: datetime, *, offline: bool,
               echo: Callable[[str], None] | None = None) -> list[Problem]:
    """Everything new in the inbox, then every configured feed (local ``path:`` feeds even offline)."""
    written: list[str] = []
    problems: list[Problem] = []
    if _inbox_has_files(config):
        from generator.ingest import ingest_inbox

        written, problems = ingest_inbox(config, now)
    if config.feeds:
        from generator.feedingest import ingest_feeds

        report = ingest_feeds(config, now, offline=offline)
        written += report.written
        problems += report.problems
    if echo:
        for path in written:
            echo(f"wrote {path}")
    return problems


def _inbox_has_files(config: Config) -> bool:
    try:
        return any(not name.startswith(".") for name in os.listdir(config.inbox_dir))
    except OSError:
        return False


def ingest_files(config: Config, files: Sequence[Path], now: datetime) -> tuple[list[Problem], list[str]]:
    from generator.ingest import ingest_paths

    written, problems = ingest_paths(config, files, now)
    return problems, written


def fetch_only(config: Config, now: datetime) -> tuple[list[Problem], list[str]]:
    """Fetch into the feed state; the next build (even ``--offline``) turns new entries into articles."""
    from generator.feedingest import fetch_to_state

    report = fetch_to_state(config, now)
    lines = [f"fetched {report.fetched} feeds, {report.not_modified} not modified, "
             f"{report.new_items} new entries"]
    return report.problems, lines + [f"wrote {p}" for p in report.written]


def feeds_import(config_path: Path, opml: Path) -> int:
    """Add an OPML subscription list to ``config.yaml``, keeping its comments and order."""
    from generator.sources.opml import OpmlError, import_opml

    try:
        text = config_path.read_text(encoding="utf-8")
        new_text, added = import_opml(text, opml.read_bytes())
    except OSError as exc:
        raise ConfigError(Problem(Location(str(exc.filename or opml)), f"cannot read: {exc.strerror}")) from None
    except OpmlError as exc:
        raise ConfigError(Problem(Location(str(opml)), str(exc), "export the subscription list again")) from None
    if added:
        write_file_atomic(config_path, new_text.encode("utf-8"), fsync=True)
    return added


def feeds_table(config: Config) -> list[str]:
    from generator.feedingest import feeds_health, health_table

    return health_table(feeds_health(config))
