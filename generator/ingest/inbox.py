"""Raw inbox files → ``content/articles/<slug>.md`` with front matter, ``origin`` and ``review`` reasons.

Originals stay untouched; bytes ingest has dealt with are remembered (``sources.inboxmemory``), so a
deleted article does not come back until its inbox file changes (or ``digest ingest --force FILE``); an
input whose sha256 is already some article's origin is skipped too (so re-ingesting is a no-op even
without ``.digest/``); a file a human has edited is never rewritten. A file that cannot become an
article (binary, empty, undecodable, over a limit) is reported once and moved to ``content/inbox/rejected/``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime, tzinfo
from pathlib import Path

from generator.config import Config, TopicConfig, format_size
from generator.errors import ContentError, Location, Problem
from generator.extract import MAX_BYTES, extract_bytes, input_kind, too_large
from generator.frontmatter import dump_owned_article
from generator.ingest import IngestReport
from generator.ingest.existing import ExistingArticles
from generator.ingest.flags import review_reasons, safe_links
from generator.model import Origin, Record, SourceRef, front_matter
from generator.slug import free_slug, slugify
from generator.sources.inbox import REJECTED_DIR, InputTooLarge, inbox_files, read_raw
from generator.sources.inboxmemory import InboxMemory
from generator.write import move_aside, write_file_atomic, write_new_file

STATE_FILE = "state.sqlite"  # beside the feed state (ingest.feeds)


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


def article_record(record: Record, slug: str, origin: Origin, tz: tzinfo | None = None,
                   review: tuple[str, ...] = ()) -> Record:
    """The extracted record as its article: slug, origin, sources and review reasons set. A record
    without a date keeps none (never the ingest time): ``review`` then says ``date``."""
    date = record.date
    if date is not None and date.tzinfo is None and tz is not None:
        date = date.replace(tzinfo=tz)  # a stated day without a zone is that day in the site's zone
    return replace(record, slug=slug, date=date, date_source=record.date_source if date else None,
                   review=review, origin=origin, draft=False,
                   sources=(SourceRef(record.source, record.url),) if record.source else ())


def ingest_paths(config: Config, files: Iterable[Path], now: datetime,
                 existing: ExistingArticles | None = None, *, force: bool = False) -> IngestReport:
    """Ingest the given raw files: the article paths written, and the problems.

    Bytes already dealt with (the inbox's memory, or an article's ``origin.sha256``) are skipped unless
    ``force``; an inbox file that cannot become an article is reported once and moved to
    ``content/inbox/rejected/`` beside ``NAME.reason.txt``."""
    report = IngestReport()
    paths = list(files)
    if not paths:
        return report
    existing = existing or ExistingArticles(config.articles_dir)
    with InboxMemory(config.state_dir / STATE_FILE) as memory:
        for path in paths:
            _ingest_file(config, path, now, existing, memory, report, force=force)
    return report


def _ingest_file(config: Config, path: Path, now: datetime, existing: ExistingArticles, memory: InboxMemory,
                 report: IngestReport, *, force: bool) -> None:
    display = _display(config, path)
    origin_file = _origin_name(config, path)
    limits = config.limits
    try:
        raw = read_raw(path, limits.raw_file)
    except InputTooLarge as exc:
        _refuse(config, path, report, Problem(
            Location(display), f"file is {format_size(exc.size)}, over the limit of {format_size(exc.limit)} "
            "(limits.raw_file)", "split it, or raise `limits.raw_file` in config.yaml"))
        return
    except OSError as exc:
        report.problems.append(Problem(Location(display), f"cannot read: {exc.strerror or exc}"))
        return
    sha = hashlib.sha256(raw).hexdigest()
    if not force:
        if memory.done(origin_file, sha):
            return  # dealt with before, even if its article has since been deleted
        if (made := existing.by_sha256(sha)) is not None:
            memory.remember(origin_file, sha, "already-there", _display(config, made), now)
            return
    previous = existing.by_inbox_file(origin_file)
    if previous is not None and not existing.machine_owned(previous):
        report.problems.append(Problem(Location(display), "changed since it was ingested, but "
                                       f"{_display(config, previous)} has human edits",
                                       "left both as they are; delete the article to re-ingest",
                                       severity="warning"))
        memory.remember(origin_file, sha, "kept-human-edits", _display(config, previous), now)  # said once
        return
    try:
        record = extract_bytes(raw, display, config.topics)
    except ContentError as exc:
        _refuse(config, path, report, *exc.problems)
        return
    if len(record.body) > limits.article_body:
        _refuse(config, path, report, Problem(
            Location(display), f"the article text is {len(record.body):,} characters, over the limit of "
            f"{limits.article_body:,} (limits.article_body)", "split it, or raise `limits.article_body` in "
            "config.yaml"))
        return
    record, unsafe_link = safe_links(record)
    review = review_reasons(record, dropped_link=unsafe_link)
    slug = previous.stem if previous is not None else free_slug(slugify(record.title), existing.taken)
    article = article_record(record, slug, Origin(file=origin_file, sha256=sha, written=""), config.tz, review)
    data = dump_owned_article(front_matter(article), escape_markdown_text(record.body))
    target = existing.path(slug)
    ok = write_file_atomic(target, data, fsync=True) if previous is not None else write_new_file(target, data)
    if not ok and previous is None:
        report.problems.append(Problem(Location(display), f"{_display(config, target)} appeared meanwhile",
                                       "run ingest again", severity="warning"))
        return
    existing.add_inbox(target, sha, origin_file)
    memory.remember(origin_file, sha, "ingested", _display(config, target), now)
    report.written.append(_display(config, target))
    if review:
        report.held[_display(config, target)] = review


def _refuse(config: Config, path: Path, report: IngestReport, *problems: Problem) -> None:
    """Report why ``path`` cannot be ingested; an inbox file is also moved to ``content/inbox/rejected/``
    beside ``NAME.reason.txt``, so that the next build is clean and nothing is lost."""
    if path.resolve().parent != config.inbox_dir.resolve():
        report.problems.extend(problems)
        return
    moved = move_aside(path, config.inbox_dir / REJECTED_DIR)
    where = _display(config, moved)
    report.problems.extend(replace(p, hint=f"{p.hint}; moved to {where}" if p.hint else f"moved to {where}")
                           for p in problems)
    note = "".join(f"{p}\n" for p in problems) + (
        f"\ndigest moved this file here from {_display(config, config.inbox_dir)}/ so that builds stay clean.\n"
        "Fix it (or replace it), then move it back into the inbox to ingest it again.\n")
    write_new_file(moved.with_name(moved.name + ".reason.txt"), note.encode("utf-8"))
    report.rejected.append(where)


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
