"""Configured feeds → ``content/articles/<slug>.md``: fetch, parse, sanitize, extract, dedup, write.

Order of a run, and why it is safe to kill at any point:
1. fetch every feed concurrently (``sources.fetch``); each outcome is committed to the state with its
   body as *pending*, in the same transaction as its new validators;
1b. for ``full_text`` feeds with a pending body, fetch the entries' linked pages (``ingest.fulltext``) and
   store each page's article text with its validators, BEFORE any ingest transaction; the ingest reads
   only the stored text (killed here, the next run gets 304s and the same stored text);
2. for each feed with a pending body, in config order: parse it, and in ONE transaction write or merge
   its articles, record the entries seen and clear the pending body. Killed midway, the transaction
   rolls back and the body is ingested again next run; articles already written are found again by
   their ``origin`` / ``url`` (``existing.ExistingArticles``, read from the files on demand), so
   nothing doubles.

A story seen again — same GUID, same normalised link, or same normalised title and body, in this feed
or another — is merged into the first article, whose ``sources`` then lists every outlet. A changed
entry rewrites its article unless a human has edited the file (``frontmatter.is_machine_owned``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from generator.config import Config, FeedSource, format_size
from generator.errors import Location, Problem
from generator.extract import extract_markdown
from generator.frontmatter import dump_owned_article
from generator.ingest import IngestReport
from generator.ingest.entries import Prepared, content_hash, entry_size, prepare, select_entries
from generator.ingest.existing import ExistingArticles
from generator.ingest.fulltext import FeedEntries, fetch_full_texts, stored_text
from generator.ingest.keys import global_guid
from generator.model import Origin, Record, SourceRef, front_matter, reading_time
from generator.slug import free_slug, slugify
from generator.sources.feedparse import FeedEntry, ParsedFeed, parse_feed
from generator.sources.feedstate import FeedHealth, FeedState, Pending, feed_health
from generator.sources.fetch import FetchJob, FetchResult, Validators, fetch_all
from generator.topicmatch import TopicText, match_topics
from generator.write import write_file_atomic, write_new_file

log = logging.getLogger(__name__)

STATE_FILE = "state.sqlite"
FUTURE_SLACK = timedelta(days=1)  # a date further ahead than this is a feed's mistake


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
    """``digest fetch``: fetch every feed into the state (bodies kept as pending; the linked pages of
    ``full_text`` feeds read and stored) without writing articles; the next ``ingest_feeds`` — even an
    offline one — turns them into articles."""
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
        bodies = _parse_pending(state, [f for f in config.feeds if ingest or f.full_text])
        if not offline:
            full = [FeedEntries(f, select_entries(f, bodies[f.name][1].entries), bodies[f.name][0].url)
                    for f in config.feeds if f.full_text and f.name in bodies and not bodies[f.name][1].error]
            fetch_full_texts(config, state, full, now, report)
        if ingest:
            ingest_pending(config, state, now, report, bodies)
    return report


def _parse_pending(state: FeedState, feeds: Sequence[FeedSource]) -> dict[str, tuple[Pending, ParsedFeed]]:
    """feed name → its pending body and that body parsed, for each of ``feeds`` that has one."""
    out = {}
    for feed in feeds:
        pending = state.pending(feed.name)
        if pending is not None:
            out[feed.name] = pending, parse_feed(pending.body, base_url=pending.url,
                                                 content_type=pending.content_type)
    return out


def ingest_pending(config: Config, state: FeedState, now: datetime, report: IngestReport,
                   parsed_bodies: dict[str, tuple[Pending, ParsedFeed]] | None = None) -> None:
    """Turn every pending fetched body into articles (also what a killed run left behind);
    ``parsed_bodies``: those already parsed by this run."""
    index = ExistingArticles(config.articles_dir)
    bodies = _parse_pending(state, config.feeds) if parsed_bodies is None else parsed_bodies
    for feed in config.feeds:
        if feed.name not in bodies:
            continue
        pending, parsed = bodies[feed.name]
        if parsed.error:
            state.record_parse_error(feed.name, feed.url or feed.path or "", parsed.error, now)
            report.problems.append(feed_warning(feed.name, f"{feed.url or feed.path}: {parsed.error}",
                                                "its earlier articles stay published"))
            continue
        if parsed.warning:
            report.problems.append(feed_warning(feed.name, parsed.warning))
        _ingest_feed(config, state, now, feed, parsed, pending, index, report)


def _ingest_feed(config: Config, state: FeedState, now: datetime, feed: FeedSource, parsed: ParsedFeed,
                 pending: Pending, index: ExistingArticles, report: IngestReport) -> None:
    entries = select_entries(feed, parsed.entries)
    created = 0
    with state.transaction():
        for entry in entries:
            outcome = _ingest_entry(config, state, now, feed, entry, pending.url, index, report)
            created += outcome == "new"
        state.finish_ingest(feed.name, feed.url or feed.path or "", pending, items=len(parsed.entries),
                            new_items=created, now=now)


# -- one entry ------------------------------------------------------------------------------------


def _ingest_entry(config: Config, state: FeedState, now: datetime, feed: FeedSource, entry: FeedEntry,
                  base_url: str | None, index: ExistingArticles, report: IngestReport) -> str:
    """Create, update or merge one entry's article; return "new", "updated", "merged" or "seen"."""
    known = state.item(feed.name, entry.guid)
    page_text = stored_text(state, feed, entry, base_url)  # a `full_text` feed: its linked page's text
    if known is not None and known.content_hash == content_hash(entry, page_text):
        return "seen"
    if known is not None and not known.slug:
        known = None  # refused before (over the size limit): a changed entry is a new candidate
    size, limit = entry_size(entry), config.limits.feed_entry
    if size > limit:
        report.problems.append(feed_warning(
            feed.name, f"entry {entry.link or entry.guid!r} is {format_size(size)}, over the limit of "
            f"{format_size(limit)} (limits.feed_entry); it was left out",
            "raise `limits.feed_entry` in config.yaml to take it"))
        state.save_item(feed.name, entry.guid, slug="", link_key=None, fingerprint=None,
                        content_hash=content_hash(entry, page_text), now=now)  # reported once per version
        return "seen"
    p = prepare(entry, base_url, page_text)
    if known is not None:
        outcome = "seen"
        path = index.path(known.slug)
        if (path.exists() and index.is_feed_origin(known.slug, feed.name, entry.guid)
                and _rewrite(config, path, p, feed, now, report)):
            report.updated += 1
            outcome = "updated"
        state.save_item(feed.name, entry.guid, slug=known.slug, link_key=p.link_key, fingerprint=p.fingerprint,
                        content_hash=p.content_hash, now=now)
        return outcome
    guid_key = entry.guid if global_guid(entry.guid) else None
    slug = (state.find_duplicate(guid=guid_key, link_key=p.link_key, fingerprint=p.fingerprint)
            or index.find_story(feed.name, entry.guid, guid_key, p.link_key, p.fingerprint))
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


def _unique(*groups: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(x for g in groups for x in g if x))


# Keys an entry's article has never had: feeds state no section, contributor credits or lead photo, and
# a feed article is never a draft.
FEED_OMITS = ("section", "contributors", "image", "draft")


def article_data(config: Config, feed: FeedSource, p: Prepared, slug: str, now: datetime,
                 record: Record | None) -> dict[str, Any]:
    """The front matter of an entry's article (``origin.written`` still empty); ``record`` is what
    extraction found in it (None when extraction failed). An entry without a plausible date (none, or
    more than a day ahead) gets none: ``review: [date]`` holds it until a human sets one."""
    date: datetime | None = p.entry.published
    date_source: str | None = "feed"
    if date is None or date > now + FUTURE_SLACK:
        date = date_source = None
    review = (("date",) if date is None else ()) + p.review
    rule_topics = match_topics(config.topics, TopicText(p.title, p.body, p.summary))
    words = len(p.body.split())
    article = Record(
        title=p.title, slug=slug, date=date, review=review, date_source=date_source, source=feed.name, url=p.link,
        authors=tuple(p.entry.authors),
        topics=_unique(rule_topics, (record.topics or ()) if record else (), feed.topics),
        tags=tuple(p.entry.categories),
        people=record.people if record else (),
        organizations=record.organizations if record else (),
        places=record.places if record else (),
        quotes=record.quotes if record else (),
        summary=p.summary,
        word_count=record.word_count if record and record.word_count else words,
        reading_time=record.reading_time if record and record.reading_time else reading_time(words),
        origin=Origin(feed=feed.name, guid=p.entry.guid, written=""),
        sources=(SourceRef(feed.name, p.link),),
        body=p.body,
    )
    return front_matter(article, omit=FEED_OMITS)


def _create(config: Config, p: Prepared, feed: FeedSource, now: datetime, index: ExistingArticles,
            report: IngestReport) -> str:
    record = _extract(config, feed, p, report)
    base = slugify(p.title)
    while True:  # write_new_file refuses to clobber: a file that appeared meanwhile just takes the next slug
        slug = free_slug(base, index.taken)
        path = index.path(slug)
        data = article_data(config, feed, p, slug, now, record)
        if write_new_file(path, dump_owned_article(data, p.body)):
            break
    index.add_story(slug, feed.name, p.entry.guid, p.entry.guid if global_guid(p.entry.guid) else None,
                    p.link_key, p.fingerprint)
    report.written.append(_rel(config, path))
    if data.get("review"):
        report.held[_rel(config, path)] = tuple(data["review"])
    return slug


def _rewrite(config: Config, path: Path, p: Prepared, feed: FeedSource, now: datetime,
             report: IngestReport) -> bool:
    """An updated entry: regenerate the article, keeping its slug and sources, unless a human edited it."""
    owned = ExistingArticles.owned_front_matter(path, _rel(config, path))
    if owned is None:
        return False
    old, _ = owned
    record = _extract(config, feed, p, report)
    data = article_data(config, feed, p, path.stem, now, record)
    data["slug"] = old.get("slug", path.stem)
    if isinstance(old.get("sources"), list):
        data["sources"] = old["sources"]
    if data["date"] is None and old.get("date") is not None and old.get("date_source") == "feed":
        # the entry no longer states the date it stated before: keep that one
        data["date"], data["date_source"] = old["date"], "feed"
        rest = [r for r in data.pop("review", []) if r != "date"]
        if rest:
            data["review"] = rest
    if write_file_atomic(path, dump_owned_article(data, p.body)):
        report.written.append(_rel(config, path))
        return True
    return False


def _add_source(config: Config, path: Path, feed: FeedSource, p: Prepared, report: IngestReport) -> bool:
    """A duplicate: list this feed in the article's ``sources`` unless a human owns the file."""
    owned = ExistingArticles.owned_front_matter(path, _rel(config, path))
    if owned is None:
        return False
    data, body = owned
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


# -- health ---------------------------------------------------------------------------------------


def feeds_health(config: Config) -> list[FeedHealth]:
    """Health rows for every configured feed, for ``digest feeds`` and the sources page."""
    with FeedState(state_path(config)) as state:
        return feed_health(state, config.feeds)
