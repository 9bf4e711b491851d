"""The stage order: read articles → index → plan → render changed outputs → write → prune.

Returns a ``BuildReport``; never prints. A ``Builder`` keeps parsed articles, rendered bodies and
output fingerprints between builds (``digest serve``); ``build_site`` is a one-shot Builder. Both use
the render cache under ``.digest/`` so a new process re-does only what changed. Big parses and renders
are spread over forked worker processes (the machine has 2 cores; more if present, capped at 4).
"""

from __future__ import annotations

import contextlib
import gc
import os
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from generator.cache import RenderCache
from generator.config import Config
from generator.errors import DigestError, Location, Problem
from generator.model import Article
from generator.plan import ArticleView, Job, SitePlanner, TopicLink
from generator.render import (
    make_environment,
    static_files,
    template_fingerprints,
    templates_stamp,
)
from generator.sources.articles import is_article_name, scan_articles
from generator.sources.feedstate import FeedState, feed_health
from generator.taxonomy import SiteIndex, build_index, replace_articles, structure_key
from generator.workers import BodyRenderer, Parsed, body_key, parse_files, pool_size, render_jobs
from generator.write import (
    FolderMaker,
    commit_staged,
    copy_fresh_file,
    discard_staged,
    existing_outputs,
    make_folders,
    new_staging_dir,
    remove_outputs,
    remove_tree,
    safe_output_path,
    stage_file,
    swap_in,
    sweep_staging,
)


@dataclass
class BuildReport:
    articles: int = 0
    topics: int = 0
    feeds: int = 0
    outputs: int = 0
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rendered: int = 0
    parsed: int = 0
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


@contextlib.contextmanager
def _build_lock(state_dir: Path) -> Iterator[None]:
    """One build at a time per project (``digest serve`` and a manual ``digest build`` may race)."""
    state_dir.mkdir(parents=True, exist_ok=True)
    with open(state_dir / "build.lock", "a+b") as handle:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX: no lock
            yield
            return
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


# ---------------------------------------------------------------- the builder

class Builder:
    """Builds a project again and again, keeping what it learnt in memory (and in ``.digest/``)."""

    def __init__(self, config: Config, options: BuildOptions | None = None,
                 progress: Callable[[str, int, int], None] | None = None) -> None:
        """``progress(stage, done, total)`` is called as long stages advance (the CLI draws a bar)."""
        self.config = config
        self.options = options or BuildOptions()
        self.progress = progress
        self.articles: dict[str, tuple[str, Article]] | None = None
        self.bodies: dict[str, str] = {}
        self.fingerprints: dict[str, str] | None = None
        self.existing: set[str] | None = None
        self._templates: tuple[object, dict[str, str]] | None = None
        self._env: tuple[object, jinja2.Environment] | None = None
        self._bodies: BodyRenderer | None = None
        self._fp_memo: dict[str, tuple[int, str]] = {}
        self._unsaved: tuple[RenderCache, dict[str, tuple[str, bytes]], list[str]] | None = None
        self._views: dict[str, tuple[Article, tuple[TopicLink, ...], ArticleView, str]] = {}
        self._premade: set[str] = set()  # article folders a cold build made while parsing
        # Last build's index, and this build's swaps of articles whose place in it cannot have moved
        # (None: rebuild the index). See taxonomy.replace_articles.
        self._index: tuple[bool, SiteIndex] | None = None
        self._swaps: dict[int, Article] | None = None

    def build(self, changed: Collection[Path] | None = None) -> BuildReport:
        """Build once. The cyclic garbage collector is paused meanwhile: a build allocates many objects
        that live until it ends, and full collections over the kept articles cost more than they free."""
        paused = gc.isenabled()
        gc.disable()
        try:
            with _build_lock(self.config.state_dir):
                sweep_staging(self.config.output_dir)
                return self._build(changed)
        finally:
            if paused:
                gc.enable()

    def _build(self, changed: Collection[Path] | None) -> BuildReport:
        clock = Clock()
        report = BuildReport()
        config, options = self.config, self.options
        cache_path = config.state_dir / "cache.sqlite"
        if options.clean:
            for suffix in ("", "-wal", "-shm"):
                Path(str(cache_path) + suffix).unlink(missing_ok=True)
            self.articles, self.fingerprints, self.existing, self.bodies = None, None, None, {}
            self._bodies, self._views, self._index = None, {}, None
        out = config.output_dir
        if out.is_symlink() or (out.exists() and not out.is_dir()):
            raise DigestError(Problem(Location(str(out)), "output path is not a real directory",
                                      "remove it; digest keeps site/ a real directory"))
        # A cold build renders into a staging folder that is swapped in at the end.
        staging = new_staging_dir(out) if not out.exists() else None
        cache = RenderCache(cache_path)
        try:
            articles = self._read(cache, report, changed, staging)
            clock.lap("read")
            self._render(articles, cache, report, clock, staging)
        finally:
            self._save_articles()
            cache.close()
            if staging is not None and staging.exists():
                remove_tree(staging)
        self.options = BuildOptions(drafts=options.drafts, clean=False, workers=options.workers)
        report.seconds = round(time.perf_counter() - clock.start, 3)
        report.timings = clock.timings
        return report

    # -- reading
    def _read(self, cache: RenderCache, report: BuildReport, changed: Collection[Path] | None,
              staging: Path | None) -> list[Article]:
        """Parse changed files only; a broken file keeps its last good parse (and so its output).

        ``changed`` (from the watcher) lists the paths that changed since the last build: then only
        those are looked at; without it every file is stat-ed. In a cold build (``staging``) each
        article's folder is made as its parse comes back, while the workers go on parsing: ten
        thousand folders in one directory cost seconds on ext4, and one process must make them (two
        processes making siblings contend for the directory's lock).
        """
        config = self.config
        known = self.articles if self.articles is not None else cache.articles()
        hotlink = config.images == "hotlink"
        current: dict[str, tuple[str, Article]] = {}
        misses: list[Path] = []
        prefix = config.articles_dir.relative_to(config.root).as_posix() + "/"
        names = self._changed_names(changed)
        if names is not None:
            current = dict(known)
            listing = []
            for name in names:
                path = config.articles_dir / name
                try:
                    st = path.stat()
                except OSError:
                    current.pop(prefix + name, None)  # deleted, or renamed away
                    continue
                listing.append((name, f"{st.st_mtime_ns}:{st.st_size}"))
        else:
            listing = scan_articles(config.articles_dir)
        for name, file_stamp in listing:
            display = prefix + name
            hit = known.get(display)
            if hit is not None and hit[0] == file_stamp:
                current[display] = hit
            else:
                misses.append(config.articles_dir / name)
        arrived = None
        premade = self._premade = set()
        maker = None
        if staging is not None:
            articles_dir = staging / "articles"
            articles_dir.mkdir()
            maker = FolderMaker(articles_dir)
            drafts = self.options.drafts

            def arrived(parsed: Parsed) -> None:
                article = parsed.article
                if article is not None and (drafts or not article.draft) and article.slug not in premade:
                    premade.add(article.slug)
                    maker.add(article.slug)

        try:
            results = self._parse(misses, arrived)
        finally:
            if maker is not None:
                maker.close()
        fresh: dict[str, tuple[str, bytes]] = {}
        swaps: dict[int, Article] | None = {}
        for display, stamp, article, html, problems, blob in results:
            if article is None or blob is None:
                report.problems.extend(problems)
                if display in known:
                    current[display] = known[display]  # last good version
                continue
            old = known.get(display)
            if swaps is not None:
                if old is None or structure_key(old[1], config) != structure_key(article, config):
                    swaps = None
                else:
                    swaps[id(old[1])] = article
            current[display] = (stamp or "", article)
            if stamp is not None:
                fresh[display] = (stamp, blob)
            if html is not None:
                self.bodies[body_key(article, hotlink)] = html
        report.parsed = len(misses)
        same_files = len(current) == len(known) and all(display in known for display in current)
        self._swaps = swaps if same_files else None
        # Stored later, while the render workers run (see _render_jobs): it is 60 MB at 10k articles.
        self._unsaved = (cache, fresh, [p for p in known if p not in current])
        self.articles = current
        return [a for _stamp, a in current.values()]

    def _save_articles(self) -> None:
        """Write the parsed articles to the cache, once per build (now, or from a background thread)."""
        unsaved, self._unsaved = self._unsaved, None
        if unsaved is not None:
            cache, fresh, gone = unsaved
            cache.store_articles(fresh, gone)

    def _changed_names(self, changed: Collection[Path] | None) -> list[str] | None:
        """Article file names among ``changed``, or None when a full scan is needed."""
        if changed is None or self.articles is None:
            return None
        folder = self.config.articles_dir.resolve()
        names = []
        for path in changed:
            resolved = path.resolve()
            if resolved.parent != folder:
                if folder.is_relative_to(resolved) or resolved.is_relative_to(folder):
                    return None  # a folder itself moved or was replaced: look at everything
                continue
            if is_article_name(resolved.name):
                names.append(resolved.name)
        return sorted(set(names))

    def _parse(self, paths: list[Path], arrived: Callable[[Parsed], None] | None) -> list[Parsed]:
        return parse_files(paths, self.config.root, self.config.tz, hotlink=self.config.images == "hotlink",
                           workers=pool_size(self.options.workers), progress=self.progress, arrived=arrived)

    # -- rendering and writing
    def _render(self, articles: list[Article], cache: RenderCache, report: BuildReport, clock: Clock,
                staging: Path | None) -> None:
        config, options = self.config, self.options
        out = config.output_dir
        index = None
        if self._index is not None and self._swaps is not None and self._index[0] == options.drafts:
            index = replace_articles(self._index[1], self._swaps)
        if index is None:
            index = build_index(articles, config, drafts=options.drafts)
        self._index = (options.drafts, index)
        report.articles = len(index.articles)
        report.topics = sum(1 for t in index.topics if index.topic_articles.get(t.slug))
        for name in index.undefined_topics:
            report.problems.append(Problem(Location("config.yaml"), f"topic {name!r} is used in front matter "
                                           "but not defined", "add it under `topics:`", severity="warning"))
        tstamp = templates_stamp(config)
        if self._env is None or self._env[0] != tstamp:
            self._env = (tstamp, make_environment(config))
            self._templates = None
        env = self._env[1]
        env.fragment_cache.clear()  # type: ignore[attr-defined]  # fragments live for one build
        if self._bodies is None:
            self._bodies = BodyRenderer(config.images == "hotlink", self.bodies, cache.path)
        bodies = self._bodies
        bodies.new = {}
        planner = SitePlanner(config, index, bodies, self._views)
        jobs = list(planner.jobs())
        if config.feeds:
            with FeedState(config.state_dir / "state.sqlite") as state:
                jobs.append(planner.index_job("sources/", "sources.html", "sources", feed_health(state, config.feeds)))
        report.outputs = len(jobs)
        # The site's and the topics' feeds, as DESIGN.md's summary line counts them (tag feeds come on top).
        report.feeds = sum(1 for j in jobs if j.path.endswith(("feed.xml", "atom.xml"))
                           and not j.path.startswith("tags/"))
        clock.lap("plan")

        names = sorted({j.template for j in jobs})
        stamp = (tstamp, tuple(names))
        if self._templates is not None and self._templates[0] == stamp:
            tfp = self._templates[1]
        else:
            tfp = template_fingerprints(env, names)
            self._templates = (stamp, tfp)
        gfp = planner.global_fingerprint
        fingerprints = self._fingerprints(jobs, tfp, gfp)
        fresh = staging is not None
        if fresh:
            previous: dict[str, str] = {}
            existing: set[str] = set()
            todo = jobs
        else:
            previous = self.fingerprints if self.fingerprints is not None else cache.fingerprints()
            existing = self.existing if self.existing is not None else existing_outputs(out)
            todo = [j for j in jobs if previous.get(j.path) != fingerprints[j.path] or j.path not in existing]
        clock.lap("diff")

        target = staging if staging is not None else out
        if fresh:
            # Article folders not made while parsing (their parse came from the cache) are made here,
            # in one process; the render workers make the listings' folders as they need them.
            make_folders(target, [j.path for j in todo if j.path.startswith("articles/")
                                  and j.path.split("/")[1] not in self._premade])
        else:
            make_folders(target, [j.path for j in todo])
        written, problems = self._render_jobs(env, todo, target, bodies, direct=fresh)
        report.rendered = len(todo)
        static = static_files(config)
        staged: list[tuple[str, Path]] = []
        if not problems:
            for rel, src in static.items():
                dest = safe_output_path(target, rel)
                if fresh:
                    copy_fresh_file(src, dest)
                    written.append((None, rel))
                else:
                    tmp = stage_file(dest, src.read_bytes())
                    if tmp is not None:
                        written.append((tmp, rel))
        staged = [(tmp, safe_output_path(target, rel)) for tmp, rel in written if tmp is not None]
        if fresh:  # folders made while parsing for an article that got no page (clash with an unread file)
            used = {j.path.split("/")[1] for j in jobs if j.path.startswith("articles/")}
            for slug in self._premade - used:
                with contextlib.suppress(OSError):
                    os.rmdir(target / "articles" / slug)
        if problems:
            discard_staged(staged)
            report.problems.extend(problems)
            report.failed = True
            return
        clock.lap("render")
        if fresh:
            swap_in(target, out)
        else:
            commit_staged(staged)
        report.written = sorted(rel for _tmp, rel in written)
        keep = set(fingerprints) | set(static)
        report.removed = remove_outputs(out, existing - keep)
        self.existing = keep
        clock.lap("write")

        self.fingerprints = fingerprints
        cache.store_fingerprints({j.path: fingerprints[j.path] for j in todo},
                                 [p for p in previous if p not in fingerprints])
        feed_bodies = {bodies.key(e) for e in planner.feed_articles()}
        cache.store_bodies({k: v for k, v in bodies.new.items() if k in feed_bodies}
                           | {k: self.bodies[k] for k in feed_bodies if k in self.bodies and fresh})
        if fresh or len(todo) > 100:
            cache.prune_bodies(feed_bodies)
        clock.lap("cache")

    def _fingerprints(self, jobs: Sequence[Job], tfp: dict[str, str], gfp: str) -> dict[str, str]:
        """Persistent fingerprints (blake2b) of every job, reusing last build's where inputs are unchanged.

        Python's tuple hash is cheap here (each string caches its own hash) but differs between
        processes, so it only decides whether the stored digest can be reused within this Builder.
        """
        memo = self._fp_memo
        result: dict[str, str] = {}
        new_memo: dict[str, tuple[int, str]] = {}
        for job in jobs:
            quick = hash((job.template, tfp[job.template], gfp, *job.inputs))
            hit = memo.get(job.path)
            digest = hit[1] if hit is not None and hit[0] == quick else job.fingerprint(tfp[job.template], gfp)
            result[job.path] = digest
            new_memo[job.path] = (quick, digest)
        self._fp_memo = new_memo
        return result

    def _render_jobs(self, env: jinja2.Environment, jobs: Sequence[Job], out: Path, bodies: BodyRenderer,
                     *, direct: bool) -> tuple[list[tuple[str | None, str]], list[Problem]]:
        # While the workers render, the parent saves the parse cache (tens of MB on a big site).
        return render_jobs(env, jobs, out, bodies, direct=direct, workers=pool_size(self.options.workers),
                           progress=self.progress, meanwhile=self._save_articles)


def build_site(config: Config, options: BuildOptions | None = None,
               progress: Callable[[str, int, int], None] | None = None) -> BuildReport:
    """One build of ``config.root`` into ``site/``."""
    return Builder(config, options, progress).build()


