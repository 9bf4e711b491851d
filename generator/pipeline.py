"""Ingest orchestration at the edge of the build: inbox files and feeds → ``content/articles/``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from generator.config import Config
from generator.errors import Problem


def ingest_all(config: Config, now: datetime, *, offline: bool,
               echo: Callable[[str], None] | None = None) -> list[Problem]:
    """Everything new in the inbox, then every configured feed (local ``path:`` feeds even offline)."""
    problems: list[Problem] = []
    try:
        from generator.ingest import ingest_inbox
    except ImportError:
        return problems
    written, probs = ingest_inbox(config, now)
    problems += probs
    for path in written:
        if echo:
            echo(f"wrote {path}")
    return problems


def ingest_files(config: Config, files: Sequence[Path], now: datetime) -> tuple[list[Problem], list[str]]:
    from generator.ingest import ingest_paths

    written, problems = ingest_paths(config, files, now)
    return problems, written


def fetch_only(config: Config, now: datetime) -> tuple[list[Problem], list[str]]:
    raise NotImplementedError


def feeds_import(config_path: Path, opml: Path) -> int:
    raise NotImplementedError


def feeds_table(config: Config) -> list[str]:
    raise NotImplementedError
