"""Ingest orchestration at the edge of the build: inbox files and feeds → ``content/articles/``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from generator.config import Config
from generator.errors import ConfigError, Location, Problem
from generator.feedingest import feeds_health, fetch_to_state, health_table, ingest_feeds
from generator.ingest import ingest_inbox, ingest_paths
from generator.sources.opml import OpmlError, import_opml
from generator.write import write_file_atomic


def ingest_all(config: Config, now: datetime, *, offline: bool,
               echo: Callable[[str], None] | None = None) -> list[Problem]:
    """Everything new in the inbox, then every configured feed (local ``path:`` feeds even offline)."""
    written, problems = ingest_inbox(config, now)
    if config.feeds:
        report = ingest_feeds(config, now, offline=offline)
        written += report.written
        problems += report.problems
    if echo:
        for path in written:
            echo(f"wrote {path}")
    return problems


def ingest_files(config: Config, files: Sequence[Path], now: datetime) -> tuple[list[Problem], list[str]]:
    written, problems = ingest_paths(config, files, now)
    return problems, written


def fetch_only(config: Config, now: datetime) -> tuple[list[Problem], list[str]]:
    """Fetch into the feed state; the next build (even ``--offline``) turns new entries into articles."""
    report = fetch_to_state(config, now)
    lines = [f"fetched {report.fetched} feeds, {report.not_modified} not modified, "
             f"{report.new_items} new entries"]
    return report.problems, lines + [f"wrote {p}" for p in report.written]


def feeds_import(config_path: Path, opml: Path) -> int:
    """Add an OPML subscription list to ``config.yaml``, keeping its comments and order."""
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
    return health_table(feeds_health(config))
