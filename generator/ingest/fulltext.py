"""Full text for summary-only feeds (``full_text: true``): each entry's linked page, fetched and read.

A page is fetched like a feed (``sources.fetch``: one total deadline, at most 5 redirects, http(s) only,
digest's User-Agent, conditional GET) and capped like an inbox file (``limits.raw_file``, decompressed
bytes included). Its bytes are untrusted: they only ever reach an article through HTML extraction
(``extract.extract_html``), which yields plain paragraphs, escaped as Markdown like an inbox file's text.

Where this sits in the kill-safe order of ``ingest.feeds``: pages are fetched after the feeds and BEFORE
the ingest transaction of any feed. Each page's text is stored in the feed state (``pages``) with the
validators it came with, in one statement, as it arrives; the ingest then reads the stored text
(``stored_text``: no network, so an offline build after ``digest fetch`` has it too). Killed in between,
the next run asks again with those validators, gets a 304 and takes the stored text; the articles are
written only by the feed's ingest transaction, so nothing doubles and nothing is half-written.

Which pages: the entries the feed's ingest will look at (``include``/``exclude``/``limit``, within
``limits.feed_entry``), at most ``feed.limit`` (else ``MAX_PAGES``) per feed and run, pages never read
before first. A page read before is asked for again with its validators whenever its feed changes, so a
corrected article is picked up, and an unchanged one costs a 304 (or, from a server that ignores
validators, the same bytes: no extraction either). A page that cannot be fetched or read is a warning
naming the feed and the entry's link; the entry keeps its own summary (or the text read from its page
before). Never a failed build.
"""

from __future__ import annotations

import codecs
import hashlib
import logging
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import datetime

from generator.config import Config, FeedSource
from generator.errors import ContentError, Location, Problem
from generator.extract import extract_html
from generator.extract.decode import decode_bytes
from generator.ingest import IngestReport
from generator.ingest.entries import entry_link, entry_size
from generator.ingest.flags import MIN_WORDS
from generator.ingest.inbox import escape_markdown_text
from generator.links import link_scheme
from generator.sources.feedparse import FeedEntry
from generator.sources.feedstate import FeedState, PageRow
from generator.sources.fetch import MAX_DECODED_BYTES, FetchResult, Validators, fetch_url
from generator.sources.sanitize import html_to_text

log = logging.getLogger(__name__)

MAX_PAGES = 50  # page fetches per feed and run when the feed sets no `limit`
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
HTML_TYPES = ("text/html", "application/xhtml+xml")
SUMMARY_KEPT = "the entry's summary is kept"
EARLIER_KEPT = "the text read from its page before is kept"
_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)


@dataclass(frozen=True)
class PageJob:
    """One entry's page to fetch: ``known`` is the text stored for this very URL, if any."""

    order: int  # warnings come out in config and feed order, whatever order the pages arrive in
    feed: str
    guid: str
    url: str
    summary_words: int
    known: PageRow | None


@dataclass(frozen=True)
class FeedEntries:
    """A feed whose fetched body is about to be ingested: the entries its ingest will look at."""

    feed: FeedSource
    entries: Sequence[FeedEntry]
    base_url: str | None


def stored_text(state: FeedState, feed: FeedSource, entry: FeedEntry, base_url: str | None) -> str | None:
    """The article text stored for ``entry``'s linked page (Markdown), if its feed takes full text and the
    text was read from the link the entry has now."""
    if not feed.full_text:
        return None
    link = entry_link(entry, base_url)
    row = state.page(feed.name, entry.guid) if link else None
    return row.body if row is not None and row.url == link else None


def fetch_full_texts(config: Config, state: FeedState, feeds: Sequence[FeedEntries], now: datetime,
                     report: IngestReport) -> None:
    """Fetch and read the linked pages of every ``full_text`` feed in ``feeds``, at most
    ``fetch.concurrency`` at a time, and store each page's text in ``state``."""
    jobs: list[PageJob] = []
    problems: dict[int, Problem] = {}
    for group in feeds:
        if group.feed.full_text:
            jobs += _jobs(config, state, group, len(jobs) + len(problems), problems)
    if not jobs:
        report.problems += [problems[i] for i in sorted(problems)]
        return
    cap = min(MAX_DECODED_BYTES, config.limits.raw_file)
    with ThreadPoolExecutor(max_workers=max(1, min(config.fetch_concurrency, len(jobs))),
                            thread_name_prefix="digest-page") as pool:
        futures = {
            pool.submit(fetch_url, job.feed, job.url, job.known.validators if job.known else Validators(),
                        timeout=config.fetch_timeout, max_raw=cap, max_decoded=cap, accept=PAGE_ACCEPT): job
            for job in jobs
        }
        # Read each page in this thread as it arrives (extraction overlaps the other downloads); only this
        # thread touches the state.
        for future in as_completed(futures):
            job = futures[future]
            result = future.result()
            problem = _take(config, state, job, result, now)
            report.pages_fetched += result.error is None
            report.pages_not_modified += result.not_modified
            if problem is not None:
                problems[job.order] = problem
    report.problems += [problems[i] for i in sorted(problems)]


def _warning(feed: str, link: str, what: str, kept: str = SUMMARY_KEPT) -> Problem:
    return Problem(Location(f"feed {feed}"), f"{link}: {what}", kept, severity="warning")


def _jobs(config: Config, state: FeedState, group: FeedEntries, order: int,
          problems: dict[int, Problem]) -> list[PageJob]:
    """The pages of one feed to ask for, pages never read before first, within the per-run cap."""
    feed = group.feed
    fresh: list[PageJob] = []
    again: list[PageJob] = []
    for entry in group.entries:
        if entry_size(entry) > config.limits.feed_entry:
            continue  # left out by the ingest anyway (it says so)
        link = entry_link(entry, group.base_url)
        if link is None:
            if entry.link and link_scheme(entry.link):
                problems[order] = _warning(feed.name, repr(entry.link), "not an http(s) link, so not fetched")
                order += 1
            continue
        row = state.page(feed.name, entry.guid)
        known = row if row is not None and row.url == link else None
        words = len(html_to_text(entry.summary_html or entry.content_html).split())
        (again if known else fresh).append(PageJob(0, feed.name, entry.guid, link, words, known))
    cap = feed.limit or MAX_PAGES
    chosen = (fresh + again)[:cap]
    left = len(fresh) - len(chosen) if len(fresh) > cap else 0
    jobs = [PageJob(order + i, j.feed, j.guid, j.url, j.summary_words, j.known) for i, j in enumerate(chosen)]
    if left:
        problems[order + len(jobs)] = Problem(
            Location(f"feed {feed.name}"), f"{left} entries' pages not fetched in this run (at most {cap} page "
            "fetches per feed and run)", "their summaries are kept until a later run fetches them; set the "
            "feed's `limit` to choose how many entries it takes", severity="warning")
    return jobs


def _take(config: Config, state: FeedState, job: PageJob, result: FetchResult, now: datetime) -> Problem | None:
    """Store what one page fetch brought; the warning when it brought nothing usable."""
    kept = EARLIER_KEPT if job.known else SUMMARY_KEPT
    if result.error:
        what = result.error
        if what.startswith("too large") and config.limits.raw_file <= MAX_DECODED_BYTES:
            what = re.sub(r" \(limit (\d+)\)$", r" (limit \1, limits.raw_file)", what)
            what += "" if what.endswith(")") else " (limits.raw_file)"
        return _warning(job.feed, job.url, what, kept)
    if result.not_modified:
        if job.known is None:  # we sent no validators: a server answering 304 anyway gives nothing to read
            return _warning(job.feed, job.url, "HTTP 304 to a request without validators")
        if result.validators != job.known.validators:
            state.save_page(job.feed, job.guid, PageRow(job.url, result.validators, job.known.raw_sha256,
                                                        job.known.body), now)
        return None
    data = result.body or b""
    sha = hashlib.sha256(data).hexdigest()
    if job.known is not None and job.known.raw_sha256 == sha:  # same bytes: as good as a 304
        state.save_page(job.feed, job.guid, PageRow(job.url, result.validators, sha, job.known.body), now)
        return None
    media = (result.content_type or "").split(";")[0].strip().lower()
    if media and media not in HTML_TYPES:
        return _warning(job.feed, job.url, f"not an HTML page ({media})", kept)
    try:
        body = read_page(config, data, result.content_type, result.final_url or job.url, job.summary_words)
    except ContentError as exc:
        return _warning(job.feed, job.url, exc.problems[0].message if exc.problems else str(exc), kept)
    except Exception as exc:  # one odd page must not stop the others; say so and keep going
        log.exception("extraction failed for %s", job.url)
        return _warning(job.feed, job.url, f"extraction failed: {type(exc).__name__}: {exc}", kept)
    state.save_page(job.feed, job.guid, PageRow(job.url, result.validators, sha, body), now)
    return None


def read_page(config: Config, data: bytes, content_type: str | None, url: str, summary_words: int) -> str:
    """A fetched page's article text as Markdown; ``ContentError`` when it has none worth more than the
    entry's own summary, or more than ``limits.article_body`` allows."""
    text = decode_page(data, content_type, url)
    record = extract_html(text, (), base_url=url)
    words = len(record.body.split())
    if not words:
        raise ContentError(Problem(Location(url), "no article text found in the page"))
    if words < MIN_WORDS:
        raise ContentError(Problem(Location(url), f"the page gives only {words} words of article text (a teaser "
                                   "or a paywall?)"))
    if words <= summary_words:
        raise ContentError(Problem(Location(url), f"the page gives {words} words of article text, no more than "
                                   "the entry's own summary"))
    limit = config.limits.article_body
    if len(record.body) > limit:
        raise ContentError(Problem(Location(url), f"the page's article text is {len(record.body):,} characters, "
                                   f"over the limit of {limit:,} (limits.article_body)"))
    return escape_markdown_text(record.body)


def decode_page(data: bytes, content_type: str | None, name: str) -> str:
    """The page's text in the charset its header (or else its ``<meta>``) declares; otherwise UTF-8 or
    Windows-1252, as for a saved page (binary and empty pages are a ``ContentError``)."""
    declared = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type or "", re.I)
    match = declared.group(1) if declared else None
    if match is None and (meta := _CHARSET.search(data[:4096])):
        match = meta.group(1).decode("ascii")
    if match:
        try:
            codec = codecs.lookup(match).name
        except LookupError:
            codec = ""
        if codec in ("latin-1", "iso8859-1", "ascii"):
            codec = "cp1252"  # what browsers read for these labels (WHATWG Encoding)
        if codec and codec not in ("utf-8", "utf-16", "utf-16-le", "utf-16-be"):  # those: BOM rules below
            try:
                return decode_bytes(data.decode(codec).encode("utf-8"), name)
            except UnicodeDecodeError:
                pass
    return decode_bytes(data, name)
