"""Parsing and rendering spread over forked worker processes, and the Markdown body cache.

The machine has 2 cores (more if present, capped at 4). Workers are forked, so they inherit the parsed
site and the render plan instead of pickling closures; ``gc.freeze`` keeps their garbage collector from
touching (and so copying) the parent's pages. Small jobs run in-process: forking costs more than it saves.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import multiprocessing.pool
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

import jinja2

from generator.cache import decode_article, encode_article
from generator.errors import ContentError, Problem, TemplateError
from generator.model import Article
from generator.plan import Job
from generator.render import body_html, render_job
from generator.sources.articles import read_article
from generator.write import safe_output_path, stage_file, write_fresh_file

PARALLEL_PARSE = 300  # files to parse before forking pays off
PARALLEL_RENDER = 400  # outputs to render before forking pays off

Progress = Callable[[str, int, int], None]


def _stamp(path: Path) -> str | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return f"{st.st_mtime_ns}:{st.st_size}"


def body_key(article: Article, hotlink: bool) -> str:
    return f"{article.content_hash}:{int(article.allow_html)}:{int(hotlink)}"


class BodyRenderer:
    """Markdown → HTML once per content hash: memoised in memory, then the cache, then rendered."""

    def __init__(self, hotlink: bool, known: dict[str, str], cache_path: Path | None = None) -> None:
        self.hotlink = hotlink
        self.cache_path = cache_path
        self.known = known
        self.new: dict[str, str] = {}
        self._db: tuple[int, sqlite3.Connection] | None = None

    def key(self, article: Article) -> str:
        return body_key(article, self.hotlink)

    def _lookup(self, key: str) -> str | None:
        """One body from the cache, through a connection of this process's own (workers fork)."""
        if self.cache_path is None or not self.cache_path.exists():
            return None
        if self._db is None or self._db[0] != os.getpid():
            try:
                self._db = (os.getpid(), sqlite3.connect(f"file:{self.cache_path}?mode=ro", uri=True))
            except sqlite3.Error:
                self.cache_path = None
                return None
        try:
            row = self._db[1].execute("SELECT html FROM bodies WHERE key=?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        return str(row[0]) if row else None

    def __call__(self, article: Article) -> str:
        key = self.key(article)
        html = self.known.get(key)
        if html is None:
            html = self._lookup(key)
            if html is None:
                html = body_html(article, self.hotlink)
                self.new[key] = html
            self.known[key] = html
        return html


# State is set before forking so workers inherit it instead of pickling closures.

_PARSE: tuple[Path, ZoneInfo, bool] | None = None
_RENDER: tuple[jinja2.Environment, Sequence[Job], Path, BodyRenderer, bool] | None = None

class Parsed(NamedTuple):
    """One article file after parsing: ``article`` is None (and ``problems`` say why) when it is broken."""

    display: str
    stamp: str | None
    article: Article | None
    html: str | None
    problems: list[Problem]
    blob: bytes | None  # the article as the cache stores it (cache.encode_article)


_Wire = tuple[str, str | None, bytes | None, str | None, list[Problem]]


def _parse_slice(paths: Sequence[Path]) -> list[_Wire]:
    """Parse files, render their bodies and encode the records for the cache: the costly steps of a cold
    build, done together in the worker. The encoded record is also what travels back to the parent."""
    assert _PARSE is not None
    root, tz, hotlink = _PARSE
    results: list[_Wire] = []
    for path in paths:
        display = path.relative_to(root).as_posix()
        stamp = _stamp(path)
        try:
            article = read_article(path, display, tz)
        except ContentError as exc:
            results.append((display, stamp, None, None, exc.problems))
            continue
        results.append((display, stamp, encode_article(article), body_html(article, hotlink), []))
    return results


def _unwire(wire: _Wire) -> Parsed:
    display, stamp, blob, html, problems = wire
    return Parsed(display, stamp, decode_article(blob) if blob is not None else None, html, problems, blob)


def _render_slice(bounds: tuple[int, int]) -> tuple[list[tuple[str | None, str]], dict[str, str], list[Problem]]:
    assert _RENDER is not None
    env, jobs, out, bodies, direct = _RENDER
    bodies.new = {}  # report only this slice's bodies, or the dict grows with every slice
    written: list[tuple[str | None, str]] = []
    problems: list[Problem] = []
    for job in jobs[bounds[0]:bounds[1]]:
        try:
            data = render_job(env, job)
        except TemplateError as exc:
            problems.extend(exc.problems)
            break
        path = safe_output_path(out, job.path)
        if direct:  # a fresh staging directory that nobody reads yet (its folders exist): no temp files
            write_fresh_file(path, data)
            written.append((None, job.path))
        else:
            tmp = stage_file(path, data)
            if tmp is not None:
                written.append((tmp, job.path))
    return written, bodies.new, problems


def _weight(job: Job) -> int:
    """Rough cost order for scheduling: 0 feeds and other XML, 1 listings, 2 article pages."""
    if not job.path.endswith(".html"):
        return 0
    return 2 if job.path.startswith("articles/") else 1


@contextlib.contextmanager
def _fork_pool(workers: int) -> Iterator[multiprocessing.pool.Pool]:
    """A pool of forked workers that inherit the parent's state.

    ``gc.freeze`` first: otherwise the workers' garbage collector touches every inherited object,
    copying the parent's pages one by one (time and memory for nothing).
    """
    gc.collect()
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(workers, initializer=gc.enable) as pool:
            yield pool
    finally:
        gc.unfreeze()


def pool_size(requested: int | None) -> int:
    return requested or min(4, os.cpu_count() or 1)


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _chunks(n: int, workers: int, minimum: int) -> list[tuple[int, int]]:
    """Many small chunks: the last one a worker takes is what the other may wait for at the end."""
    size = max(minimum, n // (workers * 32) or 1)
    return [(i, min(i + size, n)) for i in range(0, n, size)]


def parse_files(paths: list[Path], root: Path, tz: ZoneInfo, *, hotlink: bool, workers: int,
                progress: Progress | None = None,
                arrived: Callable[[Parsed], None] | None = None) -> list[Parsed]:
    """Read, validate and render the bodies of ``paths``; results in the order of ``paths``.

    ``arrived`` sees each result in the parent as soon as it is back, while the workers go on parsing
    (a cold build creates the article folders then: the parent is idle otherwise).
    """
    global _PARSE
    _PARSE = (root, tz, hotlink)
    results: list[Parsed] = []

    def take(part: list[_Wire]) -> None:
        for wire in part:
            parsed = _unwire(wire)
            results.append(parsed)
            if arrived is not None:
                arrived(parsed)

    try:
        if len(paths) < PARALLEL_PARSE or workers <= 1 or not _can_fork():
            take(_parse_slice(paths))
            return results
        bounds = _chunks(len(paths), workers, 25)
        with _fork_pool(workers) as pool:
            for part in pool.imap(_parse_slice, [paths[a:b] for a, b in bounds]):
                take(part)
                if progress:
                    progress("reading", len(results), len(paths))
        return results
    finally:
        _PARSE = None


def render_jobs(env: jinja2.Environment, jobs: Sequence[Job], out: Path, bodies: BodyRenderer, *, direct: bool,
                workers: int, progress: Progress | None = None,
                meanwhile: Callable[[], None] | None = None) -> tuple[list[tuple[str | None, str]], list[Problem]]:
    """Render ``jobs`` into ``out`` (staged temp files, or plain files when ``direct``); ``meanwhile`` runs
    in the parent while the workers render (after the fork, so a thread is safe)."""
    global _RENDER
    parallel = workers > 1 and len(jobs) >= PARALLEL_RENDER and _can_fork()
    if parallel:
        # The costliest jobs (feeds, the sitemap, then listings) go first, so that what is left for
        # the end are article pages, small enough for both workers to finish together.
        jobs = sorted(jobs, key=_weight)
    _RENDER = (env, jobs, out, bodies, direct)
    try:
        if not parallel:
            if meanwhile:
                meanwhile()
            written, _new, problems = _render_slice((0, len(jobs)))
            return written, problems
        written, problems = [], []
        bounds = _chunks(len(jobs), workers, 40)
        with _fork_pool(workers) as pool:
            helper = threading.Thread(target=meanwhile, name="digest-meanwhile") if meanwhile else None
            if helper:
                helper.start()
            done = 0
            for (start, end), (part, new, probs) in zip(bounds, pool.imap(_render_slice, bounds), strict=True):
                done += end - start
                if progress:
                    progress("rendering", done, len(jobs))
                written.extend(part)
                bodies.new.update(new)
                bodies.known.update(new)
                problems.extend(probs)
            if helper:
                helper.join()
        return written, problems
    finally:
        _RENDER = None
