"""Configured feeds → ``content/articles/<slug>.md``: fetch, parse, sanitize, extract, dedup, write.

Order of a run, and why it is safe to kill at any point:
1. fetch every feed concurrently (``sources.fetch``); each outcome is committed to the state with its
   body as *pending*, in the same transaction as its new validators;
2. for each feed with a pending body, in config order: parse it, and in ONE transaction write or merge
   its articles, record the entries seen and clear the pending body. Killed midway, the transaction
   rolls back and the body is ingested again next run; articles already written are found again by
   their ``origin`` / ``url`` (an index of ``content/articles/`` built on demand), so nothing doubles.

A story seen again — same GUID, same normalised link, or same normalised title and body, in this feed
or another — is merged into the first article, whose ``sources`` then lists every outlet. A changed
entry rewrites its article unless a human has edited the file (``frontmatter.is_machine_owned``).
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from generator.config import Config, FeedSource, MatchRule
from generator.errors import ContentError, Location, Problem
from generator.extract import extract_markdown
from generator.frontmatter import dump_owned_article, is_machine_owned, parse_front_matter
from generator.model import Record
from generator.slug import free_slug, slugify
from generator.sources.feedparse import FeedEntry, ParsedFeed, parse_feed
from generator.sources.feedstate import FeedHealth, FeedState, Pending, feed_health
from generator.sources.fetch import FetchJob, FetchResult, Validators, fetch_all
from generator.sources.sanitize import entry_markdown, html_to_text, shorten
from generator.topicmatch import TopicText, count_hits, fold, match_topics
from generator.write import write_file_atomic, write_new_file

log = logging.getLogger(__name__)

STATE_FILE = "state.sqlite"
MAX_ENTRIES = 500  # per feed and run, when the feed sets no `limit`: a runaway feed cannot flood content/
FUTURE_SLACK = timedelta(days=1)  # a date further ahead than this is a feed's mistake
_TRACKING_PARAMS = re.compile(r"^(utm_.*|fbclid|gclid|mc_cid|mc_eid|ref|cmpid|ito|rss|feed)$", re.I)


@dataclass
class IngestReport:
    """What one ingest of the feeds did; ``problems`` are warnings naming the feed."""

    written: list[str] = field(default_factory=list)  # project-relative paths created or rewritten
    problems: list[Problem] = field(default_factory=list)
    new_items: int = 0  # articles created
    updated: int = 0  # articles rewritten because their entry changed
    merged: int = 0  # entries added as one more source of an existing article
    fetched: int = 0  # feeds fetched or read
    not_modified: int = 0  # feeds answering 304 (or with the very same bytes)


def state_path(config: Config) -> Path:
    return config.state_dir / STATE_FILE


def feed_warning(feed: str, message: str, hint: str = "") -> Problem:
    return Problem(Location(f"feed {feed}"), message, hint, severity="warning")


# -- fetching -------------------------------------------------------------------------------------


def fetch_feeds(config: Config, state: FeedState, now: datetime, *, offline: bool = False,
                feeds: Sequence[FeedSource] | None = None) -> list[FetchResult]:
    """Fetch (or read) every configured feed concurrently and commit each outcome to ``state``."""
    sources = config.feeds if feeds is None else feeds
    jobs = [FetchJob(f.name, f.url, f.path, state.validators(f.name) if f.url else Validators())
            for f in sources]
    results = fetch_all(jobs, config.root, offline=offline, timeout=config.fetch_timeout,
                        concurrency=config.fetch_concurrency)
    for result in results:
        state.record_fetch(result, now)
    return results


def _fetch_problems(results: Sequence[FetchResult]) -> list[Problem]:
    problems = []
    for r in results:
        if r.error:
            problems.append(feed_warning(r.feed, f"{r.location}: {r.error}",
                                         "its earlier articles stay published; see `digest feeds`"))
        if r.permanent_redirect and r.permanent_redirect != r.location:
            problems.append(feed_warning(r.feed, f"moved permanently to {r.permanent_redirect}",
                                         "update its `url:` in config.yaml"))
    return problems


# -- the whole run --------------------------------------------------------------------------------


def ingest_feeds(config: Config, now: datetime, *, offline: bool) -> IngestReport:
    """Fetch (unless ``offline``; ``path:`` feeds are read regardless) and ingest every feed."""
    return _run(config, now, offline=offline, ingest=True)


def fetch_to_state(config: Config, now: datetime) -> IngestReport:
    """``digest fetch``: fetch every feed into the state (bodies kept as pending) without writing
    articles; the next ``ingest_feeds`` — even an offline one — turns them into articles."""
    return _run(config, now, offline=False, ingest=False)


def _run(config: Config, now: datetime, *, offline: bool, ingest: bool) -> IngestReport:
    report = IngestReport()
    if not config.feeds:
        return report
    with FeedState(state_path(config)) as state:
        results = fetch_feeds(config, state, now, offline=offline)
        report.problems += _fetch_problems(results)
        report.fetched = sum(1 for r in results if not r.skipped and not r.error)
        report.not_modified = sum(1 for r in results if r.not_modified)
        if ingest:
            ingest_pending(config, state, now, report)
    return report


def ingest_pending(config: Config, state: FeedState, now: datetime, report: IngestReport) -> None:
    """Turn every pending fetched body into articles (also what a killed run left behind)."""
    index = ArticleIndex(config.articles_dir)
    for feed in config.feeds:
        pending = state.pending(feed.name)
        if pending is None:
            continue
        parsed = parse_feed(pending.body, base_url=pending.url, content_type=pending.content_type)
        if parsed.error:
            state.record_parse_error(feed.name, feed.url or feed.path or "", parsed.error, now)
            report.problems.append(feed_warning(feed.name, f"{feed.url or feed.path}: {parsed.error}",
                                                "its earlier articles stay published"))
            continue
        if parsed.warning:
            report.problems.append(feed_warning(feed.name, parsed.warning))
        _ingest_feed(config, state, now, feed, parsed, pending, index, report)


def _ingest_feed(config: Config, state: FeedState, now: datetime, feed: FeedSource, parsed: ParsedFeed,
                 pending: Pending, index: ArticleIndex, report: IngestReport) -> None:
    entries = select_entries(feed, parsed.entries)
    created = 0
    with state.transaction():
        for entry in entries:
            outcome = _ingest_entry(config, state, now, feed, entry, pending.url, index, report)
            created += outcome == "new"
        state.finish_ingest(feed.name, feed.url or feed.path or "", pending, items=len(parsed.entries),
                            new_items=created, now=now)


# -- one entry ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    """An entry made ready for the article file: safe Markdown, plain title, hashes."""

    entry: FeedEntry
    title: str
    body: str  # Markdown
    summary: str | None
    link: str | None
    link_key: str | None
    fingerprint: str
    content_hash: str


def prepare(entry: FeedEntry, base_url: str | None) -> Prepared:
    link = clean_link(entry.link)
    body = entry_markdown(entry.content_html, link or base_url) if entry.content_html else ""
    title = html_to_text(entry.title) or shorten(html_to_text(entry.content_html), 80) or "Untitled"
    summary = None
    if entry.summary_html:
        text = html_to_text(entry.summary_html)
        if text and fold(text[:200]) not in fold(html_to_text(entry.content_html)):
            summary = shorten(text)
    if summary is None:
        first = next((p for p in body.split("\n\n") if p.strip() and not p.lstrip().startswith(("#", "!["))),
                     "")
        summary = shorten(html_to_text(first.replace("\n", " "))) or None
    return Prepared(entry, title, body, summary, link, link_key(link), fingerprint(title, body),
                    content_hash(entry))


def content_hash(entry: FeedEntry) -> str:
    """What an update must change for the article to be rewritten (cheap: no sanitizing)."""
    content = "\x1f".join([entry.title, entry.content_html, entry.summary_html or "", entry.link or "",
                           entry.published.isoformat() if entry.published else "", *entry.authors, "\x1e",
                           *entry.categories])
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def clean_link(url: str | None) -> str | None:
    """The entry's link without ``utm_*`` campaign parameters (what the article's ``url`` keeps)."""
    if not url or "utm_" not in url:
        return url
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.lower().startswith("utm_")]
    return parts._replace(query=urlencode(query)).geturl()


def link_key(url: str | None) -> str | None:
    """A link normalised for dedup: no scheme, ``www.``, fragment, tracking parameters or final ``/``."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    if not host:
        return None
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                             if not _TRACKING_PARAMS.match(k)))
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    return f"{host}{port}{parts.path.rstrip('/') or '/'}{'?' + query if query else ''}"


def fingerprint(title: str, body: str) -> str:
    """Same story, same text: folded title and body, punctuation and spacing ignored."""
    words = re.sub(r"[\W_]+", " ", fold(f"{title}\n{body}")).split()
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()


def _global_guid(guid: str) -> bool:
    # A GUID that means the same thing in another feed: a URI (tag:, urn:, http…) or our link+title hash.
    # Bare numbers and other feed-local ids would wrongly merge stories from different outlets.
    return bool(re.match(r"^[a-z][a-z0-9+.-]*:\S", guid, re.I))


def select_entries(feed: FeedSource, entries: Sequence[FeedEntry]) -> list[FeedEntry]:
    """Apply the feed's ``include``/``exclude`` keywords and its ``limit`` (newest first)."""
    chosen = list(entries)
    if feed.include or feed.exclude:
        include = MatchRule(any=feed.include) if feed.include else None
        exclude = MatchRule(any=feed.exclude) if feed.exclude else None
        kept = []
        for e in chosen:
            title = html_to_text(e.title)
            text = html_to_text(e.content_html)
            summary = html_to_text(e.summary_html or "")
            if include and count_hits(include, title, text, summary) == 0:
                continue
            if exclude and count_hits(exclude, title, text, summary) > 0:
                continue
            kept.append(e)
        chosen = kept
    limit = feed.limit if feed.limit is not None else (MAX_ENTRIES if len(chosen) > MAX_ENTRIES else None)
    if limit is not None:
        def newest_first(i: int) -> tuple[bool, float, int]:
            published = chosen[i].published
            return (published is None, -published.timestamp() if published else 0.0, i)

        order = sorted(range(len(chosen)), key=newest_first)
        chosen = [chosen[i] for i in sorted(order[:limit])]
    return chosen


def _ingest_entry(config: Config, state: FeedState, now: datetime, feed: FeedSource, entry: FeedEntry,
                  base_url: str | None, index: ArticleIndex, report: IngestReport) -> str:
    """Create, update or merge one entry's article; return "new", "updated", "merged" or "seen"."""
    known = state.item(feed.name, entry.guid)
    if known is not None and known.content_hash == content_hash(entry):
        return "seen"
    p = prepare(entry, base_url)
    if known is not None:
        outcome = "seen"
        path = index.path(known.slug)
        if (path.exists() and index.is_origin(known.slug, feed.name, entry.guid)
                and _rewrite(config, path, p, feed, known.first_seen, now, report)):
            report.updated += 1
            outcome = "updated"
        state.save_item(feed.name, entry.guid, slug=known.slug, link_key=p.link_key, fingerprint=p.fingerprint,
                        content_hash=p.content_hash, now=now)
        return outcome
    guid_key = entry.guid if _global_guid(entry.guid) else None
    slug = (state.find_duplicate(guid=guid_key, link_key=p.link_key, fingerprint=p.fingerprint)
            or index.find(feed.name, entry.guid, guid_key, p.link_key, p.fingerprint))
    if slug is not None:
        outcome = "seen"
        if index.path(slug).exists() and _add_source(config, index.path(slug), feed, p, report):
            report.merged += 1
            outcome = "merged"
        state.save_item(feed.name, entry.guid, slug=slug, link_key=p.link_key, fingerprint=p.fingerprint,
                        content_hash=p.content_hash, now=now)
        return outcome
    slug = _create(config, p, feed, now, index, report)
    state.save_item(feed.name, entry.guid, slug=slug, link_key=p.link_key, fingerprint=p.fingerprint,
                    content_hash=p.content_hash, now=now)
    report.new_items += 1
    return "new"


def _extract(config: Config, feed: FeedSource, p: Prepared, report: IngestReport) -> Record | None:
    try:
        # The body is Markdown; the title as its heading lets names in the headline count too.
        return extract_markdown(f"# {p.title}\n\n{p.body}", config.topics)
    except Exception as exc:  # one odd entry must not stop the others; say so and keep going
        log.exception("extraction failed for %s", p.link or p.entry.guid)
        report.problems.append(feed_warning(feed.name, f"extraction failed for {p.title!r}: "
                                            f"{type(exc).__name__}: {exc}", "people/places/quotes left empty"))
        return None


def _unique(*groups: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(x for g in groups for x in g if x))


def article_data(config: Config, feed: FeedSource, p: Prepared, slug: str, first_seen: datetime,
                 now: datetime, record: Record | None) -> dict[str, Any]:
    """The front matter of an entry's article (``origin.written`` still empty)."""
    date, date_source = p.entry.published, "feed"
    if date is None or date > now + FUTURE_SLACK:
        date, date_source = first_seen, "ingested"
    rule_topics = match_topics(config.topics, TopicText(p.title, p.body, p.summary))
    words = len(p.body.split())
    data: dict[str, Any] = {
        "title": p.title,
        "slug": slug,
        "date": date,
        "date_source": date_source,
        "source": feed.name,
        "url": p.link,
        "authors": list(p.entry.authors),
        "topics": _unique(rule_topics, record.topics if record else (), feed.topics),
        "tags": list(p.entry.categories),
        "people": list(record.people) if record else [],
        "organizations": list(record.organizations) if record else [],
        "places": list(record.places) if record else [],
        "quotes": [{"speaker": q.speaker, "text": q.text} for q in record.quotes] if record else [],
        "summary": p.summary,
        "word_count": (record.word_count if record and record.word_count else words),
        "reading_time": (record.reading_time if record and record.reading_time else max(1, round(words / 230))),
        "origin": {"feed": feed.name, "guid": p.entry.guid, "written": ""},
        "sources": [{"name": feed.name, "url": p.link}],
    }
    return data


def _create(config: Config, p: Prepared, feed: FeedSource, now: datetime, index: ArticleIndex,
            report: IngestReport) -> str:
    record = _extract(config, feed, p, report)
    base = slugify(p.title)
    while True:  # write_new_file refuses to clobber: a file that appeared meanwhile just takes the next slug
        slug = free_slug(base, lambda s: index.path(s).exists())
        path = index.path(slug)
        data = article_data(config, feed, p, slug, now, now, record)
        if write_new_file(path, dump_owned_article(data, p.body)):
            break
    index.add(slug, feed.name, p.entry.guid, p.entry.guid if _global_guid(p.entry.guid) else None,
              p.link_key, p.fingerprint)
    report.written.append(_rel(config, path))
    return slug


def _rewrite(config: Config, path: Path, p: Prepared, feed: FeedSource, first_seen: datetime, now: datetime,
             report: IngestReport) -> bool:
    """An updated entry: regenerate the article, keeping its slug and sources, unless a human edited it."""
    text = path.read_text(encoding="utf-8")
    if not is_machine_owned(text):
        return False
    try:
        old, _ = parse_front_matter(text, _rel(config, path))
    except ContentError:
        return False
    record = _extract(config, feed, p, report)
    data = article_data(config, feed, p, path.stem, first_seen, now, record)
    data["slug"] = old.get("slug", path.stem)
    if isinstance(old.get("sources"), list):
        data["sources"] = old["sources"]
    if data["date_source"] == "ingested" and old.get("date") is not None:
        data["date"] = old["date"]
    if write_file_atomic(path, dump_owned_article(data, p.body)):
        report.written.append(_rel(config, path))
        return True
    return False


def _add_source(config: Config, path: Path, feed: FeedSource, p: Prepared, report: IngestReport) -> bool:
    """A duplicate: list this feed in the article's ``sources`` unless a human owns the file."""
    text = path.read_text(encoding="utf-8")
    if not is_machine_owned(text):
        return False
    try:
        data, body = parse_front_matter(text, _rel(config, path))
    except ContentError:
        return False
    sources = data.get("sources") if isinstance(data.get("sources"), list) else []
    assert isinstance(sources, list)
    ref = {"name": feed.name, "url": p.link}
    if any(isinstance(s, dict) and s.get("name") == feed.name and s.get("url") == p.link for s in sources):
        return False
    data["sources"] = [*sources, ref]
    origin = data.get("origin")
    if isinstance(origin, dict):
        data["origin"] = {**origin, "written": ""}
    if write_file_atomic(path, dump_owned_article(data, body)):
        report.written.append(_rel(config, path))
        return True
    return False


def _rel(config: Config, path: Path) -> str:
    try:
        return path.relative_to(config.root).as_posix()
    except ValueError:
        return str(path)


# -- what content/articles/ already holds ---------------------------------------------------------


class ArticleIndex:
    """Existing articles by origin, GUID, link and title+body, read from the files on first need.

    The state database is the fast path; this index catches what it cannot know: articles written by
    a run killed before its commit, a deleted ``.digest/``, or a story a human already filed.
    """

    def __init__(self, articles_dir: Path) -> None:
        self.dir = articles_dir
        self._loaded = False
        self._origin: dict[tuple[str, str], str] = {}
        self._keys: dict[str, str] = {}

    def path(self, slug: str) -> Path:
        return self.dir / f"{slug}.md"

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        if not self.dir.is_dir():
            return
        for path in sorted(self.dir.glob("*.md")):
            try:
                data, body = parse_front_matter(path.read_text(encoding="utf-8"), path.name)
            except (OSError, UnicodeDecodeError, ContentError):
                continue
            origin = data.get("origin") if isinstance(data.get("origin"), dict) else {}
            assert isinstance(origin, dict)
            feed, guid = origin.get("feed"), origin.get("guid")
            slug = path.stem
            if isinstance(feed, str) and isinstance(guid, str):
                self._origin.setdefault((feed, guid), slug)
            title = str(data.get("title") or "")
            url = data.get("url") if isinstance(data.get("url"), str) else None
            self._remember(slug, guid if isinstance(guid, str) and _global_guid(guid) else None,
                           link_key(url), fingerprint(title, body) if title else None)
            for src in data.get("sources") or []:
                if isinstance(src, dict) and isinstance(src.get("url"), str):
                    self._remember(slug, None, link_key(src["url"]), None)

    def _remember(self, slug: str, guid: str | None, link: str | None, print_: str | None) -> None:
        for prefix, value in (("g:", guid), ("l:", link), ("f:", print_)):
            if value:
                self._keys.setdefault(prefix + value, slug)

    def find(self, feed: str, guid: str, guid_key: str | None, link: str | None,
             print_: str | None) -> str | None:
        self._load()
        if (feed, guid) in self._origin:
            return self._origin[(feed, guid)]
        for prefix, value in (("g:", guid_key), ("l:", link), ("f:", print_)):
            if value and prefix + value in self._keys:
                return self._keys[prefix + value]
        return None

    def add(self, slug: str, feed: str, guid: str, guid_key: str | None, link: str | None,
            print_: str | None) -> None:
        self._load()
        self._origin.setdefault((feed, guid), slug)
        self._remember(slug, guid_key, link, print_)

    def is_origin(self, slug: str, feed: str, guid: str) -> bool:
        """Only the entry an article was made from may rewrite it (a mirror's update must not)."""
        try:
            data, _ = parse_front_matter(self.path(slug).read_text(encoding="utf-8"), slug)
        except (OSError, UnicodeDecodeError, ContentError):
            return False
        origin = data.get("origin")
        return isinstance(origin, dict) and origin.get("feed") == feed and origin.get("guid") == guid


# -- health ---------------------------------------------------------------------------------------


def feeds_health(config: Config) -> list[FeedHealth]:
    """Health rows for every configured feed, for ``digest feeds`` and the sources page."""
    with FeedState(state_path(config)) as state:
        return feed_health(state, config.feeds)


def health_table(rows: Sequence[FeedHealth]) -> list[str]:
    """``digest feeds`` as aligned text lines (the CLI prints them)."""
    header = ("feed", "status", "last success", "items", "new", "304", "errors", "last error")
    table = [header]
    for r in rows:
        table.append((
            r.name,
            "never fetched" if r.last_success is None and r.error_count == 0 else
            ("ok" if r.ok else "failing") + (f" {r.last_status}" if r.last_status else ""),
            r.last_success.strftime("%Y-%m-%d %H:%M") if r.last_success else "-",
            str(r.items), str(r.new_items),
            f"{r.not_modified_rate:.0%}" if r.not_modified_rate is not None else "-",
            str(r.error_count),
            shorten(r.last_error, 60) if r.last_error else "",
        ))
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in table]
    for r in rows:
        if r.permanent_redirect:
            lines.append(f"{r.name}: moved permanently to {r.permanent_redirect} (update config.yaml)")
    return lines
