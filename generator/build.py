"""The stage order: (ingest) → read articles → index → plan → render changed outputs → write → prune.

Returns a ``BuildReport``; never prints. Parsing and rendering are cached (``cache.RenderCache``) so a
warm build re-does only what changed, and big renders are spread over worker processes.
"""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from generator.cache import RenderCache
from generator.config import Config
from generator.errors import ContentError, DigestError, Location, Problem, TemplateError
from generator.model import Article
from generator.render import (
    Job,
    SitePlanner,
    body_html,
    make_environment,
    render_job,
    static_files,
    template_fingerprints,
)
from generator.sources.articles import iter_article_paths, read_article
from generator.taxonomy import SiteIndex, build_index
from generator.write import (
    commit_staged,
    discard_staged,
    existing_outputs,
    remove_outputs,
    safe_output_path,
    stage_file,
)

PARALLEL_THRESHOLD = 400  # below this many outputs to render, forking costs more than it saves


@dataclass
class BuildReport:
    articles: int = 0
    topics: int = 0
    feeds: int = 0
    outputs: int = 0
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rendered: int = 0
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    failed: bool = False  # the render itself failed: nothing was written

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def exit_code(self, strict: bool = False) -> int:
        if self.failed or self.errors or (strict and self.warnings):
            return 1
        return 0


@dataclass
class BuildOptions:
    drafts: bool = False
    clean: bool = False
    workers: int | None = None  # None: os.cpu_count(), capped at 4


class Clock:
    def __init__(self) -> None:
        self.start = self.mark = time.perf_counter()
        self.timings: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = round(now - self.mark, 4)
        self.mark = now


def _stamp(path: Path) -> str | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return f"{st.st_mtime_ns}:{st.st_size}"


def load_articles(config: Config, cache: RenderCache, report: BuildReport) -> list[Article]:
    """Parse changed files; a broken file keeps its last good parse (and so its last good output)."""
    cached = cache.articles()
    fresh: dict[str, tuple[str, Article]] = {}
    articles: list[Article] = []
    seen: set[str] = set()
    tz = config.tz
    for path in iter_article_paths(config.articles_dir):
        display = path.relative_to(config.root).as_posix()
        seen.add(display)
        stamp = _stamp(path)
        hit = cached.get(display)
        if hit is not None and stamp is not None and hit[0] == stamp:
            articles.append(hit[1])
            continue
        try:
            article = read_article(path, display, tz)
        except ContentError as exc:
            report.problems.extend(exc.problems)
            if hit is not None:
                articles.append(hit[1])  # last good version
            continue
        articles.append(article)
        if stamp is not None:
            fresh[display] = (stamp, article)
    cache.store_articles(fresh, [p for p in cached if p not in seen])
    return articles


class BodyRenderer:
    """Markdown → HTML once per content hash, memoised in-process and in the cache."""

    def __init__(self, hotlink: bool, cache_path: Path | None = None) -> None:
        self.hotlink = hotlink
        self.cache_path = cache_path
        self.known: dict[str, str] = {}
        self.new: dict[str, str] = {}
        self._db: tuple[int, sqlite3.Connection] | None = None

    def _lookup(self, key: str) -> str | None:
        """Read one body from the cache, with a connection of this process's own (workers fork)."""
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

    def key(self, article: Article) -> str:
        return f"{article.content_hash}:{int(article.allow_html)}:{int(self.hotlink)}"

    def __call__(self, article: Article) -> str:
        key = self.key(article)
        html = self.known.get(key)
        if html is None:
            html = self._lookup(key)
            if html is not None:
                self.known[key] = html
                return html
            html = body_html(article, self.hotlink)
            self.known[key] = html
            self.new[key] = html
        return html


# Set before forking so workers inherit the plan instead of pickling closures.
_WORK: tuple[jinja2.Environment, Sequence[Job], Path, BodyRenderer] | None = None


def _render_slice(bounds: tuple[int, int]) -> tuple[list[tuple[str, str]], dict[str, str], list[Problem]]:
    assert _WORK is not None
    env, jobs, out, bodies = _WORK
    staged: list[tuple[str, str]] = []
    problems: list[Problem] = []
    for job in jobs[bounds[0]:bounds[1]]:
        try:
            data = render_job(env, job)
        except TemplateError as exc:
            problems.extend(exc.problems)
            break
        path = safe_output_path(out, job.path)
        tmp = stage_file(path, data)
        if tmp is not None:
            staged.append((tmp, job.path))
    return staged, bodies.new, problems


def _render(env: jinja2.Environment, jobs: Sequence[Job], out: Path, bodies: BodyRenderer,
            workers: int) -> tuple[list[tuple[str, str]], list[Problem]]:
    global _WORK
    _WORK = (env, jobs, out, bodies)
    try:
        if workers <= 1 or len(jobs) < PARALLEL_THRESHOLD or "fork" not in multiprocessing.get_all_start_methods():
            staged, _new, problems = _render_slice((0, len(jobs)))
            return staged, problems
        # Interleave small chunks so both workers get article pages and listings alike.
        chunk = max(50, len(jobs) // (workers * 8))
        bounds = [(i, min(i + chunk, len(jobs))) for i in range(0, len(jobs), chunk)]
        staged, problems = [], []
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(workers) as pool:
            for part, new, probs in pool.imap(_render_slice, bounds):
                staged.extend(part)
                bodies.new.update(new)
                problems.extend(probs)
        return staged, problems
    finally:
        _WORK = None


def build_site(config: Config, options: BuildOptions | None = None,
               progress: Callable[[str], None] | None = None) -> BuildReport:
    """Render ``config.root``'s content into ``site/``; see the module docstring for the stages."""
    options = options or BuildOptions()
    clock = Clock()
    report = BuildReport()
    cache_path = config.state_dir / "cache.sqlite"
    if options.clean and cache_path.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(str(cache_path) + suffix).unlink(missing_ok=True)
    cache = RenderCache(cache_path)
    try:
        articles = load_articles(config, cache, report)
        clock.lap("read")
        index = build_index(articles, config, drafts=options.drafts)
        report.articles = len(index.articles)
        report.topics = sum(1 for t in index.topics if index.topic_articles.get(t.slug))
        for name in index.undefined_topics:
            report.problems.append(Problem(Location("config.yaml"), f"topic {name!r} is used in front matter "
                                           "but not defined", "add it under `topics:`", severity="warning"))
        clock.lap("index")
        _render_index(config, index, options, cache, report, clock)
    finally:
        cache.close()
    report.seconds = round(time.perf_counter() - clock.start, 3)
    report.timings = clock.timings
    return report


def _render_index(config: Config, index: SiteIndex, options: BuildOptions, cache: RenderCache,
                  report: BuildReport, clock: Clock) -> None:
    out = config.output_dir
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise DigestError(Problem(Location(str(out)), "output path is not a directory",
                                  "remove it; digest keeps site/ a real directory"))
    env = make_environment(config)
    hotlink = config.images == "hotlink"
    bodies = BodyRenderer(hotlink, cache.path)
    planner = SitePlanner(config, index, bodies)
    jobs = list(planner.jobs())
    report.outputs = len(jobs)
    report.feeds = sum(1 for j in jobs if j.path.endswith(("feed.xml", "atom.xml")))
    clock.lap("plan")

    try:
        tfp = template_fingerprints(env, sorted({j.template for j in jobs}))
    except jinja2.TemplateError as exc:  # pragma: no cover - surfaced again by render_job
        raise TemplateError(str(exc)) from None
    gfp = planner.global_fingerprint
    previous = cache.fingerprints()
    existing = existing_outputs(out)
    fingerprints = {j.path: j.fingerprint(tfp[j.template], gfp) for j in jobs}
    todo = [j for j in jobs if previous.get(j.path) != fingerprints[j.path] or j.path not in existing]
    needed = {bodies.key(a) for a in index.articles}
    clock.lap("diff")

    workers = options.workers or min(4, os.cpu_count() or 1)
    staged_rel, problems = _render(env, todo, out, bodies, workers)
    staged = [(tmp, safe_output_path(out, rel)) for tmp, rel in staged_rel]
    report.rendered = len(todo)
    if problems:
        discard_staged(staged)
        report.problems.extend(problems)
        report.failed = True
        return
    clock.lap("render")

    static = static_files(config)
    for rel, src in static.items():
        tmp = stage_file(safe_output_path(out, rel), src.read_bytes())
        if tmp is not None:
            staged.append((tmp, safe_output_path(out, rel)))
            staged_rel.append((tmp, rel))
    commit_staged(staged)
    report.written = sorted(rel for _tmp, rel in staged_rel)
    keep = set(fingerprints) | set(static)
    report.removed = remove_outputs(out, existing - keep)
    clock.lap("write")

    cache.store_bodies(bodies.new)
    cache.store_fingerprints({j.path: fingerprints[j.path] for j in todo},
                             [p for p in previous if p not in fingerprints])
    if bodies.new:
        cache.prune_bodies(needed)
    clock.lap("cache")


class Builder:
    """A long-lived builder for ``digest serve``: the same result as ``build_site``, kept warm in memory.

    Call ``build()`` after every change; it returns the report of that rebuild.
    """

    def __init__(self, config: Config, options: BuildOptions | None = None) -> None:
        self.config = config
        self.options = options or BuildOptions()

    def build(self) -> BuildReport:
        report = build_site(self.config, self.options)
        self.options = BuildOptions(drafts=self.options.drafts, clean=False, workers=self.options.workers)
        return report
