"""Raw inbox files → ``content/articles/<slug>.md`` with front matter and ``origin``.

Originals stay untouched; an input whose sha256 is already some article's origin is skipped (so
re-ingesting is a no-op even without ``.digest/``); a file a human has edited is never rewritten.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from generator.config import Config
from generator.errors import ContentError, Location, Problem
from generator.extract import extract_file, record_to_json
from generator.frontmatter import dump_owned_article, is_machine_owned
from generator.model import Record
from generator.slug import free_slug, slugify
from generator.write import write_file_atomic, write_new_file

INBOX_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
_ORIGIN_SHA = re.compile(r"\bsha256:[ ]*['\"]?([0-9a-f]{64})")
_ORIGIN_FILE = re.compile(r"\bfile:[ ]*['\"]?(inbox/[^,'\"}\n]+)")


@dataclass(frozen=True)
class Existing:
    path: Path

    @property
    def machine_owned(self) -> bool:
        """Read the whole file only when it matters: re-ingesting the input it came from."""
        try:
            return is_machine_owned(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            return False


def read_front_matter_text(path: Path, chunk: int = 8192) -> str:
    """The file up to the end of its front matter (where ``origin`` lives), not the whole body."""
    with open(path, "rb") as handle:
        data = handle.read(chunk)
        while data.startswith(b"---") and data.find(b"\n---", 3) == -1:
            more = handle.read(chunk)
            if not more:
                break
            data += more
    return data.decode("utf-8", errors="replace")


def inbox_files(config: Config) -> list[Path]:
    try:
        names = sorted(os.listdir(config.inbox_dir))
    except FileNotFoundError:
        return []
    return [config.inbox_dir / n for n in names
            if n.lower().endswith(INBOX_SUFFIXES) and not n.startswith((".", "~", "#"))
            and (config.inbox_dir / n).is_file()]


def scan_origins(articles_dir: Path) -> tuple[dict[str, Existing], dict[str, Existing], set[str]]:
    """Known origins by sha256 and by inbox file, and the slugs taken, from the article files themselves."""
    by_sha: dict[str, Existing] = {}
    by_file: dict[str, Existing] = {}
    slugs: set[str] = set()
    try:
        names = sorted(os.listdir(articles_dir))
    except FileNotFoundError:
        return by_sha, by_file, slugs
    for name in names:
        if not name.endswith(".md"):
            continue
        slugs.add(name[:-3])
        path = articles_dir / name
        try:
            head = read_front_matter_text(path)
        except OSError:
            continue
        if "origin" not in head:
            continue
        sha, file = _ORIGIN_SHA.search(head), _ORIGIN_FILE.search(head)
        if not (sha or file):
            continue
        existing = Existing(path)
        if sha:
            by_sha[sha.group(1)] = existing
        if file:
            by_file[file.group(1).strip()] = existing
    return by_sha, by_file, slugs


_MD_LINE_START = re.compile(r"^(\s{0,3})([#>*+\-=|]|\d+[.)]\s)", re.M)


def escape_markdown_text(text: str) -> str:
    """Plain text stays plain when rendered as Markdown: neutralise block markers and inline HTML."""
    text = text.replace("\\", "\\\\").replace("<", "&lt;").replace("`", "\\`")
    text = re.sub(r"(?<!\w)([*_])(?=\S)", r"\\\1", text)
    text = re.sub(r"\[", r"\\[", text)
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def record_front_matter(record: Record, slug: str, now: datetime, origin: dict[str, Any],
                        tz: tzinfo | None = None) -> dict[str, Any]:
    date, date_source = record.date, record.date_source or "stated"
    if date is None:
        date, date_source = now.astimezone(tz) if tz else now, "ingested"
    elif date.tzinfo is None and tz is not None:
        date = date.replace(tzinfo=tz)  # a stated day without a zone is that day in the site's zone
    front = record_to_json(record)  # the record's own keys, as `digest extract --json` prints them
    del front["body"]
    front.update(slug=slug, date=date, date_source=date_source, origin=origin, draft=False,
                 sources=[{"name": record.source, "url": record.url}] if record.source else [])
    return front




def ingest_paths(config: Config, files: Iterable[Path], now: datetime) -> tuple[list[str], list[Problem]]:
    """Ingest the given raw files; returns (article paths written, problems)."""
    written: list[str] = []
    problems: list[Problem] = []
    paths = list(files)
    if not paths:
        return written, problems
    by_sha, by_file, taken = scan_origins(config.articles_dir)
    for path in paths:
        display = _display(config, path)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            problems.append(Problem(Location(display), f"cannot read: {exc.strerror or exc}"))
            continue
        sha = hashlib.sha256(raw).hexdigest()
        if sha in by_sha:
            continue  # already ingested: a no-op
        origin_file = _origin_name(config, path)
        previous = by_file.get(origin_file)
        if previous is not None and not previous.machine_owned:
            problems.append(Problem(Location(display), "changed since it was ingested, but "
                                    f"{_display(config, previous.path)} has human edits",
                                    "left both as they are; delete the article to re-ingest",
                                    severity="warning"))
            continue
        try:
            record = extract_file(path, config.topics)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        slug = previous.path.stem if previous is not None else free_slug(slugify(record.title), taken.__contains__)
        origin = {"file": origin_file, "sha256": sha, "written": ""}
        data = dump_owned_article(record_front_matter(record, slug, now, origin, config.tz),
                                   escape_markdown_text(record.body))
        target = config.articles_dir / f"{slug}.md"
        ok = write_file_atomic(target, data, fsync=True) if previous is not None else write_new_file(target, data)
        if not ok and previous is None:
            problems.append(Problem(Location(display), f"{_display(config, target)} appeared meanwhile",
                                    "run ingest again", severity="warning"))
            continue
        taken.add(slug)
        existing = Existing(target)
        by_sha[sha] = existing
        by_file[origin_file] = existing
        written.append(_display(config, target))
    return written, problems


def ingest_inbox(config: Config, now: datetime) -> tuple[list[str], list[Problem]]:
    return ingest_paths(config, inbox_files(config), now)


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


