"""``content/articles/*.md`` → ``Article`` records, validated against ``model.Record``, with ``path:line``
errors; and the lighter reads ingest makes of the same files (front-matter head, raw front matter)."""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from generator.errors import ContentError, Location, Problem
from generator.frontmatter import is_machine_owned, key_line, parse_front_matter
from generator.model import FRONT_MATTER_KEYS, KEY_FIELDS, Article, Image, Origin, Quote, SourceRef
from generator.slug import slugify

MAX_ARTICLE_BYTES = 20 * 1024 * 1024
_READ_ONLY = os.O_RDONLY | getattr(os, "O_BINARY", 0)  # bytes as they are, on Windows too
_KNOWN = set(FRONT_MATTER_KEYS)


def is_article_name(name: str) -> bool:
    """``*.md`` directly in the articles folder; hidden, editor-backup and lock files are not articles."""
    return name.endswith(".md") and not name.startswith((".", "~", "#"))


def iter_article_paths(articles_dir: Path) -> Iterator[Path]:
    """Every article file, in a stable order."""
    try:
        names = sorted(os.listdir(articles_dir))
    except FileNotFoundError:
        return
    for name in names:
        if is_article_name(name):
            yield articles_dir / name


def scan_articles(directory: Path) -> list[tuple[str, str]]:
    """(file name, "mtime:size") of every article file, from one directory scan (no pathlib per file)."""
    found = []
    try:
        entries = list(os.scandir(directory))
    except FileNotFoundError:
        return []
    for entry in entries:
        if not is_article_name(entry.name):
            continue
        try:
            st = entry.stat()
        except OSError:
            continue
        found.append((entry.name, f"{st.st_mtime_ns}:{st.st_size}"))
    found.sort()
    return found


def read_front_matter_head(path: Path, chunk: int = 8192) -> str:
    """The file up to the end of its front matter (where ``origin`` lives), not the whole body."""
    with open(path, "rb") as handle:
        data = handle.read(chunk)
        while data.startswith(b"---") and data.find(b"\n---", 3) == -1:
            more = handle.read(chunk)
            if not more:
                break
            data += more
    return data.decode("utf-8", errors="replace")


def read_article_text(path: Path) -> str | None:
    """The text of an article file; None when it cannot be read as UTF-8 (ingest then leaves it alone)."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def read_front_matter_file(path: Path, display: str) -> tuple[dict[str, Any], str] | None:
    """Front matter (raw YAML data) and body of an article file; None when unreadable or broken."""
    text = read_article_text(path)
    if text is None:
        return None
    try:
        return parse_front_matter(text, display)
    except ContentError:
        return None


def read_owned_front_matter(path: Path, display: str) -> tuple[dict[str, Any], str] | None:
    """Like ``read_front_matter_file``, for a file ingest may rewrite: None when a human owns it."""
    text = read_article_text(path)
    if text is None or not is_machine_owned(text):
        return None
    try:
        return parse_front_matter(text, display)
    except ContentError:
        return None


def read_article(path: str | Path, display: str, tz: ZoneInfo) -> Article:
    """Read and validate one article file; raise ``ContentError`` naming the line at fault."""
    return parse_article(read_article_file(path, display)[0], display, tz)


def read_article_file(path: str | Path, display: str) -> tuple[bytes, str]:
    """An article file's bytes and its ``mtime_ns:size`` stamp (as ``scan_articles`` gives), taken from one
    open file before reading it: four system calls where ``stat`` then ``open().read()`` make ten."""
    try:
        fd = os.open(path, _READ_ONLY)
        try:
            st = os.fstat(fd)
            raw = os.read(fd, st.st_size + 1)
            if len(raw) > st.st_size:  # it grew since: read on to the end
                parts = [raw]
                while part := os.read(fd, 1 << 20):
                    parts.append(part)
                raw = b"".join(parts)
        finally:
            os.close(fd)
    except OSError as exc:
        raise ContentError(Problem(Location(display), f"cannot read: {exc.strerror or exc}")) from None
    return raw, f"{st.st_mtime_ns}:{st.st_size}"


def parse_article(raw: bytes, display: str, tz: ZoneInfo) -> Article:
    if len(raw) > MAX_ARTICLE_BYTES:
        raise ContentError(Problem(Location(display), f"file is {len(raw) // 1_048_576} MB",
                                   "articles over 20 MB are skipped; split or trim it"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentError(Problem(Location(display, line), "not valid UTF-8",
                                   "save the file as UTF-8")) from None
    data, body = parse_front_matter(text, display)
    return article_from_data(data, body, display, tz, text, hashlib.sha256(raw).hexdigest())


class _Fields:
    """Reads front-matter values by the ``kind`` their key declares in ``model.Record``."""

    def __init__(self, data: dict[str, Any], display: str, text: str) -> None:
        self.data, self.display, self.text = data, display, text

    def fail(self, key: str, message: str, hint: str = "") -> ContentError:
        return ContentError(Problem(Location(self.display, key_line(self.text, key)), f"{key}: {message}", hint))

    def text_or_none(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool | list | dict):
            raise self.fail(key, f"expected text, got {type(value).__name__}", f"write `{key}: some text`")
        value = str(value).strip()
        return value or None

    def names(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise self.fail(key, f"expected a list, got {type(value).__name__}", f"write `{key}: [A, B]`")
        out: list[str] = []
        for item in value:
            if isinstance(item, dict | list) or item is None:
                raise self.fail(key, "every item must be text", f"write `{key}: [A, B]`")
            name = str(item).strip()
            if name and name not in out:
                out.append(name)
        return tuple(out)

    def integer(self, key: str) -> int:
        value = self.data.get(key)
        if value is None:
            return 0
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, f"expected a whole number, got {value!r}")
        return value

    def flag(self, key: str) -> bool:
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(key, f"expected true or false, got {value!r}")
        return value

    def image(self, key: str) -> Image | None:
        img = self.data.get(key)
        if img is None:
            return None
        if isinstance(img, str):
            img = {"url": img}
        if not isinstance(img, dict):
            raise self.fail(key, "expected a mapping", "write `image: {url: …, caption: …, credit: …}`")
        image = Image(**{k: (str(img[k]).strip() if img.get(k) is not None else None) for k in _IMAGE_KEYS})
        return image if any((image.url, image.caption, image.credit)) else None

    def quotes(self, key: str) -> tuple[Quote, ...]:
        raw = self.data.get(key) or []
        if not isinstance(raw, list):
            raise self.fail(key, "expected a list", "write `- {speaker: Name, text: …}` items")
        quotes = []
        for q in raw:
            if not isinstance(q, dict) or not q.get("text"):
                raise self.fail(key, "each quote needs `text` (and a `speaker`)", "write `- {speaker: Name, text: …}`")
            quotes.append(Quote(speaker=str(q.get("speaker") or "").strip(), text=str(q["text"]).strip()))
        return tuple(quotes)

    def origin(self, key: str) -> Origin | None:
        o = self.data.get(key)
        if o is None:
            return None
        if not isinstance(o, dict):
            raise self.fail(key, "expected a mapping", "ingest writes `origin: {file: …, sha256: …}`")
        return Origin(**{k: (str(o[k]) if o.get(k) is not None else None) for k in _ORIGIN_KEYS})

    def sources(self, key: str) -> tuple[SourceRef, ...]:
        raw = self.data.get(key) or []
        if not isinstance(raw, list):
            raise self.fail(key, "expected a list", "write `- {name: Outlet, url: …}` items")
        sources = []
        for s in raw:
            if isinstance(s, str):
                sources.append(SourceRef(name=s))
            elif isinstance(s, dict) and s.get("name"):
                sources.append(SourceRef(name=str(s["name"]), url=str(s["url"]) if s.get("url") else None))
            else:
                raise self.fail(key, "each source needs a `name`")
        return tuple(sources)


_IMAGE_KEYS = tuple(f.name for f in dataclasses.fields(Image))
_ORIGIN_KEYS = tuple(f.name for f in dataclasses.fields(Origin))
_READERS: dict[str, Callable[[_Fields, str], Any]] = {
    "text": _Fields.text_or_none, "names": _Fields.names, "count": _Fields.integer, "flag": _Fields.flag,
    "image": _Fields.image, "quotes": _Fields.quotes, "origin": _Fields.origin, "sources": _Fields.sources,
}
# title, slug and date have rules of their own (required, defaulted from the file name, the site's zone).
_PLAIN_KEYS = tuple((f.name, _READERS[f.metadata["kind"]]) for f in KEY_FIELDS
                    if f.name not in ("title", "slug", "date"))
# What each of them is when the front matter lacks it: what its reader makes of no value, or None for a key
# whose absence means something (``topics``: the topic rules decide). All immutable, so shared.
_ABSENT: dict[str, Any] = {f.name: None if f.metadata["absent_when_none"] else _READERS[f.metadata["kind"]](
    _Fields({}, "", ""), f.name) for f in KEY_FIELDS if f.name not in ("title", "slug", "date")}


def parse_date(value: Any, tz: ZoneInfo) -> datetime | None:
    """A front-matter date: aware datetimes keep their offset; naive and date-only use ``tz``."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), tzinfo=tz)
    if isinstance(value, str):
        text = value.strip().replace(" ", "T", 1) if len(value.strip()) > 10 else value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)
    return None


def article_from_data(
    data: dict[str, Any], body: str, display: str, tz: ZoneInfo, text: str = "", content_hash: str = ""
) -> Article:
    """Validate front matter against ``model.Record``'s keys; unknown keys are kept in ``extra``."""
    f = _Fields(data, display, text)
    title = f.text_or_none("title")
    if not title:
        raise ContentError(Problem(Location(display, key_line(text, "title") or 2), "missing `title`",
                                   "every article needs `title: …` in its front matter"))
    values = dict(_ABSENT)
    for key, read in _PLAIN_KEYS:  # in the schema's order: the first bad key is the one reported
        if key in data:
            values[key] = read(f, key)
    when = None
    if data.get("date") is None:
        if not values["review"]:  # an undated article can only wait for review, never be published
            raise ContentError(Problem(Location(display, key_line(text, "date") or 2), "missing `date`",
                                       "add e.g. `date: 2025-06-05T09:30:00-04:00` (or a plain 2025-06-05), or "
                                       "`review: [date]` to hold it until the date is known"))
    else:
        when = parse_date(data["date"], tz)
        if when is None:
            raise f.fail("date", f"not a date: {data['date']!r}", "use ISO 8601, e.g. 2025-06-05T09:30:00-04:00")
    stem = display.rsplit("/", 1)[-1].removesuffix(".md")
    slug = slugify(f.text_or_none("slug") or stem)
    extra = {k: v for k, v in data.items() if k not in _KNOWN}
    return Article(path=display, slug=slug, title=title, date=when, body=body, extra=extra,
                   content_hash=content_hash, **values)
