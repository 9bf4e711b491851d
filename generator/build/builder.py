"""The Builder: the one owner of the pipeline. Its steps, in order:

    ingest → read → index → plan → render → write (→ cache upkeep)

Each step is a function of the stages below it that returns a typed value; the Builder only sequences
them, times them (``BuildReport.timings``) and keeps ``BuildState`` between builds. It never prints.
A cold build (no ``site/`` yet) renders into a staging folder swapped in at the end; other builds stage
changed files in a spool folder and swap each in only when the whole render succeeded.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path

from generator.build.bodies import BodiesAhead
from generator.build.output import SitePlan, index_site, plan_site, render_site, write_site
from generator.build.read import ReadResult, read_articles, refuse_oversize
from generator.build.report import BuildOptions, BuildReport, Held, IngestRequest, StepClock
from generator.build.search import (
    BUNDLE,
    ENTRY,
    STAMP_KEY,
    SearchOutcome,
    bundle_files,
    missing_pagefind,
    pagefind_executable,
    pagefind_version,
    run_pagefind,
    search_stamp,
    stale_parts,
)
from generator.build.state import BuildState, Vetted
from generator.build.unchanged import LAST_BUILD, LastBuild, outputs_in_place, site_key
from generator.cache import RenderCache, build_lock, cache_path, drop_cache
from generator.config import Config
from generator.errors import DigestError, Location, Problem
from generator.executor import Background, pool_size
from generator.model import Article, review_text
from generator.plan import FeedRow
from generator.plan.summary import learn_stored_facts, learn_text_facts, stored_facts
from generator.render import static_files
from generator.sources.aliases import read_aliases
from generator.sources.feedstate import FeedState, feed_health
from generator.taxonomy import Aliases, StoryMemo, held_articles, is_left_out
from generator.write import (
    make_folder,
    make_page_placeholder,
    new_spool_dir,
    new_staging_dir,
    remove_staging,
    remove_tree,
    safe_output_path,
    swap_in,
    sweep_staging,
)

Progress = Callable[[str, int, int], None]
STORIES_MEMO = "stories"
FACTS_MEMO = "text-facts"


class Premade:
    """What a cold build makes ahead of its render, in the background while the parent indexes and plans:
    the article folders (each with an empty page), then the article bodies (``BodiesAhead``)."""

    def __init__(self, names: frozenset[str] = frozenset(), job: Background | None = None,
                 bodies: BodiesAhead | None = None) -> None:
        self.names = names
        self.bodies = bodies
        self._job = job

    def stop(self) -> None:
        """Stop making them (the render makes whatever is missing) and wait for the maker to be gone."""
        if self._job is not None:
            self._job.stop()
            self._job = None

    def close(self) -> None:
        self.stop()
        if self.bodies is not None:
            self.bodies.close()
            self.bodies = None


def premake_pages(target: Path, articles: Sequence[Article], *, drafts: bool, hotlink: bool) -> Premade:
    folder = make_folder(target, "articles")
    names, paths = [], []
    shown = [a for a in articles if not is_left_out(a, drafts)]
    for name in dict.fromkeys(a.slug for a in shown):
        if "/" not in name:  # anything else is left to the render, which refuses what leaves site/
            with contextlib.suppress(ValueError):
                paths.append(safe_output_path(folder, name))
                names.append(name)
    # Newest first: the feeds, rendered first, show the newest bodies.
    bodies = BodiesAhead(sorted(shown, key=lambda a: a.date.timestamp() if a.date else 0.0, reverse=True), hotlink,
                         target.parent)
    tasks: list[Callable[[], object]] = [partial(make_page_placeholder, p) for p in paths]
    tasks += [partial(bodies.make, i) for i in range(len(bodies.articles))]
    return Premade(frozenset(names), Background(_call, tasks), bodies)


def _call(task: Callable[[], object]) -> object:
    return task()


class Builder:
    """Builds a project again and again, keeping what it learnt in ``state`` (and in ``.digest/``)."""

    def __init__(self, config: Config, options: BuildOptions | None = None, progress: Progress | None = None) -> None:
        """``progress(stage, done, total)`` is called as long steps advance (the CLI draws a bar)."""
        self.config = config
        self.options = options or BuildOptions()
        self.progress = progress
        self.state = BuildState()

    def build(self, changed: Collection[Path] | None = None, ingest: IngestRequest | None = None, *,
              once: bool = False) -> BuildReport:
        """Build once: ingest first when ``ingest`` is given, then read, index, plan, render, write.

        ``changed`` (from the watcher) lists the paths that changed since the last build; after an ingest
        that wrote files every article file is looked at again. ``once``: this Builder builds only once
        (``digest build``): when nothing changed since the last one-off build, nothing is done
        (build/unchanged.py); a long-lived Builder keeps its state warm instead. The cyclic garbage
        collector is paused meanwhile: a build allocates many objects that live until it ends, and full
        collections over the kept articles cost more than they free.
        """
        paused = gc.isenabled()
        gc.disable()
        try:
            with build_lock(self.config.state_dir):
                sweep_staging(self.config.output_dir)
                return self._build(changed, ingest, once=once)
        finally:
            if paused:
                gc.enable()

    def _build(self, changed: Collection[Path] | None, ingest: IngestRequest | None, *, once: bool) -> BuildReport:
        config, options, state = self.config, self.options, self.state
        clock = StepClock()
        report = BuildReport()
        if ingest is not None:
            report.ingested, report.problems = ingest_step(config, ingest)
            if report.ingested:
                changed = None
            clock.lap("ingest")
        if options.clean:
            drop_cache(config.state_dir)
            self.state = state = BuildState()
            self.options = replace(options, clean=False)
        out = config.output_dir
        if out.is_symlink() or (out.exists() and not out.is_dir()):
            raise DigestError(Problem(Location(str(out)), "output path is not a real directory",
                                      "remove it; digest keeps site/ a real directory"))
        cold = not out.exists()
        cache = RenderCache(cache_path(config.state_dir))
        key = self._unchanged(cache, report, clock, once=once, cold=cold)
        if key is None:
            cache.close()
            return self._finish(report, clock)
        problems_before = len(report.problems)  # the ingest step's are not the build's to give again
        target = new_staging_dir(out) if cold else out
        spool = None if cold else new_spool_dir(out)
        workers = pool_size(options.workers)
        premade = Premade()
        try:
            known = state.articles if state.articles is not None else cache.articles()
            with cache.storing_articles() as keep:  # each record as it comes back, not all held to the end
                read = read_articles(config, state, known, changed, drafts=options.drafts, workers=workers,
                                     progress=self.progress, keep=keep)
            cache.forget_articles(read.gone)
            state.articles = read.articles
            report.parsed = read.parsed
            report.problems += read.problems
            clock.lap("read")

            articles, refused, held = self._vet(read)
            report.problems += refused
            if cold:  # the article pages' folders and files are made beside the index and plan steps
                premade = premake_pages(target, articles, drafts=options.drafts, hotlink=config.images == "hotlink")
            report.held = [Held(a.path, a.review) for a in held]
            report.problems += [Problem(Location(h.path), f"held for review: {review_text(h.reasons)}",
                                        severity="warning") for h in report.held]
            names, alias_problems = read_aliases(config.content_dir)
            report.problems += alias_problems
            if state.stories.key is None:  # a new Builder: take up what the last process learnt
                stored = cache.memo(STORIES_MEMO)
                if isinstance(stored, StoryMemo):
                    state.stories = stored
            state.stories.learn(read.story_texts)
            store_facts = False
            if not state.facts_stored:  # a new Builder: the text facts the last process knew; stored again
                state.facts_stored = True  # (once a Builder, like the story memo) if files were parsed
                store_facts = learn_stored_facts(cache.memo(FACTS_MEMO)) == 0 or read.parsed > 0
            learn_text_facts(read.text_facts)
            index, problems = index_site(config, state, articles, None if refused else read.swaps,
                                         drafts=options.drafts, aliases=Aliases.from_names(names))
            report.articles = len(index.articles)
            report.topics = sum(1 for t in index.topics if index.topic_articles.get(t.slug))
            report.problems += problems
            clock.lap("index")

            plan = plan_site(config, state, index, cache.fingerprints, cache.path, out, cold=cold,
                             feed_rows=self._feed_rows())
            report.outputs = len(plan.planned)
            report.feeds = plan.feeds
            clock.lap("plan")

            premade.stop()
            plan.bodies.ahead = premade.bodies
            try:
                rendered = render_site(plan, target, cold=cold, premade=premade.names, spool=spool, workers=workers,
                                       progress=self.progress)
            finally:
                plan.bodies.ahead = None
                premade.close()
            report.rendered = len(plan.todo)
            clock.lap("render")
            if rendered.failed:
                report.problems += rendered.problems
                report.failed = True
                return self._finish(report, clock)

            if cold:
                swap_in(target, out)
            search_files = self._search_files(out)
            report.written, report.removed = write_site(plan, rendered, out, search_files)
            state.outputs = plan.outputs(search_files)
            last = LastBuild.of(key, report, report.problems[problems_before:]) if key else None
            clock.lap("write")

            if config.search:
                report.search = self._search(cache, lambda: plan.fingerprints, out, defer=self.options.defer_search,
                                             pages_changed=plan.whole or plan.touches("articles/"))
                report.problems += report.search.problems
                clock.lap("search")

            with cache.batch():
                self._keep(cache, plan, cold=cold)
                if store_facts:
                    cache.store_memo(FACTS_MEMO, stored_facts(index.articles))
                if last is not None:
                    cache.store_memo(LAST_BUILD, last)
            clock.lap("cache")
        finally:
            premade.close()
            cache.close()
            if cold and target.exists():
                remove_staging(target)
            if spool is not None:
                remove_tree(spool)
        return self._finish(report, clock)

    def _unchanged(self, cache: RenderCache, report: BuildReport, clock: StepClock, *, once: bool,
                   cold: bool) -> str | None:
        """The no-change fast path (build/unchanged.py). None: nothing changed, and the last build's report
        is given again; else this build goes on: the key to store once it completed ("" when it is not a
        one-off build), the stored one forgotten first (site/ is about to change)."""
        config = self.config
        key = site_key(config, drafts=self.options.drafts, feed_rows=self._feed_rows()) if once else ""
        last = cache.memo(LAST_BUILD)
        if isinstance(last, LastBuild) and last.key == key and not cold:
            fingerprints = cache.fingerprints()
            if outputs_in_place(config.output_dir, [*fingerprints, *static_files(config)]):
                last.report_to(report)
                clock.lap("unchanged")
                if config.search:
                    report.search = self._search(cache, lambda: fingerprints, config.output_dir, defer=False)
                    report.problems += report.search.problems
                    clock.lap("search")
                return None
        if last is not None:
            cache.store_memo(LAST_BUILD, None)
        return key

    def _vet(self, read: ReadResult) -> tuple[list[Article], list[Problem], list[Article]]:
        """The articles to publish, the errors for those over ``limits.article_body``, and the held ones.
        When the read only swapped articles for new versions, last build's lists are updated in place."""
        limit = self.config.limits.article_body
        vetted, swaps = self.state.vetted, read.swaps
        if vetted is not None and vetted.limit == limit and swaps is not None \
                and all(old in vetted.position and len(new.body) <= limit for old, new in swaps.items()):
            held_ids = {id(a) for a in vetted.held}
            regroup = False
            for old, new in swaps.items():
                i = vetted.position.pop(old)
                vetted.articles[i] = new
                vetted.position[id(new)] = i
                regroup = regroup or old in held_ids or bool(new.review)
            if regroup:
                vetted.held = held_articles([a for a in vetted.held if id(a) not in swaps]
                                            + [a for a in swaps.values() if a.review])
            return vetted.articles, [], vetted.held
        articles, refused = refuse_oversize(self.config, [known.article for known in read.articles.values()])
        held = held_articles(articles)
        self.state.vetted = None if refused else Vetted(limit, articles, {id(a): i for i, a in enumerate(articles)},
                                                         held)
        return articles, refused, held

    def _finish(self, report: BuildReport, clock: StepClock) -> BuildReport:
        report.seconds = clock.total()
        report.timings = clock.timings
        return report

    def refresh_search(self) -> SearchOutcome | None:
        """The search step on its own, for a search index a build deferred (``digest serve``)."""
        if not self.config.search or self.state.fingerprints is None:
            return None
        with build_lock(self.config.state_dir):
            cache = RenderCache(cache_path(self.config.state_dir))
            try:
                fingerprints = self.state.fingerprints
                return self._search(cache, lambda: fingerprints, self.config.output_dir, defer=False)
            finally:
                cache.close()

    def _search_files(self, out: Path) -> set[str]:
        """The files of site/pagefind/ that the write step must leave alone (none with `search: false`)."""
        if not self.config.search:
            return set()
        if self.state.search_files is None:
            self.state.search_files = bundle_files(out)
        return self.state.search_files

    def _search(self, cache: RenderCache, fingerprints: Callable[[], Mapping[str, str]], out: Path, *, defer: bool,
                pages_changed: bool = True) -> SearchOutcome:
        """Index the article pages when one may have changed since the index was made (see build/search.py).
        ``pages_changed`` False: no article page's fingerprint changed since the last look (``digest serve``
        then gives its last answer, without hashing every page's fingerprint again)."""
        executable = pagefind_executable()
        if executable is None:
            return SearchOutcome(problems=[missing_pagefind()])
        state = self.state
        if defer and not pages_changed and state.search_pending is not None and (out / BUNDLE / ENTRY).is_file():
            return SearchOutcome(pending=state.search_pending)
        stamp = search_stamp(fingerprints(), pagefind_version(), self.config.search_index_pages)
        previous = state.search_stamp if state.search_stamp is not None else cache.meta(STAMP_KEY)
        state.search_pending = bool(stale_parts(stamp, previous, out))
        if not state.search_pending:
            return SearchOutcome()
        if defer:
            return SearchOutcome(pending=True)
        outcome = run_pagefind(out, executable, stamp, previous)
        if outcome.ran:
            state.search_pending = False
            state.search_stamp = stamp
            cache.store_meta(STAMP_KEY, stamp)
            state.search_files = bundle_files(out)
            if state.outputs is not None:
                state.outputs = {p for p in state.outputs if not p.startswith(BUNDLE + "/")} | state.search_files
        return outcome

    def _feed_rows(self) -> list[FeedRow] | None:
        """The sources page's rows, when feeds are configured (what the feed state knows of each)."""
        if not self.config.feeds:
            return None
        with FeedState(self.config.state_dir / "state.sqlite") as state:
            return [FeedRow(h.name, h.location, fetched=h.last_success is not None or h.error_count > 0, ok=h.ok,
                            status=h.last_status, last_error=h.last_error, permanent_redirect=h.permanent_redirect)
                    for h in feed_health(state, self.config.feeds)]

    def _keep(self, cache: RenderCache, plan: SitePlan, *, cold: bool) -> None:
        """Cache upkeep: this build's fingerprints, and the bodies that feeds will need again."""
        state = self.state
        state.fingerprints = plan.commit()
        # The memo is tens of MB at 10,000 articles: stored by the first build of a Builder (every `digest
        # build`), not on each `serve` rebuild. An older memo is still a right starting point: the next
        # process re-clusters only what changed since it was stored.
        if state.stories.dirty and not state.stories_stored:
            cache.store_memo(STORIES_MEMO, state.stories)
            state.stories.dirty = False
            state.stories_stored = True
        cache.store_fingerprints({j.path: j.digest for j in plan.todo}, plan.gone)
        state.plan_pending = False
        cache.store_bodies(plan.bodies.new)  # only bodies the feeds show (BodyRenderer.wanted)
        if cold or len(plan.todo) > 100:
            cache.prune_bodies(plan.bodies.wanted)


def ingest_step(config: Config, request: IngestRequest) -> tuple[list[str], list[Problem]]:
    """New inbox files and feed entries (or just ``request.files``) → article files."""
    from generator.ingest import ingest_all

    report = ingest_all(config, request.now, offline=request.offline, files=request.files)
    return report.written, report.problems


def build_site(config: Config, options: BuildOptions | None = None, progress: Progress | None = None,
               ingest: IngestRequest | None = None) -> BuildReport:
    """One build of ``config.root`` into ``site/``, ingesting first when ``ingest`` is given."""
    return Builder(config, options, progress).build(ingest=ingest, once=True)
