"""Raw inbox files → ``content/articles/<slug>.md`` with front matter and ``origin``.

Originals stay untouched; an input whose sha256 is already some article's origin is skipped (so
re-ingesting is a no-op even without ``.digest/``); a file a human has edited is never rewritten.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime, tzinfo
from pathlib import Path

from generator.config import Config, TopicConfig
from generator.errors import ContentError, Location, Problem
from generator.extract import MAX_BYTES, extract_bytes, input_kind, too_large
from generator.frontmatter import dump_owned_article
from generator.ingest import IngestReport
from generator.ingest.existing import ExistingArticles
from generator.model import Origin, Record, SourceRef, front_matter
from generator.slug import free_slug, slugify
from generator.sources.inbox import InputTooLarge, inbox_files, read_raw
from generator.write import write_file_atomic, write_new_file


def extract_file(path: Path, topics: Sequence[TopicConfig] = ()) -> Record:
    """Read ``path`` and extract its record; ``ContentError`` (path:line) when it cannot be used.

    The type is checked before the file is read, and the size before its bytes are."""
    name = str(path)
    input_kind(name)
    try:
        data = read_raw(path, MAX_BYTES)
    except InputTooLarge as exc:
        raise too_large(name, exc.size) from None
    except OSError as exc:
        raise ContentError(Problem(Location(name), f"cannot read: {exc.strerror or exc}",
                                   "check the path and permissions")) from None
    return extract_bytes(data, name, topics)


_MD_LINE_START = re.compile(r"^(\s{0,3})([#>*+\-=|]|\d+[.)]\s)", re.M)


def escape_markdown_text(text: str) -> str:
    """Plain text stays plain when rendered as Markdown: neutralise block markers and inline HTML."""
    text = text.replace("\\", "\\\\").replace("<", "&lt;").replace("`", "\\`")
    text = re.sub(r"(?<!\w)([*_])(?=\S)", r"\\\1", text)
    text = re.sub(r"\[", r"\\[", text)
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def article_record(record: Record, slug: str, now: datetime, origin: Origin, tz: tzinfo | None = None) -> Record:
    """The extracted record as its article: slug, origin and sources set, and always a date."""
    date, date_source = record.date, record.date_source or "stated"
    if date is None:
        date, date_source = now.astimezone(tz) if tz else now, "ingested"
    elif date.tzinfo is None and tz is not None:
        date = date.replace(tzinfo=tz)  # a stated day without a zone is that day in the site's zone
    return replace(record, slug=slug, date=date, date_source=date_source, origin=origin, draft=False,
                   sources=(SourceRef(record.source, record.url),) if record.source else ())


def ingest_paths(config: Config, files: Iterable[Path], now: datetime,
                 existing: ExistingArticles | None = None) -> IngestReport:
    """Ingest the given raw files: the article paths written, and the problems."""
    report = IngestReport()
    paths = list(files)
    if not paths:
        return report
    existing = existing or ExistingArticles(config.articles_dir)
    for path in paths:
        display = _display(config, path)
        try:
            raw = read_raw(path)
        except OSError as exc:
            report.problems.append(Problem(Location(display), f"cannot read: {exc.strerror or exc}"))
            continue
        sha = hashlib.sha256(raw).hexdigest()
        if existing.by_sha256(sha) is not None:
            continue  # already ingested: a no-op
        origin_file = _origin_name(config, path)
        previous = existing.by_inbox_file(origin_file)
        if previous is not None and not existing.machine_owned(previous):
            report.problems.append(Problem(Location(display), "changed since it was ingested, but "
                                          f"{_display(config, previous)} has human edits",
                                          "left both as they are; delete the article to re-ingest",
                                          severity="warning"))
            continue
        try:
            record = extract_bytes(raw, str(path), config.topics)
        except ContentError as exc:
            report.problems.extend(exc.problems)
            continue
        slug = previous.stem if previous is not None else free_slug(slugify(record.title), existing.taken)
        article = article_record(record, slug, now, Origin(file=origin_file, sha256=sha, written=""), config.tz)
        data = dump_owned_article(front_matter(article), escape_markdown_text(record.body))
        target = existing.path(slug)
        ok = write_file_atomic(target, data, fsync=True) if previous is not None else write_new_file(target, data)
        if not ok and previous is None:
            report.problems.append(Problem(Location(display), f"{_display(config, target)} appeared meanwhile",
                                           "run ingest again", severity="warning"))
            continue
        existing.add_inbox(target, sha, origin_file)
        report.written.append(_display(config, target))
    return report


def ingest_inbox(config: Config, now: datetime) -> IngestReport:
    return ingest_paths(config, inbox_files(config.inbox_dir), now)


def _origin_name(config: Config, path: Path) -> str:
    try:
        return path.resolve().relative_to(config.content_dir.resolve()).as_posix()
    except ValueError:
        return "inbox/" + path.name


def _display(config: Config, path: Path) -> str:
    try:
        return path.resolve().relative_to(config.root).as_posix()
    except ValueError:
        return str(path)
