"""The steps after reading: index → plan → render → write, each a function returning a typed value.

``plan`` decides which outputs exist and which must be rendered again (a job's fingerprint changed or
its file is missing); ``render`` renders those in the executor's workers into temp files (or straight
into a cold build's staging folder); ``write`` swaps them in only when the whole render succeeded, so a
render error writes nothing, and removes the outputs that no longer exist.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from generator.build.bodies import BodyRenderer
from generator.build.state import BuildState, IndexMemo, Templates
from generator.cache import BodyReader
from generator.config import Config
from generator.errors import Problem, TemplateError
from generator.executor import fork_map
from generator.model import Article
from generator.plan import FeedRow, Job, SitePlanner
from generator.render import make_environment, render_job, static_files, template_fingerprints, templates_stamp
from generator.taxonomy import (
    NO_ALIASES,
    Aliases,
    SiteIndex,
    build_index,
    replace_articles,
    stories_of,
    undefined_topic_problems,
)
from generator.write import (
    Staged,
    commit_staged,
    copy_fresh_file,
    discard_staged,
    existing_outputs,
    make_folders,
    remove_empty_folders,
    remove_outputs,
    safe_output_path,
    stage_file,
    write_fresh_file,
)

PARALLEL_RENDER = 400  # outputs to render before forking pays off

Progress = Callable[[str, int, int], None]


# ---------------------------------------------------------------- index

def index_site(config: Config, state: BuildState, articles: Sequence[Article], swaps: dict[int, Article] | None,
               *, drafts: bool, aliases: Aliases = NO_ALIASES) -> tuple[SiteIndex, list[Problem]]:
    """Topics, tags, people, stories and archives; last build's index is reused when no article can have
    moved (its stories are found again: an edit of the text may move an article between stories)."""
    index = None
    memo = state.index
    if memo is not None and swaps is not None and memo.drafts == drafts and memo.aliases == aliases:
        new_articles = [swaps.get(id(a), a) for a in memo.index.articles]
        index = replace_articles(memo.index, swaps, stories_of(new_articles, config, aliases, state.stories))
    reused = index is not None
    if index is None:
        index = build_index(articles, config, drafts=drafts, aliases=aliases, story_memo=state.stories)
    state.index = IndexMemo(drafts, index, reused, aliases)
    problems = undefined_topic_problems(index)
    return index, problems


# ---------------------------------------------------------------- plan

@dataclass(frozen=True)
class SitePlan:
    planner: SitePlanner
    env: jinja2.Environment
    bodies: BodyRenderer
    jobs: list[Job]  # every output the site has
    fingerprints: dict[str, str]  # output path -> fingerprint of its inputs
    todo: list[Job]  # the jobs to render in this build
    previous: dict[str, str]  # last build's fingerprints
    existing: set[str]  # files in site/ before this build
    static: dict[str, Path]  # static output path -> source file

    @property
    def feeds(self) -> int:
        """The site's and the topics' feeds, as DESIGN.md's summary line counts them."""
        return sum(1 for j in self.jobs if j.path.endswith(("feed.xml", "atom.xml"))
                   and not j.path.startswith(("tags/", "digests/")))


def environment(config: Config, state: BuildState) -> Templates:
    """The Jinja environment, made again only when a template file changed."""
    stamp = templates_stamp(config)
    if state.templates is None or state.templates.stamp != stamp:
        state.templates = Templates(stamp, make_environment(config))
    state.templates.env.fragment_cache.clear()  # type: ignore[attr-defined]  # fragments live for one build
    return state.templates


def plan_site(config: Config, state: BuildState, index: SiteIndex, cache_fingerprints: Callable[[], dict[str, str]],
              cache_path: Path | None, out: Path, *, cold: bool, feed_rows: Sequence[FeedRow] | None) -> SitePlan:
    templates = environment(config, state)
    if state.body_renderer is None:
        state.body_renderer = BodyRenderer(config.images == "hotlink", state.bodies, BodyReader(cache_path))
    bodies = state.body_renderer
    bodies.new = {}
    planner = SitePlanner(config, index, bodies, state.views)
    jobs = list(planner.jobs())
    if feed_rows is not None:
        jobs.append(planner.sources_job(feed_rows))
    names = tuple(sorted({j.template for j in jobs}))
    if templates.fingerprints is None or templates.names != names:
        templates.names, templates.fingerprints = names, template_fingerprints(templates.env, list(names))
    fingerprints = _fingerprints(state, jobs, templates.fingerprints, planner.global_fingerprint)
    if cold:
        previous: dict[str, str] = {}
        existing: set[str] = set()
        todo = jobs
    else:
        previous = state.fingerprints if state.fingerprints is not None else cache_fingerprints()
        existing = state.outputs if state.outputs is not None else existing_outputs(out)
        todo = [j for j in jobs if previous.get(j.path) != fingerprints[j.path] or j.path not in existing]
    return SitePlan(planner, templates.env, bodies, jobs, fingerprints, todo, previous, existing,
                    static_files(config))


def _fingerprints(state: BuildState, jobs: Sequence[Job], tfp: dict[str, str], gfp: str) -> dict[str, str]:
    """Persistent fingerprints (blake2b) of every job, reusing last build's where inputs are unchanged.

    Python's tuple hash is cheap here (each string caches its own hash) but differs between
    processes, so it only decides whether the stored digest can be reused within this Builder.
    """
    memo = state.quick_fingerprints
    result: dict[str, str] = {}
    new_memo: dict[str, tuple[int, str]] = {}
    for job in jobs:
        quick = hash((job.template, tfp[job.template], gfp, *job.inputs))
        hit = memo.get(job.path)
        digest = hit[1] if hit is not None and hit[0] == quick else job.fingerprint(tfp[job.template], gfp)
        result[job.path] = digest
        new_memo[job.path] = (quick, digest)
    state.quick_fingerprints = new_memo
    return result


# ---------------------------------------------------------------- render

@dataclass(frozen=True)
class Rendered:
    staged: list[Staged]  # temp files to swap in (none in a cold build: files are written in place)
    written: list[str]  # output paths whose bytes changed
    problems: list[Problem]

    @property
    def failed(self) -> bool:
        return bool(self.problems)


def _weight(job: Job) -> int:
    """Rough cost order for scheduling: 0 feeds and other XML, 1 listings, 2 article pages."""
    if not job.path.endswith(".html"):
        return 0
    return 2 if job.path.startswith("articles/") else 1


def render_site(plan: SitePlan, target: Path, *, cold: bool, premade: frozenset[str], spool: Path | None,
                workers: int, progress: Progress | None, meanwhile: Callable[[], None] | None) -> Rendered:
    """Render the plan's jobs into ``target`` (the staging folder of a cold build, else site/ by way of
    temp files in ``spool``)."""
    if cold:
        # Article folders not made while parsing (their parse came from the cache) are made here,
        # in one process; the render workers make the listings' folders as they need them.
        make_folders(target, [j.path for j in plan.todo if j.path.startswith("articles/")
                              and j.path.split("/")[1] not in premade])
    else:
        make_folders(target, [j.path for j in plan.todo])
    jobs = plan.todo
    if workers > 1 and len(jobs) >= PARALLEL_RENDER:
        # The costliest jobs (feeds, the sitemap, then listings) go first, so that what is left for
        # the end are article pages, small enough for both workers to finish together.
        jobs = sorted(jobs, key=_weight)
    env, bodies = plan.env, plan.bodies
    staged: list[Staged] = []
    written: list[str] = []
    problems: list[Problem] = []
    new_bodies: dict[str, str] = {}

    def render_slice(part: Sequence[Job]) -> tuple[list[Staged], list[str], dict[str, str], list[Problem]]:
        bodies.new = {}  # report only this slice's bodies, or the dict grows with every slice
        part_staged, part_written, part_problems = [], [], []
        for job in part:
            try:
                data = render_job(env, job)
            except TemplateError as exc:
                part_problems.extend(exc.problems)
                break
            path = safe_output_path(target, job.path)
            if cold:  # a fresh staging folder nobody reads yet (its folders exist): no temp files
                write_fresh_file(path, data)
                part_written.append(job.path)
            else:
                tmp = stage_file(path, data, spool=spool)
                if tmp is not None:
                    part_staged.append(Staged(tmp, job.path))
                    part_written.append(job.path)
        return part_staged, part_written, bodies.new, part_problems

    def taken(result: tuple[list[Staged], list[str], dict[str, str], list[Problem]], done: int) -> None:
        part_staged, part_written, new, part_problems = result
        staged.extend(part_staged)
        written.extend(part_written)
        bodies.known.update(new)
        new_bodies.update(new)
        problems.extend(part_problems)
        if progress is not None and len(jobs) >= PARALLEL_RENDER:
            progress("rendering", done, len(jobs))

    fork_map(render_slice, jobs, workers=workers, parallel_from=PARALLEL_RENDER, min_slice=40, taken=taken,
             meanwhile=meanwhile)
    bodies.new = new_bodies
    if not problems:
        for rel, src in plan.static.items():
            dest = safe_output_path(target, rel)
            if cold:
                copy_fresh_file(src, dest)
                written.append(rel)
            else:
                tmp = stage_file(dest, src.read_bytes(), spool=spool)
                if tmp is not None:
                    staged.append(Staged(tmp, rel))
                    written.append(rel)
    if cold:  # folders made while parsing for an article that got no page (a clash with an unread file)
        used = {j.path.split("/")[1] for j in plan.jobs if j.path.startswith("articles/")}
        remove_empty_folders(target / "articles", premade - used)
    if problems:
        discard_staged(staged)
        return Rendered([], [], problems)
    return Rendered(staged, written, [])


# ---------------------------------------------------------------- write

def write_site(plan: SitePlan, rendered: Rendered, out: Path,
               also_keep: Collection[str] = ()) -> tuple[list[str], list[str]]:
    """Swap the staged files in and remove outputs that no longer exist (but ``also_keep``: the search
    index, which the search step owns); (written, removed)."""
    commit_staged(out, rendered.staged)
    keep = set(plan.fingerprints) | set(plan.static) | set(also_keep)
    removed = remove_outputs(out, plan.existing - keep)
    return sorted(rendered.written), removed
