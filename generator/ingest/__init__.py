"""Ingest: raw inbox files and feed entries → Markdown article files under ``content/articles/``.

The stage's entry points, for Build (``ingest_all``) and the ``digest ingest | fetch | feeds`` commands:

- ``inbox``: raw files → articles (extract, front matter, ``origin: {file, sha256, written}``);
- ``feeds``: fetch orchestration and feed entries → articles (dedup, updates, the kill-safe order);
- ``entries``: feed entries made ready for articles (which to take, safe Markdown, clean links);
- ``fulltext``: the linked pages of ``full_text`` feeds, fetched and read before their feed's ingest;
- ``keys``: how a story is recognised again (global GUID, normalised link, title+body fingerprint);
- ``existing``: the one index of the articles already in ``content/articles/``.

The submodules pull in the extractors (trafilatura, lxml) and the feed stack (feedparser, nh3, bs4):
a quarter of a second at start-up, so they are imported only when there is something to ingest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from generator.config import Config, TopicConfig
from generator.errors import ConfigError, Location, Problem
from generator.sources.inbox import has_inbox_files

if TYPE_CHECKING:
    from generator.model import Record
    from generator.sources.feedstate import FeedHealth as FeedHealth  # the rows of ``feeds_health``


@dataclass
class IngestReport:
    """What one ingest did; ``problems`` are errors naming the input file and warnings naming the feed."""

    written: list[str] = field(default_factory=list)  # project-relative paths created or rewritten
    held: dict[str, tuple[str, ...]] = field(default_factory=dict)  # written path -> its review reasons
    rejected: list[str] = field(default_factory=list)  # inbox files moved to content/inbox/rejected/
    problems: list[Problem] = field(default_factory=list)
    new_items: int = 0  # feed articles created
    updated: int = 0  # feed articles rewritten because their entry changed
    merged: int = 0  # entries added as one more source of an existing article
    fetched: int = 0  # feeds fetched or read
    not_modified: int = 0  # feeds answering 304 (or with the very same bytes)
    pages_fetched: int = 0  # linked pages of `full_text` feeds fetched (200 or 304)
    pages_not_modified: int = 0  # of those, pages answering 304


def ingest_all(config: Config, now: datetime, *, offline: bool = False,
               files: Sequence[Path] | None = None, force: bool = False) -> IngestReport:
    """Everything new in the inbox, then every configured feed (local ``path:`` feeds even ``offline``);
    or, given ``files``, just those raw files (``force``: even bytes ingested before)."""
    if files is not None:
        from generator.ingest.inbox import ingest_paths

        return ingest_paths(config, files, now, force=force)
    report = IngestReport()
    if has_inbox_files(config.inbox_dir):
        from generator.ingest.inbox import ingest_inbox

        report = ingest_inbox(config, now)
    if config.feeds:
        from generator.ingest.feeds import ingest_feeds

        feeds = ingest_feeds(config, now, offline=offline)
        feeds.written[:0] = report.written
        feeds.problems[:0] = report.problems
        feeds.held = report.held | feeds.held
        feeds.rejected[:0] = report.rejected
        report = feeds
    return report


def fetch_only(config: Config, now: datetime) -> IngestReport:
    """``digest fetch``: fetch every feed into the feed state (bodies kept as pending) without writing
    articles; the next ingest — even an offline one — turns them into articles."""
    from generator.ingest.feeds import fetch_to_state

    return fetch_to_state(config, now)


def feeds_health(config: Config) -> list[FeedHealth]:
    """Health rows for every configured feed (``digest feeds``, the sources page)."""
    from generator.ingest.feeds import feeds_health as rows

    return rows(config)


def add_opml_feeds(config_path: Path, opml: Path) -> int:
    """``digest feeds import``: add an OPML subscription list to ``config.yaml``, keeping its comments
    and order; returns how many feeds were added."""
    from generator.sources.opml import OpmlError, import_opml
    from generator.write import write_file_atomic

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


def extract_file(path: Path, topics: Sequence[TopicConfig] = ()) -> Record:
    """Read one raw file and extract its record (``digest extract``); ``ContentError`` naming ``path``."""
    from generator.ingest.inbox import extract_file as extract

    return extract(path, topics)
