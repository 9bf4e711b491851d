"""``content/articles/*.md`` → ``Article`` records, validated, with ``path:line`` errors."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from generator.errors import ContentError, Location, Problem
from generator.frontmatter import KEY_ORDER, key_line, parse_front_matter
from generator.model import Article, Image, Origin, Quote, SourceRef
from generator.slug import slugify

MAX_ARTICLE_BYTES = 20 * 1024 * 1024
_KNOWN = set(KEY_ORDER)


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


def read_article(path: Path, display: str, tz: ZoneInfo) -> Article:
    """Read and validate one article file; raise ``ContentError`` naming the line at fault."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ContentError(Problem(Location(display), f"cannot read: {exc.strerror or exc}")) from None
    return parse_article(raw, display, tz)


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
    f = _Fields(data, display, text)
    title = f.text_or_none("title")
    if not title:
        raise ContentError(Problem(Location(display, key_line(text, "title") or 2), "missing `title`",
                                   "every article needs `title: …` in its front matter"))
    if data.get("date") is None:
        raise ContentError(Problem(Location(display, key_line(text, "date") or 2), "missing `date`",
                                   "add e.g. `date: 2025-06-05T09:30:00-04:00` (or a plain 2025-06-05)"))
    when = parse_date(data["date"], tz)
    if when is None:
        raise f.fail("date", f"not a date: {data['date']!r}", "use ISO 8601, e.g. 2025-06-05T09:30:00-04:00")
    slug_text = f.text_or_none("slug")
    stem = display.rsplit("/", 1)[-1].removesuffix(".md")
    slug = slugify(slug_text or stem)

    image = None
    if data.get("image") is not None:
        img = data["image"]
        if isinstance(img, str):
            img = {"url": img}
        if not isinstance(img, dict):
            raise f.fail("image", "expected a mapping", "write `image: {url: …, caption: …, credit: …}`")
        image = Image(**{k: (str(img[k]).strip() if img.get(k) is not None else None)
                         for k in ("url", "caption", "credit", "alt")})
        if not any((image.url, image.caption, image.credit)):
            image = None

    quotes: list[Quote] = []
    raw_quotes = data.get("quotes") or []
    if not isinstance(raw_quotes, list):
        raise f.fail("quotes", "expected a list", "write `- {speaker: Name, text: …}` items")
    for q in raw_quotes:
        if not isinstance(q, dict) or not q.get("text"):
            raise f.fail("quotes", "each quote needs `text` (and a `speaker`)",
                         "write `- {speaker: Name, text: …}`")
        quotes.append(Quote(speaker=str(q.get("speaker") or "").strip(), text=str(q["text"]).strip()))

    origin = None
    if data.get("origin") is not None:
        o = data["origin"]
        if not isinstance(o, dict):
            raise f.fail("origin", "expected a mapping", "ingest writes `origin: {file: …, sha256: …}`")
        origin = Origin(**{k: (str(o[k]) if o.get(k) is not None else None)
                           for k in ("file", "sha256", "feed", "guid", "written")})

    sources: list[SourceRef] = []
    raw_sources = data.get("sources") or []
    if not isinstance(raw_sources, list):
        raise f.fail("sources", "expected a list", "write `- {name: Outlet, url: …}` items")
    for s in raw_sources:
        if isinstance(s, str):
            sources.append(SourceRef(name=s))
        elif isinstance(s, dict) and s.get("name"):
            sources.append(SourceRef(name=str(s["name"]), url=str(s["url"]) if s.get("url") else None))
        else:
            raise f.fail("sources", "each source needs a `name`")

    draft = data.get("draft", False)
    if not isinstance(draft, bool):
        raise f.fail("draft", f"expected true or false, got {draft!r}")

    topics = f.names("topics") if "topics" in data else None
    extra = {k: v for k, v in data.items() if k not in _KNOWN}
    return Article(
        path=display, slug=slug, title=title, date=when, body=body,
        date_source=f.text_or_none("date_source"), section=f.text_or_none("section"),
        source=f.text_or_none("source"), url=f.text_or_none("url"),
        authors=f.names("authors"), contributors=f.names("contributors"), image=image,
        topics=topics, tags=f.names("tags"), people=f.names("people"),
        organizations=f.names("organizations"), places=f.names("places"), quotes=tuple(quotes),
        summary=f.text_or_none("summary"), word_count=f.integer("word_count"),
        reading_time=f.integer("reading_time"), origin=origin, sources=tuple(sources), draft=draft,
        extra=extra, content_hash=content_hash,
    )
